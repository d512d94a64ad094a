#include "runtime/data/dataset.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <numeric>

#include "runtime/error.hpp"

using Catch::Contains;
using regimen::InvalidArgument;
using regimen::Matrix;
using regimen::data::Dataset;
using regimen::data::Table;

namespace {

/// n rows; row i has features (i, 10 i) and target i, so every row tells its origin.
Dataset numbered(Eigen::Index n) {
  auto table = std::make_shared<Table>();
  table->features.resize(n, 2);
  table->targets.resize(n, 1);
  for (Eigen::Index i = 0; i < n; ++i) {
    table->features(i, 0) = static_cast<float>(i);
    table->features(i, 1) = static_cast<float>(10 * i);
    table->targets(i, 0) = static_cast<float>(i);
  }
  table->source = "numbered";
  return Dataset(std::move(table));
}

/// The original row numbers of a dataset built by numbered(), in the view's order.
std::vector<int> origins(const Dataset& ds) {
  std::vector<Eigen::Index> positions(static_cast<std::size_t>(ds.size()));
  std::iota(positions.begin(), positions.end(), Eigen::Index{0});
  Matrix x, y;
  ds.gather(positions, x, y);
  std::vector<int> rows;
  for (Eigen::Index i = 0; i < y.rows(); ++i) rows.push_back(static_cast<int>(y(i, 0)));
  return rows;
}

}  // namespace

TEST_CASE("Dataset: a table's rows in order", "[data]") {
  const Dataset ds = numbered(5);
  CHECK(ds.size() == 5);
  CHECK(ds.features() == 2);
  CHECK(ds.target_columns() == 1);
  CHECK(ds.classes() == 0);
  CHECK(ds.source() == "numbered");
  CHECK(origins(ds) == std::vector<int>{0, 1, 2, 3, 4});
  const Dataset empty;
  CHECK(empty.size() == 0);
  CHECK(empty.features() == 0);
  CHECK(empty.source().empty());
}

TEST_CASE("Dataset: inconsistent tables are rejected", "[data]") {
  auto table = std::make_shared<Table>();
  table->features.resize(3, 2);
  table->targets.resize(2, 1);
  REQUIRE_THROWS_WITH(Dataset(table), Contains("features have 3 rows but targets have 2"));
  REQUIRE_THROWS_AS(Dataset(nullptr), InvalidArgument);
}

TEST_CASE("Dataset: gather copies whole rows and resizes only when the count changes", "[data]") {
  const Dataset ds = numbered(6);
  Matrix x, y;
  const std::vector<Eigen::Index> three = {4, 0, 2};
  ds.gather(three, x, y);
  REQUIRE(x.rows() == 3);
  CHECK(x(0, 0) == 4.0f);
  CHECK(x(0, 1) == 40.0f);
  CHECK(x(1, 1) == 0.0f);
  CHECK(y(2, 0) == 2.0f);
  const float* storage = x.data();
  const std::vector<Eigen::Index> other = {5, 5, 1};
  ds.gather(other, x, y);
  CHECK(x.data() == storage);  // same size, same buffer
  CHECK(x(0, 1) == 50.0f);
  const std::vector<Eigen::Index> bad = {6};
  REQUIRE_THROWS_WITH(ds.gather(bad, x, y), Contains("position 6 out of range [0, 6)"));
}

TEST_CASE("Dataset: take keeps the first rows", "[data]") {
  const Dataset ds = numbered(5);
  CHECK(origins(ds.take(2)) == std::vector<int>{0, 1});
  CHECK(ds.take(99).size() == 5);
  REQUIRE_THROWS_AS(ds.take(0), InvalidArgument);
  REQUIRE_THROWS_WITH(ds.take(-3), Contains("take: n must be positive, got -3"));
}

TEST_CASE("Dataset: split is a seeded partition with round(fraction * size) held out", "[data]") {
  const Dataset ds = numbered(10);
  const auto [rest, held] = ds.split(0.25, 7);  // 2.5 rounds away from zero
  CHECK(held.size() == 3);
  CHECK(rest.size() == 7);
  CHECK(held.source() == "numbered");
  std::vector<int> all = origins(rest);
  const std::vector<int> held_rows = origins(held);
  all.insert(all.end(), held_rows.begin(), held_rows.end());
  std::sort(all.begin(), all.end());
  CHECK(all == std::vector<int>{0, 1, 2, 3, 4, 5, 6, 7, 8, 9});
  const auto again = ds.split(0.25, 7);
  CHECK(origins(again.second) == held_rows);
  // Over a larger table two seeds practically never pick the same held-out rows.
  const Dataset big = numbered(1000);
  CHECK(origins(big.split(0.1, 1).second) != origins(big.split(0.1, 2).second));
  CHECK(big.split(0.1, 1).second.size() == 100);
}

TEST_CASE("Dataset: split rejects fractions outside (0, 1) and empty parts", "[data]") {
  const Dataset ds = numbered(10);
  REQUIRE_THROWS_AS(ds.split(0.0, 1), InvalidArgument);
  REQUIRE_THROWS_WITH(ds.split(1.0, 1), Contains("validation fraction must be in (0, 1), got 1"));
  REQUIRE_THROWS_WITH(ds.split(-0.5, 1), Contains("fraction must be in (0, 1)"));
  REQUIRE_THROWS_WITH(ds.split(std::nan(""), 1), Contains("fraction must be in (0, 1)"));
  REQUIRE_THROWS_WITH(ds.split(0.01, 1), Contains("of 10 rows leaves the held-out part empty"));
  REQUIRE_THROWS_WITH(ds.split(0.99, 1), Contains("of 10 rows leaves the remaining part empty"));
}
