// Every shipped recipe runs, with settings small enough for the test suite.
#include <catch2/catch.hpp>

#include <filesystem>
#include <map>
#include <regex>

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
