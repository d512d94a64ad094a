#pragma once
// Option validation shared by every factory that takes numbers from a recipe (schedules,
// optimizers, regularizers, early stopping). Messages name the option as the recipe spells
// it and echo the value as the recipe would write it: "lr must be >= 0, got -1".
// Header-only; every runtime area validates its options with it.
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "runtime/error.hpp"

namespace regimen {

/// The shortest form that reads back as exactly `value`, written as a person would write it:
/// 0.001, 1e-08, 100, 4220, 0.30000000000000004, nan, inf. Like Python's repr, plain notation
/// up to 16 integer digits, exponent notation for tiny values.
inline std::string format_number(double value) {
  char buffer[40];
  int precision = 1;
  for (; precision <= 17; ++precision) {
    std::snprintf(buffer, sizeof buffer, "%.*g", precision, value);
    // NaN never compares equal, so it stops at the first precision like every other value.
    if (std::isnan(value) || std::strtod(buffer, nullptr) == value) break;
  }
  // %g turns to exponent form once the exponent reaches the precision ("1e+02" for 100);
  // widen the precision so that integers up to 16 digits print in full.
  if (std::isfinite(value) && value != 0.0) {
    const int exponent = static_cast<int>(std::floor(std::log10(std::abs(value))));
    if (exponent >= precision && exponent < 16) {
      std::snprintf(buffer, sizeof buffer, "%.*g", exponent + 1, value);
    }
  }
  return buffer;
}

/// Throws InvalidArgument("<name> must be <rule>, got <value>") unless `ok`.
inline void require(bool ok, std::string_view name, std::string_view rule, double value) {
  if (ok) return;
  throw InvalidArgument(std::string(name) + " must be " + std::string(rule) + ", got " +
                        format_number(value));
}

/// Rejects NaN and infinities, which no hyperparameter accepts.
inline void require_finite(std::string_view name, double value) {
  require(std::isfinite(value), name, "finite", value);
}

/// value is finite and >= 0.
inline void require_non_negative(std::string_view name, double value) {
  require_finite(name, value);
  require(value >= 0.0, name, ">= 0", value);
}

/// value is finite and > 0.
inline void require_positive(std::string_view name, double value) {
  require_finite(name, value);
  require(value > 0.0, name, "> 0", value);
}

/// value is in [0, 1), as decay rates of running averages must be.
inline void require_unit_interval(std::string_view name, double value) {
  require_finite(name, value);
  require(value >= 0.0 && value < 1.0, name, "in [0, 1)", value);
}

}  // namespace regimen
