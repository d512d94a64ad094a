#pragma once
// A length in the user's units: "5 epochs", "1 epoch", "300 steps", "10%" (of the whole run).
// It becomes a number of steps once the run's length is known (run_length.hpp):
//
//   "N steps"   -> N
//   "N epochs"  -> run.steps_at_epoch(N)        (N * steps_per_epoch when epochs are equal)
//   "P%"        -> P / 100 * run.total_steps()
//
// rounded to a whole number of steps (half away from zero), since a length of 23.5 steps is
// never what "10%" of a 235-step run means. A schedule counted in epochs (by = "epoch") takes
// the same string in epochs: "N epochs" -> N, "P%" -> P / 100 * epochs, "N steps" -> the epoch
// holding step N; rounded to whole epochs.
#include <string>
#include <string_view>

#include "runtime/schedule/run_length.hpp"

namespace regimen::schedule {

/// A parsed duration string.
class Duration {
 public:
  enum class Unit { steps, epochs, percent };

  /// Parses "<number> step(s)", "<number> epoch(s)" or "<number>%", with optional spaces
  /// around the number and before the unit; the number is finite and >= 0. Throws
  /// InvalidArgument naming the option when `option` is given: "bad duration '5 epoch s' for
  /// T_max (write a number of steps, or a string such as '5 epochs', '200 steps' or '10%')".
  static Duration parse(std::string_view text, std::string_view option = {});

  double amount() const { return amount_; }
  Unit unit() const { return unit_; }
  /// As the user wrote it: "5 epochs".
  const std::string& text() const { return text_; }

  /// Whole steps of `run`.
  double steps(const RunLength& run) const;
  /// Whole epochs of `run`, for a schedule counted in epochs.
  double epochs(const RunLength& run) const;
  /// steps(run), or epochs(run) when `by_epoch`.
  double in(const RunLength& run, bool by_epoch) const { return by_epoch ? epochs(run) : steps(run); }

 private:
  Duration(double amount, Unit unit, std::string text) : amount_(amount), unit_(unit), text_(std::move(text)) {}

  double amount_;
  Unit unit_;
  std::string text_;
};

}  // namespace regimen::schedule
