#include "interpreter/host_events.hpp"

namespace regimen::lua {

HostEvents::HostEvents(const InterpreterOptions& options, const optim::Optimizer& optimizer)
    : options_(options), optimizer_(optimizer) {}

bool HostEvents::on_epoch_end(int epoch, const train::Metrics& metrics) {
  if (!options_.on_epoch_end) return false;
  EpochEvent event;
  event.epoch = epoch;
  for (const auto& [name, value] : metrics.items()) event.metrics.emplace_back(name, value);
  event.lr = optimizer_.current_lr();
  if (!options_.on_epoch_end(event)) return false;
  stop_reason_ = "host: on_epoch_end asked to stop after epoch " + std::to_string(epoch + 1);
  return true;
}

bool HostEvents::on_step_end(const train::StepEnd& step) {
  if (!options_.on_step_end) return false;
  if (!options_.on_step_end({step.epoch, step.step, step.loss, optimizer_.current_lr()})) return false;
  stop_reason_ = "host: on_step_end asked to stop at step " + std::to_string(step.step);
  return true;
}

}  // namespace regimen::lua
