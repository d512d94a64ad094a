#pragma once
// The accuracy metric's core: how many rows' largest logit sits at the target class. Ties go to
// the first maximal class, as torch.argmax does; the caller divides by the batch size it sums over.
#include "runtime/tensor.hpp"

namespace regimen::loss {

/// The index of the largest value in row `row` (the first one on ties).
Index argmax(const Matrix& logits, Index row);

/// Number of rows of N x C `logits` whose argmax equals the class index in N x 1 `targets`.
/// Throws InvalidArgument on a shape mismatch or a target outside [0, C), as CrossEntropy does.
Index count_correct(const Matrix& logits, const Matrix& targets);

}  // namespace regimen::loss
