#pragma once
// The one precondition every penalty gradient shares: a gradient buffer per weight.
#include <span>
#include <string>

#include "runtime/error.hpp"

namespace regimen::regularize {

/// Throws InvalidArgument("grad has G elements but weights has W") unless the lengths agree.
inline void require_same_length(std::span<const float> weights, std::span<const float> grad) {
  if (grad.size() == weights.size()) return;
  throw InvalidArgument("grad has " + std::to_string(grad.size()) + " elements but weights has " +
                        std::to_string(weights.size()));
}

}  // namespace regimen::regularize
