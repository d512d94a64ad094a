#include "runtime/optim/rmsprop.hpp"

#include <cmath>
#include <vector>

#include <catch2/catch.hpp>

#include "optim_fixture.hpp"
#include "runtime/error.hpp"
#include "runtime/schedule/constant.hpp"

using regimen::InvalidArgument;
using regimen::optim::Convention;
using regimen::optim::Rmsprop;
using regimen::optim::RmspropKernel;
using regimen::optim::RmspropOptions;
using regimen::schedule::constant;

namespace {

RmspropOptions rmsprop_options(const nlohmann::json& j) {
  RmspropOptions o;
  o.alpha = j.at("alpha");
  o.eps = j.at("eps");
  o.weight_decay = j.at("weight_decay");
  o.momentum = j.at("momentum");
  o.centered = j.at("centered");
  o.maximize = j.at("maximize");
  o.convention = regimen::optim::parse_convention(j.value("convention", "pytorch"));
  return o;
}

}  // namespace

TEST_CASE("Rmsprop: reproduces torch.optim.RMSprop's trajectory (float64 to 1e-9, float32 to 1e-5)",
          "[optim]") {
  const std::string name = GENERATE("rmsprop_default", "rmsprop_centered", "rmsprop_momentum",
                                    "rmsprop_weight_decay", "rmsprop_centered_momentum_maximize");
  regimen::test::check_fixture<RmspropKernel, Rmsprop>(name, rmsprop_options);
}

TEST_CASE("Rmsprop: convention keras reproduces Keras' RMSprop trajectory", "[optim]") {
  const std::string name = GENERATE("rmsprop_keras", "rmsprop_keras_centered_momentum");
  regimen::test::check_fixture<RmspropKernel, Rmsprop>(name, rmsprop_options);
}

TEST_CASE("Rmsprop: keras puts eps inside the square root, PyTorch outside", "[optim]") {
  // First step from v = 0 with alpha = 0: v = g^2. With g = 1e-4 and eps = 1e-8 = g^2 the
  // denominators are |g| + eps (a step of ~lr) versus sqrt(g^2 + eps) (a step of lr / sqrt(2)).
  RmspropOptions o;
  o.alpha = 0.0;
  Rmsprop torch_like(constant(1.0), o);
  o.convention = Convention::keras;
  Rmsprop keras_like(constant(1.0), o);
  std::vector<float> p1{0.0f}, p2{0.0f};
  const std::vector<float> g{1e-4f};
  torch_like.step(p1, g);
  keras_like.step(p2, g);
  CHECK_THAT(p1[0], Catch::Matchers::WithinRel(-1e-4 / (1e-4 + 1e-8), 1e-6));
  CHECK_THAT(p2[0], Catch::Matchers::WithinRel(-1e-4 / std::sqrt(1e-8 + 1e-8), 1e-6));
}

TEST_CASE("Rmsprop: names and describes itself, keras() holds Keras' defaults", "[optim]") {
  const Rmsprop rmsprop(constant(0.01));
  CHECK(rmsprop.name() == "rmsprop");
  CHECK(rmsprop.describe() ==
        "rmsprop(lr=constant(lr=0.01), alpha=0.99, eps=1e-08, weight_decay=0, momentum=0, centered=false, "
        "maximize=false, convention=pytorch)");
  CHECK(Rmsprop(constant(0.001), RmspropOptions::keras()).describe() ==
        "rmsprop(lr=constant(lr=0.001), alpha=0.9, eps=1e-07, weight_decay=0, momentum=0, centered=false, "
        "maximize=false, convention=keras)");
}

TEST_CASE("Rmsprop: state buffers exist only for the options that use them", "[optim]") {
  const bool centered = GENERATE(false, true);
  const double momentum = GENERATE(0.0, 0.9);
  RmspropOptions o;
  o.centered = centered;
  o.momentum = momentum;
  Rmsprop rmsprop(constant(0.01), o);
  std::vector<float> p(5, 1.0f), g(5, 0.5f);
  rmsprop.step(p, g);
  CHECK(rmsprop.state().square_avg.size() == 5);
  CHECK(rmsprop.state().grad_avg.size() == (centered ? 5 : 0));
  CHECK(rmsprop.state().momentum_buffer.size() == (momentum > 0 ? 5 : 0));
}

TEST_CASE("Rmsprop: rejects bad options by name", "[optim]") {
  auto with = [](auto change) {
    RmspropOptions o;
    change(o);
    return o;
  };
  CHECK_THROWS_MATCHES(Rmsprop(constant(0.1), with([](RmspropOptions& o) { o.alpha = 1.0; })), InvalidArgument,
                       Catch::Message("alpha must be in [0, 1), got 1"));
  CHECK_THROWS_MATCHES(Rmsprop(constant(0.1), with([](RmspropOptions& o) { o.eps = 0; })), InvalidArgument,
                       Catch::Message("eps must be > 0, got 0"));
  CHECK_THROWS_MATCHES(Rmsprop(constant(0.1), with([](RmspropOptions& o) { o.momentum = -0.5; })),
                       InvalidArgument, Catch::Message("momentum must be >= 0, got -0.5"));
  CHECK_THROWS_MATCHES(RmspropKernel<double>(with([](RmspropOptions& o) { o.weight_decay = -1e-4; })),
                       InvalidArgument, Catch::Message("weight_decay must be >= 0, got -0.0001"));
}
