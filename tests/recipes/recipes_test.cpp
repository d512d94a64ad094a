// Every shipped recipe runs, with settings small enough for the test suite.
#include <catch2/catch.hpp>

#include <filesystem>
#include <limits>
#include <map>
#include <regex>
#include <string>

#include "support/run_command.hpp"

using regimen::testing::regimen_command;
using regimen::testing::run_command;
using regimen::testing::source_path;

namespace {

// Quick settings per recipe; a new recipe must be added here to be tested.
const std::map<std::string, std::string> kQuickSettings = {
    {"linear_regression.lua", ""},
    {"fashion_mnist_mlp.lua", "--set limit=1000 --set epochs=2"},
    {"fashion_mnist_augment.lua", "--set limit=1000 --set epochs=2"},
    {"fashion_mnist_cnn.lua", "--set limit=300 --set epochs=1"},
    {"fashion_mnist_warmup_cosine.lua", "--set limit=1000 --set epochs=2"},
    {"step_decay.lua", "--set epochs=5"},
    {"exponential_decay_adam.lua", "--set limit=1000 --set epochs=2"},
    {"regularization.lua", "--set limit=1000 --set epochs=2 --set penalty=l1l2"},
    {"early_stopping.lua", "--set limit=1000 --set epochs=3"},
    {"csv_regression.lua", "--set epochs=10"},
    {"csv_classification.lua", "--set epochs=5"},
};

}  // namespace

TEST_CASE("Recipes: every recipe has quick settings and exits 0 with them", "[recipe]") {
  for (const auto& entry : std::filesystem::directory_iterator(source_path("recipes"))) {
    if (entry.path().extension() != ".lua") continue;
    const std::string name = entry.path().filename().string();
    INFO(name);
    const auto quick = kQuickSettings.find(name);
    REQUIRE(quick != kQuickSettings.end());
    const auto result = run_command(regimen_command("run " + entry.path().string() + " --no-out --threads 1 " + quick->second));
    INFO(result.output);
    CHECK(result.exit_code == 0);
  }
}

TEST_CASE("Recipes: linear_regression recovers w = 3 and b = 2 within 0.1", "[recipe]") {
  const auto result = run_command(regimen_command("run --no-out " + source_path("recipes/linear_regression.lua")));
  REQUIRE(result.exit_code == 0);
  std::smatch match;
  REQUIRE(std::regex_search(result.output, match, std::regex(R"(fitted w = ([-0-9.]+), b = ([-0-9.]+))")));
  CHECK(std::stod(match[1]) == Approx(3.0).margin(0.1));
  CHECK(std::stod(match[2]) == Approx(2.0).margin(0.1));
}

TEST_CASE("Recipes: fashion_mnist_mlp reports test metrics on the test set", "[recipe]") {
  const auto result =
      run_command(regimen_command("run --no-out " + source_path("recipes/fashion_mnist_mlp.lua") + " --threads 1 --set limit=1000 --set epochs=1"));
  REQUIRE(result.exit_code == 0);
  CHECK_THAT(result.output, Catch::Contains("val_accuracy") && Catch::Contains("test_accuracy"));
}

namespace {

// The value of `name` (e.g. "val_r2") on the last epoch line that reports it; NaN if none does.
double last_metric(const std::string& output, const std::string& name) {
  const std::regex pattern("(^|\\s)" + name + " ([-0-9.e]+)");
  double value = std::numeric_limits<double>::quiet_NaN();
  for (auto it = std::sregex_iterator(output.begin(), output.end(), pattern); it != std::sregex_iterator(); ++it) value = std::stod((*it)[2]);
  return value;
}

std::string quick_run(const std::string& recipe) {
  return "run --no-out --threads 1 " + source_path("recipes/" + recipe) + " " + kQuickSettings.at(recipe);
}

}  // namespace

TEST_CASE("Recipes: csv_regression learns the nonlinear terms of housing_like.csv with its quick settings", "[recipe]") {
  const auto result = run_command(regimen_command(quick_run("csv_regression.lua")));
  INFO(result.output);
  REQUIRE(result.exit_code == 0);
  // tools/make_recipe_data.py derives, for price = 1.5 size + sin(3 location) + age² − 0.5 size
  // rooms + 0.3 N(0, 1) with features uniform in [−1, 1]: Var(signal) = 1.390, noise 0.09, so
  // the best r2 is 1.390 / 1.480 = 0.939, and the best linear model's is 1.108 / 1.480 = 0.749.
  // 0.8 lies between: only a model that fits the nonlinear terms passes.
  const double r2 = last_metric(result.output, "val_r2");
  CHECK(r2 > 0.8);
  CHECK(r2 < 0.97);  // above the noise ceiling (plus sampling slack on 200 rows) would mean a leak
}

TEST_CASE("Recipes: csv_classification separates three_blobs.csv with its quick settings", "[recipe]") {
  const auto result = run_command(regimen_command(quick_run("csv_classification.lua")));
  INFO(result.output);
  REQUIRE(result.exit_code == 0);
  // Chance is 1/3; tools/make_recipe_data.py bounds the best accuracy from below by 0.970 (each
  // center lies 2.165 sigma from both edges of its cell). 0.9 leaves room for 150 validation rows.
  CHECK(last_metric(result.output, "val_accuracy") > 0.9);
  CHECK(last_metric(result.output, "val_f1") > 0.9);
  CHECK_THAT(result.output, Catch::Contains("confusion matrix (validation"));
}

TEST_CASE("Recipes: regularization runs with every penalty and names the valid ones for a wrong one", "[recipe]") {
  const std::string base = "run --no-out --threads 1 " + source_path("recipes/regularization.lua") + " --set limit=300 --set epochs=1 --set penalty=";
  for (const std::string penalty : {"none", "l1", "l2", "l1l2"}) {
    INFO(penalty);
    const auto result = run_command(regimen_command(base + penalty));
    INFO(result.output);
    CHECK(result.exit_code == 0);
    CHECK_THAT(result.output, Catch::Contains("penalty " + penalty + ": fc1 weights with |w| < 1e-3:"));
  }
  const auto wrong = run_command(regimen_command(base + "l3"));
  CHECK(wrong.exit_code == 2);
  CHECK_THAT(wrong.output, Catch::Contains("recipes/regularization.lua:19: penalty must be l1, l2, l1l2 or none, got 'l3'"));
}

TEST_CASE("Recipes: early_stopping reports which stop rule ended the run", "[recipe]") {
  // A target the first epoch already reaches: rule 2 fires at once.
  const auto result = run_command(regimen_command(quick_run("early_stopping.lua") + " --set target=0.1"));
  INFO(result.output);
  REQUIRE(result.exit_code == 0);
  CHECK_THAT(result.output, Catch::Contains("at epoch 1 (rule 2)"));
}
