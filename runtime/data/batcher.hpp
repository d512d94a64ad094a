#pragma once
// Mini-batches over a dataset, epoch by epoch. An epoch's order is a pure function of
// (seed, epoch): it is drawn from Random(seed).fork(epoch), never from the previous epoch's
// state, so a run resumed at epoch e sees exactly the batches the uninterrupted run saw.
#include <cstdint>
#include <span>
#include <vector>

#include "runtime/data/dataset.hpp"
#include "runtime/tensor.hpp"

namespace regimen::data {

/// Cuts a dataset into mini-batches; the last batch of an epoch may be smaller.
class Batcher {
 public:
  /// Batches of `batch_size` rows of `dataset` (a cheap copy of the view is kept), shuffled per
  /// epoch when `shuffle`. Throws InvalidArgument for an empty dataset or batch_size <= 0.
  /// Epoch 0 is started.
  Batcher(const Dataset& dataset, Index batch_size, bool shuffle, std::uint64_t seed);

  /// Data-parallel: from now on next() gathers only rank `rank`'s contiguous share of each
  /// batch, rows [n·rank/size, n·(rank+1)/size) of its n (a share may be empty). The batches,
  /// their order and their sizes stay those of the whole run.
  void set_shard(int rank, int size);
  /// Rewinds to the first batch of `epoch` (>= 0), computing that epoch's order.
  void start_epoch(std::int64_t epoch);
  /// Fills x and y with the next batch and returns true, or returns false at the end of the
  /// epoch. x and y are reallocated only when the batch's row count changes.
  bool next(Matrix& x, Matrix& y);
  /// The dataset positions (0..size-1) of the rows of the batch next() filled last, in row
  /// order: what keys a sample's own random stream (augmentation), whatever the batch order.
  std::span<const Index> positions() const {
    return std::span<const Index>(order_.data() + last_ + shard_begin_, static_cast<std::size_t>(shard_rows_));
  }
  /// The rows of the whole batch next() filled last (its shard's rows are x.rows()).
  Index batch_rows() const { return cursor_ - last_; }
  /// Batches per epoch: ceil(size / batch_size).
  Index batches_per_epoch() const;

  Index batch_size() const { return batch_size_; }
  const Dataset& dataset() const { return dataset_; }

 private:
  Dataset dataset_;
  Index batch_size_;
  bool shuffle_;
  std::uint64_t seed_;
  std::vector<Index> order_;  ///< this epoch's positions, reused across epochs
  Index cursor_ = 0;          ///< index into order_ of the next batch's first row
  Index last_ = 0;            ///< index into order_ of the last batch's first row
  int rank_ = 0, ranks_ = 1;  ///< the shard next() gathers
  Index shard_begin_ = 0;     ///< the last batch's shard: its first row within the batch ...
  Index shard_rows_ = 0;      ///< ... and its rows
};

}  // namespace regimen::data
