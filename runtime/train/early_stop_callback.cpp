#include "runtime/train/early_stop_callback.hpp"

#include <algorithm>

namespace regimen::train {

EarlyStopCallback::EarlyStopCallback(EarlyStop& rule, nn::Model& model) : rule_(rule), model_(model) {}

bool EarlyStopCallback::on_epoch_end(int epoch, const Metrics& metrics) {
  const auto value = metrics.get(rule_.options().monitor);
  if (!value) return false;  // Keras warns and carries on when the metric is missing
  const Verdict verdict = rule_.observe(epoch, *value);
  if (verdict.snapshot) {
    const auto weights = model_.arena().values();
    best_weights_.assign(weights.begin(), weights.end());
    model_.read_buffers(best_buffers_);
  }
  return verdict.stop;
}

void EarlyStopCallback::on_train_end(const std::string& /*stop_reason*/) {
  if (!rule_.should_restore() || best_weights_.empty()) return;
  auto weights = model_.arena().values();
  std::copy(best_weights_.begin(), best_weights_.end(), weights.begin());
  model_.write_buffers(best_buffers_);
}

}  // namespace regimen::train

namespace regimen::train {

void EarlyStopCallback::save(io::ByteWriter& out) const {
  rule_.save(out);
  out.floats(best_weights_);
  out.floats(best_buffers_);
}

void EarlyStopCallback::load(io::ByteReader& in) {
  rule_.load(in);
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
}

}  // namespace regimen::train
