#include "runtime/dense_tensor.hpp"

#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "runtime/error.hpp"
#include "runtime/option_check.hpp"

namespace regimen {
namespace {

// Rows and columns past this many print as "first 3, ..., last 3".
constexpr Eigen::Index kFullUpTo = 8;
constexpr Eigen::Index kEdge = 3;

void require_size(Eigen::Index n) {
  if (n < 0) throw InvalidArgument("sizes must be >= 0, got " + std::to_string(n));
}

// The shortest text that reads back as the same float (format_number does this for doubles).
std::string format_float(float value) {
  char buffer[32];
  for (int precision = 1; precision <= 9; ++precision) {
    std::snprintf(buffer, sizeof buffer, "%.*g", precision, static_cast<double>(value));
    if (std::isnan(value) || std::strtof(buffer, nullptr) == value) break;
  }
  // Integers print in full, as format_number prints them.
  if (std::isfinite(value) && value == std::floor(value) && std::abs(value) < 1e7f) {
    std::snprintf(buffer, sizeof buffer, "%.0f", static_cast<double>(value));
  }
  return buffer;
}

// Calls item(i) for the indices of [0, n) to print, and gap() where "..." stands for the rest.
template <typename Item, typename Gap>
void elide(Eigen::Index n, Item&& item, Gap&& gap) {
  for (Eigen::Index i = 0; i < n; ++i) {
    if (n > kFullUpTo && i == kEdge) {
      gap();
      i = n - kEdge - 1;
      continue;
    }
    item(i);
  }
}

}  // namespace

const char* to_string(DType dtype) { return dtype == DType::float32 ? "float32" : "float64"; }

bool parse_dtype(std::string_view text, DType& dtype) {
  if (text == "float32") {
    dtype = DType::float32;
  } else if (text == "float64") {
    dtype = DType::float64;
  } else {
    return false;
  }
  return true;
}

DenseTensor::DenseTensor(int rank, Eigen::Index rows, Eigen::Index cols, DType dtype)
    : dtype_(dtype), rank_(rank), rows_(rows), cols_(cols) {
  if (dtype == DType::float32) {
    f32_.assign(idx(rows * cols), 0.0f);
  } else {
    f64_.assign(idx(rows * cols), 0.0);
  }
}

DenseTensor DenseTensor::vector(Eigen::Index n, DType dtype) {
  require_size(n);
  return DenseTensor(1, 1, n, dtype);
}

DenseTensor DenseTensor::matrix(Eigen::Index rows, Eigen::Index cols, DType dtype) {
  require_size(rows);
  require_size(cols);
  return DenseTensor(2, rows, cols, dtype);
}

std::vector<Eigen::Index> DenseTensor::shape() const {
  if (rank_ == 1) return {cols_};
  return {rows_, cols_};
}

std::string shape_text(int rank, Eigen::Index rows, Eigen::Index cols) {
  // Appended piecewise: GCC 12's -Wrestrict misfires on "{" + std::string.
  std::string text(1, '{');
  if (rank == 2) text.append(std::to_string(rows)).append(", ");
  return text.append(std::to_string(cols)).append("}");
}

std::string DenseTensor::shape_text() const { return regimen::shape_text(rank_, rows_, cols_); }

std::string DenseTensor::describe() const {
  const auto value = [&](Eigen::Index i) {
    return dtype_ == DType::float32 ? format_float(f32_[idx(i)]) : format_number(f64_[idx(i)]);
  };
  const auto row = [&](Eigen::Index r) {
    std::string text = "{";
    bool first = true;
    const auto sep = [&] {
      if (!first) text += ", ";
      first = false;
    };
    elide(
        cols_,
        [&](Eigen::Index c) {
          sep();
          text += value(r * cols_ + c);
        },
        [&] {
          sep();
          text += "...";
        });
    return text + "}";
  };
  std::string text = std::string("tensor(") + to_string(dtype_) + ", " + shape_text() + "): ";
  if (rank_ == 1) return text + row(0);
  text += "{";
  bool first = true;
  const auto sep = [&] {
    if (!first) text += ", ";
    first = false;
  };
  elide(
      rows_,
      [&](Eigen::Index r) {
        sep();
        text += row(r);
      },
      [&] {
        sep();
        text += "...";
      });
  return text + "}";
}

}  // namespace regimen
