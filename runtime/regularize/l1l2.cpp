#include "runtime/regularize/l1l2.hpp"

#include <Eigen/Core>

#include "runtime/option_check.hpp"
#include "runtime/regularize/same_length.hpp"

namespace regimen::regularize {
namespace {

using ArrayMap = Eigen::Map<Eigen::ArrayXf, Eigen::Unaligned>;
using ConstArrayMap = Eigen::Map<const Eigen::ArrayXf, Eigen::Unaligned>;

}  // namespace

L1L2::L1L2(double l1, double l2) : l1_(l1), l2_(l2) {
  require_non_negative("l1", l1);
  require_non_negative("l2", l2);
}

std::string L1L2::describe() const {
  return "l1l2(l1=" + format_number(l1_) + ", l2=" + format_number(l2_) + ")";
}

double L1L2::penalty(std::span<const float> weights) const {
  ConstArrayMap w(weights.data(), static_cast<Eigen::Index>(weights.size()));
  return (l1_ * w.cast<double>().abs() + l2_ * w.cast<double>().square()).sum();
}

void L1L2::add_gradient(std::span<const float> weights, std::span<float> grad) const {
  require_same_length(weights, grad);
  const auto n = static_cast<Eigen::Index>(weights.size());
  ArrayMap g(grad.data(), n);
  const ConstArrayMap w(weights.data(), n);
  g += static_cast<float>(l1_) * w.sign() + static_cast<float>(2.0 * l2_) * w;
}

}  // namespace regimen::regularize
