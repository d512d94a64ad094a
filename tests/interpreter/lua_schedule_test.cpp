// Lua functions as schedules, and schedules with lengths in the run's units, outside a run:
// s(t) calls the function with t and ctx, composes with every combinator, fails with located
// messages; a length in epochs waits for a recipe and says so.
#include <string>

#include <catch2/catch.hpp>

#include "lua_test_support.hpp"

using regimen::testing::error_of;
using regimen::testing::eval;

TEST_CASE("Lua schedules: a function is a schedule wherever one is accepted", "[lua][schedule]") {
  const std::string f = "function(t) return 0.1 * 0.5 ^ (t // 10) end";
  CHECK(eval("schedule.lambda(" + f + ")(25)") == "0.025");
  CHECK(eval("schedule.join{" + f + ", 10, 0.5}(5)") == "0.1");
  CHECK(eval("schedule.join{" + f + ", 10, 0.5}(12)") == "0.5");
  CHECK(eval("schedule.join{0.5, 10, " + f + "}(22)") == "0.05");  // the later piece sees t - 10
  CHECK(eval("schedule.warmup{steps = 10, into = " + f + "}(5)") == "0.05");
  CHECK(eval("schedule.product{" + f + ", 2}(10)") == "0.1");
  CHECK(eval("(0.5 * schedule.lambda(" + f + "))(0)") == "0.05");
  CHECK(eval("(schedule.cosine{lr = 1, T_max = 10} + schedule.lambda(" + f + "))(10)") == "0.05");
  CHECK(eval("schedule.lambda(" + f + ")") == "schedule.lambda(test.lua:1)");
  CHECK(eval("schedule.lambda(math.sqrt)(16)") == "4.0");
  CHECK(eval("schedule.lambda(math.sqrt)") == "schedule.lambda(test.lua:1)");
}

TEST_CASE("Lua schedules: ctx outside a run follows t", "[lua][schedule]") {
  CHECK(eval("schedule.lambda(function(t, ctx) return ctx.step + ctx.epoch end)(7)") == "7.0");
  CHECK(eval("(function() local seen; schedule.lambda(function(t, ctx)\n"
             "  seen = tostring(ctx.steps_per_epoch) .. ' ' .. tostring(ctx.total_steps) .. ' ' ..\n"
             "         tostring(ctx.epochs) .. ' ' .. tostring(next(ctx.metrics)); return 0 end)(3)\n"
             "return seen end)()") == "nil nil nil nil");
  CHECK(error_of("schedule.lambda(function(t, ctx) ctx.step = 1 end)(0)") == "test.lua:1: ctx is read-only");
  CHECK(error_of("schedule.lambda(function(t, ctx) return ctx.epoc end)(0)") ==
        "test.lua:1: ctx has no field 'epoc' (did you mean 'epoch'?)");
}

TEST_CASE("Lua schedules: what the function returns is checked, naming the step", "[lua][schedule]") {
  // Fine for t < 3, then `late`.
  const auto [late, message] = GENERATE(table<std::string, std::string>({
      {"return nil", "test.lua:2: schedule function returned nil at step 3"},
      {"return '0.1'", "test.lua:2: schedule function returned a string at step 3"},
      {"return {}", "test.lua:2: schedule function returned a table at step 3"},
      {"return 0 / 0", "test.lua:2: schedule function returned nan at step 3"},
      {"return math.huge", "test.lua:2: schedule function returned inf at step 3"},
      {"error('boom')", "test.lua:2: boom"},
      {"local x = nil; return x.y", "test.lua:2: attempt to index a nil value (local 'x')"},
      {"error({})", "test.lua:2: schedule function raised a table value"},
  }));
  INFO(late);
  CHECK(error_of("local s = schedule.lambda(\nfunction(t) if t < 3 then return 0.1 end " + late +
                 " end)\nlocal x = s(0); x = s(1); x = s(2); x = s(3)") == message);
}

TEST_CASE("Lua schedules: an error inside a combinator keeps its location", "[lua][schedule]") {
  CHECK(error_of("local f = function(t) return nil end\nlocal s = 2 * schedule.lambda(f)\nreturn s(4)") ==
        "test.lua:1: schedule function returned nil at step 4");
  // Caught by pcall like any Lua error.
  CHECK(eval("select(2, pcall(schedule.lambda(function() error('x', 0) end), 1))") == "x");
}

TEST_CASE("Lua schedules: an optimizer does not call a Lua lr before the run", "[lua][schedule]") {
  CHECK(eval("(function() local n = 0\n"
             "local o = optim.sgd{lr = function(t) n = n + 1; return 0.1 end, momentum = function() n = n + 1 end}\n"
             "o.lr = function(t) n = n + 1; return -1 end\n"
             "return n end)()") == "0");
  CHECK(eval("optim.sgd{lr = function(t) return 0.1 end}.lr") == "0.1");
  CHECK(error_of("local o = optim.sgd{lr = function(t) end}\nlocal lr = o.lr") ==
        "test.lua:1: schedule function returned nil at step 0");
  CHECK(eval("optim.sgd{lr = 0.1, momentum = schedule.linear{from = 0.5, to = 0.9, steps = 4}}.momentum") ==
        "0.5");
  CHECK(eval("optim.adam{betas = {schedule.linear{from = 0.8, to = 0.9, steps = 4}, 0.99}}.betas[1]") == "0.8");
  CHECK(eval("optim.adamw{weight_decay = function(t) return 0.1 end}") ==
        "optim.adamw(lr=constant(lr=0.001), betas={0.9, 0.999}, eps=1e-08, weight_decay=0, amsgrad=false, "
        "maximize=false)");
}

