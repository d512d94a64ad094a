#include "runtime/train/stop_rules.hpp"

#include <algorithm>

#include "runtime/error.hpp"

namespace regimen::train {

StopRules::StopRules(std::vector<std::shared_ptr<StopRule>> rules, nn::Model& model)
    : rules_(std::move(rules)), model_(model) {
  int restoring = 0;
  for (const auto& rule : rules_) {
    if (rule->restores_best()) ++restoring;
    rule->start();
  }
  if (restoring > 1) throw InvalidArgument("early_stop: only one rule may set restore_best");
}

bool StopRules::fire(std::size_t index) {
  if (reason_.empty()) reason_ = rules_[index]->reason() + " (rule " + std::to_string(index + 1) + ")";
  return true;
}

bool StopRules::on_epoch_end(int epoch, const Metrics& metrics) {
  bool stop = false;
  for (std::size_t i = 0; i < rules_.size(); ++i) {
    StopRule& rule = *rules_[i];
    if (rule.observe_epoch(epoch, metrics) && !stop) stop = fire(i);
    if (rule.snapshot()) best_.capture(model_);
  }
  return stop;
}

bool StopRules::on_step_end(const StepEnd& step) {
  for (std::size_t i = 0; i < rules_.size(); ++i)
    if (rules_[i]->observe_step(step.epoch, step.step)) return fire(i);
  return false;
}

void StopRules::on_train_end(const std::string& /*stop_reason*/) {
  const bool restore = std::any_of(rules_.begin(), rules_.end(), [](const auto& r) { return r->should_restore(); });
  if (restore) best_.restore(model_);
}

}  // namespace regimen::train

namespace regimen::train {

void StopRules::save(io::ByteWriter& out) const {
  for (const auto& rule : rules_) rule->save(out);
  best_.save(out);
  out.string(reason_);
}

void StopRules::load(io::ByteReader& in) {
  for (const auto& rule : rules_) rule->load(in);
  best_.load(in, model_);
  reason_ = in.string();
}

}  // namespace regimen::train
