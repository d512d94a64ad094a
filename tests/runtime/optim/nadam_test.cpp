#include "runtime/optim/nadam.hpp"

#include <cmath>
#include <vector>

#include <catch2/catch.hpp>

#include "optim_fixture.hpp"
#include "runtime/error.hpp"
#include "runtime/schedule/constant.hpp"

using regimen::InvalidArgument;
using regimen::optim::Nadam;
using regimen::optim::NadamKernel;
using regimen::optim::NadamOptions;
using regimen::schedule::constant;

namespace {

NadamOptions nadam_options(const nlohmann::json& j) {
  NadamOptions o;
  o.betas = regimen::test::betas_of(j);
  o.eps = j.at("eps");
  o.weight_decay = j.at("weight_decay");
  o.momentum_decay = j.at("momentum_decay");
  return o;
}

}  // namespace

TEST_CASE("Nadam: reproduces torch.optim.NAdam's trajectory (float64 to 1e-9, float32 to 1e-5)", "[optim]") {
  const std::string name = GENERATE("nadam_default", "nadam_momentum_decay");
  regimen::test::check_fixture<NadamKernel, Nadam>(name, nadam_options);
}

TEST_CASE("Nadam: mu_product is the running product of the momentum schedule", "[optim]") {
  NadamOptions o;
  o.momentum_decay = 0.1;
  NadamKernel<double> kernel(o);
  std::vector<double> p{1.0};
  const std::vector<double> g{0.5};
  double product = 1.0;
  for (int k = 1; k <= 4; ++k) {
    kernel.apply(p, g, 1e-3);
    product *= 0.9 * (1.0 - 0.5 * std::pow(0.96, k * 0.1));
  }
  CHECK_THAT(kernel.state().mu_product, Catch::Matchers::WithinRel(product, 1e-15));
  CHECK(kernel.state().step == 4);
}

TEST_CASE("Nadam: names and describes itself with PyTorch's defaults", "[optim]") {
  const Nadam nadam(constant(0.002));
  CHECK(nadam.name() == "nadam");
  CHECK(nadam.describe() == "nadam(lr=constant(lr=0.002), betas={0.9, 0.999}, eps=1e-08, weight_decay=0, "
                            "momentum_decay=0.004)");
}

TEST_CASE("Nadam: rejects bad options by name", "[optim]") {
  auto with = [](auto change) {
    NadamOptions o;
    change(o);
    return o;
  };
  CHECK_THROWS_MATCHES(Nadam(constant(0.1), with([](NadamOptions& o) { o.momentum_decay = -0.004; })),
                       InvalidArgument, Catch::Message("momentum_decay must be >= 0, got -0.004"));
  CHECK_THROWS_MATCHES(Nadam(constant(0.1), with([](NadamOptions& o) { o.betas[1] = -0.5; })), InvalidArgument,
                       Catch::Message("betas[2] must be in [0, 1), got -0.5"));
}
