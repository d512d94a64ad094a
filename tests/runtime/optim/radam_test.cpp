#include "runtime/optim/radam.hpp"

#include <vector>

#include <catch2/catch.hpp>

#include "optim_fixture.hpp"
#include "runtime/error.hpp"
#include "runtime/schedule/constant.hpp"

using regimen::InvalidArgument;
using regimen::optim::Radam;
using regimen::optim::RadamKernel;
using regimen::optim::RadamOptions;
using regimen::schedule::constant;

namespace {

RadamOptions radam_options(const nlohmann::json& j) {
  RadamOptions o;
  o.betas = regimen::test::betas_of(j);
  o.eps = j.at("eps");
  o.weight_decay = j.at("weight_decay");
  return o;
}

}  // namespace

TEST_CASE("Radam: reproduces torch.optim.RAdam's trajectory (float64 to 1e-9, float32 to 1e-5)", "[optim]") {
  const std::string name = GENERATE("radam_default", "radam_weight_decay");
  regimen::test::check_fixture<RadamKernel, Radam>(name, radam_options);
}

TEST_CASE("Radam: steps are bias-corrected momentum SGD while rho_k <= 5", "[optim]") {
  // b2 = 0.999: rho_k is 1, 2, 3, 4, 5 (rounded) for k = 1..5, so the first five steps ignore v.
  RadamKernel<double> kernel(RadamOptions{});
  std::vector<double> p{0.0};
  const std::vector<double> g{4.0};
  for (int k = 0; k < 5; ++k) kernel.apply(p, g, 0.1);
  CHECK_THAT(p[0], Catch::Matchers::WithinRel(-5 * 0.1 * 4.0, 1e-12));  // m / (1 - b1^k) = g throughout
  kernel.apply(p, g, 0.1);  // k = 6: rho_k > 5, the adaptive step of size ~ lr * rect
  CHECK(p[0] > -2.0 - 0.1);
  CHECK(p[0] < -2.0);
}

TEST_CASE("Radam: names and describes itself with PyTorch's defaults", "[optim]") {
  const Radam radam(constant(0.001));
  CHECK(radam.name() == "radam");
  CHECK(radam.describe() == "radam(lr=constant(lr=0.001), betas={0.9, 0.999}, eps=1e-08, weight_decay=0)");
}

TEST_CASE("Radam: rejects bad options by name", "[optim]") {
  RadamOptions o;
  o.betas[0] = 1.0;
  CHECK_THROWS_MATCHES(Radam(constant(0.1), o), InvalidArgument, Catch::Message("betas[1] must be in [0, 1), got 1"));
  o = RadamOptions{};
  o.eps = 0.0;
  CHECK_THROWS_MATCHES(Radam(constant(0.1), o), InvalidArgument, Catch::Message("eps must be > 0, got 0"));
}
