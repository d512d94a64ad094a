#include "runtime/data/synthetic.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>

#include "runtime/error.hpp"

using Catch::Contains;
using regimen::InvalidArgument;
using regimen::Matrix;
using regimen::data::Dataset;
using regimen::data::synthetic_linear;

namespace {

// Not minCoeff()/maxCoeff(): with AVX-512, GCC 12 raises a false -Wmaybe-uninitialized in
// Eigen's reductions.
float min_of(const Matrix& m) { return *std::min_element(m.data(), m.data() + m.size()); }
float max_of(const Matrix& m) { return *std::max_element(m.data(), m.data() + m.size()); }

void all_rows(const Dataset& ds, Matrix& x, Matrix& y) {
  std::vector<Eigen::Index> positions(static_cast<std::size_t>(ds.size()));
  for (std::size_t i = 0; i < positions.size(); ++i) positions[i] = static_cast<Eigen::Index>(i);
  ds.gather(positions, x, y);
}

}  // namespace

TEST_CASE("Synthetic: without noise y is exactly w.x + b", "[data]") {
  const std::vector<double> w = {2.0, -3.0, 0.5};
  const auto ds = synthetic_linear(200, w, 1.25, 0.0, 9);
  CHECK(ds.size() == 200);
  CHECK(ds.features() == 3);
  CHECK(ds.target_columns() == 1);
  CHECK(ds.classes() == 0);
  Matrix x, y;
  all_rows(ds, x, y);
  CHECK(min_of(x) >= -1.0f);
  CHECK(max_of(x) <= 1.0f);
  CHECK(min_of(x) < -0.9f);  // the whole interval is used
  CHECK(max_of(x) > 0.9f);
  for (Eigen::Index i = 0; i < x.rows(); ++i) {
    const double expected = 1.25 + 2.0 * x(i, 0) - 3.0 * x(i, 1) + 0.5 * x(i, 2);
    CHECK(y(i, 0) == static_cast<float>(expected));
  }
}

TEST_CASE("Synthetic: the noise has the requested spread and leaves x unchanged", "[data]") {
  const std::vector<double> w = {1.0, 1.0};
  Matrix x0, y0, x1, y1;
  all_rows(synthetic_linear(20000, w, 0.0, 0.0, 5), x0, y0);
  all_rows(synthetic_linear(20000, w, 0.0, 0.3, 5), x1, y1);
  CHECK(x0 == x1);
  // Plain loops rather than Eigen reductions, for the same GCC 12 false warning as above.
  double sum = 0.0, sum_sq = 0.0;
  for (Eigen::Index i = 0; i < y0.rows(); ++i) {
    const double r = static_cast<double>(y1(i, 0)) - static_cast<double>(y0(i, 0));
    sum += r;
    sum_sq += r * r;
  }
  const double count = static_cast<double>(y0.rows());
  const double mean = sum / count;
  const double sd = std::sqrt(sum_sq / count - mean * mean);
  CHECK_THAT(mean, Catch::Matchers::WithinAbs(0.0, 0.01));  // 4.7 standard errors
  CHECK_THAT(sd, Catch::Matchers::WithinRel(0.3, 0.03));
}

TEST_CASE("Synthetic: same seed same data, different seed different data", "[data]") {
  Matrix xa, ya, xb, yb, xc, yc;
  all_rows(synthetic_linear(50, {1.0}, 0.0, 0.1, 1), xa, ya);
  all_rows(synthetic_linear(50, {1.0}, 0.0, 0.1, 1), xb, yb);
  all_rows(synthetic_linear(50, {1.0}, 0.0, 0.1, 2), xc, yc);
  CHECK(xa == xb);
  CHECK(ya == yb);
  CHECK(xa != xc);
}

TEST_CASE("Synthetic: bad arguments are rejected", "[data]") {
  REQUIRE_THROWS_AS(synthetic_linear(0, {1.0}, 0.0, 0.0, 1), InvalidArgument);
  REQUIRE_THROWS_WITH(synthetic_linear(-2, {1.0}, 0.0, 0.0, 1),
                      Contains("n must be positive, got -2"));
  REQUIRE_THROWS_WITH(synthetic_linear(10, {}, 0.0, 0.0, 1),
                      Contains("w must have at least one weight"));
  REQUIRE_THROWS_WITH(synthetic_linear(10, {1.0}, 0.0, -0.1, 1), Contains("noise must be >= 0"));
  REQUIRE_THROWS_WITH(synthetic_linear(10, {1.0, NAN}, 0.0, 0.0, 1),
                      Contains("w[1] must be finite"));
  REQUIRE_THROWS_WITH(synthetic_linear(10, {1.0}, INFINITY, 0.0, 1), Contains("b must be finite"));
}
