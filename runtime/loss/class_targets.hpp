#pragma once
// Classification targets are one column of class indices stored as floats (a batch is a float
// matrix). Every consumer checks them the same way, so a bad label gets the same message from the
// loss and from the accuracy metric.
#include <string_view>

#include "runtime/tensor.hpp"

namespace regimen::loss {

/// Checks that `targets` is N x 1 for N x C `logits` (N, C >= 1); throws InvalidArgument,
/// prefixing the message with `who` ("cross_entropy: ...").
void check_class_targets(const Matrix& logits, const Matrix& targets, std::string_view who);

/// The class index in row `row` (0-based) of `targets`. Throws InvalidArgument unless it is an
/// integer in [0, classes): "cross_entropy: target in row 3 is 10, expected a class index in [0, 10)".
Index class_index(const Matrix& targets, Index row, Index classes, std::string_view who);

}  // namespace regimen::loss
