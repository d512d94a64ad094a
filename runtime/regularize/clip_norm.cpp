#include "runtime/regularize/clip_norm.hpp"

#include <cmath>

#include <Eigen/Core>

#include "runtime/option_check.hpp"

namespace regimen::regularize {
namespace {

using ArrayMap = Eigen::Map<Eigen::ArrayXf, Eigen::Unaligned>;

}  // namespace

double clip_grad_norm(std::span<float> grad, double max_norm) {
  require_positive("max", max_norm);
  ArrayMap g(grad.data(), static_cast<Eigen::Index>(grad.size()));
  const double norm = std::sqrt(g.cast<double>().square().sum());
  const double coef = max_norm / (norm + kClipNormEpsilon);
  if (coef < 1.0) g *= static_cast<float>(coef);
  return norm;
}

ClipNorm::ClipNorm(double max) : max_(max) { require_positive("max", max); }

std::string ClipNorm::describe() const { return "norm(" + format_number(max_) + ")"; }

}  // namespace regimen::regularize
