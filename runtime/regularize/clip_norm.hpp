#pragma once
// Clipping by global norm, as PyTorch's torch.nn.utils.clip_grad_norm_ (norm_type=2) computes it
// over all parameters together (Pascanu et al., 2013, "On the difficulty of training RNNs"):
//
//   n    = sqrt(sum over every gradient element g_i^2)
//   coef = max / (n + 1e-6)
//   g   <- g * coef           when coef < 1 (PyTorch multiplies by min(coef, 1))
//
// The direction of the update is kept; only its length is bounded. The 1e-6 is PyTorch's, so a
// gradient whose norm equals max is still scaled by max / (max + 1e-6).
#include <span>
#include <string>

#include "runtime/regularize/gradient_clip.hpp"

namespace regimen::regularize {

/// PyTorch's additive epsilon in the clip coefficient.
inline constexpr double kClipNormEpsilon = 1e-6;

/// Scales `grad` as above and returns n, the global L2 norm before clipping (summed in double).
/// `max_norm` must be finite and > 0 (InvalidArgument, naming it "max").
double clip_grad_norm(std::span<float> grad, double max_norm);

/// clip.norm(max): the whole gradient's L2 norm bounded by max.
class ClipNorm final : public GradientClip {
 public:
  /// max must be finite and > 0.
  explicit ClipNorm(double max);

  /// "norm(1)".
  std::string describe() const override;
  void apply(std::span<float> grad) const override { clip_grad_norm(grad, max_); }

  double max() const { return max_; }

 private:
  double max_;
};

}  // namespace regimen::regularize
