#include "interpreter/cli/sweep_directory.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cmath>
#include <fstream>
#include <limits>
#include <sstream>

#include <boost/program_options.hpp>

#include "runtime/io/atomic_file.hpp"

namespace fs = std::filesystem;
using nlohmann::json;

namespace regimen::cli {
namespace {

json read_json(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return json::parse(text.str(), nullptr, false);
}

}  // namespace

void settle_plan(const fs::path& dir, const json& plan) {
  const fs::path path = dir / "trials.json";
  if (fs::exists(path)) {
    if (read_json(path) != plan)
      throw boost::program_options::error(path.string() + " plans another sweep (other trials or settings); " +
                                          "choose another --out or remove " + dir.string());
    return;
  }
  io::write_file_atomically(path.string(), plan.dump(2) + "\n");
}

std::optional<TrialOutcome> read_result(const fs::path& dir, int index) {
  const fs::path path = dir / trial_name(index) / "result.json";
  if (!fs::exists(path)) return std::nullopt;
  const json result = read_json(path);
  if (result.is_discarded() || !result.contains("status") || !result.contains("values")) return std::nullopt;
  TrialOutcome outcome;
  outcome.index = index;
  outcome.status = result["status"] == "pruned" ? TrialStatus::kPruned : TrialStatus::kDone;
  for (const json& value : result["values"])
    outcome.values.push_back(value.is_number() ? value.get<double>() : std::numeric_limits<double>::quiet_NaN());
  outcome.message = result.value("message", "");
  return outcome;
}

void write_result(const fs::path& dir, const SweepTrial& trial, const TrialOutcome& outcome, bool mark_failure) {
  if (outcome.status == TrialStatus::kFailed) {
    if (mark_failure) io::write_file_atomically((dir / trial_name(trial.index, ".failed")).string(), outcome.message);
    return;
  }
  json values = json::array();
  for (double value : outcome.values) values.push_back(std::isfinite(value) ? json(value) : json(nullptr));
  json params = json::array();
  for (const auto& [param, value] : trial.params) params.push_back({param, value});
  const json result = {{"trial", trial.index}, {"params", params},  {"status", status_name(outcome.status)},
                       {"values", values},     {"message", outcome.message}};
  io::write_file_atomically((dir / trial_name(trial.index) / "result.json").string(), result.dump() + "\n");
}

bool claim_trial(const fs::path& dir, int index) {
  const std::string path = (dir / trial_name(index, ".claim")).string();
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) return false;
  ::close(fd);
  return true;
}

std::vector<TrialOutcome> outcomes_in(const fs::path& dir, const std::vector<SweepTrial>& trials) {
  std::vector<TrialOutcome> outcomes;
  for (const SweepTrial& trial : trials) {
    if (auto outcome = read_result(dir, trial.index)) {
      outcomes.push_back(*outcome);
      continue;
    }
    TrialOutcome failed;
    failed.index = trial.index;
    std::ifstream why(dir / trial_name(trial.index, ".failed"));
    std::getline(why, failed.message);
    outcomes.push_back(failed);
  }
  return outcomes;
}

void clear_unfinished(const fs::path& dir, const std::vector<SweepTrial>& trials) {
  for (const SweepTrial& trial : trials) {
    if (read_result(dir, trial.index)) continue;
    fs::remove_all(dir / trial_name(trial.index));
    fs::remove(dir / trial_name(trial.index, ".claim"));
    fs::remove(dir / trial_name(trial.index, ".failed"));
  }
}

void remove_claims(const fs::path& dir, const std::vector<SweepTrial>& trials) {
  for (const SweepTrial& trial : trials) fs::remove(dir / trial_name(trial.index, ".claim"));
}

}  // namespace regimen::cli
