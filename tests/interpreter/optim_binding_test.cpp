// optim.*: every update rule is reachable under its PyTorch name with PyTorch's defaults, every
// option under its PyTorch name, and bad options fail before training with the exact message.
#include <catch2/catch.hpp>

#include "lua_test_support.hpp"

using regimen::testing::error_of;
using regimen::testing::eval;
using regimen::testing::run_lua;

TEST_CASE("Optim bindings: each optimizer describes itself with PyTorch's defaults", "[lua][optim]") {
  CHECK(eval("optim.adamw{}") == "optim.adamw(lr=constant(lr=0.001), betas={0.9, 0.999}, eps=1e-08, "
                                 "weight_decay=0.01, amsgrad=false, maximize=false)");
  CHECK(eval("optim.rmsprop{}") == "optim.rmsprop(lr=constant(lr=0.01), alpha=0.99, eps=1e-08, weight_decay=0, "
                                   "momentum=0, centered=false, maximize=false, convention=pytorch)");
  CHECK(eval("optim.adagrad{}") == "optim.adagrad(lr=constant(lr=0.01), lr_decay=0, weight_decay=0, "
                                   "initial_accumulator_value=0, eps=1e-10, maximize=false)");
  CHECK(eval("optim.adadelta{}") ==
        "optim.adadelta(lr=constant(lr=1), rho=0.9, eps=1e-06, weight_decay=0, maximize=false)");
  CHECK(eval("optim.adamax{}") ==
        "optim.adamax(lr=constant(lr=0.002), betas={0.9, 0.999}, eps=1e-08, weight_decay=0, maximize=false)");
  CHECK(eval("optim.nadam{}") == "optim.nadam(lr=constant(lr=0.002), betas={0.9, 0.999}, eps=1e-08, "
                                 "weight_decay=0, momentum_decay=0.004)");
  CHECK(eval("optim.radam{}") ==
        "optim.radam(lr=constant(lr=0.001), betas={0.9, 0.999}, eps=1e-08, weight_decay=0)");
  CHECK(eval("optim.lion{}") == "optim.lion(lr=constant(lr=0.0001), betas={0.9, 0.99}, weight_decay=0)");
  CHECK(eval("optim.schedule_free_adamw{}") ==
        "optim.schedule_free_adamw(lr=constant(lr=0.0025), betas={0.9, 0.999}, eps=1e-08, weight_decay=0, "
        "warmup_steps=0, r=0, weight_lr_power=2)");
}

TEST_CASE("Optim bindings: every option reaches the optimizer under its PyTorch name", "[lua][optim]") {
  CHECK(eval("optim.adamw{lr = 3e-4, betas = {0.8, 0.99}, eps = 1e-6, weight_decay = 0.05, amsgrad = true, "
             "maximize = true}") ==
        "optim.adamw(lr=constant(lr=0.0003), betas={0.8, 0.99}, eps=1e-06, weight_decay=0.05, amsgrad=true, "
        "maximize=true)");
  CHECK(eval("optim.rmsprop{lr = 0.1, alpha = 0.9, eps = 1e-6, weight_decay = 0.1, momentum = 0.5, "
             "centered = true, maximize = true}") ==
        "optim.rmsprop(lr=constant(lr=0.1), alpha=0.9, eps=1e-06, weight_decay=0.1, momentum=0.5, centered=true, "
        "maximize=true, convention=pytorch)");
  CHECK(eval("optim.adagrad{lr = 0.1, lr_decay = 0.01, weight_decay = 0.1, initial_accumulator_value = 0.1, "
             "eps = 1e-8, maximize = true}") ==
        "optim.adagrad(lr=constant(lr=0.1), lr_decay=0.01, weight_decay=0.1, initial_accumulator_value=0.1, "
        "eps=1e-08, maximize=true)");
  CHECK(eval("optim.adadelta{lr = 0.5, rho = 0.95, eps = 1e-5, weight_decay = 0.1, maximize = true}") ==
        "optim.adadelta(lr=constant(lr=0.5), rho=0.95, eps=1e-05, weight_decay=0.1, maximize=true)");
  CHECK(eval("optim.nadam{momentum_decay = 0.01, weight_decay = 0.1}") ==
        "optim.nadam(lr=constant(lr=0.002), betas={0.9, 0.999}, eps=1e-08, weight_decay=0.1, "
        "momentum_decay=0.01)");
  CHECK(eval("optim.lion{lr = schedule.cosine{lr = 1e-4, T_max = 100}, betas = {0.95, 0.98}, weight_decay = 1}") ==
        "optim.lion(lr=cosine(lr=0.0001, T_max=100, eta_min=0), betas={0.95, 0.98}, weight_decay=1)");
  CHECK(eval("optim.schedule_free_adamw{lr = 0.01, warmup_steps = 100, r = 1, weight_lr_power = 0}") ==
        "optim.schedule_free_adamw(lr=constant(lr=0.01), betas={0.9, 0.999}, eps=1e-08, weight_decay=0, "
        "warmup_steps=100, r=1, weight_lr_power=0)");
  CHECK(eval("optim.radam{lr = 0.01}.lr") == "0.01");
}

