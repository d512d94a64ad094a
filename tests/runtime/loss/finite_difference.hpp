#pragma once
// The oracle for the losses' analytic gradients: central finite differences of the loss value
// (computed in double) with respect to each prediction element.
#include <catch2/catch.hpp>

#include <initializer_list>

#include "runtime/loss/loss.hpp"
#include "runtime/random.hpp"
#include "runtime/tensor.hpp"

namespace regimen::test {

/// A matrix with entries uniform in [lo, hi).
inline Matrix random_matrix(Index rows, Index cols, Random& rng, double lo = -1.0, double hi = 1.0) {
  Matrix m(rows, cols);
  for (Index i = 0; i < m.size(); ++i) m.data()[i] = static_cast<float>(lo + (hi - lo) * rng.uniform());
  return m;
}

/// Checks loss.value_and_gradient's gradient against central differences of loss.value, element by
/// element (relative tolerance `rel`, or absolute `abs` near zero). The denominator is the step
/// actually taken, since p ± eps rounds in float.
inline void check_loss_gradient(const loss::Loss& loss, Matrix prediction, const Matrix& target, float eps = 1e-3f,
                                double rel = 1e-2, double abs = 1e-4) {
  Matrix analytic;
  const double value = loss.value_and_gradient(prediction, target, analytic);
  CHECK(value == loss.value(prediction, target));
  REQUIRE((analytic.rows() == prediction.rows() && analytic.cols() == prediction.cols()));
  for (Index i = 0; i < prediction.rows(); ++i) {
    for (Index j = 0; j < prediction.cols(); ++j) {
      const float original = prediction(i, j);
      const float plus = original + eps;
      const float minus = original - eps;
      prediction(i, j) = plus;
      const double f_plus = loss.value(prediction, target);
      prediction(i, j) = minus;
      const double f_minus = loss.value(prediction, target);
      prediction(i, j) = original;
      const double numeric = (f_plus - f_minus) / (static_cast<double>(plus) - static_cast<double>(minus));
      INFO("element (" << i << ", " << j << ")");
      CHECK_THAT(static_cast<double>(analytic(i, j)),
                 Catch::Matchers::WithinRel(numeric, rel) || Catch::Matchers::WithinAbs(numeric, abs));
    }
  }
}

/// d f / d x at `x` by central differences in double precision, step h (truncation error
/// O(h^2 f'''), rounding O(eps_64 / h): about 1e-10 relative at h = 1e-5 for smooth terms).
template <typename F>
double central_difference(F&& f, double x, double h = 1e-5) {
  return (f(x + h) - f(x - h)) / (2.0 * h);
}

/// Checks an element term's analytic derivative against double-precision central differences
/// at every point of `xs` (relative `rel`, or absolute `abs` near zero).
template <typename F, typename DF>
void check_derivative(F&& f, DF&& df, std::initializer_list<double> xs, double rel = 1e-8, double abs = 1e-10) {
  for (double x : xs) {
    INFO("at x = " << x);
    const double numeric = central_difference(f, x);
    CHECK_THAT(df(x), Catch::Matchers::WithinRel(numeric, rel) || Catch::Matchers::WithinAbs(numeric, abs));
  }
}

}  // namespace regimen::test
