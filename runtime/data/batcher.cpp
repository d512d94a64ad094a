#include "runtime/data/batcher.hpp"

#include <algorithm>
#include <numeric>
#include <span>
#include <string>

#include "runtime/error.hpp"
#include "runtime/random.hpp"

namespace regimen::data {

Batcher::Batcher(const Dataset& dataset, Index batch_size, bool shuffle, std::uint64_t seed)
    : dataset_(dataset), batch_size_(batch_size), shuffle_(shuffle), seed_(seed) {
  if (batch_size <= 0) {
    throw InvalidArgument("Batcher: batch_size must be positive, got " +
                          std::to_string(batch_size));
  }
  if (dataset.size() == 0) throw InvalidArgument("Batcher: the dataset is empty");
  order_.resize(static_cast<std::size_t>(dataset.size()));
  start_epoch(0);
}

void Batcher::start_epoch(std::int64_t epoch) {
  if (epoch < 0) throw InvalidArgument("Batcher: epoch must be >= 0, got " + std::to_string(epoch));
  // Reset to the identity first so the permutation depends on nothing but (seed, epoch).
  std::iota(order_.begin(), order_.end(), Index{0});
  if (shuffle_)
    Random(seed_).fork(static_cast<std::uint64_t>(epoch)).shuffle(std::span<Index>(order_));
  cursor_ = 0;
  last_ = 0;
}

void Batcher::set_shard(int rank, int size) {
  if (size < 1 || rank < 0 || rank >= size)
    throw InvalidArgument("Batcher: rank " + std::to_string(rank) + " of " + std::to_string(size));
  rank_ = rank;
  ranks_ = size;
}

bool Batcher::next(Matrix& x, Matrix& y) {
  const Index n = dataset_.size();
  if (cursor_ >= n) return false;
  const Index count = std::min(batch_size_, n - cursor_);
  shard_begin_ = count * rank_ / ranks_;
  shard_rows_ = count * (rank_ + 1) / ranks_ - shard_begin_;
  dataset_.gather(std::span<const Index>(order_.data() + cursor_ + shard_begin_, static_cast<std::size_t>(shard_rows_)),
                  x, y);
  last_ = cursor_;
  cursor_ += count;
  return true;
}

Index Batcher::batches_per_epoch() const {
  return (dataset_.size() + batch_size_ - 1) / batch_size_;
}

}  // namespace regimen::data
