#pragma once
// Float32 tensors on Eigen. A batch is a row-major matrix: one sample per row, so a sample's
// features are contiguous and a mini-batch gathers whole rows.
#include <Eigen/Core>

namespace regimen {

/// A dense float32 matrix, row-major (rows = samples, cols = features).
using Matrix = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
/// A view over float32 memory owned elsewhere (a parameter arena, a host buffer).
using MatrixMap = Eigen::Map<Matrix>;
/// A read-only view over float32 memory owned elsewhere.
using ConstMatrixMap = Eigen::Map<const Matrix>;
/// A dense float64 matrix, used where precision matters more than speed (reference checks).
using MatrixD = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
/// Sizes and indices, as Eigen counts them.
using Index = Eigen::Index;

}  // namespace regimen
