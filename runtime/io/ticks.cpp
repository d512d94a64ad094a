#include "runtime/io/ticks.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace regimen::io {
namespace {

// "1e-05" -> "1e-5", "2.5e+07" -> "2.5e7": printf's exponent padding only adds noise to a label.
std::string tidy_exponent(std::string text) {
  const auto e = text.find('e');
  if (e == std::string::npos) return text;
  std::string mantissa = text.substr(0, e);
  std::string exponent = text.substr(e + 1);
  const bool negative = !exponent.empty() && exponent[0] == '-';
  if (!exponent.empty() && (exponent[0] == '-' || exponent[0] == '+')) exponent.erase(0, 1);
  exponent.erase(0, std::min(exponent.find_first_not_of('0'), exponent.size() - 1));
  return mantissa + "e" + (negative ? "-" : "") + exponent;
}

std::string printf_g(double value, int precision) {
  char buffer[48];
  std::snprintf(buffer, sizeof buffer, "%.*g", precision, value);
  return tidy_exponent(buffer);
}

}  // namespace

double nice_step(double span, int intervals) {
  intervals = std::max(1, intervals);
  if (!(span > 0.0) || !std::isfinite(span)) return 1.0;
  const double raw = span / intervals;
  const double power = std::pow(10.0, std::floor(std::log10(raw)));
  double best = power;
  double best_error = INFINITY;
  // Candidates around the raw step: one decade below to one above covers every closest choice.
  for (const double decade : {power / 10.0, power, power * 10.0}) {
    for (const double mantissa : {1.0, 2.0, 5.0}) {
      const double step = mantissa * decade;
      const double error = std::abs(span / step - intervals);
      if (error <= best_error) {
        best = step;
        best_error = error;
      }
    }
  }
  return best;
}

std::vector<double> ticks_within(double lo, double hi, double step) {
  std::vector<double> ticks;
  if (!(step > 0.0) || !(hi >= lo)) return ticks;
  const double slack = step * 1e-6;
  // Rounding a tick to a thousandth of the step's decade removes the 0.30000000000000004 of
  // i * step; dividing by a whole power of ten (exact in double) rounds correctly.
  const int decimals = 3 - static_cast<int>(std::floor(std::log10(step)));
  const double scale = std::pow(10.0, std::abs(decimals));
  const auto rounded = [&](double v) {
    return decimals > 0 ? std::round(v * scale) / scale : std::round(v / scale) * scale;
  };
  for (double i = std::ceil((lo - slack) / step); i * step <= hi + slack; ++i) {
    double tick = rounded(i * step);
    if (std::abs(tick) < slack) tick = 0.0;  // no "-0"
    ticks.push_back(tick);
  }
  return ticks;
}

Axis nice_axis(double lo, double hi, int intervals) {
  if (hi < lo) std::swap(lo, hi);
  if (hi == lo) {
    const double half = lo == 0.0 ? 1.0 : std::abs(lo) / 2.0;
    lo -= half;
    hi += half;
  }
  Axis axis;
  axis.step = nice_step(hi - lo, intervals);
  axis.lo = std::floor(lo / axis.step + 1e-9) * axis.step;
  axis.hi = std::ceil(hi / axis.step - 1e-9) * axis.step;
  axis.ticks = ticks_within(axis.lo, axis.hi, axis.step);
  if (!axis.ticks.empty()) {  // the ends are ticks: take their rounded values
    axis.lo = axis.ticks.front();
    axis.hi = axis.ticks.back();
  }
  return axis;
}

Axis exact_axis(double lo, double hi, int intervals) {
  if (hi < lo) std::swap(lo, hi);
  Axis axis;
  axis.lo = lo;
  axis.hi = hi == lo ? lo + 1.0 : hi;
  axis.step = nice_step(axis.hi - axis.lo, intervals);
  axis.ticks = ticks_within(axis.lo, axis.hi, axis.step);
  return axis;
}

std::string format_tick(double value, double step) {
  if (value == 0.0) return "0";
  if (step >= 1.0 && std::abs(value) < 1e7) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.0f", value);
    return buffer;
  }
  // Enough significant digits that value and value + step differ in the label.
  const double magnitude = std::floor(std::log10(std::abs(value)));
  const double resolution = std::floor(std::log10(step));
  const int digits = static_cast<int>(std::clamp(magnitude - resolution + 1.0, 1.0, 15.0));
  return printf_g(value, digits);
}

std::string format_short(double value) {
  if (value == 0.0) return "0";
  if (std::abs(value) >= 1.0 && std::abs(value) < 1e7 && value == std::round(value)) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.0f", value);
    return buffer;
  }
  return printf_g(value, 4);
}

}  // namespace regimen::io
