#include "interpreter/cli/sweep_trials.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <csignal>
#include <fstream>
#include <limits>
#include <stdexcept>

#include <boost/program_options.hpp>
#include <nlohmann/json.hpp>

namespace regimen::cli {
namespace {

struct Child {
  const SweepTrial* trial = nullptr;
  pid_t pid = -1;
  int fd = -1;
  std::string pending;  // stdout read but not yet a whole line
  TrialOutcome outcome;
  bool pruned = false;
};

// Starts `regimen run` with stdout into a pipe and stderr into `log`. fork/exec rather than
// posix_spawn so the child can ask to be killed with the sweep (PR_SET_PDEATHSIG): a killed sweep
// leaves no trial running on into a directory that its rerun starts over.
// This process's environment without an MPI launcher's variables: a trial of a distributed
// sweep is a process of its own, not another rank of the job.
std::vector<std::string> trial_environment() {
  std::vector<std::string> kept;
  for (char** entry = environ; *entry != nullptr; ++entry) {
    const std::string variable = *entry;
    if (variable.rfind("OMPI_", 0) == 0 || variable.rfind("PMIX_", 0) == 0 || variable.rfind("PMI_", 0) == 0) continue;
    kept.push_back(variable);
  }
  return kept;
}

Child spawn(const SweepTrial& trial, const std::vector<std::string>& args, const std::string& log) {
  std::vector<char*> argv;
  for (const auto& arg : args) argv.push_back(const_cast<char*>(arg.c_str()));
  argv.push_back(nullptr);
  const std::vector<std::string> environment = trial_environment();
  std::vector<char*> envp;
  for (const auto& variable : environment) envp.push_back(const_cast<char*>(variable.c_str()));
  envp.push_back(nullptr);
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) throw std::runtime_error("sweep: cannot create a pipe");
  const int log_fd = open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  const int null_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
  if (log_fd < 0 || null_fd < 0) throw std::runtime_error("sweep: cannot open " + log);
  const pid_t parent = getpid();
  const pid_t pid = fork();
  if (pid == 0) {  // only async-signal-safe calls until exec
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) _exit(127);
    dup2(null_fd, 0);
    dup2(fds[1], 1);
    dup2(log_fd, 2);
    execve("/proc/self/exe", argv.data(), envp.data());
    _exit(127);
  }
  close(fds[1]);
  close(log_fd);
  close(null_fd);
  if (pid < 0) {
    close(fds[0]);
    throw std::runtime_error("sweep: cannot start a trial");
  }
  Child child;
  child.trial = &trial;
  child.pid = pid;
  child.fd = fds[0];
  child.outcome.index = trial.index;
  return child;
}

std::string last_line(const std::string& path) {
  std::ifstream in(path);
  std::string line, last;
  while (std::getline(in, line))
    if (!line.empty()) last = line;
  return last;
}

bool worse(double value, double than, bool maximize) {
  if (std::isnan(value)) return true;
  return maximize ? value < than : value > than;
}

std::string format(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.6g", value);
  return text;
}

class Runner {
 public:
  Runner(const TrialRunnerOptions& options, const std::function<void(const SweepTrial&, const TrialOutcome&)>& on_finish)
      : options_(options), on_finish_(on_finish) {
    for (const TrialOutcome& outcome : options.finished)
      if (outcome.status == TrialStatus::kDone) completed_.push_back(outcome.values);
  }
  ~Runner() {
    for (Child& child : running_) {  // only after an exception: leave no trial behind
      kill(child.pid, SIGKILL);
      close(child.fd);
      waitpid(child.pid, nullptr, 0);
    }
  }

  void run(const std::vector<SweepTrial>& trials) {
    std::size_t next = 0;
    while (next < trials.size() || !running_.empty()) {
      while (running_.size() < static_cast<std::size_t>(options_.jobs) && next < trials.size()) {
        const SweepTrial& trial = trials[next++];
        if (!options_.claim || options_.claim(trial)) start(trial);
      }
      if (running_.empty()) continue;
      std::vector<pollfd> fds;
      for (const Child& child : running_) fds.push_back(pollfd{child.fd, POLLIN, 0});
      if (poll(fds.data(), fds.size(), -1) < 0) {
        if (errno == EINTR) continue;
        throw std::runtime_error("sweep: poll failed");
      }
      for (std::size_t i = fds.size(); i-- > 0;)
        if (fds[i].revents != 0) read_from(i);
    }
  }

 private:
  std::string trial_path(int index, const char* suffix = "") const {
    return options_.sweep_dir + "/" + trial_name(index, suffix);
  }

