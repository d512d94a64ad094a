#include "runtime/regularize/clip_value.hpp"

#include <Eigen/Core>

#include "runtime/option_check.hpp"

namespace regimen::regularize {
namespace {

using ArrayMap = Eigen::Map<Eigen::ArrayXf, Eigen::Unaligned>;

}  // namespace

void clip_grad_value(std::span<float> grad, double v) {
  require_positive("v", v);
  const auto bound = static_cast<float>(v);
  ArrayMap g(grad.data(), static_cast<Eigen::Index>(grad.size()));
  g = g.max(-bound).min(bound);
}

ClipValue::ClipValue(double v) : v_(v) { require_positive("v", v); }

std::string ClipValue::describe() const { return "value(" + format_number(v_) + ")"; }

}  // namespace regimen::regularize
