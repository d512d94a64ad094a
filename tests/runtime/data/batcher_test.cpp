#include "runtime/data/batcher.hpp"

#include <algorithm>
#include <catch2/catch.hpp>

#include "runtime/error.hpp"

using Catch::Contains;
using regimen::InvalidArgument;
using regimen::Matrix;
using regimen::data::Batcher;
using regimen::data::Dataset;
using regimen::data::Table;

namespace {

/// n rows whose single feature and target are the row number.
Dataset numbered(Eigen::Index n) {
  auto table = std::make_shared<Table>();
  table->features.resize(n, 1);
  table->targets.resize(n, 1);
  for (Eigen::Index i = 0; i < n; ++i)
    table->features(i, 0) = table->targets(i, 0) = static_cast<float>(i);
  return Dataset(std::move(table));
}

/// The row numbers of one epoch, in batch order, and the size of every batch.
std::vector<int> epoch_rows(Batcher& batcher, std::int64_t epoch,
                            std::vector<Eigen::Index>* sizes = nullptr) {
  batcher.start_epoch(epoch);
  std::vector<int> rows;
  Matrix x, y;
  while (batcher.next(x, y)) {
    if (sizes) sizes->push_back(x.rows());
    for (Eigen::Index i = 0; i < x.rows(); ++i) {
      CHECK(x(i, 0) == y(i, 0));
      rows.push_back(static_cast<int>(x(i, 0)));
    }
  }
  return rows;
}

bool is_permutation_of_range(std::vector<int> rows, int n) {
  std::sort(rows.begin(), rows.end());
  for (int i = 0; i < n; ++i) {
    if (rows[static_cast<std::size_t>(i)] != i) return false;
  }
  return static_cast<int>(rows.size()) == n;
}

}  // namespace

TEST_CASE("Batcher: without shuffling, batches follow the dataset and the last one is short",
          "[data]") {
  Batcher batcher(numbered(10), 4, false, 0);
  CHECK(batcher.batches_per_epoch() == 3);
  std::vector<Eigen::Index> sizes;
  CHECK(epoch_rows(batcher, 0, &sizes) == std::vector<int>{0, 1, 2, 3, 4, 5, 6, 7, 8, 9});
  CHECK(sizes == std::vector<Eigen::Index>{4, 4, 2});
  CHECK(epoch_rows(batcher, 5) == epoch_rows(batcher, 0));
  Matrix x, y;
  CHECK_FALSE(batcher.next(x, y));  // stays at the end until the next start_epoch
}

TEST_CASE("Batcher: every sample appears exactly once per shuffled epoch", "[data]") {
  Batcher batcher(numbered(103), 8, true, 42);
  CHECK(batcher.batches_per_epoch() == 13);
  for (std::int64_t epoch = 0; epoch < 4; ++epoch) {
    std::vector<Eigen::Index> sizes;
    const auto rows = epoch_rows(batcher, epoch, &sizes);
    CHECK(is_permutation_of_range(rows, 103));
    CHECK(sizes.size() == 13);
    CHECK(sizes.back() == 7);
  }
}

TEST_CASE("Batcher: an epoch's order depends only on the seed and the epoch", "[data]") {
  const Dataset ds = numbered(50);
  Batcher a(ds, 7, true, 1);
  Batcher b(ds, 7, true, 1);
  const auto a0 = epoch_rows(a, 0);
  const auto a1 = epoch_rows(a, 1);
  const auto a2 = epoch_rows(a, 2);
  CHECK(a0 != a1);
  CHECK(a1 != a2);
  CHECK(a0 != std::vector<int>(a0.size()));
  // b jumps straight to epoch 2, as a resumed run would.
  CHECK(epoch_rows(b, 2) == a2);
  CHECK(epoch_rows(b, 0) == a0);
  Batcher c(ds, 7, true, 2);
  CHECK(epoch_rows(c, 0) != a0);
}

TEST_CASE("Batcher: steady batches reuse the caller's buffers", "[data]") {
  Batcher batcher(numbered(12), 4, true, 3);
  Matrix x, y;
  REQUIRE(batcher.next(x, y));
  const float* storage = x.data();
  REQUIRE(batcher.next(x, y));
  CHECK(x.data() == storage);
}

TEST_CASE("Batcher: bad arguments are rejected", "[data]") {
  REQUIRE_THROWS_WITH(Batcher(numbered(3), 0, false, 0),
                      Contains("batch_size must be positive, got 0"));
  REQUIRE_THROWS_WITH(Batcher(Dataset(), 4, false, 0), Contains("the dataset is empty"));
  Batcher batcher(numbered(3), 2, false, 0);
  REQUIRE_THROWS_AS(batcher.start_epoch(-1), InvalidArgument);
}

TEST_CASE("Batcher: ranks' shards split every batch into contiguous shares of the whole order", "[data]") {
  // 11 rows, batches of 4 (4, 4, 3) over 3 ranks: shares [n·r/3, n·(r+1)/3) of each batch, so
  // the last batch gives rank 0 one row, rank 1 one, rank 2 one; a batch of 4 gives 1, 1, 2.
  Batcher whole(numbered(11), 4, true, 9);
  const std::vector<int> order = epoch_rows(whole, 2);
  std::vector<std::vector<int>> shards(3);
  std::vector<std::vector<Eigen::Index>> batch_rows(3);
  for (int rank = 0; rank < 3; ++rank) {
    Batcher batcher(numbered(11), 4, true, 9);
    batcher.set_shard(rank, 3);
    batcher.start_epoch(2);
    Matrix x, y;
    while (batcher.next(x, y)) {
      batch_rows[static_cast<std::size_t>(rank)].push_back(batcher.batch_rows());
      REQUIRE(batcher.positions().size() == static_cast<std::size_t>(x.rows()));
      for (Eigen::Index i = 0; i < x.rows(); ++i) {
        CHECK(batcher.positions()[static_cast<std::size_t>(i)] == static_cast<Eigen::Index>(x(i, 0)));
        shards[static_cast<std::size_t>(rank)].push_back(static_cast<int>(x(i, 0)));
      }
    }
    CHECK(batch_rows[static_cast<std::size_t>(rank)] == std::vector<Eigen::Index>{4, 4, 3});
  }
  // Putting the shares of each batch back in rank order gives the whole run's order.
  std::vector<int> joined;
  std::size_t at[3] = {0, 0, 0};
  for (Eigen::Index count : {4, 4, 3}) {
    for (int rank = 0; rank < 3; ++rank) {
      const Eigen::Index share = count * (rank + 1) / 3 - count * rank / 3;
      for (Eigen::Index i = 0; i < share; ++i) joined.push_back(shards[static_cast<std::size_t>(rank)][at[rank]++]);
    }
  }
  CHECK(joined == order);
  CHECK_THROWS_AS(Batcher(numbered(4), 2, false, 0).set_shard(2, 2), InvalidArgument);
}
