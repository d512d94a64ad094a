#pragma once
// A tensor that owns its storage, in float32 or float64: what a Lua script builds with
// tensor.from / tensor.zeros and steps with opt:step. Training itself works on views into the
// parameter arena (tensor.hpp); this type is for scripts and host code holding a few values.
//
// Rank 1 (a vector of n values, shape {n}) or rank 2 (rows x cols, row-major, shape {rows, cols}).
// A vector is not a 1 x n matrix: its shape says {n}, its elements are numbers rather than rows,
// and an optimizer's layout tells the two apart (docs/decisions.md).
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <Eigen/Core>

namespace regimen {

/// The element type of a DenseTensor.
enum class DType : std::uint8_t { float32, float64 };

/// "float32" or "float64", as a script writes it.
const char* to_string(DType dtype);

/// An owning float32 or float64 tensor of rank 1 or 2, zero-initialized.
class DenseTensor {
 public:
  /// A vector of n values (n >= 0). Throws InvalidArgument for a negative size.
  static DenseTensor vector(Eigen::Index n, DType dtype);
  /// A rows x cols matrix. Throws InvalidArgument for a negative size.
  static DenseTensor matrix(Eigen::Index rows, Eigen::Index cols, DType dtype);

  DType dtype() const { return dtype_; }
  /// 1 for a vector, 2 for a matrix.
  int rank() const { return rank_; }
  /// A vector has one row.
  Eigen::Index rows() const { return rows_; }
  Eigen::Index cols() const { return cols_; }
  Eigen::Index size() const { return rows_ * cols_; }
  /// {n} for a vector, {rows, cols} for a matrix.
  std::vector<Eigen::Index> shape() const;
  /// "{2, 3}", "{5}".
  std::string shape_text() const;
  /// Same rank and sizes (a vector {3} differs from a matrix {1, 3}).
  bool same_shape(const DenseTensor& other) const {
    return rank_ == other.rank_ && rows_ == other.rows_ && cols_ == other.cols_;
  }

  /// The elements in row-major order when T is the tensor's dtype (float or double), else empty.
  template <typename T>
  std::span<T> data();
  template <typename T>
  std::span<const T> data() const;

  /// Element `i` in row-major order, as a double.
  double get(Eigen::Index i) const { return dtype_ == DType::float32 ? f32_[idx(i)] : f64_[idx(i)]; }
  /// Sets element `i`; a float32 tensor rounds `value` to the nearest float.
  void set(Eigen::Index i, double value) {
    if (dtype_ == DType::float32) {
      f32_[idx(i)] = static_cast<float>(value);
    } else {
      f64_[idx(i)] = value;
    }
  }

  /// "tensor(float32, {2, 3}): {{1, 2, 3}, {4, 5, 6}}", eliding the middle of long rows and
  /// columns with "...". Each value is the shortest text that reads back as it.
  std::string describe() const;

 private:
  DenseTensor(int rank, Eigen::Index rows, Eigen::Index cols, DType dtype);
  static std::size_t idx(Eigen::Index i) { return static_cast<std::size_t>(i); }

  DType dtype_;
  int rank_;
  Eigen::Index rows_, cols_;
  std::vector<float> f32_;   // used when dtype_ is float32
  std::vector<double> f64_;  // used when dtype_ is float64
};

template <>
inline std::span<float> DenseTensor::data<float>() {
  return f32_;
}
template <>
inline std::span<double> DenseTensor::data<double>() {
  return f64_;
}
template <>
inline std::span<const float> DenseTensor::data<float>() const {
  return f32_;
}
template <>
inline std::span<const double> DenseTensor::data<double>() const {
  return f64_;
}

/// "{cols}" for rank 1, "{rows, cols}" for rank 2.
std::string shape_text(int rank, Eigen::Index rows, Eigen::Index cols);

/// Parses "float32" / "float64"; false for anything else.
bool parse_dtype(std::string_view text, DType& dtype);

}  // namespace regimen
