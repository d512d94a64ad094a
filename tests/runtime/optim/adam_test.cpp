#include "runtime/optim/adam.hpp"

#include <cmath>
#include <vector>

#include <catch2/catch.hpp>

#include "optim_fixture.hpp"
#include "runtime/error.hpp"
#include "runtime/schedule/constant.hpp"
#include "runtime/schedule/cosine.hpp"
#include "test_schedules.hpp"

using regimen::InvalidArgument;
using regimen::optim::Adam;
using regimen::optim::AdamKernel;
using regimen::optim::AdamOptions;
using regimen::schedule::constant;

namespace {

AdamOptions adam_options(const nlohmann::json& j) {
  AdamOptions o;
  o.betas = {j.at("betas").at(0).get<double>(), j.at("betas").at(1).get<double>()};
  o.eps = j.at("eps");
  o.weight_decay = j.at("weight_decay");
  o.amsgrad = j.at("amsgrad");
  o.maximize = j.at("maximize");
  o.convention = regimen::optim::parse_convention(j.value("convention", "pytorch"));
  return o;
}

const char* const kCases[] = {"adam_default", "adam_weight_decay", "adam_amsgrad", "adam_maximize",
                              "adam_amsgrad_decay_betas"};

}  // namespace

TEST_CASE("Adam: float64 kernel reproduces torch.optim.Adam's trajectory to 1e-9", "[optim]") {
  const std::string name = GENERATE(from_range(std::begin(kCases), std::end(kCases)));
  INFO(name);
  const auto f = regimen::test::load_optim_fixture(name);
  AdamKernel<double> kernel(adam_options(f.options));
  const double lr = f.options.at("lr");
  regimen::test::replay<double>(
      f, [&](std::span<double> p, std::span<const double> g) { kernel.apply(p, g, lr); }, 1e-9, 1e-12);
  CHECK(kernel.state().step == static_cast<std::int64_t>(f.grads.size()));
}

TEST_CASE("Adam: float32 optimizer follows the float64 reference to 1e-5", "[optim]") {
  const std::string name = GENERATE(from_range(std::begin(kCases), std::end(kCases)));
  INFO(name);
  const auto f = regimen::test::load_optim_fixture(name);
  Adam adam(constant(f.options.at("lr")), adam_options(f.options));
  regimen::test::replay<float>(
      f, [&](std::span<float> p, std::span<const float> g) { adam.step(p, g); }, 1e-5, 1e-5);
}

TEST_CASE("Adam: the first step moves every element by lr against its gradient's sign", "[optim]") {
  // k = 1: m = (1-b1) g, v = (1-b2) g^2, so m/(1-b1) / (sqrt(v)/sqrt(1-b2) + eps) = g/(|g| + eps).
  Adam adam(constant(0.01));
  std::vector<float> p{0.0f, 0.0f, 0.0f};
  const std::vector<float> g{3.0f, -0.25f, 1e-3f};
  adam.step(p, g);
  CHECK_THAT(p[0], Catch::Matchers::WithinRel(-0.01, 1e-6));
  CHECK_THAT(p[1], Catch::Matchers::WithinRel(0.01, 1e-6));
  CHECK_THAT(p[2], Catch::Matchers::WithinRel(-0.01 * 1e-3 / (1e-3 + 1e-8), 1e-5));
}

TEST_CASE("Adam: each step uses the schedule's value at the optimizer's step count", "[optim]") {
  // With a constant gradient m_hat/sqrt(v_hat) = 1, so each step moves by lr(t) (eps aside).
  const auto lr = regimen::schedule::cosine(0.1, 4);
  Adam adam(lr);
  std::vector<double> expected;
  double p_expected = 0.0;
  std::vector<float> p{0.0f};
  const std::vector<float> g{1.0f};
  for (int t = 0; t < 6; ++t) {
    p_expected -= (*lr)(t) / (1.0 + 1e-8);
    adam.step(p, g);
    INFO("t=" << t);
    CHECK_THAT(p[0], Catch::Matchers::WithinRel(p_expected, 1e-6));
  }
}

TEST_CASE("Adam: state is sized once, on the first step, vmax only with amsgrad", "[optim]") {
  const bool amsgrad = GENERATE(false, true);
  AdamOptions o;
  o.amsgrad = amsgrad;
  Adam adam(constant(1e-3), o);
  std::vector<float> p(19, 1.0f), g(19, 0.5f);
  adam.step(p, g);
  const auto& s = adam.state();
  REQUIRE(s.exp_avg.size() == 19);
  REQUIRE(s.exp_avg_sq.size() == 19);
  CHECK(s.max_exp_avg_sq.size() == (amsgrad ? 19 : 0));
  const float* m = s.exp_avg.data();
  const float* v = s.exp_avg_sq.data();
  for (int i = 0; i < 4; ++i) adam.step(p, g);
  CHECK(s.exp_avg.data() == m);
  CHECK(s.exp_avg_sq.data() == v);
  CHECK(s.step == 5);
}

