// The MPI job functions of a CLI built without MPI (REGIMEN_MPI off, or no MPI found). Started
// by mpirun anyway, every rank would train the whole run alone: refused.
#include <cstdio>
#include <cstdlib>
#include <stdexcept>

#include "interpreter/cli/mpi/mpi_communicator.hpp"

namespace regimen::cli {

std::unique_ptr<train::Communicator> join_mpi_job() {
  const char* size = std::getenv("OMPI_COMM_WORLD_SIZE");
  if (size != nullptr && std::atoi(size) > 1)
    throw std::runtime_error("this regimen was built without MPI (REGIMEN_MPI): run it as one process");
  return nullptr;
}

// Not reached: join_mpi_job() gives no ranks to split, wait for or count.
std::unique_ptr<train::Communicator> split_mpi_job(train::Communicator&, int) {
  throw std::logic_error("split_mpi_job: this regimen was built without MPI");
}

std::optional<GroupTrialEnd> end_group_trial(train::Communicator&, bool failed, double) {
  return GroupTrialEnd{failed, failed, true};
}

void wait_for_all_ranks(train::Communicator& ranks) {
  double arrived = 1.0;
  ranks.sum(std::span<double>(&arrived, 1));
}

void abort_mpi_job(int code) {
  std::fflush(nullptr);
  std::_Exit(code);
}

}  // namespace regimen::cli
