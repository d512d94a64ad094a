#pragma once
// Reads reference values written by tools/make_regularize_fixtures.py (torch, float64) and
// compares float32 results against them.
#include <cmath>
#include <fstream>
#include <span>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

namespace regimen::test {

/// tests/fixtures/regularize/<name>.json.
inline nlohmann::json load_regularize_fixture(const std::string& name) {
  const std::string path = std::string(REGIMEN_SOURCE_DIR) + "/tests/fixtures/regularize/" + name + ".json";
  std::ifstream in(path);
  INFO("fixture " << path);
  REQUIRE(in.good());
  return nlohmann::json::parse(in);
}

/// The fixture's numbers as floats: every input was drawn in float32, so this is exact.
inline std::vector<float> floats(const nlohmann::json& values) {
  const auto doubles = values.get<std::vector<double>>();
  return {doubles.begin(), doubles.end()};
}

/// Element-wise: within `rel` relative, or within `abs` where the reference is near zero.
inline void check_close(std::span<const float> actual, const std::vector<double>& expected, double rel,
                        double abs) {
  REQUIRE(actual.size() == expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    INFO("element " << i);
    if (std::abs(expected[i]) < abs / rel) {
      CHECK_THAT(actual[i], Catch::Matchers::WithinAbs(expected[i], abs));
    } else {
      CHECK_THAT(actual[i], Catch::Matchers::WithinRel(expected[i], rel));
    }
  }
}

}  // namespace regimen::test
