#pragma once
// on_nan: what a run does when a step goes wrong, as a ladder of actions tried in order as
// problems repeat (docs/reliability.md, "Non-finite values and loss spikes"). A problem is a
// step whose loss or gradient holds a non-finite value, or (with loss_spike = k) whose loss is
// more than k times the running median of the last 50 accepted step losses, once 20 are known.
// The k-th problem of a run takes action min(k, last) of the ladder.
//
// The policy decides and remembers (problems seen, the learning-rate factor, the spike window);
// the trainer acts (trainer_nan.cpp). Its state goes into checkpoints, so a resumed run keeps
// its place on the ladder and its halved learning rate.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/io/byte_stream.hpp"

namespace regimen::train {

/// One rung of the ladder.
enum class NanAction {
  kSkip,      ///< drop the update: no optimizer step, the step counter does not advance
  kHalveLr,   ///< skip, and multiply the learning rate by 0.5 from now on
  kRollback,  ///< skip, and restore the last good weights, buffers and optimizer state
  kStop,      ///< end the run, naming the step and the first non-finite tensor
};

/// The DSL name: "skip", "halve_lr", "rollback", "stop".
std::string_view nan_action_name(NanAction action);
/// The action named `name`; nullopt for another name.
std::optional<NanAction> parse_nan_action(std::string_view name);
/// Every action name, in ladder order.
std::vector<std::string> nan_action_names();

/// on_nan and loss_spike as a recipe gives them; an empty ladder means on_nan is not set.
struct NanLadder {
  std::vector<NanAction> actions;
  std::optional<double> loss_spike;  ///< k: a step loss > k x the running median is a problem
};

/// The running median of the last kWindow step losses.
class SpikeDetector {
 public:
  static constexpr std::size_t kWindow = 50;
  static constexpr std::size_t kMinSteps = 20;  ///< no spike is called before this many losses

  /// Throws InvalidArgument unless factor > 1 and finite: "loss_spike must be > 1, got 0.5".
  explicit SpikeDetector(double factor);
  /// True when `loss` exceeds factor x the median of the window (kMinSteps losses or more).
  bool is_spike(double loss) const;
  /// Adds an accepted step's loss, dropping the oldest beyond kWindow.
  void add(double loss);
  /// The median of the window (the mean of the middle two for an even count); 0 when empty.
  double median() const;
  double factor() const { return factor_; }

  void save(io::ByteWriter& out) const;
  void load(io::ByteReader& in);

 private:
  double factor_;
  std::vector<double> window_;  ///< a ring once full
  std::size_t next_ = 0;        ///< where the next loss goes once the ring is full
};

/// The ladder and its memory.
class NanPolicy {
 public:
  /// Throws InvalidArgument for a ladder with a repeated action or a bad loss_spike.
  explicit NanPolicy(NanLadder ladder);

  /// True when on_nan is set: the trainer checks every step.
  bool active() const { return !ladder_.actions.empty(); }
  const NanLadder& ladder() const { return ladder_; }
  /// True when `step_loss` is a spike (always false without loss_spike).
  bool is_spike(double step_loss) const { return spikes_ && spikes_->is_spike(step_loss); }
  /// Feeds an accepted step's loss to the spike detector.
  void accept(double step_loss) {
    if (spikes_) spikes_->add(step_loss);
  }
  /// The median the spike detector compares with.
  double median() const { return spikes_ ? spikes_->median() : 0.0; }

  /// Counts a problem and returns the action for it: the k-th takes rung min(k, last).
  NanAction next();
  /// Problems counted so far.
  std::int64_t problems() const { return problems_; }
  /// The factor on the learning rate: 0.5 per halve_lr taken so far.
  double lr_factor() const { return lr_factor_; }
  void halve_lr() { lr_factor_ *= 0.5; }

  /// The line that reports the action just taken, or "" when that rung was already reported (a
  /// repeated last rung would fill the log): "on_nan: step 57: loss is nan; skipped the update
  /// (1 of 4 actions)".
  std::string report(std::int64_t step, const std::string& problem, NanAction action, const std::string& detail);

  void save(io::ByteWriter& out) const;
  void load(io::ByteReader& in);

 private:
  NanLadder ladder_;
  std::optional<SpikeDetector> spikes_;
  std::int64_t problems_ = 0;
  double lr_factor_ = 1.0;
  std::vector<bool> reported_;  ///< per rung
};

}  // namespace regimen::train
