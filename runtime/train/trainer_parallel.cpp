// The trainer's data-parallel side (docs/scaling.md): each rank's shard of a batch, the
// gradient summed over the ranks while backpropagation runs, the epoch's training metrics
// summed, rank 0's batch norm statistics and stop decisions, its starting state, and each
// rank's own random numbers. Nothing here runs without a Communicator.
#include <cstdint>
#include <string>
#include <vector>

#include "runtime/train/gradient_buckets.hpp"
#include "runtime/train/trainer.hpp"

namespace regimen::train {

// Backpropagates this rank's shard. Data-parallel, the batch that closes an update group starts
// summing each bucket of the gradient over the ranks as soon as backpropagation has finished it
// (a rank without rows starts the same sums, in the same order, on what it has).
void Trainer::backpropagate(bool computes, bool closes_group) {
  if (!ranks_ || !closes_group) {
    if (computes) model_.backward(grad_);
    return;
  }
  GradientBuckets& buckets = buckets_.emplace(*ranks_, model_.arena().grads(), kBucketFloats);
  if (computes) {
    model_.backward(grad_, [&](std::size_t begin, std::size_t end) { buckets.ready(begin, end); });
  } else {
    for (const auto& [begin, end] : model_.gradient_ranges()) buckets.ready(begin, end);
  }
}

// The group's gradient summed over the ranks: the buckets started by backpropagate(), or the
// whole arena at once when no batch closed the group (one dropped by on_nan, say).
void Trainer::sum_gradients() {
  if (buckets_) {
    buckets_->finish();
    buckets_.reset();
  } else {
    ranks_->sum(model_.arena().grads());
  }
}

// Rank 0's verdict, on every rank, with a stop's reason: ranks that stopped at different steps
// would wait for each other forever. One process: the verdict as it is.
Trainer::Verdict Trainer::agree_on(Verdict verdict, std::string& reason) {
  if (!ranks_) return verdict;
  char decided = static_cast<char>(verdict);
  ranks_->broadcast(std::span<char>(&decided, 1));
  if (static_cast<Verdict>(decided) == Verdict::kStop) reason = broadcast_text(*ranks_, reason);
  return static_cast<Verdict>(decided);
}

// Data-parallel: rank 0's starting point on every rank. A fresh run needs rank 0's weights; a
// resumed one everything rank 0 restored, its callbacks' state aside: those decide stops, and
// only rank 0's decisions count. So a checkpoint resumes on any number of ranks.
void Trainer::share_start_state() {
  char resumed = resumed_ ? 1 : 0;
  ranks_->broadcast(std::span<char>(&resumed, 1));
  if (resumed == 0) {
    ranks_->broadcast(model_.arena().values());
    return;
  }
  std::string bytes;
  if (ranks_->rank() == 0) {
    const std::vector<std::byte> encoded = io::encode_checkpoint(resumed_from_);
    bytes.assign(reinterpret_cast<const char*>(encoded.data()), encoded.size());
  }
  bytes = broadcast_text(*ranks_, std::move(bytes));
  if (ranks_->rank() != 0) {
    restore(io::decode_checkpoint(std::as_bytes(std::span<const char>(bytes)), "rank 0's state"), "rank 0's state", false);
    // The checkpoint's counters of a partial epoch are rank 0's shard's; the epoch's end sums
    // every rank's, so only rank 0 keeps them.
    train_metrics_.reset();
  }
  resumed_from_.clear();
}

// Rank 0's running statistics (batch norm's) on every rank, as PyTorch's DDP broadcasts its
// buffers: each rank updated its own from its shard, and validation, a plateau schedule fed by
// it, and the saved model must see one set.
void Trainer::share_buffers() {
  model_.read_buffers(shared_buffers_);
  if (shared_buffers_.empty()) return;
  ranks_->broadcast(std::span<float>(shared_buffers_));
  model_.write_buffers(shared_buffers_);
}

// Each rank's layers draw their own random numbers (dropout masks) for their own rows: rank r
// forks its streams by r, rank 0 keeps the ones a single process would have, and a checkpoint
// holds rank 0's. Without this, row i of every shard would get the same mask.
void Trainer::draw_own_random_numbers() {
  if (ranks_->rank() == 0) return;
  for (const nn::NamedLayer& layer : model_.layers())
    for (Random* stream : layer.layer->random_streams()) *stream = stream->fork(static_cast<std::uint64_t>(ranks_->rank()));
}

// The epoch's training metrics over every rank's rows (each rank counted its own shard's).
void Trainer::merge_train_metrics() {
  std::vector<double> counters = train_metrics_.additive_counters();
  ranks_->sum(std::span<double>(counters));
  train_metrics_.set_additive_counters(counters);
}

}  // namespace regimen::train
