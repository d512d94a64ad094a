#include "runtime/optim/adamax.hpp"

#include <vector>

#include <catch2/catch.hpp>

#include "optim_fixture.hpp"
#include "runtime/error.hpp"
#include "runtime/schedule/constant.hpp"

using regimen::InvalidArgument;
using regimen::optim::Adamax;
using regimen::optim::AdamaxKernel;
using regimen::optim::AdamaxOptions;
using regimen::schedule::constant;

namespace {

AdamaxOptions adamax_options(const nlohmann::json& j) {
  AdamaxOptions o;
  o.betas = regimen::test::betas_of(j);
  o.eps = j.at("eps");
  o.weight_decay = j.at("weight_decay");
  o.maximize = j.at("maximize");
  return o;
}

}  // namespace

TEST_CASE("Adamax: reproduces torch.optim.Adamax's trajectory (float64 to 1e-9, float32 to 1e-5)", "[optim]") {
  const std::string name = GENERATE("adamax_default", "adamax_weight_decay", "adamax_maximize");
  regimen::test::check_fixture<AdamaxKernel, Adamax>(name, adamax_options);
}

TEST_CASE("Adamax: eps sits inside the max, so a zero gradient gives u = eps", "[optim]") {
  AdamaxKernel<double> kernel(AdamaxOptions{});
  std::vector<double> p{1.0, 1.0};
  const std::vector<double> g{0.0, -3.0};
  kernel.apply(p, g, 0.002);
  CHECK(kernel.state().exp_inf[0] == 1e-8);
  CHECK(kernel.state().exp_inf[1] == 3.0 + 1e-8);
  CHECK(p[0] == 1.0);
  CHECK_THAT(p[1], Catch::Matchers::WithinRel(1.0 + 0.002 * 3.0 / (3.0 + 1e-8), 1e-14));
}

TEST_CASE("Adamax: names and describes itself with PyTorch's defaults", "[optim]") {
  const Adamax adamax(constant(0.002));
  CHECK(adamax.name() == "adamax");
  CHECK(adamax.describe() == "adamax(lr=constant(lr=0.002), betas={0.9, 0.999}, eps=1e-08, weight_decay=0, "
                             "maximize=false)");
}

TEST_CASE("Adamax: rejects bad options by name", "[optim]") {
  auto with = [](auto change) {
    AdamaxOptions o;
    change(o);
    return o;
  };
  CHECK_THROWS_MATCHES(Adamax(constant(0.1), with([](AdamaxOptions& o) { o.betas[0] = 1.0; })), InvalidArgument,
                       Catch::Message("betas[1] must be in [0, 1), got 1"));
  CHECK_THROWS_MATCHES(Adamax(constant(0.1), with([](AdamaxOptions& o) { o.eps = 0; })), InvalidArgument,
                       Catch::Message("eps must be > 0, got 0"));
}
