#pragma once
// The ranks of an MPI job (mpirun -np N regimen run ...) as the trainer's Communicator.
#include <memory>
#include <optional>

#include "runtime/train/communicator.hpp"

namespace regimen::cli {

/// The MPI job this process belongs to, or null when it was not started by an MPI launcher, or
/// as its only rank (or the CLI was built without MPI). Initializes MPI; it is finalized when the pointer dies.
std::unique_ptr<train::Communicator> join_mpi_job();

/// This rank's group when the ranks of `job` (from join_mpi_job) are cut into groups of
/// `group_size` consecutive ranks (0..k-1, k..2k-1, ...): a communicator of its own, rank 0 its
/// lowest rank. `group_size` must divide job.size(). Dies before `job`.
std::unique_ptr<train::Communicator> split_mpi_job(train::Communicator& job, int group_size);

/// What the ranks of a group say as a trial ends there.
struct GroupTrialEnd {
  bool any_failed = false;   ///< on some rank, the trial failed
  bool first_failed = false; ///< on the group's rank 0, it failed
  bool in_step = true;       ///< every rank called the group's collectives equally often
};

/// Every rank of `group` (from split_mpi_job) says whether its trial `failed`. It counts apart
/// from the group's other collectives, so a rank that failed halfway through one does not
/// deadlock: it waits at most `patience_seconds` for the others, then gets nullopt (they are
/// stuck in a collective it left). The others wait as long as it takes.
std::optional<GroupTrialEnd> end_group_trial(train::Communicator& group, bool failed, double patience_seconds);

/// Sends this process's standard output nowhere: under mpirun, rank 0 alone reports.
void silence_stdout();

/// Returns once every rank of `ranks` (the job, or a group of it) has called it.
void wait_for_all_ranks(train::Communicator& ranks);

/// Ends every rank of the job with exit code `code` (the failing rank has said why); without
/// MPI, this process.
[[noreturn]] void abort_mpi_job(int code);

}  // namespace regimen::cli
