#include "runtime/optim/lion.hpp"

#include <vector>

#include <catch2/catch.hpp>

#include "optim_fixture.hpp"
#include "runtime/error.hpp"
#include "runtime/schedule/constant.hpp"

using regimen::InvalidArgument;
using regimen::optim::Lion;
using regimen::optim::LionKernel;
using regimen::optim::LionOptions;
using regimen::schedule::constant;

namespace {

LionOptions lion_options(const nlohmann::json& j) {
  LionOptions o;
  o.betas = regimen::test::betas_of(j);
  o.weight_decay = j.at("weight_decay");
  return o;
}

}  // namespace

TEST_CASE("Lion: reproduces the paper's Algorithm 2 (float64 to 1e-9, float32 to 1e-5)", "[optim]") {
  const std::string name = GENERATE("lion_default", "lion_weight_decay");
  regimen::test::check_fixture<LionKernel, Lion>(name, lion_options);
}

TEST_CASE("Lion: every element moves by exactly lr, or not at all where the interpolation is 0", "[optim]") {
  LionKernel<double> kernel(LionOptions{});
  std::vector<double> p{1.0, 1.0, 1.0};
  const std::vector<double> g{1e-6, -250.0, 0.0};
  kernel.apply(p, g, 0.25);
  CHECK(p[0] == 0.75);
  CHECK(p[1] == 1.25);
  CHECK(p[2] == 1.0);
  CHECK_THAT(kernel.state().exp_avg[1], Catch::Matchers::WithinRel(-2.5, 1e-12));  // (1 - b2) g
}

TEST_CASE("Lion: names and describes itself with the paper's defaults", "[optim]") {
  const Lion lion(constant(1e-4));
  CHECK(lion.name() == "lion");
  CHECK(lion.describe() == "lion(lr=constant(lr=0.0001), betas={0.9, 0.99}, weight_decay=0)");
}

TEST_CASE("Lion: rejects bad options by name", "[optim]") {
  LionOptions o;
  o.betas[1] = 1.0;
  CHECK_THROWS_MATCHES(Lion(constant(0.1), o), InvalidArgument, Catch::Message("betas[2] must be in [0, 1), got 1"));
  o = LionOptions{};
  o.weight_decay = -1.0;
  CHECK_THROWS_MATCHES(Lion(constant(0.1), o), InvalidArgument, Catch::Message("weight_decay must be >= 0, got -1"));
}
