#include "runtime/regularize/max_norm.hpp"

#include <algorithm>
#include <array>
#include <cmath>

#include "runtime/option_check.hpp"

namespace regimen::regularize {
namespace {

// Columns per block: their running sums of squares stay in registers and L1.
constexpr Index kBlock = 64;

}  // namespace

MaxNorm::MaxNorm(double c) : c_(c) { require_positive("c", c); }

std::string MaxNorm::describe() const { return "max_norm(" + format_number(c_) + ")"; }

void MaxNorm::apply(MatrixMap weights) const {
  const Index rows = weights.rows();
  const Index cols = weights.cols();
  std::array<double, kBlock> sums;
  std::array<float, kBlock> scales;
  for (Index begin = 0; begin < cols; begin += kBlock) {
    const Index width = std::min(kBlock, cols - begin);
    std::fill_n(sums.begin(), width, 0.0);
    // Row by row, so that each pass reads contiguous memory of the row-major matrix.
    for (Index i = 0; i < rows; ++i) {
      const float* row = weights.data() + i * cols + begin;
      for (Index j = 0; j < width; ++j) sums[j] += static_cast<double>(row[j]) * row[j];
    }
    for (Index j = 0; j < width; ++j) {
      const double norm = std::sqrt(sums[j]);
      scales[j] = static_cast<float>(std::min(norm, c_) / (norm + kEpsilon));
    }
    for (Index i = 0; i < rows; ++i) {
      float* row = weights.data() + i * cols + begin;
      for (Index j = 0; j < width; ++j) row[j] *= scales[j];
    }
  }
}

}  // namespace regimen::regularize
