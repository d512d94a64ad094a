#include "interpreter/cli/mpi/mpi_communicator.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <thread>
#include <vector>

#include <mpi.h>

namespace regimen::cli {
namespace {

// A communicator with MPI's default error handler: a failed call, or a rank that dies, aborts
// the whole job (mpirun names the rank) instead of leaving the others waiting.
class MpiCommunicator : public train::Communicator {
 public:
  explicit MpiCommunicator(MPI_Comm comm) : comm_(comm) {
    MPI_Comm_rank(comm_, &rank_);
    MPI_Comm_size(comm_, &size_);
  }
  MpiCommunicator(const MpiCommunicator&) = delete;
  MpiCommunicator& operator=(const MpiCommunicator&) = delete;

  MPI_Comm comm() const { return comm_; }
  /// The collectives this rank has called: equal on every rank unless one left the others' sequence.
  long long collectives() const { return collectives_; }
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
      ++collectives_;
      MPI_Iallreduce(MPI_IN_PLACE, values.data() + done, n, MPI_FLOAT, MPI_SUM, comm_, &requests_.back());
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
      ++collectives_;
      MPI_Allreduce(MPI_IN_PLACE, data + done, n, type, MPI_SUM, comm_);
    }
  }
  template <typename T>
  void from_rank_0(T* data, std::size_t count, MPI_Datatype type) {
    for (std::size_t done = 0; done < count; done += kMaxCount) {
      const int n = static_cast<int>(std::min(kMaxCount, count - done));
      ++collectives_;
      MPI_Bcast(data + done, n, type, 0, comm_);
    }
  }

  MPI_Comm comm_;
  int rank_ = 0;
  int size_ = 1;
  long long collectives_ = 0;
  std::vector<MPI_Request> requests_;  // started sums; MPI_REQUEST_NULL once Testall saw them done
};

// MPI itself, up from before the job's communicator is made until after it is gone.
struct MpiRuntime {
  MpiRuntime() { MPI_Init(nullptr, nullptr); }
  ~MpiRuntime() { MPI_Finalize(); }
  MpiRuntime(const MpiRuntime&) = delete;
  MpiRuntime& operator=(const MpiRuntime&) = delete;
};

// MPI_COMM_WORLD: every rank mpirun started.
class MpiJob final : private MpiRuntime, public MpiCommunicator {
 public:
  MpiJob() : MpiCommunicator(MPI_COMM_WORLD) {}
};

// A group of the job's ranks, with a second communicator of the same ranks for counting
// failures: its collectives never match the group's own.
class MpiGroup final : public MpiCommunicator {
 public:
  MpiGroup(MPI_Comm comm, MPI_Comm control) : MpiCommunicator(comm), control_(control) {}
  ~MpiGroup() override {
    MPI_Comm group = comm();
    MPI_Comm_free(&group);
    MPI_Comm_free(&control_);
  }
  MPI_Comm control() const { return control_; }

 private:
  MPI_Comm control_;
};

// Open MPI, MPICH and Slurm's launchers set these in every rank's environment.
bool launched_by_mpi() {
  for (const char* name : {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_RANK"})
    if (std::getenv(name) != nullptr) return true;
  return false;
}

// Waits for `request`, sleeping between tests: Open MPI's blocking calls would spin on a core
// that another rank's training needs. False when `deadline` passed first.
bool sleep_until_done(MPI_Request& request, std::chrono::steady_clock::time_point deadline) {
  for (int done = 0; MPI_Test(&request, &done, MPI_STATUS_IGNORE), !done;) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return true;
}

}  // namespace

std::unique_ptr<train::Communicator> join_mpi_job() {
  if (!launched_by_mpi()) return nullptr;
  auto job = std::make_unique<MpiJob>();
  if (job->size() == 1) return nullptr;  // mpirun -np 1: a single process, as without mpirun
  return job;
}

std::unique_ptr<train::Communicator> split_mpi_job(train::Communicator& job, int group_size) {
  if (group_size < 1 || job.size() % group_size != 0)
    throw std::invalid_argument("split_mpi_job: groups of " + std::to_string(group_size) + " do not tile " +
                                std::to_string(job.size()) + " ranks");
  MPI_Comm group = MPI_COMM_NULL, control = MPI_COMM_NULL;
  MPI_Comm_split(dynamic_cast<MpiCommunicator&>(job).comm(), job.rank() / group_size, job.rank(), &group);
  MPI_Comm_dup(group, &control);
  return std::make_unique<MpiGroup>(group, control);
}

std::optional<GroupTrialEnd> end_group_trial(train::Communicator& group, bool failed, double patience_seconds) {
  auto& ranks = dynamic_cast<MpiGroup&>(group);
  // The largest of each: whether a rank failed, whether rank 0 did, the most and the fewest
  // collectives called.
  long long said[4] = {failed, failed && ranks.rank() == 0, ranks.collectives(), -ranks.collectives()};
  MPI_Request request;
  MPI_Iallreduce(MPI_IN_PLACE, said, 4, MPI_LONG_LONG, MPI_MAX, ranks.control(), &request);
  const auto never = std::chrono::steady_clock::time_point::max();
  const auto patience = std::chrono::duration_cast<std::chrono::steady_clock::duration>(std::chrono::duration<double>(patience_seconds));
  if (!sleep_until_done(request, failed ? std::chrono::steady_clock::now() + patience : never)) return std::nullopt;
  return GroupTrialEnd{said[0] > 0, said[1] > 0, said[2] == -said[3]};
}

// A barrier that sleeps: a rank of a sweep with no trial left waits here while the others' trials
// run.
void wait_for_all_ranks(train::Communicator& ranks) {
  MPI_Request request;
  MPI_Ibarrier(dynamic_cast<MpiCommunicator&>(ranks).comm(), &request);
  sleep_until_done(request, std::chrono::steady_clock::time_point::max());
}

void abort_mpi_job(int code) {
  std::fflush(nullptr);
  MPI_Abort(MPI_COMM_WORLD, code);
  std::_Exit(code);  // not reached: MPI_Abort does not return
}

}  // namespace regimen::cli
