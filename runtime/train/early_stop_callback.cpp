#include "runtime/train/early_stop_callback.hpp"

namespace regimen::train {

EarlyStopCallback::EarlyStopCallback(EarlyStop& rule, nn::Model& model) : rule_(rule), model_(model) {}

bool EarlyStopCallback::on_epoch_end(int epoch, const Metrics& metrics) {
  const auto value = metrics.get(rule_.options().monitor);
  if (!value) return false;  // Keras warns and carries on when the metric is missing
  const Verdict verdict = rule_.observe(epoch, *value);
  if (verdict.snapshot) best_.capture(model_);
  return verdict.stop;
}

void EarlyStopCallback::on_train_end(const std::string& /*stop_reason*/) {
  if (rule_.should_restore()) best_.restore(model_);
}

void EarlyStopCallback::save(io::ByteWriter& out) const {
  rule_.save(out);
  best_.save(out);
}

void EarlyStopCallback::load(io::ByteReader& in) {
  rule_.load(in);
  best_.load(in, model_);
}

}  // namespace regimen::train
