#include "runtime/train/gradient_buckets.hpp"

#include <algorithm>

#include "runtime/parameter_arena.hpp"

namespace regimen::train {
namespace {
constexpr std::size_t kAlign = ParameterArena::kAlignFloats;
}  // namespace

GradientBuckets::GradientBuckets(Communicator& ranks, std::span<float> grads, std::size_t bucket_floats)
    : ranks_(ranks), grads_(grads), bucket_floats_(bucket_floats) {}

void GradientBuckets::ready(std::size_t begin, std::size_t end) {
  // A range joins the open bucket when only padding separates them (tensors start aligned, so
  // a gap shorter than the alignment holds no other tensor, whose gradient may not be final).
  const auto near = [](std::size_t low, std::size_t high) { return high >= low && high - low < kAlign; };
  if (begin_ != end_ && !near(end, begin_) && !near(end_, begin)) start_bucket();
  if (begin_ == end_) {
    begin_ = begin;
    end_ = end;
  } else {
    begin_ = std::min(begin_, begin);
    end_ = std::max(end_, end);
  }
  if (end_ - begin_ >= bucket_floats_) start_bucket();
}

void GradientBuckets::finish() {
  start_bucket();
  ranks_.wait_sums();
}

void GradientBuckets::start_bucket() {
  if (begin_ == end_) return;
  ranks_.start_sum(grads_.subspan(begin_, end_ - begin_));
  begin_ = end_ = 0;
}

}  // namespace regimen::train
