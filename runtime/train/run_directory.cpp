#include "runtime/train/run_directory.hpp"

#include <filesystem>

#include "runtime/error.hpp"
#include "runtime/io/atomic_file.hpp"
#include "runtime/io/safetensors.hpp"
#include "runtime/io/svg_chart.hpp"
#include "runtime/train/model_tensors.hpp"
#include "runtime/train/run_files.hpp"

namespace regimen::train {
namespace {

void create(const std::filesystem::path& directory) {
  std::error_code error;
  std::filesystem::create_directories(directory, error);
  if (error) throw DataError("cannot create run directory " + directory.string() + ": " + error.message());
}

std::string safe_stem(const std::string& stem) {
  std::string safe;
  for (const char c : stem) {
    const bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
                       c == '-' || c == '_';
    safe += plain ? c : '_';
  }
  if (safe.empty() || safe.front() == '.') safe.insert(0, "run");
  return safe;
}

}  // namespace

std::string create_unique_run_directory(const std::string& root, const std::string& stem, std::time_t now) {
  create(root);
  std::tm local{};
  localtime_r(&now, &local);
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", &local);
  const std::string base = safe_stem(stem) + "-" + stamp;
  for (int n = 1;; ++n) {
    const std::filesystem::path candidate = std::filesystem::path(root) / (n == 1 ? base : base + "-" + std::to_string(n));
    std::error_code error;
    if (std::filesystem::create_directory(candidate, error)) return candidate.string();
    if (error) throw DataError("cannot create run directory " + candidate.string() + ": " + error.message());
    if (n == 10000) throw DataError("cannot create run directory " + candidate.string() + ": every name is taken");
  }
}

RunDirectory::RunDirectory(std::string directory, const optim::Optimizer& optimizer, std::string title)
    : directory_(std::move(directory)), optimizer_(optimizer), title_(std::move(title)) {
  create(directory_);
}

void RunDirectory::write_file(const std::string& name, std::string_view bytes) const {
  io::write_file_atomically((std::filesystem::path(directory_) / name).string(), bytes);
}

bool RunDirectory::on_epoch_end(int /*epoch*/, const Metrics& metrics) {
  Metrics recorded = metrics;
  recorded.set("lr", optimizer_.current_lr());
  epochs_.push_back(std::move(recorded));
  write_file("metrics.csv", metrics_csv(epochs_));
  write_file("curves.svg", io::render_svg(run_curves(epochs_, title_)));
  return false;
}

void RunDirectory::save(io::ByteWriter& out) const { save_metrics(out, epochs_); }

void RunDirectory::load(io::ByteReader& in) {
  epochs_ = load_metrics(in);
  if (epochs_.empty()) return;
  write_file("metrics.csv", metrics_csv(epochs_));
  write_file("curves.svg", io::render_svg(run_curves(epochs_, title_)));
}

void RunDirectory::write_weights(nn::Model& model, const std::map<std::string, std::string>& metadata) const {
  io::SafetensorsFile file;
  file.tensors = export_tensors(model);
  file.metadata = metadata;
  io::write_safetensors((std::filesystem::path(directory_) / "model.safetensors").string(), file);
}

}  // namespace regimen::train
