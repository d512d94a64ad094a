#pragma once
// Overlap of data-parallel communication with backpropagation, as PyTorch's DDP does it: the
// gradient arena is summed over the ranks in buckets of adjacent layers, each started as soon
// as backpropagation has finished its layers, while earlier layers still compute.
#include <cstddef>
#include <span>

#include "runtime/train/communicator.hpp"

namespace regimen::train {

/// Collects the ranges Model::backward reports final, last layer first, into buckets of at least
/// `bucket_floats` adjacent floats and starts each bucket's sum over the ranks.
class GradientBuckets {
 public:
  /// Sums over `ranks` the parts of `grads` reported ready; `bucket_floats` > 0.
  GradientBuckets(Communicator& ranks, std::span<float> grads, std::size_t bucket_floats);
  /// Floats [begin, end) of the gradient are final; ranges come in descending order.
  void ready(std::size_t begin, std::size_t end);
  /// Starts the last, partial bucket and waits for every sum: the gradient is then the ranks' sum.
  void finish();

 private:
  void start_bucket();

  Communicator& ranks_;
  std::span<float> grads_;
  std::size_t bucket_floats_;
  std::size_t begin_ = 0, end_ = 0;  ///< the open bucket; empty when begin_ == end_
};

}  // namespace regimen::train
