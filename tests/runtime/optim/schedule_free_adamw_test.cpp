#include "runtime/optim/schedule_free_adamw.hpp"

#include <cmath>
#include <vector>

#include <catch2/catch.hpp>

#include "optim_fixture.hpp"
#include "runtime/error.hpp"
#include "runtime/schedule/constant.hpp"
#include "runtime/schedule/linear.hpp"

using regimen::InvalidArgument;
using regimen::optim::ScheduleFreeAdamW;
using regimen::optim::ScheduleFreeAdamWKernel;
using regimen::optim::ScheduleFreeAdamWOptions;
using regimen::schedule::constant;

namespace {

ScheduleFreeAdamWOptions sf_options(const nlohmann::json& j) {
  ScheduleFreeAdamWOptions o;
  o.betas = regimen::test::betas_of(j);
  o.eps = j.at("eps");
  o.weight_decay = j.at("weight_decay");
  o.warmup_steps = j.at("warmup_steps");
  o.r = j.at("r");
  o.weight_lr_power = j.at("weight_lr_power");
  return o;
}

const char* const kCases[] = {"schedule_free_adamw_default", "schedule_free_adamw_warmup_decay",
                              "schedule_free_adamw_polynomial"};

}  // namespace

TEST_CASE("ScheduleFreeAdamW: y follows the paper's Algorithm 1 (float64 to 1e-9, float32 to 1e-5)", "[optim]") {
  const std::string name = GENERATE(from_range(std::begin(kCases), std::end(kCases)));
  regimen::test::check_fixture<ScheduleFreeAdamWKernel, ScheduleFreeAdamW>(name, sf_options);
}

TEST_CASE("ScheduleFreeAdamW: eval_params gives the average x, train_params returns to y", "[optim]") {
  const std::string name = GENERATE(from_range(std::begin(kCases), std::end(kCases)));
  INFO(name);
  const auto f = regimen::test::load_optim_fixture(name);
  REQUIRE(f.x.size() == f.grads.size());
  ScheduleFreeAdamWKernel<double> kernel(sf_options(f.options));
  const double lr = f.options.at("lr");
  regimen::test::replay<double>(
      f, [&](std::span<double> p, std::span<const double> g) { kernel.apply(p, g, lr); }, 1e-9, 1e-12,
      [&](std::size_t k, std::span<double> p) {
        const std::vector<double> y(p.begin(), p.end());
        kernel.eval_params(p);
        CHECK_FALSE(kernel.state().train_mode);
        regimen::test::check_close(std::span<const double>(p), f.x[k], 1e-9, 1e-12);
        kernel.eval_params(p);  // idempotent
        regimen::test::check_close(std::span<const double>(p), f.x[k], 1e-9, 1e-12);
        kernel.train_params(p);
        CHECK(kernel.state().train_mode);
        regimen::test::check_close(std::span<const double>(p), y, 1e-12, 1e-14);
        std::copy(y.begin(), y.end(), p.begin());  // continue from the exact y
      });
}

TEST_CASE("ScheduleFreeAdamW: refuses to step in eval mode", "[optim]") {
  ScheduleFreeAdamW sf(constant(0.01));
  std::vector<float> p{1.0f, 2.0f}, g{0.5f, -0.5f};
  sf.step(p, g);
  sf.eval_params(p);
  CHECK_FALSE(sf.train_mode());
  CHECK_THROWS_MATCHES(sf.step(p, g), InvalidArgument,
                       Catch::Message("schedule_free_adamw: step while the parameters hold the average x; "
                                      "call train_params() after evaluating"));
  CHECK(sf.steps() == 1);
  sf.train_params(p);
  sf.step(p, g);
  CHECK(sf.steps() == 2);
}

TEST_CASE("ScheduleFreeAdamW: before the first step x = y, so eval leaves the parameters alone", "[optim]") {
  ScheduleFreeAdamW sf(constant(0.01));
  std::vector<float> p{1.0f, 2.0f};
  sf.eval_params(p);
  CHECK(p == std::vector<float>{1.0f, 2.0f});
  sf.train_params(p);
  CHECK(p == std::vector<float>{1.0f, 2.0f});
}

TEST_CASE("ScheduleFreeAdamW: names and describes itself with the reference's defaults", "[optim]") {
  const ScheduleFreeAdamW sf(constant(0.0025));
  CHECK(sf.name() == "schedule_free_adamw");
  CHECK(sf.describe() == "schedule_free_adamw(lr=constant(lr=0.0025), betas={0.9, 0.999}, eps=1e-08, "
                         "weight_decay=0, warmup_steps=0, r=0, weight_lr_power=2)");
}

TEST_CASE("ScheduleFreeAdamW: rejects bad options by name", "[optim]") {
  auto with = [](auto change) {
    ScheduleFreeAdamWOptions o;
    change(o);
    return o;
  };
  using O = ScheduleFreeAdamWOptions;
  CHECK_THROWS_MATCHES(ScheduleFreeAdamW(constant(0.1), with([](O& o) { o.betas[0] = 0.0; })), InvalidArgument,
                       Catch::Message("betas[1] must be in (0, 1), got 0"));
  CHECK_THROWS_MATCHES(ScheduleFreeAdamW(constant(0.1), with([](O& o) { o.warmup_steps = -3; })), InvalidArgument,
                       Catch::Message("warmup_steps must be >= 0, got -3"));
  CHECK_THROWS_MATCHES(ScheduleFreeAdamW(constant(0.1), with([](O& o) { o.weight_lr_power = -2; })),
                       InvalidArgument, Catch::Message("weight_lr_power must be >= 0, got -2"));
  CHECK_THROWS_MATCHES(ScheduleFreeAdamW(constant(0.1), with([](O& o) { o.r = -1; })), InvalidArgument,
                       Catch::Message("r must be >= 0, got -1"));
}

TEST_CASE("ScheduleFreeAdamW: a resumed run with a scheduled betas[1] is bit-identical", "[optim]") {
  // y_beta1, the b1 that formed y, is saved: the loader's options hold step 0's b1.
  const auto make = [] {
    ScheduleFreeAdamW sf(constant(0.05));
    sf.schedule_option("betas[1]", regimen::schedule::linear(0.5, 0.9, 6));
    return sf;
  };
  const auto run = [](ScheduleFreeAdamW& sf, std::vector<float>& p, int from, int to) {
    for (int t = from; t < to; ++t) {
      std::vector<float> g{std::sin(p[0] + static_cast<float>(t)), std::cos(p[1] * 2.0f)};
      sf.step(p, g);
    }
  };
  std::vector<float> straight{1.0f, -0.5f}, resumed = straight;
  ScheduleFreeAdamW uninterrupted = make();
  run(uninterrupted, straight, 0, 8);
  ScheduleFreeAdamW first = make();
  run(first, resumed, 0, 3);
  ScheduleFreeAdamW second = make();
  second.load_state(first.save_state());
  CHECK(second.state().y_beta1 == 0.5 + 0.4 * 2 / 6);  // the b1 of step 2
  run(second, resumed, 3, 8);
  CHECK(resumed == straight);
}
