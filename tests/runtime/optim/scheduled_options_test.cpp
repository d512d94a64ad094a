// Options that follow a schedule (Optimizer::schedule_option) in every update rule that has
// them besides sgd, adam and adamw: trajectories of torch.optim (and of the script's Lion and
// schedule-free references) whose param_groups options were set before each step.
#include <algorithm>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "runtime/error.hpp"
#include "runtime/optim/adadelta.hpp"
#include "runtime/optim/adagrad.hpp"
#include "runtime/optim/adamax.hpp"
#include "runtime/optim/lion.hpp"
#include "runtime/optim/nadam.hpp"
#include "runtime/optim/radam.hpp"
#include "runtime/optim/rmsprop.hpp"
#include "runtime/optim/schedule_free_adamw.hpp"
#include "scheduled_fixture.hpp"
#include "test_schedules.hpp"

using regimen::InvalidArgument;
using namespace regimen::optim;
using regimen::schedule::constant;
using regimen::test::betas_of;
using regimen::test::check_scheduled;
using regimen::test::load_scheduled_fixture;

TEST_CASE("Rmsprop: a scheduled momentum and weight_decay follow torch.optim.RMSprop", "[optim]") {
  // to_zero keeps the buffer once momentum is 0; from_zero starts it at zero when momentum turns
  // positive after step 0 (the fixture gave PyTorch the buffer up front) and keeps it at 0 again.
  const std::string name = GENERATE("rmsprop_scheduled_momentum", "rmsprop_scheduled_momentum_to_zero",
                                    "rmsprop_scheduled_momentum_from_zero");
  INFO(name);
  const auto s = load_scheduled_fixture(name);
  const auto& j = s.f.options;
  RmspropOptions o;
  o.alpha = j.at("alpha");
  o.eps = j.at("eps");
  o.weight_decay = j.at("weight_decay");
  o.momentum = j.at("momentum");
  o.centered = j.at("centered");
  check_scheduled<Rmsprop>(s, o);
}

TEST_CASE("Adagrad: a scheduled weight_decay follows torch.optim.Adagrad", "[optim]") {
  const auto s = load_scheduled_fixture("adagrad_scheduled_weight_decay");
  AdagradOptions o;
  o.lr_decay = s.f.options.at("lr_decay");
  o.weight_decay = s.f.options.at("weight_decay");
  check_scheduled<Adagrad>(s, o);
}

TEST_CASE("Adadelta: a scheduled weight_decay follows torch.optim.Adadelta", "[optim]") {
  const auto s = load_scheduled_fixture("adadelta_scheduled_weight_decay");
  AdadeltaOptions o;
  o.weight_decay = s.f.options.at("weight_decay");
  check_scheduled<Adadelta>(s, o);
}

TEST_CASE("Adamax: scheduled betas and weight_decay follow torch.optim.Adamax", "[optim]") {
  const auto s = load_scheduled_fixture("adamax_scheduled_betas");
  AdamaxOptions o;
  o.betas = betas_of(s.f.options);
  o.weight_decay = s.f.options.at("weight_decay");
  check_scheduled<Adamax>(s, o);
}

TEST_CASE("Nadam: scheduled betas and weight_decay follow torch.optim.NAdam's mu_product", "[optim]") {
  const auto s = load_scheduled_fixture("nadam_scheduled_betas");
  NadamOptions o;
  o.betas = betas_of(s.f.options);
  o.weight_decay = s.f.options.at("weight_decay");
  o.momentum_decay = s.f.options.at("momentum_decay");
  check_scheduled<Nadam>(s, o);
}

TEST_CASE("Radam: scheduled betas and weight_decay follow torch.optim.RAdam's rectification", "[optim]") {
  const auto s = load_scheduled_fixture("radam_scheduled_betas");
  RadamOptions o;
  o.betas = betas_of(s.f.options);
  o.weight_decay = s.f.options.at("weight_decay");
  check_scheduled<Radam>(s, o);
}

TEST_CASE("Lion: scheduled betas and weight_decay follow the paper's Algorithm 2", "[optim]") {
  const auto s = load_scheduled_fixture("lion_scheduled_betas");
  check_scheduled<Lion>(s, LionOptions{betas_of(s.f.options), s.f.options.at("weight_decay")});
}

