#include "runtime/optim/adadelta.hpp"

#include <cmath>
#include <vector>

#include <catch2/catch.hpp>

#include "optim_fixture.hpp"
#include "runtime/error.hpp"
#include "runtime/schedule/constant.hpp"

using regimen::InvalidArgument;
using regimen::optim::Adadelta;
using regimen::optim::AdadeltaKernel;
using regimen::optim::AdadeltaOptions;
using regimen::schedule::constant;

namespace {

AdadeltaOptions adadelta_options(const nlohmann::json& j) {
  AdadeltaOptions o;
  o.rho = j.at("rho");
  o.eps = j.at("eps");
  o.weight_decay = j.at("weight_decay");
  o.maximize = j.at("maximize");
  return o;
}

}  // namespace

TEST_CASE("Adadelta: reproduces torch.optim.Adadelta's trajectory (float64 to 1e-9, float32 to 1e-5)",
          "[optim]") {
  const std::string name = GENERATE("adadelta_default", "adadelta_weight_decay", "adadelta_maximize");
  regimen::test::check_fixture<AdadeltaKernel, Adadelta>(name, adadelta_options);
}

TEST_CASE("Adadelta: the first step is lr * sqrt(eps) / sqrt((1 - rho) g^2 + eps) * g", "[optim]") {
  AdadeltaKernel<double> kernel(AdadeltaOptions{});
  std::vector<double> p{1.0};
  const std::vector<double> g{2.0};
  kernel.apply(p, g, 0.5);
  const double delta = std::sqrt(1e-6) / std::sqrt(0.1 * 4.0 + 1e-6) * 2.0;
  CHECK_THAT(p[0], Catch::Matchers::WithinRel(1.0 - 0.5 * delta, 1e-14));
  CHECK_THAT(kernel.state().acc_delta[0], Catch::Matchers::WithinRel(0.1 * delta * delta, 1e-14));
}

TEST_CASE("Adadelta: names and describes itself with PyTorch's defaults", "[optim]") {
  const Adadelta adadelta(constant(1.0));
  CHECK(adadelta.name() == "adadelta");
  CHECK(adadelta.describe() == "adadelta(lr=constant(lr=1), rho=0.9, eps=1e-06, weight_decay=0, maximize=false)");
}

TEST_CASE("Adadelta: rejects bad options by name", "[optim]") {
  auto with = [](auto change) {
    AdadeltaOptions o;
    change(o);
    return o;
  };
  CHECK_THROWS_MATCHES(Adadelta(constant(1), with([](AdadeltaOptions& o) { o.rho = 1.5; })), InvalidArgument,
                       Catch::Message("rho must be in [0, 1], got 1.5"));
  CHECK_NOTHROW(Adadelta(constant(1), with([](AdadeltaOptions& o) { o.rho = 1.0; })));  // PyTorch allows it
  CHECK_THROWS_MATCHES(Adadelta(constant(1), with([](AdadeltaOptions& o) { o.eps = -1; })), InvalidArgument,
                       Catch::Message("eps must be > 0, got -1"));
  CHECK_THROWS_MATCHES(Adadelta(constant(1), with([](AdadeltaOptions& o) { o.weight_decay = -1; })),
                       InvalidArgument, Catch::Message("weight_decay must be >= 0, got -1"));
}
