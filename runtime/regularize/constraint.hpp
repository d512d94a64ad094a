#pragma once
// A weight constraint: a projection applied to a tensor right after each optimizer step, as
// Keras applies a layer's kernel_constraint. Unlike a regularizer it adds nothing to the loss.
#include <string>

#include "runtime/tensor.hpp"

namespace regimen::regularize {

/// Projects weights back into an allowed set.
class Constraint {
 public:
  virtual ~Constraint() = default;
  /// One line for `regimen check`: "max_norm(3)".
  virtual std::string describe() const = 0;
  /// Replaces `weights` (rows x cols, row-major) by their projection, in place.
  virtual void apply(MatrixMap weights) const = 0;
};

}  // namespace regimen::regularize
