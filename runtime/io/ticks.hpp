#pragma once
// "Nice" axis ticks: steps of 1, 2 or 5 times a power of ten, so that a reader can interpolate
// between labels (Heckbert, "Nice numbers for graph labels", Graphics Gems, 1990), and labels
// written with just the digits that tell the ticks apart.
#include <string>
#include <vector>

namespace regimen::io {

/// An axis: its domain [lo, hi] and the ticks inside it, every `step`.
struct Axis {
  double lo = 0.0;
  double hi = 1.0;
  double step = 1.0;
  std::vector<double> ticks;
};

/// The 1, 2 or 5 times 10^k whose number of intervals over `span` (> 0) is closest to
/// `intervals` (>= 1); a tie goes to the larger step. nice_step(1e-3, 5) = 2e-4.
double nice_step(double span, int intervals);

/// The multiples of `step` in [lo, hi] (a tick within a millionth of a step of an end counts),
/// each rounded to the precision of the step so that 0.1 * 3 is 0.3.
std::vector<double> ticks_within(double lo, double hi, double step);

/// An axis for data in [lo, hi] with about `intervals` intervals, widened out to the nearest
/// ticks (a y axis). A single value v gets an axis around it ([v/2, 3v/2] in effect; [-1, 1]
/// for 0).
Axis nice_axis(double lo, double hi, int intervals);

/// An axis of exactly [lo, hi] with ticks inside it (an x axis that must end at the run's end).
Axis exact_axis(double lo, double hi, int intervals);

/// A tick label: whole numbers plainly below 1e7 ("12000"), others with as many significant
/// digits as `step` needs to tell neighbours apart ("0.0002", "0.95", "1.5e-05" -> "1.5e-5").
std::string format_tick(double value, double step);

/// A short label for one value (4 significant digits): "0.001", "0.9", "12660", "1.234e-5".
std::string format_short(double value);

}  // namespace regimen::io
