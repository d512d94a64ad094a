#pragma once
// Option checks that only schedules need (lists of steps, named modes), on top of
// runtime/option_check.hpp. Messages name the option as the recipe spells it, with 1-based
// list positions as Lua writes them: "milestones[2] must be >= 0, got -1".
#include <cmath>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/error.hpp"
#include "runtime/option_check.hpp"

namespace regimen::schedule {

/// value is finite, > 0 and a whole number (a count of steps that PyTorch takes as an int).
inline void require_positive_whole(std::string_view name, double value) {
  require_positive(name, value);
  require(std::floor(value) == value, name, "a whole number", value);
}

/// value is one of `allowed`: "mode must be one of 'min', 'max', got 'mni'".
inline void require_one_of(std::string_view name, const std::string& value,
                           std::initializer_list<std::string_view> allowed) {
  std::string list;
  for (std::string_view a : allowed) {
    if (a == value) return;
    list += (list.empty() ? "'" : ", '") + std::string(a) + "'";
  }
  throw InvalidArgument(std::string(name) + " must be one of " + list + ", got '" + value + "'");
}

/// Every entry finite and >= 0, each >= the one before (> when `strictly`).
inline void require_sorted_steps(std::string_view name, const std::vector<double>& values,
                                 bool strictly) {
  for (std::size_t i = 0; i < values.size(); ++i) {
    require_non_negative(std::string(name) + "[" + std::to_string(i + 1) + "]", values[i]);
    if (i == 0) continue;
    const bool ok = strictly ? values[i] > values[i - 1] : values[i] >= values[i - 1];
    if (!ok) {
      throw InvalidArgument(std::string(name) + (strictly ? " must be increasing" : " must not decrease") +
                            ", got " + format_number(values[i]) + " after " + format_number(values[i - 1]));
    }
  }
}

/// "{30, 80}", as the list is written in Lua.
inline std::string format_list(const std::vector<double>& values) {
  std::string text = "{";
  for (std::size_t i = 0; i < values.size(); ++i) text += (i ? ", " : "") + format_number(values[i]);
  return text + "}";
}

inline const char* format_bool(bool value) { return value ? "true" : "false"; }

}  // namespace regimen::schedule