TEST_CASE("Lua schedules: options that cannot follow a schedule say so", "[lua][schedule]") {
  CHECK(error_of("optim.nadam{momentum_decay = schedule.constant{lr = 0.1}}") ==
        "test.lua:1: optim.nadam: bad option 'momentum_decay' (number expected, got userdata)");
  CHECK(error_of("optim.sgd{lr = 0.1, momentum = schedule.linear{from = 0, to = 2, steps = 1}, nesterov = true}") ==
        "test.lua:1: optim.sgd: nesterov requires momentum > 0 and dampening == 0, got momentum=0, dampening=0");
  CHECK(error_of("optim.sgd{lr = 0.1, dampening = function() return 0 end}") ==
        "test.lua:1: optim.sgd: bad option 'dampening' (number expected, got function)");
  CHECK(error_of("optim.adam{betas = {0.9, 'x'}}") ==
        "test.lua:1: optim.adam: option 'betas' must hold two numbers (or schedules), like {0.9, 0.999}");
  CHECK(error_of("optim.adam{betas = {schedule.constant{lr = 1}, 0.999}}") ==
        "test.lua:1: optim.adam: betas[1] must be in [0, 1), got 1");
  CHECK(error_of("nn.dropout('x')") ==
        "test.lua:1: bad argument #1 to 'dropout' (number or schedule expected, got string)");
  CHECK(eval("nn.dropout(schedule.linear{from = 0.5, to = 0, steps = 10})") ==
        "dropout(p=linear(from=0.5, to=0, steps=10))");
  CHECK(error_of("nn.dropout(schedule.constant{lr = 1})") == "test.lua:1: nn.dropout: dropout: p must be in [0, 1), got 1");
}

TEST_CASE("Durations: a length in the run's units waits for a recipe", "[lua][schedule]") {
  CHECK(eval("schedule.cosine{lr = 0.1, T_max = '5 epochs'}") ==
        "schedule.cosine(T_max='5 epochs'; lengths from the recipe)");
  CHECK(eval("schedule.multistep{lr = 0.1, milestones = {10, '50%'}, by = 'epoch'}") ==
        "schedule.multistep(milestones='50%', by=epoch; lengths from the recipe)");
  CHECK(eval("schedule.one_cycle{max_lr = 0.1}") ==
        "schedule.one_cycle(total_steps='100%'; lengths from the recipe)");
  const auto [chunk, message] = GENERATE(table<std::string, std::string>({
      {"schedule.cosine{lr = 0.1, T_max = '5 epochs'}(3)",
       "schedule.cosine: T_max '5 epochs' needs a recipe to know the epoch length"},
      {"schedule.step{lr = 0.1, step_size = '10%'}(3)",
       "schedule.step: step_size '10%' needs a recipe to know the run's length"},
      {"schedule.one_cycle{max_lr = 0.1}(0)",
       "schedule.one_cycle: without total_steps it needs a recipe to know the run's length"},
      {"schedule.exponential{lr = 0.1, gamma = 0.9, by = 'epoch'}(1)",
       "schedule.exponential: by = \"epoch\" needs a recipe to know the epoch length"},
      {"schedule.lambda(function(t) return 1 end, {by = 'epoch'})(1)",
       "schedule.lambda: by = \"epoch\" needs a recipe to know the epoch length"},
      {"(0.5 * schedule.warmup{steps = '1 epoch', into = 0.1})(1)",
       "schedule.warmup: steps '1 epoch' needs a recipe to know the epoch length"},
      {"schedule.join{0.1, '2 epochs', 0.01}(1)",
       "schedule.join: boundaries '2 epochs' needs a recipe to know the epoch length"},
      {"schedule.cosine{lr = 0.1, T_max = '5 epoch s'}",
       "schedule.cosine: bad duration '5 epoch s' for T_max (write a number of steps, or a string such as "
       "'5 epochs', '200 steps' or '10%')"},
      {"schedule.cosine{lr = 0.1, T_max = {}}",
       "schedule.cosine: bad option 'T_max' (number of steps or duration string expected, got table)"},
      {"schedule.cosine{lr = 0.1, T_max = 10, by = 'epochs'}",
       "schedule.cosine: by must be one of 'step', 'epoch', got 'epochs'"},
      {"schedule.cyclic{base_lr = 0, max_lr = 1, step_size_up = '1 epoch', step_size_down = '5 steps'}(0)",
       "schedule.cyclic: step_size_up '1 epoch' needs a recipe to know the epoch length"},
  }));
  INFO(chunk);
  CHECK(error_of("local s = " + chunk) == "test.lua:1: " + message);
}

TEST_CASE("Durations: plain numbers and by = 'step' build the schedule at once", "[lua][schedule]") {
  CHECK(eval("schedule.cosine{lr = 1, T_max = 10, by = 'step'}(5)") == "0.5");
  CHECK(eval("schedule.multistep{lr = 1, milestones = {2}}") == "schedule.multistep(lr=1, milestones={2}, gamma=0.1)");
}
