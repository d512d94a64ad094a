#include "runtime/train/checkpointer.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <thread>

#include "runtime/error.hpp"
#include "runtime/train/trainer.hpp"

namespace regimen::train {
namespace {

constexpr std::string_view kPrefix = "step-";
constexpr std::string_view kSuffix = ".ckpt";
constexpr std::size_t kDigits = 10;

// The step of a checkpoint file name, or -1 for any other name (temporary files start with '.').
std::int64_t step_of(const std::string& name) {
  if (name.size() != kPrefix.size() + kDigits + kSuffix.size() || !name.starts_with(kPrefix) || !name.ends_with(kSuffix))
    return -1;
  std::int64_t step = 0;
  for (std::size_t i = kPrefix.size(); i < kPrefix.size() + kDigits; ++i) {
    if (name[i] < '0' || name[i] > '9') return -1;
    step = step * 10 + (name[i] - '0');
  }
  return step;
}

}  // namespace

std::string checkpoint_file_name(std::int64_t step) {
  char name[32];
  std::snprintf(name, sizeof name, "step-%010lld.ckpt", static_cast<long long>(step));
  return name;
}

std::vector<std::string> list_checkpoints(const std::string& directory) {
  std::vector<std::pair<std::int64_t, std::string>> found;
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator(directory, error)) {
    const std::string name = entry.path().filename().string();
    if (const std::int64_t step = step_of(name); step >= 0) found.emplace_back(step, entry.path().string());
  }
  std::sort(found.begin(), found.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
  std::vector<std::string> paths;
  for (auto& [step, path] : found) paths.push_back(std::move(path));
  return paths;
}

Checkpointer::Checkpointer(std::string directory, CheckpointPolicy policy, io::CheckpointSections identity)
    : directory_(std::move(directory)), policy_(policy), identity_(std::move(identity)) {
  if (policy_.keep < 1) throw InvalidArgument("checkpoint: keep must be >= 1, got " + std::to_string(policy_.keep));
  if (policy_.every < 0 || policy_.every_steps < 0) throw InvalidArgument("checkpoint: intervals must be >= 0");
  if (const char* pause = std::getenv("REGIMEN_CHECKPOINT_PAUSE_MS")) pause_ms_ = std::max(0, std::atoi(pause));
}

bool Checkpointer::due_after_step(std::int64_t step) const {
  return policy_.every_steps > 0 && step % policy_.every_steps == 0;
}

bool Checkpointer::due_after_epoch(int epoch) const { return policy_.every > 0 && (epoch + 1) % policy_.every == 0; }

std::string Checkpointer::write(const Trainer& trainer, std::int64_t step) {
  std::error_code error;
  std::filesystem::create_directories(directory_, error);
  if (error) throw DataError("cannot create " + directory_ + ": " + error.message());
  io::CheckpointSections sections = identity_;
  for (io::CheckpointSection& section : trainer.save_state()) sections.push_back(std::move(section));
  const std::string path = (std::filesystem::path(directory_) / checkpoint_file_name(step)).string();
  const int pause = pause_ms_;
  io::write_checkpoint(path, sections, [pause] {
    if (pause > 0) std::this_thread::sleep_for(std::chrono::milliseconds(pause));
  });
  // Files of later steps are left from before a resume (a damaged one that was skipped, or
  // one this run will write again): they go too, or keep = 1 could delete the new file.
  std::size_t kept = 0;
  for (const auto& entry : std::filesystem::directory_iterator(directory_, error)) {
    // A temporary file of a process killed while writing (write_file_durably names them so).
    const std::string name = entry.path().filename().string();
    if (name.starts_with(".step-") && name.find(".ckpt.tmp") != std::string::npos) std::filesystem::remove(entry.path(), error);
  }
  for (const std::string& file : list_checkpoints(directory_)) {
    const bool later = step_of(std::filesystem::path(file).filename().string()) > step;
    if (later || ++kept > static_cast<std::size_t>(policy_.keep)) std::filesystem::remove(file, error);
  }
  return path;
}

}  // namespace regimen::train
