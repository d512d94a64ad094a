#include "runtime/loss/class_targets.hpp"

#include <cmath>
#include <sstream>
#include <string>

#include "runtime/error.hpp"

namespace regimen::loss {

void check_class_targets(const Matrix& logits, const Matrix& targets, std::string_view who) {
  std::ostringstream message;
  message << who << ": ";
  if (logits.rows() == 0 || logits.cols() == 0) {
    message << "empty batch (" << logits.rows() << "x" << logits.cols() << " logits)";
    throw InvalidArgument(message.str());
  }
  if (targets.rows() != logits.rows() || targets.cols() != 1) {
    message << "expected " << logits.rows() << "x1 class indices for " << logits.rows() << "x" << logits.cols()
            << " logits, got " << targets.rows() << "x" << targets.cols() << " targets";
    throw InvalidArgument(message.str());
  }
}

Index class_index(const Matrix& targets, Index row, Index classes, std::string_view who) {
  const float value = targets(row, 0);
  // Also rejects NaN, which fails every comparison.
  if (value >= 0.0f && value < static_cast<float>(classes) && std::floor(value) == value) {
    return static_cast<Index>(value);
  }
  std::ostringstream message;
  message << who << ": target in row " << row << " is " << value << ", expected a class index in [0, " << classes
          << ")";
  throw InvalidArgument(message.str());
}

}  // namespace regimen::loss
