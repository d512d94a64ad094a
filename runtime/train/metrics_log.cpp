#include "runtime/train/metrics_log.hpp"

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <stdexcept>

namespace regimen::train {

std::string to_json_line(int epoch, const Metrics& metrics) {
  std::string line = "{\"epoch\": " + std::to_string(epoch);
  for (const auto& [name, value] : metrics.items()) {
    char number[32];
    if (std::isfinite(value)) {
      std::snprintf(number, sizeof number, "%.17g", value);
    } else {
      std::snprintf(number, sizeof number, "null");
    }
    line += ", \"" + name + "\": " + number;
  }
  return line + "}";
}

MetricsLog::MetricsLog(const std::string& directory) : path_((std::filesystem::path(directory) / "metrics.jsonl").string()) {
  std::error_code error;
  std::filesystem::create_directories(directory, error);
  if (error) throw std::runtime_error("cannot create run directory '" + directory + "': " + error.message());
  out_.open(path_, std::ios::trunc);
  if (!out_) throw std::runtime_error("cannot write '" + path_ + "'");
}

bool MetricsLog::on_epoch_end(int epoch, const Metrics& metrics) {
  const std::string line = to_json_line(epoch, metrics) + '\n';
  written_ += line;
  out_ << line;
  out_.flush();
  if (!out_) throw std::runtime_error("cannot write '" + path_ + "' (disk full?)");
  return false;
}

void MetricsLog::save(io::ByteWriter& out) const { out.string(written_); }

void MetricsLog::load(io::ByteReader& in) {
  written_ = in.string();
  out_.close();
  out_.open(path_, std::ios::trunc);
  out_ << written_;
  out_.flush();
  if (!out_) throw std::runtime_error("cannot write '" + path_ + "'");
}

}  // namespace regimen::train