TEST_CASE("Adam: names and describes itself", "[optim]") {
  const Adam adam(constant(0.001));
  CHECK(adam.name() == "adam");
  CHECK(adam.describe() ==
        "adam(lr=constant(lr=0.001), betas={0.9, 0.999}, eps=1e-08, weight_decay=0, "
        "amsgrad=false, maximize=false, convention=pytorch)");
  CHECK(Adam(constant(0.001), AdamOptions::keras()).describe() ==
        "adam(lr=constant(lr=0.001), betas={0.9, 0.999}, eps=1e-07, weight_decay=0, "
        "amsgrad=false, maximize=false, convention=keras)");
}

TEST_CASE("Adam: rejects bad options by name", "[optim]") {
  auto with = [](auto change) {
    AdamOptions o;
    change(o);
    return o;
  };
  CHECK_THROWS_MATCHES(Adam(constant(0.1), with([](AdamOptions& o) { o.betas[0] = 1.0; })),
                       InvalidArgument, Catch::Message("betas[1] must be in [0, 1), got 1"));
  CHECK_THROWS_MATCHES(Adam(constant(0.1), with([](AdamOptions& o) { o.betas[0] = -0.1; })),
                       InvalidArgument, Catch::Message("betas[1] must be in [0, 1), got -0.1"));
  CHECK_THROWS_MATCHES(Adam(constant(0.1), with([](AdamOptions& o) { o.betas[1] = 1.5; })),
                       InvalidArgument, Catch::Message("betas[2] must be in [0, 1), got 1.5"));
  CHECK_THROWS_MATCHES(Adam(constant(0.1), with([](AdamOptions& o) { o.eps = 0; })),
                       InvalidArgument, Catch::Message("eps must be > 0, got 0"));
  CHECK_THROWS_MATCHES(AdamKernel<double>(with([](AdamOptions& o) { o.weight_decay = -0.01; })),
                       InvalidArgument, Catch::Message("weight_decay must be >= 0, got -0.01"));
  CHECK_THROWS_MATCHES(Adam(regimen::test::ramp(-0.5, 0)), InvalidArgument,
                       Catch::Message("lr must be >= 0, got -0.5"));
  CHECK_THROWS_MATCHES(Adam(nullptr), InvalidArgument,
                       Catch::Message("lr must be a number or a schedule, got nothing"));
}

TEST_CASE("Adam: rejects mismatched buffers without counting a step", "[optim]") {
  Adam adam(constant(0.1));
  std::vector<float> p(4, 1.0f), g(5, 1.0f);
  CHECK_THROWS_MATCHES(adam.step(p, g), InvalidArgument,
                       Catch::Message("grads has 5 elements but params has 4"));
  CHECK(adam.steps() == 0);
  CHECK(adam.state().step == 0);
}

TEST_CASE("Adam: convention keras reproduces Keras' Adam trajectory (float64 to 1e-9, float32 to 1e-5)", "[optim]") {
  const std::string name = GENERATE("adam_keras", "adam_keras_amsgrad_decay");
  regimen::test::check_fixture<AdamKernel, Adam>(name, adam_options);
}

TEST_CASE("Adam: keras adds eps to sqrt(v) before the bias correction, PyTorch after", "[optim]") {
  // First step with g = eps = 1e-6, b2 = 0.999: sqrt(v) = sqrt(1e-3) g. PyTorch divides m_hat by
  // sqrt(v) / sqrt(1e-3) + eps = 2e-6; Keras divides m by sqrt(v) + eps and scales by
  // alpha = lr sqrt(1 - b2) / (1 - b1): eps weighs ~30x more in Keras.
  AdamOptions o;
  o.eps = 1e-6;
  AdamKernel<double> torch_like(o);
  o.convention = regimen::optim::Convention::keras;
  AdamKernel<double> keras_like(o);
  std::vector<double> p1{0.0}, p2{0.0};
  const std::vector<double> g{1e-6};
  torch_like.apply(p1, g, 1.0);
  keras_like.apply(p2, g, 1.0);
  const double sqrt_v = std::sqrt(1e-3) * 1e-6;
  CHECK_THAT(p1[0], Catch::Matchers::WithinRel(-1e-6 / (sqrt_v / std::sqrt(1e-3) + 1e-6), 1e-12));
  CHECK_THAT(p2[0], Catch::Matchers::WithinRel(-std::sqrt(1e-3) * 1e-7 / 0.1 / (sqrt_v + 1e-6), 1e-12));
}
