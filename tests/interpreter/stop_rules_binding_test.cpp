// early_stop = { {...}, ... }, max_steps and on_step_end in a recipe: what they do, and the
// exact message of each mistake.
#include <catch2/catch.hpp>

#include "lua_test_support.hpp"

using regimen::testing::error_of;
using regimen::testing::run_lua;

namespace {

// A small classification recipe (4 classes; 192 training samples in batches of 16 = 12 steps
// per epoch); `extra` is spliced into the recipe table at line 8.
std::string recipe(const std::string& extra = "") {
  return "local d = data.synthetic.linear{n = 256, w = {2, -1}, b = 0.5, noise = 0.05, seed = 3}\n"
         "local train, validation = d:split{validation = 0.25}\n"
         "return recipe{\n"
         "  data = {train = train, validation = validation},\n"
         "  model = nn.sequential{nn.linear(2, 8), nn.relu(), nn.linear(8, 1)},\n"
         "  loss = loss.mse(),\n"
         "  optimizer = optim.adam{lr = 0.01}, batch_size = 16, seed = 11,\n" +
         extra + "}\n";
}

}  // namespace

TEST_CASE("Stop rules: the first rule that fires stops the run and is reported", "[lua][recipe]") {
  // val_loss falls below 10 at the first epoch: rule 2 fires at epoch 1 (rule 1 never can).
  const auto outcome = run_lua(recipe("epochs = 20, early_stop = { {monitor = 'val_loss', patience = 5},\n"
                                      "  {monitor = 'val_loss', target = 10}, {max_time = '1h'} },\n"));
  REQUIRE(outcome.exit_code == 0);
  CHECK(outcome.result.history.size() == 1);
  CHECK(outcome.result.stop_reason == "val_loss reached 10 target at epoch 1 (rule 2)");
}

TEST_CASE("Stop rules: max_steps stops mid-epoch and says so", "[lua][recipe]") {
  // 12 steps per epoch: 30 steps end in epoch 3, which still reports its metrics.
  const auto outcome = run_lua(recipe("epochs = 10, max_steps = 30,\n"));
  REQUIRE(outcome.exit_code == 0);
  CHECK(outcome.result.history.size() == 3);
  CHECK(outcome.result.history.back().size() == 2);
  CHECK(outcome.result.stop_reason == "max_steps 30 reached at epoch 3");
}

TEST_CASE("Stop rules: max_steps without epochs plans just enough epochs", "[lua][recipe]") {
  const auto outcome = run_lua(recipe("max_steps = 30,\n"));  // ceil(30 / 12) = 3 epochs
  REQUIRE(outcome.exit_code == 0);
  CHECK(outcome.result.history.size() == 3);
}

TEST_CASE("Stop rules: on_step_end sees each step and ctx:stop() ends the run at once", "[lua][recipe]") {
  const auto outcome = run_lua(recipe(
      "epochs = 5,\n"
      "on_step_end = function(ctx)\n"
      "  assert(ctx.lr == 0.01 and ctx.loss > 0 and ctx.epochs == 5)\n"
      "  ctx.count = (ctx.count or 0) + 1; assert(ctx.step == ctx.count)  -- one ctx, reused\n"
      "  if ctx.step == 15 then assert(ctx.epoch == 1); ctx:stop() end\n"
      "end,\n"));
  REQUIRE(outcome.message == "");
  CHECK(outcome.result.history.size() == 2);
  CHECK(outcome.result.stop_reason == "on_step_end called ctx:stop() at epoch 2, step 15");
}

TEST_CASE("Stop rules: an error in on_step_end names the hook's line", "[lua][recipe]") {
  CHECK(error_of(recipe("on_step_end = function(ctx)\n  error('boom')\nend,\n")) == "test.lua:9: boom");
}

TEST_CASE("Stop rules: a divergence rule on loss reports a non-finite loss as its stop", "[lua][recipe]") {
  const auto outcome = run_lua(recipe("epochs = 3, schedule = 1e30,\n"
                                      "early_stop = { {monitor = 'loss', divergence = 10} },\n"));
  REQUIRE(outcome.exit_code == 0);
  CHECK_THAT(outcome.result.stop_reason, Catch::StartsWith("training loss is ") && Catch::Contains("at epoch "));
}

TEST_CASE("Stop rules: a non-finite loss is a runtime failure naming epoch and step", "[lua][recipe]") {
  const auto outcome = run_lua(recipe("epochs = 3, schedule = 1e30,\n"));
  CHECK(outcome.exit_code == 1);
  CHECK_THAT(outcome.message, Catch::StartsWith("test.lua:3: training loss is ") && Catch::Contains(" at epoch 1, step "));
}

TEST_CASE("Stop rules: mistakes are reported at the recipe line with the rule's number", "[lua][recipe]") {
  CHECK(error_of(recipe("early_stop = { {monitor = 'val_loss', patiense = 5} },\n")) ==
        "test.lua:3: early_stop rule 1: unknown option 'patiense' (did you mean 'patience'?)");
  CHECK(error_of(recipe("early_stop = { {max_time = '1h'}, {monitor = 'val_loss', target = 0.5, smooth = 2} },\n")) ==
        "test.lua:3: early_stop rule 2: unknown option 'smooth' (did you mean 'smoothing'?)");
  CHECK(error_of(recipe("early_stop = { {max_time = '20 min'} },\n")) ==
        "test.lua:3: early_stop rule 1: max_time must be seconds or a duration like \"90s\", \"20m\", \"2h\", got \"20 min\"");
  CHECK(error_of(recipe("early_stop = { {monitor = 'loss', divergence = 0.5} },\n")) ==
        "test.lua:3: early_stop rule 1: divergence must be >= 1, got 0.5");
  CHECK(error_of(recipe("early_stop = { {target = 0.5} },\n")) == "test.lua:3: early_stop rule 1: option 'monitor' is required");
  CHECK(error_of(recipe("early_stop = { 'val_loss' },\n")) == "test.lua:3: early_stop rule 1: expected a table, got string");
  CHECK(error_of(recipe("early_stop = {},\n")) ==
        "test.lua:3: early_stop: expected early_stop{...} or a list of rule tables, got an empty table");
  CHECK(error_of(recipe("early_stop = { {monitor = 'val_los', target = 0.1, mode = 'min'} },\n")) ==
        "test.lua:3: recipe: early_stop rule 1: monitor 'val_los' is not a metric of this run (did you mean "
        "'val_loss'?); it has loss, val_loss");
  CHECK(error_of(recipe("early_stop = { {restore_best = true}, {restore_best = true} },\n")) ==
        "test.lua:3: early_stop: only one rule may set restore_best");
  CHECK(error_of(recipe("max_steps = 0,\n")) == "test.lua:3: recipe: 'max_steps' must be >= 1, got 0");
  CHECK(error_of(recipe("on_step_end = 3,\n")) == "test.lua:3: recipe: 'on_step_end' must be a function, got number");
}

TEST_CASE("Stop rules: an early_stop{...} may be one rule of a list", "[lua][recipe]") {
  const auto outcome = run_lua(recipe("epochs = 4, early_stop = { early_stop{monitor = 'val_loss', patience = 10},\n"
                                      "  {monitor = 'val_loss', target = 10, smoothing = 2} },\n"));
  REQUIRE(outcome.exit_code == 0);
  CHECK(outcome.result.stop_reason == "val_loss (mean of 2) reached 10 target at epoch 1 (rule 2)");
}
