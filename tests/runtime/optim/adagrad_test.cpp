#include "runtime/optim/adagrad.hpp"

#include <cmath>
#include <vector>

#include <catch2/catch.hpp>

#include "optim_fixture.hpp"
#include "runtime/error.hpp"
#include "runtime/schedule/constant.hpp"

using regimen::InvalidArgument;
using regimen::optim::Adagrad;
using regimen::optim::AdagradKernel;
using regimen::optim::AdagradOptions;
using regimen::schedule::constant;

namespace {

AdagradOptions adagrad_options(const nlohmann::json& j) {
  AdagradOptions o;
  o.lr_decay = j.at("lr_decay");
  o.weight_decay = j.at("weight_decay");
  o.initial_accumulator_value = j.at("initial_accumulator_value");
  o.eps = j.at("eps");
  o.maximize = j.at("maximize");
  return o;
}

}  // namespace

TEST_CASE("Adagrad: reproduces torch.optim.Adagrad's trajectory (float64 to 1e-9, float32 to 1e-5)",
          "[optim]") {
  const std::string name =
      GENERATE("adagrad_default", "adagrad_lr_decay", "adagrad_initial_accumulator", "adagrad_maximize");
  regimen::test::check_fixture<AdagradKernel, Adagrad>(name, adagrad_options);
}

TEST_CASE("Adagrad: the sum starts at initial_accumulator_value and lr decays as 1/(1 + (k-1) lr_decay)",
          "[optim]") {
  AdagradOptions o;
  o.initial_accumulator_value = 3.0;
  o.lr_decay = 0.5;
  AdagradKernel<double> kernel(o);
  std::vector<double> p{0.0};
  const std::vector<double> g{1.0};
  kernel.apply(p, g, 1.0);  // s = 4, clr = 1
  CHECK_THAT(p[0], Catch::Matchers::WithinRel(-1.0 / (2.0 + 1e-10), 1e-12));
  kernel.apply(p, g, 1.0);  // s = 5, clr = 1 / 1.5
  CHECK_THAT(p[0], Catch::Matchers::WithinRel(-1.0 / (2.0 + 1e-10) - 1.0 / 1.5 / (std::sqrt(5.0) + 1e-10), 1e-12));
  CHECK(kernel.state().step == 2);
}

TEST_CASE("Adagrad: names and describes itself with PyTorch's defaults", "[optim]") {
  const Adagrad adagrad(constant(0.01));
  CHECK(adagrad.name() == "adagrad");
  CHECK(adagrad.describe() ==
        "adagrad(lr=constant(lr=0.01), lr_decay=0, weight_decay=0, initial_accumulator_value=0, eps=1e-10, "
        "maximize=false)");
}

TEST_CASE("Adagrad: rejects bad options by name", "[optim]") {
  auto with = [](auto change) {
    AdagradOptions o;
    change(o);
    return o;
  };
  CHECK_THROWS_MATCHES(Adagrad(constant(0.1), with([](AdagradOptions& o) { o.lr_decay = -1; })), InvalidArgument,
                       Catch::Message("lr_decay must be >= 0, got -1"));
  CHECK_THROWS_MATCHES(Adagrad(constant(0.1), with([](AdagradOptions& o) { o.initial_accumulator_value = -0.1; })),
                       InvalidArgument, Catch::Message("initial_accumulator_value must be >= 0, got -0.1"));
  CHECK_THROWS_MATCHES(Adagrad(constant(0.1), with([](AdagradOptions& o) { o.eps = 0; })), InvalidArgument,
                       Catch::Message("eps must be > 0, got 0"));
}