TEST_CASE("Optim bindings: convention = \"keras\" takes Keras' numerics and defaults", "[lua][optim]") {
  CHECK(eval("optim.sgd{convention = 'keras'}") ==
        "optim.sgd(lr=constant(lr=0.01), momentum=0, dampening=0, nesterov=false, weight_decay=0, "
        "maximize=false, convention=keras)");
  CHECK(eval("optim.adam{convention = 'keras'}") ==
        "optim.adam(lr=constant(lr=0.001), betas={0.9, 0.999}, eps=1e-07, weight_decay=0, amsgrad=false, "
        "maximize=false, convention=keras)");
  CHECK(eval("optim.rmsprop{convention = 'keras'}") ==
        "optim.rmsprop(lr=constant(lr=0.001), alpha=0.9, eps=1e-07, weight_decay=0, momentum=0, centered=false, "
        "maximize=false, convention=keras)");
  // Options given explicitly win over Keras' defaults.
  CHECK(eval("optim.rmsprop{convention = 'keras', lr = 0.1, alpha = 0.5, eps = 1e-3}") ==
        "optim.rmsprop(lr=constant(lr=0.1), alpha=0.5, eps=0.001, weight_decay=0, momentum=0, centered=false, "
        "maximize=false, convention=keras)");
  CHECK(eval("optim.adam{convention = 'pytorch'}") == eval("optim.adam{}"));
}

TEST_CASE("Optim bindings: bad options fail with the exact message", "[lua][optim]") {
  CHECK(error_of("optim.adamw{lr = -1}") == "test.lua:1: optim.adamw: lr must be >= 0, got -1");
  CHECK(error_of("optim.adamw{betas = {0.9, 1}}") ==
        "test.lua:1: optim.adamw: betas[2] must be in [0, 1), got 1");
  CHECK(error_of("optim.nadam{betas = {0.9}}") ==
        "test.lua:1: optim.nadam: option 'betas' must hold two numbers, like {0.9, 0.999}");
  CHECK(error_of("optim.rmsprop{eps = 0}") == "test.lua:1: optim.rmsprop: eps must be > 0, got 0");
  CHECK(error_of("optim.rmsprop{alpa = 0.9}") ==
        "test.lua:1: optim.rmsprop: unknown option 'alpa' (did you mean 'alpha'?)");
  CHECK(error_of("optim.adagrad{lr_decay = -0.1}") == "test.lua:1: optim.adagrad: lr_decay must be >= 0, got -0.1");
  CHECK(error_of("optim.adadelta{rho = 2}") == "test.lua:1: optim.adadelta: rho must be in [0, 1], got 2");
  CHECK(error_of("optim.lion{maximize = true}") == "test.lua:1: optim.lion: unknown option 'maximize'");
  CHECK(error_of("optim.radam{weight_decay = 'big'}") ==
        "test.lua:1: optim.radam: bad option 'weight_decay' (number expected, got string)");
  CHECK(error_of("optim.schedule_free_adamw{warmup_steps = 2.5}") ==
        "test.lua:1: optim.schedule_free_adamw: bad option 'warmup_steps' (integer expected, got number)");
  CHECK(error_of("optim.schedule_free_adamw{betas = {0, 0.999}}") ==
        "test.lua:1: optim.schedule_free_adamw: betas[1] must be in (0, 1), got 0");
  CHECK(error_of("optim.sgd{lr = 0.1, nesterov = true}") ==
        "test.lua:1: optim.sgd: nesterov requires momentum > 0 and dampening == 0, got momentum=0, dampening=0");
  CHECK(error_of("optim.sgd{lr = 0.1, convention = 'tf'}") ==
        "test.lua:1: optim.sgd: option 'convention' must be \"pytorch\" or \"keras\", got \"tf\"");
  CHECK(error_of("optim.adam{convention = 1}") ==
        "test.lua:1: optim.adam: bad option 'convention' (string expected, got number)");
  CHECK(error_of("optim.sgd{convention = 'keras', momentum = 0.9, dampening = 0.5}") ==
        "test.lua:1: optim.sgd: dampening must be 0 with convention = \"keras\" (Keras' SGD has none), got 0.5");
  CHECK(error_of("optim.sgd{momentum = 0.9}") == "test.lua:1: optim.sgd: option 'lr' is required");
  CHECK(error_of("optim.adamw{convention = 'keras'}") ==
        "test.lua:1: optim.adamw: unknown option 'convention'");
}

TEST_CASE("Optim bindings: the new optimizers expose lr and steps like sgd and adam", "[lua][optim]") {
  CHECK(run_lua("local o = optim.lion{lr = 1e-4}; o.lr = 2e-4; assert(o.lr == 2e-4)").exit_code == 0);
  CHECK(eval("optim.adamax{lr = schedule.step{lr = 1, step_size = 1}}.steps") == "0");
}
