#pragma once
// The collectives data-parallel training needs (docs/scaling.md). The runtime only sees this
// interface: an MPI job's implementation lives with the CLI (interpreter/cli/mpi/), and a host
// may bring its own. A Trainer without one is a single process.
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

namespace regimen::train {

/// A fixed group of ranks that train one model together, each on its shard of every batch.
class Communicator {
 public:
  virtual ~Communicator() = default;
  /// This process's rank, 0..size()-1; rank 0 prints, writes files and decides when to stop.
  virtual int rank() const = 0;
  /// The number of ranks.
  virtual int size() const = 0;
  /// Sums `values` element-wise over the ranks, in place, on every rank.
  virtual void sum(std::span<float> values) = 0;
  virtual void sum(std::span<double> values) = 0;
  /// Overwrites every rank's `values` with rank 0's.
  virtual void broadcast(std::span<float> values) = 0;
  virtual void broadcast(std::span<char> bytes) = 0;
  /// Starts sum(values) in the background: `values` must stay untouched until wait_sums().
  /// The default sums at once; an implementation with non-blocking collectives overlaps them
  /// with the computation that follows.
  virtual void start_sum(std::span<float> values) { sum(values); }
  /// Returns once every started sum has completed.
  virtual void wait_sums() {}
};

/// Rank 0's `text` (any bytes: a reason, an encoded checkpoint) on every rank.
inline std::string broadcast_text(Communicator& ranks, std::string text) {
  std::uint64_t length = text.size();
  ranks.broadcast(std::span<char>(reinterpret_cast<char*>(&length), sizeof length));
  text.resize(static_cast<std::size_t>(length));
  ranks.broadcast(std::span<char>(text.data(), text.size()));
  return text;
}

}  // namespace regimen::train
