#include "interpreter/cli/mpi/mpi_communicator.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <thread>
#include <vector>

#include <mpi.h>

namespace regimen::cli {
namespace {

// MPI_COMM_WORLD with MPI's default error handler: a failed call, or a rank that dies, aborts
// the whole job (mpirun names the rank) instead of leaving the others waiting.
class MpiCommunicator final : public train::Communicator {
 public:
  MpiCommunicator() {
    MPI_Init(nullptr, nullptr);
    MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
    MPI_Comm_size(MPI_COMM_WORLD, &size_);
  }
  ~MpiCommunicator() override { MPI_Finalize(); }
  MpiCommunicator(const MpiCommunicator&) = delete;
  MpiCommunicator& operator=(const MpiCommunicator&) = delete;

  int rank() const override { return rank_; }
  int size() const override { return size_; }
  void sum(std::span<float> values) override { all_sum(values.data(), values.size(), MPI_FLOAT); }
  void sum(std::span<double> values) override { all_sum(values.data(), values.size(), MPI_DOUBLE); }
  void broadcast(std::span<float> values) override { from_rank_0(values.data(), values.size(), MPI_FLOAT); }
  void broadcast(std::span<char> bytes) override { from_rank_0(bytes.data(), bytes.size(), MPI_CHAR); }
  void start_sum(std::span<float> values) override {
    for (std::size_t done = 0; done < values.size(); done += kMaxCount) {
      const int n = static_cast<int>(std::min(kMaxCount, values.size() - done));
      requests_.emplace_back();
      MPI_Iallreduce(MPI_IN_PLACE, values.data() + done, n, MPI_FLOAT, MPI_SUM, MPI_COMM_WORLD, &requests_.back());
    }
    // Without a progress thread, MPI moves the earlier sums along only inside its calls.
    int all_done = 0;
    MPI_Testall(static_cast<int>(requests_.size()), requests_.data(), &all_done, MPI_STATUSES_IGNORE);
  }
  void wait_sums() override {
    MPI_Waitall(static_cast<int>(requests_.size()), requests_.data(), MPI_STATUSES_IGNORE);
    requests_.clear();
  }

 private:
  // MPI counts are ints: a buffer beyond 2^31 elements goes in pieces.
  static constexpr std::size_t kMaxCount = 1u << 30;

  template <typename T>
  void all_sum(T* data, std::size_t count, MPI_Datatype type) {
    for (std::size_t done = 0; done < count; done += kMaxCount) {
      const int n = static_cast<int>(std::min(kMaxCount, count - done));
      MPI_Allreduce(MPI_IN_PLACE, data + done, n, type, MPI_SUM, MPI_COMM_WORLD);
    }
  }
  template <typename T>
  void from_rank_0(T* data, std::size_t count, MPI_Datatype type) {
    for (std::size_t done = 0; done < count; done += kMaxCount) {
      const int n = static_cast<int>(std::min(kMaxCount, count - done));
      MPI_Bcast(data + done, n, type, 0, MPI_COMM_WORLD);
    }
  }

  int rank_ = 0;
  int size_ = 1;
  std::vector<MPI_Request> requests_;  // started sums; MPI_REQUEST_NULL once Testall saw them done
};

// Open MPI, MPICH and Slurm's launchers set these in every rank's environment.
bool launched_by_mpi() {
  for (const char* name : {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_RANK"})
    if (std::getenv(name) != nullptr) return true;
  return false;
}

}  // namespace

std::unique_ptr<train::Communicator> join_mpi_job() {
  if (!launched_by_mpi()) return nullptr;
  auto job = std::make_unique<MpiCommunicator>();
  if (job->size() == 1) return nullptr;  // mpirun -np 1: a single process, as without mpirun
  return job;
}

}  // namespace regimen::cli

namespace regimen::cli {

// A barrier that sleeps: a rank of a sweep with no trial left waits here while the others' trials
// run, and Open MPI's blocking calls would spin on a core those trials need.
void wait_for_all_ranks(train::Communicator&) {
  MPI_Request request;
  MPI_Ibarrier(MPI_COMM_WORLD, &request);
  for (int done = 0; MPI_Test(&request, &done, MPI_STATUS_IGNORE), !done;)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
}

void abort_mpi_job(int code) {
  std::fflush(nullptr);
  MPI_Abort(MPI_COMM_WORLD, code);
  std::_Exit(code);  // not reached: MPI_Abort does not return
}

}  // namespace regimen::cli
