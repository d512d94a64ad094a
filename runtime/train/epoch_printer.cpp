#include "runtime/train/epoch_printer.hpp"

#include <cmath>
#include <cstdio>
#include <string>

namespace regimen::train {

std::string format_metric(double value) {
  char buffer[32];
  const double magnitude = std::fabs(value);
  if (magnitude != 0.0 && (magnitude < 1e-3 || magnitude >= 1e6)) {
    std::snprintf(buffer, sizeof buffer, "%.4g", value);
  } else {
    std::snprintf(buffer, sizeof buffer, "%.4f", value);
  }
  return buffer;
}

EpochPrinter::EpochPrinter(std::ostream& out, const optim::Optimizer& optimizer, int epochs)
    : out_(out), optimizer_(optimizer), epochs_(epochs), last_(std::chrono::steady_clock::now()) {}

bool EpochPrinter::on_epoch_end(int epoch, const Metrics& metrics) {
  const auto now = std::chrono::steady_clock::now();
  const double seconds = std::chrono::duration<double>(now - last_).count();
  last_ = now;
  const int width = static_cast<int>(std::to_string(epochs_).size());
  char head[64];
  std::snprintf(head, sizeof head, "epoch %*d/%d", width, epoch + 1, epochs_);
  out_ << head;
  for (const auto& [name, value] : metrics.items()) out_ << "  " << name << " " << format_metric(value);
  char tail[64];
  std::snprintf(tail, sizeof tail, "  lr %.4g  %.1fs", optimizer_.current_lr(), seconds);
  out_ << tail << std::endl;
  return false;
}

}  // namespace regimen::train
