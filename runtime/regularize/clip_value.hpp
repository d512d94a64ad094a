#pragma once
// Clipping by value, as PyTorch's torch.nn.utils.clip_grad_value_ (and Keras' clipvalue):
//
//   g_i <- min(max(g_i, -v), v)
//
// Each element is clamped on its own, so unlike clip.norm it can change the update's direction.
#include <span>
#include <string>

#include "runtime/regularize/gradient_clip.hpp"

namespace regimen::regularize {

/// Clamps every element of `grad` to [-v, v]. `v` must be finite and > 0 (InvalidArgument).
void clip_grad_value(std::span<float> grad, double v);

/// clip.value(v): every gradient element clamped to [-v, v].
class ClipValue final : public GradientClip {
 public:
  /// v must be finite and > 0.
  explicit ClipValue(double v);

  /// "value(0.5)".
  std::string describe() const override;
  void apply(std::span<float> grad) const override { clip_grad_value(grad, v_); }

  double v() const { return v_; }

 private:
  double v_;
};

}  // namespace regimen::regularize
