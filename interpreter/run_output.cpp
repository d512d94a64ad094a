#include "interpreter/run_output.hpp"

#include <filesystem>
#include <fstream>
#include <iterator>

#include "runtime/error.hpp"

namespace regimen::lua {

std::string overrides_text(const InterpreterOptions& options, const RunRequest& request) {
  std::string text;
  for (const auto& [name, value] : request.params) text += "--set " + name + "=" + value + "\n";
  if (options.seed) text += "--seed " + std::to_string(*options.seed) + "\n";
  if (options.epochs) text += "--epochs " + std::to_string(*options.epochs) + "\n";
  return text;
}

std::string read_source(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (!in && !in.eof()) throw DataError("cannot read " + path);
  return text;
}

RunOutput::RunOutput(const InterpreterOptions& options, const Recipe& recipe, const RunRequest& request) {
  std::string folder = options.out_dir;
  if (folder.empty() && !options.runs_dir.empty()) {
    const std::string stem = std::filesystem::path(request.chunk_name).stem().string();
    folder = train::create_unique_run_directory(options.runs_dir, stem, std::time(nullptr));
  }
  if (folder.empty()) return;
  directory_.emplace(folder, *recipe.optimizer, recipe.name);
  log_.emplace(folder);
  directory_->write_file("recipe.txt", recipe.describe());
  directory_->write_file("overrides.txt", overrides_text(options, request));
  if (!request.source_file.empty() && !options.resume) {
    directory_->write_file("recipe.lua", read_source(request.source_file));
    // --resume runs the copy above as if it were this file: its relative data paths and
    // require()s, and its default name.
    directory_->write_file("recipe_path.txt",
                           std::filesystem::absolute(request.source_file).lexically_normal().string() + "\n");
  }
}

void RunOutput::attach(train::Trainer& trainer) {
  if (log_) trainer.add_callback(*log_);
  if (directory_) trainer.add_callback(*directory_);
}

void RunOutput::finish(Recipe& recipe) const {
  if (!directory_) return;
  const bool best = recipe.early_stop && recipe.early_stop->should_restore();
  const bool ema = recipe.config.ema.has_value();
  const int epochs = static_cast<int>(directory_->epochs().size());
  const int epoch = best ? recipe.early_stop->best_epoch() : epochs - 1;
  std::map<std::string, std::string> metadata = {
      {"format", "pt"},  // what safetensors.torch.save_file writes; some loaders check it
      {"producer", std::string("regimen ") + version()},
      {"recipe", recipe.name},
      {"weights", best ? (ema ? "best_ema" : "best") : (ema ? "ema" : "final")},
      {"layout", "pytorch"},
  };
  if (epoch >= 0) metadata["epoch"] = std::to_string(epoch);  // none when no epoch ran
  directory_->write_weights(*recipe.model, metadata);
}

}  // namespace regimen::lua
