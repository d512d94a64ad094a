#pragma once
// Gradient clipping: a rewrite of the whole flat gradient after the penalties are added and
// before the optimizer step, bounding how far one update can move the weights.
#include <span>
#include <string>

namespace regimen::regularize {

/// Rescales or clamps a gradient in place.
class GradientClip {
 public:
  virtual ~GradientClip() = default;
  /// One line for `regimen check`: "norm(1)", "value(0.5)".
  virtual std::string describe() const = 0;
  /// Clips `grad` (every parameter's gradient, as one flat buffer) in place.
  virtual void apply(std::span<float> grad) const = 0;
};

}  // namespace regimen::regularize
