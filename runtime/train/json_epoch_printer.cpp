#include "runtime/train/json_epoch_printer.hpp"

#include <cmath>
#include <cstdio>
#include <string>

namespace regimen::train {

std::string json_number(double value) {
  if (!std::isfinite(value)) return "null";
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.17g", value);
  return buffer;
}

std::string json_string(const std::string& text) {
  std::string out = "\"";
  for (const char c : text) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      char escaped[8];
      std::snprintf(escaped, sizeof escaped, "\\u%04x", static_cast<unsigned>(c));
      out += escaped;
    } else {
      out += c;
    }
  }
  return out + "\"";
}

JsonEpochPrinter::JsonEpochPrinter(std::ostream& out, const optim::Optimizer& optimizer)
    : out_(out), optimizer_(optimizer), last_(std::chrono::steady_clock::now()) {}

bool JsonEpochPrinter::on_epoch_end(int epoch, const Metrics& metrics) {
  const auto now = std::chrono::steady_clock::now();
  const double seconds = std::chrono::duration<double>(now - last_).count();
  last_ = now;
  std::string line = "{\"epoch\": " + std::to_string(epoch + 1);
  for (const auto& [name, value] : metrics.items()) line += ", " + json_string(name) + ": " + json_number(value);
  line += ", \"lr\": " + json_number(optimizer_.current_lr()) + ", \"time\": " + json_number(seconds) + "}";
  out_ << line << std::endl;
  return false;
}

}  // namespace regimen::train
