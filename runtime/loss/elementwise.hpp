#pragma once
// The shared shape of the element-wise losses (mse, mae, huber, bce): the prediction and the
// target have one shape, the loss is the mean of a per-element term f(p, t) over all n = N x D
// elements, and dL/dp = f'(p, t) / n. The sum is taken in double, since a float sum over a large
// batch loses the small terms.
#include <string_view>

#include "runtime/tensor.hpp"

namespace regimen::loss {

/// Throws InvalidArgument unless `prediction` and `target` have one shape and are not empty:
/// "mae: prediction is 4x3 but target is 4x1", "mae: empty batch (0x3)".
void check_same_shape(const Matrix& prediction, const Matrix& target, std::string_view who);

/// The mean of term(p, t) over all elements; when `grad` is set, also writes derivative(p, t) / n
/// into it (resized). Both functions take and return doubles.
template <typename Term, typename Derivative>
double elementwise_mean(const Matrix& prediction, const Matrix& target, Matrix* grad, Term&& term,
                        Derivative&& derivative) {
  const Index n = prediction.size();
  const float* p = prediction.data();
  const float* t = target.data();
  double sum = 0.0;
  for (Index i = 0; i < n; ++i) sum += term(static_cast<double>(p[i]), static_cast<double>(t[i]));
  const double inv_n = 1.0 / static_cast<double>(n);
  if (grad != nullptr) {
    grad->resize(prediction.rows(), prediction.cols());
    float* g = grad->data();
    for (Index i = 0; i < n; ++i)
      g[i] = static_cast<float>(derivative(static_cast<double>(p[i]), static_cast<double>(t[i])) * inv_n);
  }
  return sum * inv_n;
}

}  // namespace regimen::loss
