// `regimen lr-find` end to end: the flagship recipe's suggestion for Adam lies in [1e-4, 1e-2]
// (issue 8), an SVG is written, and usage mistakes are exit code 2.
#include <catch2/catch.hpp>
#include <filesystem>
#include <regex>

#include "support/run_command.hpp"
#include "support/temp_dir.hpp"

using regimen::testing::regimen_command;
using regimen::testing::run_command;
using regimen::testing::source_path;
using regimen::testing::TempDir;

TEST_CASE("lr-find CLI: the flagship MLP with Adam gets a rate in 1e-4 .. 1e-2", "[cli]") {
  TempDir dir;
  const std::string svg = (dir.path() / "mlp.svg").string();
  const auto result = run_command(regimen_command("lr-find " + source_path("recipes/fashion_mnist_mlp.lua") +
                                                  " --threads 2 --out " + svg));
  INFO(result.output);
  REQUIRE(result.exit_code == 0);
  std::smatch match;
  const std::string output = result.output;
  REQUIRE(std::regex_search(output, match, std::regex("suggested lr: ([0-9.e+-]+)")));
  const double suggested = std::stod(match[1]);
  CHECK(suggested >= 1e-4);
  CHECK(suggested <= 1e-2);
  CHECK(output.find("cautious lr:") != std::string::npos);
  CHECK(std::filesystem::file_size(svg) > 1000);
}

TEST_CASE("lr-find CLI: usage mistakes are exit code 2 with the reason", "[cli]") {
  const std::string recipe = source_path("recipes/linear_regression.lua");
  const auto reversed = run_command(regimen_command("lr-find " + recipe + " --from 1 --to 0.1"));
  CHECK(reversed.exit_code == 2);
  CHECK(reversed.output.find("need 0 < --from < --to") != std::string::npos);
  const auto few = run_command(regimen_command("lr-find " + recipe + " --steps 1"));
  CHECK(few.exit_code == 2);
  CHECK(few.output.find("--steps must be >= 2") != std::string::npos);
  const auto missing = run_command(regimen_command("lr-find"));
  CHECK(missing.exit_code == 2);
  CHECK(missing.output.find("missing the recipe FILE") != std::string::npos);
}
