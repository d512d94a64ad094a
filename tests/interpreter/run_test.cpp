#include <catch2/catch.hpp>

#include "lua_test_support.hpp"

using regimen::testing::error_of;
using regimen::testing::run_lua;

namespace {

// A small regression recipe; `extra` is spliced into the recipe table.
std::string regression_recipe(const std::string& extra = "") {
  return "local d = data.synthetic.linear{n = 256, w = {2, -1}, b = 0.5, noise = 0.05, seed = 3}\n"
         "local train, validation = d:split{validation = 0.25}\n"
         "return recipe{\n"
         "  data = {train = train, validation = validation},\n"
         "  model = nn.sequential{nn.linear(2, 8), nn.relu(), nn.dropout(0.1), nn.linear(8, 1)},\n"
         "  loss = loss.mse(),\n"
         "  optimizer = optim.adam{lr = 0.01},\n"
         "  batch_size = 16, epochs = 5, seed = 11,\n" +
         extra + "}\n";
}

}  // namespace

TEST_CASE("Run: a recipe trains and reports Keras-named metrics", "[lua][recipe]") {
  const auto outcome = run_lua(regression_recipe());
  REQUIRE(outcome.exit_code == 0);
  REQUIRE(outcome.result.trained);
  REQUIRE(outcome.result.history.size() == 5);
  const auto& first = outcome.result.history.front();
  REQUIRE(first.size() == 2);
  CHECK(first[0].first == "loss");
  CHECK(first[1].first == "val_loss");
  CHECK(outcome.result.history.back()[1].second < first[1].second);
}

TEST_CASE("Run: same seed and threads give identical metrics, another seed differs", "[lua][recipe]") {
  const auto a = run_lua(regression_recipe());
  const auto b = run_lua(regression_recipe());
  CHECK(a.result.history == b.result.history);
  regimen::InterpreterOptions other;
  other.seed = 12;
  CHECK(run_lua(regression_recipe(), other).result.history != a.result.history);
}

TEST_CASE("Run: a plain script trains nothing", "[lua][recipe]") {
  const auto outcome = run_lua("local x = 1 + 1");
  CHECK(outcome.exit_code == 0);
  CHECK_FALSE(outcome.result.trained);
}

TEST_CASE("Run: epochs can be overridden from outside", "[lua][recipe]") {
  regimen::InterpreterOptions options;
  options.epochs = 2;
  CHECK(run_lua(regression_recipe(), options).result.history.size() == 2);
}

TEST_CASE("Run: hooks see metrics and can stop training", "[lua][recipe]") {
  const auto outcome = run_lua(regression_recipe(
      "on_epoch_end = function(ctx) assert(ctx.metrics.val_loss > 0 and ctx.lr == 0.01)\n"
      "  if ctx.epoch == 1 then ctx:stop() end end,\n"
      "on_train_end = function(ctx) assert(ctx.epoch == 1 and ctx.stop_reason ~= '') end,\n"));
  REQUIRE(outcome.exit_code == 0);
  CHECK(outcome.result.history.size() == 2);
  CHECK(outcome.result.stop_reason == "on_epoch_end called ctx:stop()");
}

TEST_CASE("Run: an error in a hook stops the run at the hook's line", "[lua][recipe]") {
  const auto outcome = run_lua(regression_recipe("on_epoch_end = function(ctx)\n  error('boom')\nend,\n"));
  CHECK(outcome.exit_code == 2);
  CHECK(outcome.message == "test.lua:10: boom");
}

TEST_CASE("Run: early stopping ends the run and says why", "[lua][recipe]") {
  // A zero learning rate never improves: with patience 2 the run stops after epoch index 2.
  std::string text = regression_recipe("early_stop = early_stop{monitor = 'val_loss', patience = 2},\n");
  text.replace(text.find("lr = 0.01"), 9, "lr = 0");
  const auto outcome = run_lua(text);
  REQUIRE(outcome.exit_code == 0);
  CHECK(outcome.result.history.size() == 3);
  CHECK_THAT(outcome.result.stop_reason, Catch::StartsWith("early_stop"));
}

TEST_CASE("Run: recipe-level mistakes point at the recipe", "[lua][recipe]") {
  CHECK(error_of(regression_recipe("early_stop = early_stop{monitor = 'val_los', mode = 'min'},\n")) ==
        "test.lua:3: recipe: early_stop: monitor 'val_los' is not a metric of this run (did you mean 'val_loss'?); "
        "it has loss, val_loss");
  CHECK(error_of(regression_recipe("early_stop = early_stop{monitor = 'val_acc'},\n")) ==
        "test.lua:9: early_stop: mode \"auto\" cannot tell whether 'val_acc' should decrease or increase; set mode "
        "to \"min\" or \"max\"");
  CHECK(error_of(regression_recipe("metrics = {'accuracy'},\n")) ==
        "test.lua:3: recipe: metrics: 'accuracy' is not a metric this run can report (accuracy needs a classification "
        "loss)");
  CHECK(error_of(regression_recipe("metrics = {'los'},\n")) ==
        "test.lua:3: recipe: metrics: 'los' is not a metric this run can report (did you mean 'loss'?)");
  CHECK(run_lua(regression_recipe("metrics = {'loss'},\n")).exit_code == 0);
  std::string wrong_width = regression_recipe();
  wrong_width.replace(wrong_width.find("nn.linear(2, 8)"), 15, "nn.linear(3, 8)");
  CHECK(error_of(wrong_width) ==
        "test.lua:3: recipe: model: layer 'fc1' (linear) expects 3 inputs, but the data has 2 features");
  CHECK(error_of("return recipe{data = 1, model = 1, loss = 1, optimizer = 1}") ==
        "test.lua:1: recipe: 'data' must be a dataset or {train = ..., validation = ..., test = ...}");
}
