// Each DSL name reaches the runtime object it promises. Values are checked against closed forms
// written here; the runtime's own tests check the numerics in depth.
#include <catch2/catch.hpp>

#include "lua_test_support.hpp"

using regimen::testing::error_of;
using regimen::testing::eval;
using regimen::testing::run_lua;

TEST_CASE("Bindings: schedules are callable closed forms", "[lua][schedule]") {
  CHECK(eval("schedule.constant{lr = 0.5}(100)") == "0.5");
  CHECK(eval("schedule.step{lr = 1, step_size = 10, gamma = 0.5}(25)") == "0.25");
  CHECK(eval("schedule.exponential_decay{lr = 1, decay_rate = 0.5, decay_steps = 10}(5)") ==
        eval("0.5 ^ 0.5"));
  CHECK(eval("schedule.exponential_decay{lr = 1, decay_rate = 0.5, decay_steps = 10, staircase = true}(15)") ==
        "0.5");
  CHECK(eval("schedule.cosine{lr = 1, T_max = 10}(5)") == eval("0.5 + 0.5 * math.cos(math.pi / 2)"));
  CHECK(eval("schedule.cosine{lr = 1, T_max = 10, eta_min = 0.1}(50)") == "0.1");
  CHECK(eval("schedule.cosine{lr = 1, T_max = 10}") == "schedule.cosine(lr=1, T_max=10, eta_min=0)");
  CHECK(error_of("schedule.cosine{lr = 1, T_max = 0}") == "test.lua:1: schedule.cosine: T_max must be > 0, got 0");
}

TEST_CASE("Bindings: optimizers expose lr, readable and settable", "[lua][optim]") {
  CHECK(eval("optim.adam{}.lr") == "0.001");
  CHECK(eval("optim.sgd{lr = schedule.step{lr = 1, step_size = 1}}.lr") == "1.0");
  CHECK(run_lua("local o = optim.sgd{lr = 1}; o.lr = 0.25; assert(o.lr == 0.25)").exit_code == 0);
  CHECK(run_lua("local o = optim.sgd{lr = 1}; o.lr = schedule.constant{lr = 2}; assert(o.lr == 2)").exit_code == 0);
  CHECK(error_of("local o = optim.sgd{lr = 1}; o.lr = 'x'") ==
        "test.lua:1: optimizer: lr must be a number or a schedule, got string");
  CHECK(error_of("local o = optim.sgd{lr = 1}; o.momentum = 1") ==
        "test.lua:1: optimizer: field 'momentum' cannot be set (only 'lr')");
  CHECK_THAT(eval("optim.sgd{lr = 0.1, momentum = 0.9, nesterov = true}"),
             Catch::StartsWith("optim.sgd(lr=") && Catch::Contains("momentum=0.9") && Catch::Contains("nesterov=true"));
  CHECK_THAT(eval("optim.adam{betas = {0.8, 0.99}, amsgrad = true}"),
             Catch::Contains("0.8") && Catch::Contains("0.99") && Catch::Contains("amsgrad=true"));
}

TEST_CASE("Bindings: layers, models and losses", "[lua][nn]") {
  CHECK(eval("nn.linear(784, 256)") == "linear(784 -> 256, init=he)");
  CHECK(eval("nn.linear(3, 2, {init = 'xavier'})") == "linear(3 -> 2, init=xavier)");
  CHECK(eval("nn.relu()") == "relu");
  CHECK_THAT(eval("nn.dropout(0.25)"), Catch::Contains("0.25"));
  CHECK_THAT(eval("nn.sequential{nn.linear(2, 3), nn.relu(), nn.linear(3, 1)}"),
             Catch::StartsWith("nn.sequential{linear(2 -> 3"));
  CHECK(error_of("nn.sequential{nn.linear(2, 3), 5}") == "test.lua:1: nn.sequential: entry 2 is not a layer (got number)");
  CHECK(error_of("nn.linear(2, 3, {init = 'ones'})") ==
        "test.lua:1: nn.linear: linear: unknown init 'ones' (expected 'he', 'xavier', 'normal' or 'zeros')");
  CHECK_THAT(eval("loss.mse()"), Catch::StartsWith("loss.mse"));
  CHECK_THAT(eval("loss.cross_entropy{label_smoothing = 0.1}"), Catch::StartsWith("loss.cross_entropy"));
  CHECK(eval("reg.l2(1e-4)") == "reg.l2(0.0001)");
  CHECK(error_of("reg.l2(-1)") == "test.lua:1: reg.l2: c must be >= 0, got -1");
}

TEST_CASE("Bindings: datasets load, split and take", "[lua][data]") {
  CHECK(eval("#data.synthetic.linear{n = 100, w = {1, 2}, b = 0.5}") == "100");
  CHECK(eval("data.synthetic.linear{n = 100, w = {1, 2}}:features()") == "2");
  CHECK(eval("select(2, data.synthetic.linear{n = 100, w = 1}:split{validation = 0.25}):size()") == "25");
  CHECK(eval("data.synthetic.linear{n = 100, w = 1}:take(10):size()") == "10");
  CHECK(error_of("data.synthetic.linear{n = 100, w = 1}:split{validation = 1.5}") ==
        "test.lua:1: dataset:split: validation fraction must be in (0, 1), got 1.5");
  CHECK(error_of("data.idx{images = 'a'}") == "test.lua:1: data.idx: option 'labels' is required");
}

TEST_CASE("Bindings: early_stop observes values with Keras semantics", "[lua][train]") {
  // patience 1, mode min: 3 (best), 2 (best), 2.5 (wait 1 -> stop).
  CHECK(run_lua("local es = early_stop{monitor = 'loss', patience = 1}\n"
                "assert(es:observe(3) == false); assert(es:observe(2) == false)\n"
                "assert(es:observe(2.5) == true); assert(es.best_epoch == 1 and es.best_value == 2)")
            .exit_code == 0);
  CHECK(error_of("early_stop{patiense = 3}") ==
        "test.lua:1: early_stop: unknown option 'patiense' (did you mean 'patience'?)");
}
