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
    if (rule.snapshot()) {
      const auto weights = model_.arena().values();
      best_weights_.assign(weights.begin(), weights.end());
      model_.read_buffers(best_buffers_);  // batch norm's running statistics belong to the best model too
    }
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
  if (!restore || best_weights_.empty()) return;
  auto weights = model_.arena().values();
  std::copy(best_weights_.begin(), best_weights_.end(), weights.begin());
  model_.write_buffers(best_buffers_);
}

}  // namespace regimen::train

namespace regimen::train {

void StopRules::save(io::ByteWriter& out) const {
  for (const auto& rule : rules_) rule->save(out);
  out.floats(best_weights_);
  out.floats(best_buffers_);
  out.string(reason_);
}

void StopRules::load(io::ByteReader& in) {
  for (const auto& rule : rules_) rule->load(in);
  std::vector<float> best = in.floats();
  if (!best.empty() && best.size() != model_.arena().values().size())
    in.fail("early_stop: best weights have " + std::to_string(best.size()) + " values, the model has " +
            std::to_string(model_.arena().values().size()));
  best_weights_ = std::move(best);
  std::vector<float> buffers = in.floats(), current;
  model_.read_buffers(current);
  if (!buffers.empty() && buffers.size() != current.size())
    in.fail("early_stop: best buffers have " + std::to_string(buffers.size()) + " values, the model has " +
            std::to_string(current.size()));
  best_buffers_ = std::move(buffers);
  reason_ = in.string();
}

}  // namespace regimen::train
