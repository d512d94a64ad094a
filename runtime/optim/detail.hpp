#pragma once
// Helpers every update rule's .cpp shares: views over caller memory and describe() pieces.
// Internal to runtime/optim; not part of the public API.
#include <array>
#include <string>

#include <Eigen/Core>

#include "runtime/option_check.hpp"

namespace regimen::optim::detail {

// Caller memory (an arena slice, a host buffer, a Lua tensor) has no alignment we can count on;
// unaligned packet loads cost next to nothing on the CPUs -march=native targets.
template <typename T>
using ArrayMap = Eigen::Map<Eigen::Array<T, Eigen::Dynamic, 1>, Eigen::Unaligned>;
template <typename T>
using ConstArrayMap = Eigen::Map<const Eigen::Array<T, Eigen::Dynamic, 1>, Eigen::Unaligned>;

inline const char* boolean(bool b) { return b ? "true" : "false"; }

/// "{0.9, 0.999}", as a recipe writes betas.
inline std::string pair(const std::array<double, 2>& values) {
  // Appended piecewise: GCC 12's -Wrestrict misfires on "{" + std::string.
  std::string text(1, '{');
  text.append(format_number(values[0])).append(", ").append(format_number(values[1])).append("}");
  return text;
}

/// Both betas in [0, 1), named as a Lua recipe indexes them: "betas[2] must be in [0, 1), got 1".
inline void require_betas(const std::array<double, 2>& betas) {
  require_unit_interval("betas[1]", betas[0]);
  require_unit_interval("betas[2]", betas[1]);
}

}  // namespace regimen::optim::detail
