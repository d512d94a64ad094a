// `regimen batch-find`: powers of two up to the largest batch that fits, each with its memory
// and a measured throughput; the largest is what batch_size = "auto" picks.
#include <catch2/catch.hpp>
#include <regex>
#include <sstream>

#include "support/run_command.hpp"

using regimen::testing::regimen_command;
using regimen::testing::run_command;
using regimen::testing::source_path;

TEST_CASE("batch-find CLI: every power of two up to what fits, the training set capping it", "[cli]") {
  // csv_classification trains on 450 rows (600 less a quarter), 2 features, a 2-32-3 MLP: every
  // batch fits 256 MB, so the sizes run 1, 2, ..., 256, then the whole set, 450.
  const auto result = run_command(regimen_command("batch-find " + source_path("recipes/csv_classification.lua") +
                                                  " --threads 1 --seconds 0.02"));
  INFO(result.output);
  REQUIRE(result.exit_code == 0);
  std::istringstream lines(result.output);
  std::string line;
  std::vector<long> sizes;
  const std::regex row(R"(^\s+(\d+)\s+[0-9.]+ [KMG]?B\s+(\d+)\s+[0-9.]+%$)");
  while (std::getline(lines, line)) {
    std::smatch match;
    if (!std::regex_match(line, match, row)) continue;
    sizes.push_back(std::stol(match[1]));
    CHECK(std::stol(match[2]) > 0);  // samples per second
  }
  CHECK(sizes == std::vector<long>{1, 2, 4, 8, 16, 32, 64, 128, 256, 450});
  CHECK(result.output.find("largest batch that fits: 450") != std::string::npos);
}

TEST_CASE("batch-find CLI: a budget too small or unreadable is a clear error", "[cli]") {
  const std::string recipe = source_path("recipes/csv_classification.lua");
  const auto tiny = run_command(regimen_command("batch-find " + recipe + " --memory-budget 100B"));
  CHECK(tiny.exit_code == 2);
  CHECK(tiny.output.find("memory_budget 100 B is too small: the parameters need") != std::string::npos);
  const auto unreadable = run_command(regimen_command("batch-find " + recipe + " --memory-budget lots"));
  CHECK(unreadable.exit_code == 2);
  CHECK(unreadable.output.find("--memory-budget: cannot read 'lots' as a size") != std::string::npos);
}
