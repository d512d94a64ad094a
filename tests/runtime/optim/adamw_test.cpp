#include "runtime/optim/adamw.hpp"

#include <vector>

#include <catch2/catch.hpp>

#include "optim_fixture.hpp"
#include "runtime/error.hpp"
#include "runtime/schedule/constant.hpp"

using regimen::InvalidArgument;
using regimen::optim::AdamW;
using regimen::optim::AdamWKernel;
using regimen::optim::AdamWOptions;
using regimen::schedule::constant;

namespace {

AdamWOptions adamw_options(const nlohmann::json& j) {
  AdamWOptions o;
  o.betas = regimen::test::betas_of(j);
  o.eps = j.at("eps");
  o.weight_decay = j.at("weight_decay");
  o.amsgrad = j.at("amsgrad");
  o.maximize = j.at("maximize");
  return o;
}

}  // namespace

TEST_CASE("AdamW: reproduces torch.optim.AdamW's trajectory (float64 to 1e-9, float32 to 1e-5)", "[optim]") {
  const std::string name = GENERATE("adamw_default", "adamw_amsgrad", "adamw_maximize");
  regimen::test::check_fixture<AdamWKernel, AdamW>(name, adamw_options);
}

TEST_CASE("AdamW: decay shrinks the parameter by lr * weight_decay, outside the adaptive step", "[optim]") {
  // A zero gradient leaves m = v = 0, so the Adam part is 0 / (0 + eps) = 0: only the decay moves p.
  AdamWOptions o;
  o.weight_decay = 0.5;
  AdamW adamw(constant(0.1), o);
  std::vector<float> p{2.0f, -4.0f}, g{0.0f, 0.0f};
  adamw.step(p, g);
  CHECK_THAT(p[0], Catch::Matchers::WithinRel(2.0 * 0.95, 1e-7));
  CHECK_THAT(p[1], Catch::Matchers::WithinRel(-4.0 * 0.95, 1e-7));
}

TEST_CASE("AdamW: names and describes itself with PyTorch's defaults", "[optim]") {
  const AdamW adamw(constant(0.001));
  CHECK(adamw.name() == "adamw");
  CHECK(adamw.describe() ==
        "adamw(lr=constant(lr=0.001), betas={0.9, 0.999}, eps=1e-08, weight_decay=0.01, amsgrad=false, "
        "maximize=false)");
}

TEST_CASE("AdamW: rejects bad options by name", "[optim]") {
  auto with = [](auto change) {
    AdamWOptions o;
    change(o);
    return o;
  };
  CHECK_THROWS_MATCHES(AdamW(constant(0.1), with([](AdamWOptions& o) { o.betas[1] = 1.0; })), InvalidArgument,
                       Catch::Message("betas[2] must be in [0, 1), got 1"));
  CHECK_THROWS_MATCHES(AdamW(constant(0.1), with([](AdamWOptions& o) { o.eps = -1e-8; })), InvalidArgument,
                       Catch::Message("eps must be > 0, got -1e-08"));
  CHECK_THROWS_MATCHES(AdamW(constant(0.1), with([](AdamWOptions& o) { o.weight_decay = -1; })),
                       InvalidArgument, Catch::Message("weight_decay must be >= 0, got -1"));
  CHECK_THROWS_MATCHES(AdamW(constant(-0.1)), InvalidArgument, Catch::Message("lr must be >= 0, got -0.1"));
}
