#pragma once
// Overlap of data-parallel communication with backpropagation, as PyTorch's DDP does it: the
// gradient arena is summed over the ranks in buckets of adjacent layers, each started as soon
// as backpropagation has finished its layers, while earlier layers still compute.
#include <cstddef>
#include <map>
#include <span>

#include "runtime/train/communicator.hpp"

namespace regimen::train {

/// Collects the ranges Model::backward reports final into buckets of adjacent floats and starts
/// each bucket's sum over the ranks once it holds `bucket_floats`. A range joins whichever open
/// bucket it touches, so tensors that parameter groups placed apart in the arena (weights in
/// one group, biases in another) still fill a few large buckets rather than one sum each.
class GradientBuckets {
 public:
  /// Sums over `ranks` the parts of `grads` reported ready; `bucket_floats` > 0.
  GradientBuckets(Communicator& ranks, std::span<float> grads, std::size_t bucket_floats);
  /// Floats [begin, end) of the gradient are final; every rank reports the same ranges in the
  /// same order, and no float twice.
  void ready(std::size_t begin, std::size_t end);
  /// Starts the partial buckets, last in the arena first, and waits for every sum: the gradient
  /// is then the ranks' sum.
  void finish();

 private:
  void start(std::map<std::size_t, std::size_t>::iterator bucket);

  Communicator& ranks_;
  std::span<float> grads_;
  std::size_t bucket_floats_;
  std::map<std::size_t, std::size_t> open_;  ///< the buckets not started yet: begin -> end
};

}  // namespace regimen::train
