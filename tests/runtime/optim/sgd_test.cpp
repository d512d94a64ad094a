#include "runtime/optim/sgd.hpp"

#include <limits>
#include <vector>

#include <catch2/catch.hpp>

#include "optim_fixture.hpp"
#include "runtime/error.hpp"
#include "runtime/schedule/constant.hpp"
#include "runtime/schedule/step.hpp"
#include "test_schedules.hpp"

using regimen::InvalidArgument;
using regimen::optim::Sgd;
using regimen::optim::SgdKernel;
using regimen::optim::SgdOptions;
using regimen::schedule::constant;

namespace {

SgdOptions sgd_options(const nlohmann::json& j) {
  SgdOptions o;
  o.momentum = j.at("momentum");
  o.dampening = j.at("dampening");
  o.nesterov = j.at("nesterov");
  o.weight_decay = j.at("weight_decay");
  o.maximize = j.at("maximize");
  o.convention = regimen::optim::parse_convention(j.value("convention", "pytorch"));
  return o;
}

const char* const kCases[] = {"sgd_plain",        "sgd_momentum", "sgd_dampening",
                              "sgd_nesterov",     "sgd_weight_decay", "sgd_maximize",
                              "sgd_nesterov_decay_maximize"};

}  // namespace

TEST_CASE("Sgd: float64 kernel reproduces torch.optim.SGD's trajectory to 1e-9", "[optim]") {
  const std::string name = GENERATE(from_range(std::begin(kCases), std::end(kCases)));
  INFO(name);
  const auto f = regimen::test::load_optim_fixture(name);
  SgdKernel<double> kernel(sgd_options(f.options));
  const double lr = f.options.at("lr");
  regimen::test::replay<double>(
      f, [&](std::span<double> p, std::span<const double> g) { kernel.apply(p, g, lr); }, 1e-9, 1e-12);
}

TEST_CASE("Sgd: float32 optimizer follows the float64 reference to 1e-5", "[optim]") {
  const std::string name = GENERATE(from_range(std::begin(kCases), std::end(kCases)));
  INFO(name);
  const auto f = regimen::test::load_optim_fixture(name);
  Sgd sgd(constant(f.options.at("lr")), sgd_options(f.options));
  regimen::test::replay<float>(
      f, [&](std::span<float> p, std::span<const float> g) { sgd.step(p, g); }, 1e-5, 1e-5);
  CHECK(sgd.steps() == static_cast<std::int64_t>(f.grads.size()));
}

TEST_CASE("Sgd: each step uses the schedule's value at the optimizer's step count", "[optim]") {
  // lr = 0.1 for t in {0, 1}, 0.05 for t in {2, 3}: p falls by 0.1, 0.1, 0.05, 0.05.
  Sgd sgd(regimen::schedule::step(0.1, 2, 0.5));
  std::vector<float> p{1.0f};
  const std::vector<float> g{1.0f};
  const double expected[] = {0.9, 0.8, 0.75, 0.7};
  for (double e : expected) {
    sgd.step(p, g);
    CHECK_THAT(p[0], Catch::Matchers::WithinRel(e, 1e-6));
  }
  CHECK(sgd.steps() == 4);
  CHECK(sgd.current_lr() == 0.025);
}

TEST_CASE("Sgd: momentum buffer is sized once, on the first step", "[optim]") {
  SgdOptions o;
  o.momentum = 0.9;
  Sgd sgd(constant(0.1), o);
  CHECK(sgd.state().momentum_buffer.size() == 0);
  std::vector<float> p(37, 1.0f), g(37, 0.5f);
  sgd.step(p, g);
  REQUIRE(sgd.state().momentum_buffer.size() == 37);
  const float* buffer = sgd.state().momentum_buffer.data();
  for (int i = 0; i < 5; ++i) sgd.step(p, g);
  CHECK(sgd.state().momentum_buffer.data() == buffer);
}

TEST_CASE("Sgd: without momentum keeps no state", "[optim]") {
  Sgd sgd(constant(0.1));
  std::vector<float> p(8, 1.0f), g(8, 0.5f);
  sgd.step(p, g);
  CHECK(sgd.state().momentum_buffer.size() == 0);
  CHECK_THAT(p[7], Catch::Matchers::WithinRel(0.95, 1e-6));
}

TEST_CASE("Sgd: names and describes itself", "[optim]") {
  SgdOptions o;
  o.momentum = 0.9;
  o.nesterov = true;
  const Sgd sgd(constant(0.1), o);
  CHECK(sgd.name() == "sgd");
  CHECK(sgd.describe() ==
        "sgd(lr=constant(lr=0.1), momentum=0.9, dampening=0, nesterov=true, weight_decay=0, "
        "maximize=false, convention=pytorch)");
}

