#pragma once
// Reads the layer references written by tools/make_nn_fixtures.py (PyTorch, float64 from
// float32 inputs) and compares our float32 results with them.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <cmath>
#include <fstream>
#include <string>
#include <vector>

#include "runtime/tensor.hpp"

namespace regimen::test {

/// tests/fixtures/nn/<name>.json.
inline nlohmann::json load_nn_fixture(const std::string& name) {
  const std::string path = std::string(REGIMEN_SOURCE_DIR) + "/tests/fixtures/nn/" + name + ".json";
  std::ifstream in(path);
  INFO("fixture " << path);
  REQUIRE(in.good());
  return nlohmann::json::parse(in);
}

/// A rows x cols float matrix from a flat list of numbers (row-major, as torch flattens NCHW).
inline Matrix matrix_of(const nlohmann::json& values, Index rows, Index cols) {
  const auto flat = values.get<std::vector<double>>();
  REQUIRE(flat.size() == static_cast<std::size_t>(rows * cols));
  Matrix m(rows, cols);
  for (Index i = 0; i < m.size(); ++i) m.data()[i] = static_cast<float>(flat[static_cast<std::size_t>(i)]);
  return m;
}

/// Element by element: within `rel` relatively, or within `abs` near zero (|expected| < abs/rel).
template <typename Actual>
void check_values(const Actual& actual, const nlohmann::json& expected, double rel = 1e-5, double abs = 1e-5) {
  const auto flat = expected.get<std::vector<double>>();
  REQUIRE(static_cast<std::size_t>(actual.size()) == flat.size());
  for (std::size_t i = 0; i < flat.size(); ++i) {
    INFO("element " << i);
    const double a = static_cast<double>(actual.data()[i]);
    if (std::abs(flat[i]) < abs / rel) {
      CHECK_THAT(a, Catch::Matchers::WithinAbs(flat[i], abs));
    } else {
      CHECK_THAT(a, Catch::Matchers::WithinRel(flat[i], rel));
    }
  }
}

}  // namespace regimen::test