namespace {

ScheduleFreeAdamWOptions sf_options(const nlohmann::json& j) {
  ScheduleFreeAdamWOptions o;
  o.betas = betas_of(j);
  o.eps = j.at("eps");
  o.weight_decay = j.at("weight_decay");
  o.warmup_steps = j.at("warmup_steps");
  return o;
}

}  // namespace

TEST_CASE("ScheduleFreeAdamW: a scheduled betas[1] keeps x the average of z (Algorithm 1, b1 per step)",
          "[optim]") {
  const auto s = load_scheduled_fixture("schedule_free_adamw_scheduled_betas");
  check_scheduled<ScheduleFreeAdamW>(s, sf_options(s.f.options));

  // x, recovered with the b1 that formed y, not with the one the next step will use.
  REQUIRE(s.f.x.size() == s.f.grads.size());
  ScheduleFreeAdamWKernel<double> kernel(sf_options(s.f.options));
  const double lr = s.f.options.at("lr");
  std::size_t step = 0;
  regimen::test::replay<double>(
      s.f,
      [&](std::span<double> p, std::span<const double> g) {
        regimen::test::set_scheduled(kernel, s, step++);
        kernel.apply(p, g, lr);
      },
      1e-9, 1e-12,
      [&](std::size_t k, std::span<double> p) {
        const std::vector<double> y(p.begin(), p.end());
        if (k + 1 < s.f.grads.size()) regimen::test::set_scheduled(kernel, s, k + 1);  // as a recipe would
        kernel.eval_params(p);
        regimen::test::check_close(std::span<const double>(p), s.f.x[k], 1e-9, 1e-12);
        kernel.train_params(p);
        regimen::test::check_close(std::span<const double>(p), y, 1e-12, 1e-14);
        std::copy(y.begin(), y.end(), p.begin());
      });
}

TEST_CASE("Optimizer: names the options each rule can schedule", "[optim]") {
  using Names = std::vector<std::string>;
  CHECK(Rmsprop(constant(0.1)).schedulable_options() == Names{"momentum", "weight_decay"});
  CHECK(Adagrad(constant(0.1)).schedulable_options() == Names{"weight_decay"});
  CHECK(Adadelta(constant(0.1)).schedulable_options() == Names{"weight_decay"});
  const Names betas{"betas[1]", "betas[2]", "weight_decay"};
  CHECK(Adamax(constant(0.1)).schedulable_options() == betas);
  CHECK(Nadam(constant(0.1)).schedulable_options() == betas);
  CHECK(Radam(constant(0.1)).schedulable_options() == betas);
  CHECK(Lion(constant(0.1)).schedulable_options() == betas);
  CHECK(ScheduleFreeAdamW(constant(0.1)).schedulable_options() == betas);
  Adagrad adagrad(constant(0.1));
  CHECK_THROWS_MATCHES(adagrad.schedule_option("lr_decay", constant(0.1)), InvalidArgument,
                       Catch::Message("'lr_decay' cannot follow a schedule (weight_decay can)"));
}

TEST_CASE("Optimizer: a scheduled option is validated at every step as the rule validates it", "[optim]") {
  std::vector<float> p{1.0f, 2.0f}, g{0.5f, -0.5f};
  const auto fails_at_step = [&](Optimizer& optimizer, const std::string& option, double start, double slope,
                                 const std::string& message) {
    optimizer.schedule_option(option, regimen::test::ramp(start, slope));
    for (int i = 0; i < 2; ++i) optimizer.step(p, g);
    CHECK_THROWS_MATCHES(optimizer.step(p, g), InvalidArgument, Catch::Message(message));
    CHECK(optimizer.steps() == 2);
  };
  Rmsprop rmsprop(constant(0.01));
  fails_at_step(rmsprop, "momentum", 0.5, -0.3, "momentum must be >= 0, got -0.09999999999999998 at step 2");
  Adadelta adadelta(constant(0.01));
  fails_at_step(adadelta, "weight_decay", 0.1, -0.1, "weight_decay must be >= 0, got -0.1 at step 2");
  Lion lion(constant(0.01));
  fails_at_step(lion, "betas[1]", 0.9, 0.05, "betas[1] must be in [0, 1), got 1 at step 2");
  Nadam nadam(constant(0.01));
  fails_at_step(nadam, "betas[2]", 0.99, 0.006, "betas[2] must be in [0, 1), got 1.002 at step 2");
  ScheduleFreeAdamW sf(constant(0.01));
  fails_at_step(sf, "betas[1]", 0.5, -0.25, "betas[1] must be in (0, 1), got 0 at step 2");
}
