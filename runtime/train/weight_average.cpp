#include "runtime/train/weight_average.hpp"

#include <algorithm>
#include <string>

#include <Eigen/Core>

#include "runtime/error.hpp"
#include "runtime/option_check.hpp"

namespace regimen::train {
namespace {

using ArrayMap = Eigen::Map<Eigen::ArrayXf, Eigen::Unaligned>;
using ConstArrayMap = Eigen::Map<const Eigen::ArrayXf, Eigen::Unaligned>;

}  // namespace

WeightAverage::WeightAverage(double decay, std::span<const float> weights)
    : decay_(decay), average_(weights.begin(), weights.end()) {
  require_unit_interval("ema", decay);
}

void WeightAverage::check_length(std::size_t size) const {
  if (size != average_.size()) {
    throw InvalidArgument("ema: the weights have " + std::to_string(size) + " elements, the average " +
                          std::to_string(average_.size()));
  }
}

void WeightAverage::update(std::span<const float> weights) {
  check_length(weights.size());
  const auto n = static_cast<Eigen::Index>(weights.size());
  ArrayMap a(average_.data(), n);
  const auto d = static_cast<float>(decay_);
  const auto rest = static_cast<float>(1.0 - decay_);
  a = d * a + rest * ConstArrayMap(weights.data(), n);
}

void WeightAverage::swap(std::span<float> weights) {
  check_length(weights.size());
  std::swap_ranges(weights.begin(), weights.end(), average_.begin());
}

}  // namespace regimen::train
