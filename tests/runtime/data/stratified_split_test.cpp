#include <catch2/catch.hpp>
#include <map>
#include <numeric>

#include "runtime/data/dataset.hpp"
#include "runtime/error.hpp"

using Catch::Contains;
using regimen::Matrix;
using regimen::data::Dataset;
using regimen::data::Table;

namespace {

// Class c has counts[c] rows; feature 0 is the row number, so rows can be told apart.
Dataset imbalanced(const std::vector<int>& counts) {
  auto table = std::make_shared<Table>();
  const int n = std::accumulate(counts.begin(), counts.end(), 0);
  table->features.resize(n, 1);
  table->targets.resize(n, 1);
  int row = 0;
  for (std::size_t c = 0; c < counts.size(); ++c) {
    for (int k = 0; k < counts[c]; ++k, ++row) {
      table->features(row, 0) = static_cast<float>(row);
      table->targets(row, 0) = static_cast<float>(c);
    }
  }
  table->classes = static_cast<int>(counts.size());
  return Dataset(std::move(table));
}

std::map<int, int> class_counts(const Dataset& ds, std::vector<int>* rows = nullptr) {
  std::vector<Eigen::Index> positions(static_cast<std::size_t>(ds.size()));
  std::iota(positions.begin(), positions.end(), Eigen::Index{0});
  Matrix x, y;
  ds.gather(positions, x, y);
  std::map<int, int> counts;
  for (Eigen::Index i = 0; i < y.rows(); ++i) {
    ++counts[static_cast<int>(y(i, 0))];
    if (rows) rows->push_back(static_cast<int>(x(i, 0)));
  }
  return counts;
}

}  // namespace

TEST_CASE("Stratified split: holds out round(fraction * count) of every class", "[data]") {
  // 90 / 7 / 3 rows: an unstratified 10% split of 100 rows often misses class 2 entirely.
  const Dataset ds = imbalanced({90, 7, 3});
  const auto [rest, held] = ds.split(0.1, 5, true);
  // round(9) = 9, round(0.7) = 1, round(0.3) = 0
  CHECK(class_counts(held) == std::map<int, int>{{0, 9}, {1, 1}});
  CHECK(class_counts(rest) == std::map<int, int>{{0, 81}, {1, 6}, {2, 3}});
  std::vector<int> rows;
  class_counts(rest, &rows);
  class_counts(held, &rows);
  std::sort(rows.begin(), rows.end());
  std::vector<int> all(100);
  std::iota(all.begin(), all.end(), 0);
  CHECK(rows == all);  // a partition: every row once
}

TEST_CASE("Stratified split: the seed picks the rows, the same seed the same rows", "[data]") {
  const Dataset ds = imbalanced({500, 500});
  std::vector<int> first, again, other;
  class_counts(ds.split(0.2, 1, true).second, &first);
  class_counts(ds.split(0.2, 1, true).second, &again);
  class_counts(ds.split(0.2, 2, true).second, &other);
  CHECK(first == again);
  CHECK(first != other);
  CHECK(class_counts(ds.split(0.2, 1, true).second) == std::map<int, int>{{0, 100}, {1, 100}});
}

TEST_CASE("Stratified split: a regression dataset or an empty part is an error", "[data]") {
  auto table = std::make_shared<Table>();
  table->features = Matrix::Zero(10, 1);
  table->targets = Matrix::Zero(10, 1);
  const Dataset regression{table};
  REQUIRE_THROWS_WITH(regression.split(0.5, 1, true),
                      Contains("stratify needs class targets, and this dataset is a regression"));
  REQUIRE_THROWS_WITH(imbalanced({3, 3}).split(0.1, 1, true), Contains("leaves the held-out part empty"));
}
