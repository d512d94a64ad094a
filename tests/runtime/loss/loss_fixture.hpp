#pragma once
// Reads reference values written by tools/make_loss_fixtures.py (torch, float64).
#include <fstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "runtime/tensor.hpp"

namespace regimen::test {

/// tests/fixtures/loss/<name>.json.
inline nlohmann::json load_loss_fixture(const std::string& name) {
  const std::string path = std::string(REGIMEN_SOURCE_DIR) + "/tests/fixtures/loss/" + name + ".json";
  std::ifstream in(path);
  INFO("fixture " << path);
  REQUIRE(in.good());
  return nlohmann::json::parse(in);
}

/// A rows x cols float matrix from the fixture's flat row-major list (exact: the values were
/// drawn in float32).
inline Matrix fixture_matrix(const nlohmann::json& values, Index rows, Index cols) {
  const auto doubles = values.get<std::vector<double>>();
  REQUIRE(doubles.size() == static_cast<std::size_t>(rows * cols));
  Matrix m(rows, cols);
  for (Index i = 0; i < m.size(); ++i) m.data()[i] = static_cast<float>(doubles[static_cast<std::size_t>(i)]);
  return m;
}

}  // namespace regimen::test
