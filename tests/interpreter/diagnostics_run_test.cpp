#include <catch2/catch.hpp>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "lua_test_support.hpp"
#include "support/run_command.hpp"

using regimen::testing::run_lua;

namespace {

// y = 3x + 2 + noise on 192 training samples with plain SGD: 6 steps per epoch.
std::string linear_recipe(const std::string& lr, int epochs) {
  return "local d = data.synthetic.linear{n = 256, w = 3, b = 2, noise = 0.3, seed = 7}\n"
         "local train, validation = d:split{validation = 0.25}\n"
         "return recipe{\n"
         "  seed = 1, data = {train = train, validation = validation},\n"
         "  model = nn.sequential{nn.linear(1, 1)}, loss = loss.mse(),\n"
         "  optimizer = optim.sgd{lr = " + lr + "}, batch_size = 32, epochs = " + std::to_string(epochs) + ",\n"
         "}\n";
}

std::vector<std::string> kinds(const regimen::RunResult& result) {
  std::vector<std::string> names;
  for (const auto& d : result.diagnostics) names.push_back(d.kind);
  return names;
}

double metric(const std::vector<regimen::MetricValue>& epoch, const std::string& name) {
  for (const auto& [key, value] : epoch)
    if (key == name) return value;
  FAIL("no metric " << name);
  return 0.0;
}

}  // namespace

TEST_CASE("Diagnostics run: sgd with lr = 10 is called too large", "[lua][recipe]") {
  // Each step multiplies the bias's error by 1 - 2 lr = -19 (the MSE gradient is 2 x error): the
  // loss grows about 19^2 per step, finite for 3 epochs of 6 steps, infinite some epochs later.
  std::ostringstream warnings;  // the live warning, tested below
  regimen::InterpreterOptions options;
  options.err = &warnings;
  const auto outcome = run_lua(linear_recipe("10", 3), options);
  REQUIRE(outcome.exit_code == 0);
  REQUIRE(kinds(outcome.result) == std::vector<std::string>{"lr_too_large"});
  const auto& finding = outcome.result.diagnostics[0];
  CHECK(finding.epoch == 0);
  CHECK_THAT(finding.message, Catch::StartsWith("the learning rate looks too large: the training loss rose to "));
  CHECK_THAT(finding.remedy, Catch::StartsWith("lower the learning rate"));
}

TEST_CASE("Diagnostics run: a loss that turns non-finite is warned about as it happens", "[lua][recipe]") {
  std::ostringstream warnings;
  regimen::InterpreterOptions options;
  options.err = &warnings;
  const auto outcome = run_lua(linear_recipe("10", 20), options);
  CHECK(outcome.exit_code == 1);  // a non-finite loss ends the run (docs/dsl.md)
  CHECK_THAT(outcome.message, Catch::Contains("training loss is "));
  CHECK_THAT(warnings.str(), Catch::StartsWith("warning: the loss (") &&
                                 Catch::EndsWith("in epoch 1: the learning rate looks too large (try it 10x lower, "
                                                 "a warmup, or clip.norm)\n"));
}

TEST_CASE("Diagnostics run: a diverged run that a divergence rule stopped is called too large", "[lua][recipe]") {
  std::string text = linear_recipe("10", 20);
  text.insert(text.rfind('}'), "  early_stop = { {monitor = 'loss', divergence = 1e300} },\n");
  std::ostringstream warnings;
  regimen::InterpreterOptions options;
  options.err = &warnings;
  const auto outcome = run_lua(text, options);
  REQUIRE(outcome.exit_code == 0);
  REQUIRE(kinds(outcome.result) == std::vector<std::string>{"lr_too_large"});
  CHECK_THAT(outcome.result.diagnostics[0].message, Catch::Contains("diverged"));
}

TEST_CASE("Diagnostics run: sgd with lr = 1e-7 is called too small", "[lua][recipe]") {
  const auto outcome = run_lua(linear_recipe("1e-7", 5));
  REQUIRE(outcome.exit_code == 0);
  REQUIRE(kinds(outcome.result) == std::vector<std::string>{"lr_too_small"});
  CHECK(outcome.result.diagnostics[0].epoch == 0);
  CHECK_THAT(outcome.result.diagnostics[0].remedy, Catch::StartsWith("raise the learning rate"));
}

TEST_CASE("Diagnostics run: healthy runs get no diagnosis", "[lua][recipe]") {
  CHECK(run_lua(linear_recipe("0.05", 10)).result.diagnostics.empty());
  // The shipped recipe, as it runs (20 epochs of 1600 samples).
  std::ifstream file(regimen::testing::source_path("recipes/linear_regression.lua"));
  std::stringstream text;
  text << file.rdbuf();
  const auto shipped = run_lua(text.str());
  REQUIRE(shipped.exit_code == 0);
  CHECK(shipped.result.history.size() == 20);
  CHECK(shipped.result.diagnostics.empty());
}

TEST_CASE("Diagnostics run: a big unregularized model on 32 samples overfits from the epoch after its best",
          "[lua][recipe]") {
  const auto outcome = run_lua(
      "local d = data.synthetic.linear{n = 48, w = {1, -1, 0.5, 2, 0, 1, -0.5, 1.5}, b = 0.5, noise = 1, seed = 5}\n"
      "local train, validation = d:split{validation = 0.33}\n"
      "return recipe{\n"
      "  seed = 3, data = {train = train, validation = validation},\n"
      "  model = nn.sequential{nn.linear(8, 128), nn.relu(), nn.linear(128, 128), nn.relu(), nn.linear(128, 1)},\n"
      "  loss = loss.mse(), optimizer = optim.adam{lr = 3e-3}, batch_size = 8, epochs = 30,\n"
      "}\n");
  REQUIRE(outcome.exit_code == 0);
  REQUIRE(kinds(outcome.result) == std::vector<std::string>{"overfitting"});
  // The rule's definition applied to the run's own history: the first epoch of least val_loss,
  // a sustained 10% rise over the last 3 epochs, a training loss lower at the end than there.
  const auto& history = outcome.result.history;
  std::vector<double> val;
  for (const auto& epoch : history) val.push_back(metric(epoch, "val_loss"));
  const auto best = static_cast<int>(std::min_element(val.begin(), val.end()) - val.begin());
  for (std::size_t e = val.size() - 3; e < val.size(); ++e) CHECK(val[e] >= 1.1 * val[best]);
  CHECK(metric(history.back(), "loss") < metric(history[best], "loss"));
  const auto& finding = outcome.result.diagnostics[0];
  CHECK(finding.epoch == best + 1);
  CHECK_THAT(finding.message, Catch::StartsWith("the model overfits from epoch " + std::to_string(best + 2) + " on"));
  const std::string gap_text = "the gap val_loss - loss is ";
  const auto at = finding.message.find(gap_text);
  REQUIRE(at != std::string::npos);
  const double gap = val.back() - metric(history.back(), "loss");
  CHECK_THAT(std::stod(finding.message.substr(at + gap_text.size())), Catch::Matchers::WithinRel(gap, 1e-3));
}
