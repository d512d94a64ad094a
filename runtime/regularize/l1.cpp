#include "runtime/regularize/l1.hpp"

#include <Eigen/Core>

#include "runtime/option_check.hpp"
#include "runtime/regularize/same_length.hpp"

namespace regimen::regularize {
namespace {

using ArrayMap = Eigen::Map<Eigen::ArrayXf, Eigen::Unaligned>;
using ConstArrayMap = Eigen::Map<const Eigen::ArrayXf, Eigen::Unaligned>;

}  // namespace

L1::L1(double c) : c_(c) { require_non_negative("c", c); }

std::string L1::describe() const { return "l1(" + format_number(c_) + ")"; }

double L1::penalty(std::span<const float> weights) const {
  ConstArrayMap w(weights.data(), static_cast<Eigen::Index>(weights.size()));
  return c_ * w.cast<double>().abs().sum();
}

void L1::add_gradient(std::span<const float> weights, std::span<float> grad) const {
  require_same_length(weights, grad);
  const auto n = static_cast<Eigen::Index>(weights.size());
  ArrayMap g(grad.data(), n);
  g += static_cast<float>(c_) * ConstArrayMap(weights.data(), n).sign();
}

}  // namespace regimen::regularize
