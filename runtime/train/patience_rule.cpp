#include "runtime/train/patience_rule.hpp"

#include "runtime/option_check.hpp"
#include "runtime/train/epoch_printer.hpp"

namespace regimen::train {

PatienceRule::PatienceRule(EarlyStopOptions options, int smoothing)
    : rule_(options), value_(options.monitor, smoothing) {}

bool PatienceRule::observe_epoch(int epoch, const Metrics& metrics) {
  snapshot_ = false;
  const auto value = value_.read(metrics);
  if (!value) return false;  // as EarlyStopCallback: a missing metric is not a reason to stop
  const Verdict verdict = rule_.observe(epoch, *value);
  snapshot_ = verdict.snapshot;
  return verdict.stop;
}

std::string PatienceRule::reason() const {
  return value_.describe() + " did not improve for " + std::to_string(rule_.wait()) + " epochs at epoch " +
         std::to_string(rule_.stopped_epoch() + 1) + " (best " + format_metric(rule_.best_value()) + " at epoch " +
         std::to_string(rule_.best_epoch() + 1) + ")";
}

std::string PatienceRule::describe() const {
  std::string text = rule_.describe();
  if (value_.window() > 1) text.insert(text.size() - 1, ", smoothing=" + std::to_string(value_.window()));
  return text;
}

}  // namespace regimen::train

namespace regimen::train {

void PatienceRule::save(io::ByteWriter& out) const {
  rule_.save(out);
  value_.save(out);
  out.u8(snapshot_ ? 1 : 0);
}

void PatienceRule::load(io::ByteReader& in) {
  rule_.load(in);
  value_.load(in);
  snapshot_ = in.u8() != 0;
}

}  // namespace regimen::train
