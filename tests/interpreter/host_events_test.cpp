// A host follows a run through InterpreterOptions::on_epoch_end / on_step_end, may stop it, and
// gets the best epoch in the result.
#include <catch2/catch.hpp>
#include <sstream>
#include <stdexcept>

#include "regimen/interpreter.hpp"

using regimen::EpochEvent;
using regimen::Interpreter;
using regimen::InterpreterOptions;
using regimen::RunResult;
using regimen::StepEvent;

namespace {

// 64 samples, batch 16: 4 steps per epoch.
const char* const kRecipe =
    "local d = data.synthetic.linear{n = 64, w = {1, -1}, seed = 2}\n"
    "local train, validation = d:split{validation = 0.25}\n"
    "return recipe{data = {train = train, validation = validation}, model = nn.sequential{nn.linear(2, 1)},\n"
    "  loss = loss.mse(), optimizer = optim.sgd{lr = 0.1}, batch_size = 12, epochs = 5, seed = 1}";

RunResult run(InterpreterOptions options, const std::string& text = kRecipe) {
  std::ostringstream sink;
  options.out = &sink;
  options.threads = 1;
  Interpreter interpreter(options);
  interpreter.load_string(text, "events.lua");
  return interpreter.run();
}

}  // namespace

TEST_CASE("Host events: every epoch and step reaches the host with its metrics and lr", "[interpreter]") {
  std::vector<EpochEvent> epochs;
  std::vector<StepEvent> steps;
  InterpreterOptions options;
  options.on_epoch_end = [&](const EpochEvent& e) { epochs.push_back(e); return false; };
  options.on_step_end = [&](const StepEvent& s) { steps.push_back(s); return false; };
  const RunResult result = run(options);
  REQUIRE(epochs.size() == 5);
  REQUIRE(steps.size() == 20);  // 48 training rows / 12
  CHECK(steps.back().step == 20);
  CHECK(steps.back().epoch == 4);
  CHECK(steps[3].lr == 0.1);
  CHECK(epochs[2].epoch == 2);
  CHECK(epochs[2].metrics == result.history[2]);
  CHECK(epochs[2].lr == 0.1);
}

TEST_CASE("Host events: a true return stops the run and says who stopped it", "[interpreter]") {
  InterpreterOptions by_epoch;
  by_epoch.on_epoch_end = [](const EpochEvent& e) { return e.epoch == 1; };
  const RunResult stopped = run(by_epoch);
  CHECK(stopped.history.size() == 2);
  CHECK(stopped.stop_reason == "host: on_epoch_end asked to stop after epoch 2");
  InterpreterOptions by_step;
  by_step.on_step_end = [](const StepEvent& s) { return s.step == 6; };
  const RunResult cut = run(by_step);
  CHECK(cut.history.size() == 2);  // the cut epoch still reports
  CHECK(cut.stop_reason == "host: on_step_end asked to stop at step 6");
}

TEST_CASE("Host events: an exception from the host ends the run as a runtime error", "[interpreter]") {
  InterpreterOptions options;
  options.on_epoch_end = [](const EpochEvent&) -> bool { throw std::runtime_error("dashboard down"); };
  try {
    run(options);
    FAIL("run() returned");
  } catch (const regimen::Error& e) {
    CHECK(e.exit_code() == 1);
    CHECK(std::string(e.what()) == "events.lua:3: dashboard down");  // the recipe's location first
  }
}

TEST_CASE("Host events: the result names the best epoch by val_loss, or early stopping's monitor", "[interpreter]") {
  const RunResult result = run({});
  REQUIRE(result.best_epoch >= 0);
  CHECK(result.monitor == "val_loss");
  double best = 1e300;
  int at = -1;
  for (std::size_t e = 0; e < result.history.size(); ++e)
    for (const auto& [name, value] : result.history[e])
      if (name == "val_loss" && value < best) best = value, at = static_cast<int>(e);
  CHECK(result.best_epoch == at);
  CHECK(result.best_value == best);
  std::string with_stop = kRecipe;
  with_stop.replace(with_stop.find("seed = 1}"), 9, "seed = 1, early_stop = early_stop{monitor = 'loss', patience = 9}}");
  CHECK(run({}, with_stop).monitor == "loss");
}
