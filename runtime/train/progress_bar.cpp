#include "runtime/train/progress_bar.hpp"

#include <algorithm>
#include <cstdio>
#include <string>

namespace regimen::train {
namespace {

constexpr double kRedrawSeconds = 0.1;

std::string format_seconds(double seconds) {
  char buffer[32];
  const auto s = static_cast<long long>(seconds + 0.5);
  if (s >= 3600) std::snprintf(buffer, sizeof buffer, "%lldh%02lldm", s / 3600, s % 3600 / 60);
  else if (s >= 60) std::snprintf(buffer, sizeof buffer, "%lldm%02llds", s / 60, s % 60);
  else std::snprintf(buffer, sizeof buffer, "%llds", s);
  return buffer;
}

}  // namespace

std::string format_progress(const StepEnd& step, int epochs, double seconds, double running_loss, double lr,
                            int width) {
  const int digits = static_cast<int>(std::to_string(epochs).size());
  const double total = static_cast<double>(std::max<std::int64_t>(step.epoch_steps, 1));
  const double done = std::min(1.0, static_cast<double>(step.epoch_step) / total);
  const int filled = static_cast<int>(done * width);
  std::string bar(static_cast<std::size_t>(width), ' ');
  std::fill_n(bar.begin(), filled, '=');
  if (filled < width) bar[static_cast<std::size_t>(filled)] = '>';
  char text[256];
  const double rate = seconds > 0.0 ? static_cast<double>(step.samples) / seconds : 0.0;
  const double eta = done > 0.0 ? seconds * (1.0 - done) / done : 0.0;
  std::snprintf(text, sizeof text, "epoch %*d/%d  [%s]  %lld/%lld  %.0f samples/s  ETA %s  loss %s  lr %.4g", digits,
                step.epoch + 1, epochs, bar.c_str(), static_cast<long long>(step.epoch_step),
                static_cast<long long>(step.epoch_steps), rate, format_seconds(eta).c_str(),
                format_metric(running_loss).c_str(), lr);
  return text;
}

ProgressBar::ProgressBar(std::ostream& out, const optim::Optimizer& optimizer, int epochs)
    : out_(out), optimizer_(optimizer), printer_(out, optimizer, epochs), epochs_(epochs) {}

bool ProgressBar::on_step_end(const StepEnd& step) {
  const auto now = std::chrono::steady_clock::now();
  if (step.epoch != epoch_) {
    epoch_ = step.epoch;
    epoch_start_ = now;
    last_draw_ = now - std::chrono::seconds(1);
    loss_sum_ = 0.0;
  }
  loss_sum_ += step.loss;
  if (std::chrono::duration<double>(now - last_draw_).count() >= kRedrawSeconds ||
      step.epoch_step == step.epoch_steps) {
    last_draw_ = now;
    draw(step, std::chrono::duration<double>(now - epoch_start_).count());
  }
  return false;
}

void ProgressBar::draw(const StepEnd& step, double seconds) {
  const double running = loss_sum_ / static_cast<double>(std::max<std::int64_t>(step.epoch_step, 1));
  // "\r\033[K": back to the line's start and clear it, so a shorter line leaves no tail.
  out_ << "\r\033[K" << format_progress(step, epochs_, seconds, running, optimizer_.current_lr()) << std::flush;
  drawn_ = true;
}

bool ProgressBar::on_epoch_end(int epoch, const Metrics& metrics) {
  if (drawn_) out_ << "\r\033[K";
  drawn_ = false;
  return printer_.on_epoch_end(epoch, metrics);
}

}  // namespace regimen::train
