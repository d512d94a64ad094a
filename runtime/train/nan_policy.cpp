#include "runtime/train/nan_policy.hpp"

#include <algorithm>
#include <array>
#include <cmath>

#include "runtime/error.hpp"
#include "runtime/option_check.hpp"

namespace regimen::train {
namespace {

constexpr std::array<std::pair<NanAction, std::string_view>, 4> kNames{{
    {NanAction::kSkip, "skip"},
    {NanAction::kHalveLr, "halve_lr"},
    {NanAction::kRollback, "rollback"},
    {NanAction::kStop, "stop"},
}};

}  // namespace

std::string_view nan_action_name(NanAction action) {
  for (const auto& [value, name] : kNames)
    if (value == action) return name;
  return "?";
}

std::optional<NanAction> parse_nan_action(std::string_view name) {
  for (const auto& [value, known] : kNames)
    if (known == name) return value;
  return std::nullopt;
}

std::vector<std::string> nan_action_names() {
  std::vector<std::string> names;
  for (const auto& entry : kNames) names.emplace_back(entry.second);
  return names;
}

SpikeDetector::SpikeDetector(double factor) : factor_(factor) {
  if (!(factor > 1.0) || !std::isfinite(factor))
    throw InvalidArgument("loss_spike must be > 1, got " + format_number(factor));
  window_.reserve(kWindow);
}

double SpikeDetector::median() const {
  if (window_.empty()) return 0.0;
  std::vector<double> sorted = window_;
  std::sort(sorted.begin(), sorted.end());
  const std::size_t n = sorted.size();
  return n % 2 == 1 ? sorted[n / 2] : 0.5 * (sorted[n / 2 - 1] + sorted[n / 2]);
}

bool SpikeDetector::is_spike(double loss) const {
  return window_.size() >= kMinSteps && loss > factor_ * median();
}

void SpikeDetector::add(double loss) {
  if (window_.size() < kWindow) {
    window_.push_back(loss);
    return;
  }
  window_[next_] = loss;
  next_ = (next_ + 1) % kWindow;
}

void SpikeDetector::save(io::ByteWriter& out) const {
  out.u64(window_.size());
  for (const double loss : window_) out.f64(loss);
  out.u64(next_);
}

void SpikeDetector::load(io::ByteReader& in) {
  const std::uint64_t count = in.u64();
  if (count > kWindow) in.fail("loss_spike: a window of " + std::to_string(count) + " losses");
  std::vector<double> window;
  for (std::uint64_t i = 0; i < count; ++i) window.push_back(in.f64());
  const std::uint64_t next = in.u64();
  if (next >= kWindow) in.fail("loss_spike: window position " + std::to_string(next));
  window_ = std::move(window);
  next_ = static_cast<std::size_t>(next);
}

NanPolicy::NanPolicy(NanLadder ladder) : ladder_(std::move(ladder)), reported_(ladder_.actions.size(), false) {
  for (std::size_t i = 0; i < ladder_.actions.size(); ++i)
    for (std::size_t j = 0; j < i; ++j)
      if (ladder_.actions[i] == ladder_.actions[j])
        throw InvalidArgument("on_nan: '" + std::string(nan_action_name(ladder_.actions[i])) + "' is given twice");
  if (ladder_.loss_spike) {
    if (!active()) throw InvalidArgument("loss_spike needs on_nan, the ladder a spike climbs");
    spikes_.emplace(*ladder_.loss_spike);
  }
}

NanAction NanPolicy::next() {
  if (!active()) throw std::logic_error("NanPolicy::next without a ladder");
  const std::size_t rung = static_cast<std::size_t>(std::min<std::int64_t>(problems_, static_cast<std::int64_t>(ladder_.actions.size()) - 1));
  ++problems_;
  return ladder_.actions[rung];
}

std::string NanPolicy::report(std::int64_t step, const std::string& problem, NanAction action, const std::string& detail) {
  const auto found = std::find(ladder_.actions.begin(), ladder_.actions.end(), action);
  const std::size_t rung = static_cast<std::size_t>(found - ladder_.actions.begin());
  if (found == ladder_.actions.end() || reported_[rung]) return "";
  reported_[rung] = true;
  return "on_nan: step " + std::to_string(step) + ": " + problem + "; " + detail + " (" + std::to_string(rung + 1) +
         " of " + std::to_string(ladder_.actions.size()) + " actions)";
}

void NanPolicy::save(io::ByteWriter& out) const {
  out.i64(problems_);
  out.f64(lr_factor_);
  out.u64(reported_.size());
  for (const bool told : reported_) out.u8(told ? 1 : 0);
  out.u8(spikes_ ? 1 : 0);
  if (spikes_) spikes_->save(out);
}

void NanPolicy::load(io::ByteReader& in) {
  const std::int64_t problems = in.i64();
  const double factor = in.f64();
  if (problems < 0 || !(factor > 0.0) || factor > 1.0) in.fail("on_nan: damaged counters");
  if (in.u64() != reported_.size()) in.fail("on_nan: the ladder differs from this run's");
  std::vector<bool> reported;
  for (std::size_t i = 0; i < reported_.size(); ++i) reported.push_back(in.u8() != 0);
  if ((in.u8() != 0) != spikes_.has_value()) in.fail("on_nan: loss_spike differs from this run's");
  if (spikes_) spikes_->load(in);
  problems_ = problems;
  lr_factor_ = factor;
  reported_ = std::move(reported);
}

}  // namespace regimen::train
