#pragma once
// The ranks of an MPI job (mpirun -np N regimen run ...) as the trainer's Communicator.
#include <memory>

#include "runtime/train/communicator.hpp"

namespace regimen::cli {

/// The MPI job this process belongs to, or null when it was not started by an MPI launcher, or
/// as its only rank (or the CLI was built without MPI). Initializes MPI; it is finalized when the pointer dies.
std::unique_ptr<train::Communicator> join_mpi_job();

/// Sends this process's standard output nowhere: under mpirun, rank 0 alone reports.
void silence_stdout();

/// Returns once every rank has called it.
void wait_for_all_ranks(train::Communicator& ranks);

/// Ends every rank of the job with exit code `code` (the failing rank has said why); without
/// MPI, this process.
[[noreturn]] void abort_mpi_job(int code);

}  // namespace regimen::cli