  void start(const SweepTrial& trial) {
    std::vector<std::string> args{"regimen", "run", options_.file};
    for (const auto& set : trial_sets(trial, options_.sets)) args.insert(args.end(), {"--set", set});
    args.insert(args.end(), {"--threads", std::to_string(options_.threads)});
    if (options_.trusted) args.push_back("--trusted");
    args.insert(args.end(), {"--json", "--out", trial_path(trial.index)});
    running_.push_back(spawn(trial, args, trial_path(trial.index, ".log")));
  }

  void read_from(std::size_t i) {
    Child& child = running_[i];
    char buffer[65536];
    const ssize_t n = read(child.fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) return;
    if (n > 0) {
      child.pending.append(buffer, static_cast<std::size_t>(n));
      std::size_t end;
      while ((end = child.pending.find('\n')) != std::string::npos) {
        const std::string line = child.pending.substr(0, end);
        child.pending.erase(0, end + 1);
        take_line(child, line);
      }
      return;
    }
    finish(i);
  }

  void take_line(Child& child, const std::string& line) {
    if (child.pruned) return;
    const nlohmann::json object = nlohmann::json::parse(line, nullptr, false);
    if (object.is_discarded() || !object.is_object() || !object.contains("epoch")) return;  // a recipe's print
    if (!object.contains(options_.metric)) {
      std::string known;
      for (const auto& [key, value] : object.items())
        if (key != "epoch") known += (known.empty() ? "" : ", ") + key;
      throw_unknown_metric(options_.metric, known);
    }
    const nlohmann::json& value = object[options_.metric];
    child.outcome.values.push_back(value.is_number() ? value.get<double>() : std::numeric_limits<double>::quiet_NaN());
    if (!options_.prune) return;
    const std::string why =
        median_prune_reason(child.outcome.values, options_.done_values ? options_.done_values() : completed_, options_);
    if (why.empty()) return;
    child.pruned = true;
    child.outcome.message = why;
    kill(child.pid, SIGTERM);  // it checkpoints and exits 130
  }

  void finish(std::size_t i) {
    Child child = std::move(running_[i]);
    running_.erase(running_.begin() + static_cast<std::ptrdiff_t>(i));
    close(child.fd);
    int status = 0;
    while (waitpid(child.pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (!child.pending.empty()) take_line(child, child.pending);
    const bool ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;
    if (child.pruned) {
      child.outcome.status = TrialStatus::kPruned;
    } else if (ok) {
      child.outcome.status = TrialStatus::kDone;
      completed_.push_back(child.outcome.values);
    } else {
      child.outcome.status = TrialStatus::kFailed;
      const std::string why = last_line(trial_path(child.trial->index, ".log"));
      child.outcome.message = why.empty() ? "exit status " + std::to_string(status) : why;
    }
    on_finish_(*child.trial, child.outcome);
  }

  const TrialRunnerOptions& options_;
  const std::function<void(const SweepTrial&, const TrialOutcome&)>& on_finish_;
  std::vector<Child> running_;
  std::vector<std::vector<double>> completed_;  // the metric per epoch of every done trial
};

}  // namespace

const char* status_name(TrialStatus status) {
  switch (status) {
    case TrialStatus::kDone: return "done";
    case TrialStatus::kPruned: return "pruned";
    case TrialStatus::kFailed: return "failed";
  }
  return "failed";
}

void run_trials(const std::vector<SweepTrial>& trials, const TrialRunnerOptions& options,
                const std::function<void(const SweepTrial&, const TrialOutcome&)>& on_finish) {
  Runner runner(options, on_finish);
  runner.run(trials);
}

void throw_unknown_metric(const std::string& metric, const std::string& reported) {
  throw boost::program_options::error("--metric " + metric + ": the runs report no '" + metric + "' (they report " +
                                      reported + ")");
}

std::string median_prune_reason(const std::vector<double>& values, const std::vector<std::vector<double>>& done,
                                const TrialRunnerOptions& options) {
  const std::size_t epoch = values.size();
  if (!options.prune || epoch == 0 || epoch < static_cast<std::size_t>(options.warmup)) return "";
  std::vector<double> others;
  for (const auto& done_values : done)
    if (done_values.size() >= epoch && std::isfinite(done_values[epoch - 1])) others.push_back(done_values[epoch - 1]);
  if (others.empty()) return "";
  std::sort(others.begin(), others.end());
  const std::size_t half = others.size() / 2;
  const double median = others.size() % 2 ? others[half] : 0.5 * (others[half - 1] + others[half]);
  if (!worse(values.back(), median, options.maximize)) return "";
  return "epoch " + std::to_string(epoch) + ": " + options.metric + " " + format(values.back()) + " worse than the median " +
         format(median);
}

int best_epoch_index(const std::vector<double>& values, bool maximize) {
  int best = -1;
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (!std::isfinite(values[i])) continue;
    if (best < 0 || (maximize ? values[i] > values[best] : values[i] < values[best])) best = static_cast<int>(i);
  }
  return best;
}

}  // namespace regimen::cli