TEST_CASE("Sgd: rejects bad options by name", "[optim]") {
  SgdOptions o;
  o.momentum = -0.1;
  CHECK_THROWS_MATCHES(Sgd(constant(0.1), o), InvalidArgument,
                       Catch::Message("momentum must be >= 0, got -0.1"));
  o = {};
  o.weight_decay = -1;
  CHECK_THROWS_MATCHES(Sgd(constant(0.1), o), InvalidArgument,
                       Catch::Message("weight_decay must be >= 0, got -1"));
  o = {};
  o.dampening = std::numeric_limits<double>::infinity();
  CHECK_THROWS_MATCHES(Sgd(constant(0.1), o), InvalidArgument,
                       Catch::Message("dampening must be finite, got inf"));
  o = {};
  o.nesterov = true;
  CHECK_THROWS_MATCHES(Sgd(constant(0.1), o), InvalidArgument,
                       Catch::Message("nesterov requires momentum > 0 and dampening == 0, got "
                                      "momentum=0, dampening=0"));
  o.momentum = 0.9;
  o.dampening = 0.1;
  CHECK_THROWS_MATCHES(SgdKernel<double>(o), InvalidArgument,
                       Catch::Message("nesterov requires momentum > 0 and dampening == 0, got "
                                      "momentum=0.9, dampening=0.1"));
}

TEST_CASE("Sgd: rejects a missing or negative lr schedule", "[optim]") {
  CHECK_THROWS_MATCHES(Sgd(nullptr), InvalidArgument,
                       Catch::Message("lr must be a number or a schedule, got nothing"));
  CHECK_THROWS_MATCHES(Sgd(regimen::test::ramp(-1.0, 1.0)), InvalidArgument,
                       Catch::Message("lr must be >= 0, got -1"));
}

TEST_CASE("Sgd: a step with a negative scheduled lr throws and leaves params untouched", "[optim]") {
  Sgd sgd(regimen::test::ramp(0.1, -0.1));  // 0.1, 0, -0.1, ...
  std::vector<float> p{1.0f};
  const std::vector<float> g{1.0f};
  sgd.step(p, g);
  sgd.step(p, g);
  CHECK_THROWS_MATCHES(sgd.step(p, g), InvalidArgument, Catch::Message("lr must be >= 0, got -0.1 at step 2"));
  CHECK(sgd.steps() == 2);
  CHECK_THAT(p[0], Catch::Matchers::WithinRel(0.9, 1e-6));
}

TEST_CASE("Sgd: rejects mismatched buffers", "[optim]") {
  SgdOptions o;
  o.momentum = 0.5;
  Sgd sgd(constant(0.1), o);
  std::vector<float> p(4, 1.0f), g(3, 1.0f);
  CHECK_THROWS_MATCHES(sgd.step(p, g), InvalidArgument,
                       Catch::Message("grads has 3 elements but params has 4"));
  g.resize(4);
  sgd.step(p, g);
  std::vector<float> q(6, 1.0f), h(6, 1.0f);
  CHECK_THROWS_MATCHES(sgd.step(q, h), InvalidArgument,
                       Catch::Message("params has 6 elements but the optimizer's state was sized "
                                      "for 4 on its first step"));
}

TEST_CASE("Sgd: convention keras reproduces Keras' SGD trajectory (float64 to 1e-9, float32 to 1e-5)", "[optim]") {
  const std::string name = GENERATE("sgd_keras_momentum", "sgd_keras_nesterov_decay", "sgd_keras_plain_decay");
  regimen::test::check_fixture<SgdKernel, Sgd>(name, sgd_options);
}

TEST_CASE("Sgd: keras keeps lr inside the velocity, PyTorch applies it on the way out", "[optim]") {
  // g = 1 twice, lr = 0.1 then 0: Keras' velocity -0.1 still moves p at lr = 0; PyTorch's buffer
  // holds gradients only, so a zero lr stops p.
  SgdOptions o;
  o.momentum = 0.9;
  Sgd torch_like(regimen::test::ramp(0.1, -0.1), o);
  o.convention = regimen::optim::Convention::keras;
  Sgd keras_like(regimen::test::ramp(0.1, -0.1), o);
  std::vector<float> p1{0.0f}, p2{0.0f};
  const std::vector<float> g{1.0f};
  for (int t = 0; t < 2; ++t) {
    torch_like.step(p1, g);
    keras_like.step(p2, g);
  }
  CHECK_THAT(p1[0], Catch::Matchers::WithinRel(-0.1, 1e-6));
  CHECK_THAT(p2[0], Catch::Matchers::WithinRel(-0.1 - 0.09, 1e-6));
}

TEST_CASE("Sgd: keras rejects what Keras' SGD has no notion of", "[optim]") {
  SgdOptions o;
  o.convention = regimen::optim::Convention::keras;
  o.momentum = 0.9;
  o.dampening = 0.1;
  CHECK_THROWS_MATCHES(Sgd(constant(0.1), o), InvalidArgument,
                       Catch::Message("dampening must be 0 with convention = \"keras\" (Keras' SGD has none), got 0.1"));
  o.dampening = 0.0;
  o.momentum = 1.5;
  CHECK_THROWS_MATCHES(Sgd(constant(0.1), o), InvalidArgument,
                       Catch::Message("momentum must be in [0, 1] with convention = \"keras\", got 1.5"));
}
