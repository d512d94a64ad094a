#include "runtime/train/gradient_buckets.hpp"

#include <iterator>

#include "runtime/parameter_arena.hpp"

namespace regimen::train {
namespace {
constexpr std::size_t kAlign = ParameterArena::kAlignFloats;
}  // namespace

GradientBuckets::GradientBuckets(Communicator& ranks, std::span<float> grads, std::size_t bucket_floats)
    : ranks_(ranks), grads_(grads), bucket_floats_(bucket_floats) {}

// A range joins an open bucket when only padding separates them: tensors start aligned, so a
// gap shorter than the alignment holds no other tensor, whose gradient may not be final.
void GradientBuckets::ready(std::size_t begin, std::size_t end) {
  auto after = open_.lower_bound(begin);  // the first bucket at or above the range
  if (after != open_.end() && after->first - end < kAlign) {
    end = after->second;
    after = open_.erase(after);
  }
  if (after != open_.begin()) {
    const auto before = std::prev(after);
    if (begin - before->second < kAlign) {
      begin = before->first;
      open_.erase(before);
    }
  }
  const auto bucket = open_.emplace(begin, end).first;
  if (end - begin >= bucket_floats_) start(bucket);
}

void GradientBuckets::finish() {
  while (!open_.empty()) start(std::prev(open_.end()));
  ranks_.wait_sums();
}

void GradientBuckets::start(std::map<std::size_t, std::size_t>::iterator bucket) {
  ranks_.start_sum(grads_.subspan(bucket->first, bucket->second - bucket->first));
  open_.erase(bucket);
}

}  // namespace regimen::train
