#pragma once
// The oracle for every analytic gradient in the nn tests: central finite differences of a scalar
// objective, evaluated in double from the float32 forward pass.
#include <catch2/catch.hpp>

#include <string>

#include "runtime/parameter_arena.hpp"
#include "runtime/random.hpp"
#include "runtime/tensor.hpp"

namespace regimen::test {

/// A matrix with entries uniform in [lo, hi).
inline Matrix random_matrix(Index rows, Index cols, Random& rng, double lo = -1.0, double hi = 1.0) {
  Matrix m(rows, cols);
  for (Index i = 0; i < m.size(); ++i) m.data()[i] = static_cast<float>(lo + (hi - lo) * rng.uniform());
  return m;
}

/// sum(out .* r) in double: a scalar whose gradient with respect to `out` is `r`, so every
/// element of a layer's output carries a different weight.
inline double weighted_sum(const Matrix& out, const Matrix& r) {
  return (out.cast<double>().array() * r.cast<double>().array()).sum();
}

/// d objective / d x by central differences, perturbing each element of `x` in place and
/// restoring it. The denominator is the step actually taken, since x ± eps rounds in float.
template <typename Values, typename Objective>
MatrixD central_differences(Values&& x, Objective&& objective, float eps) {
  MatrixD grad(x.rows(), x.cols());
  for (Index i = 0; i < x.rows(); ++i) {
    for (Index j = 0; j < x.cols(); ++j) {
      const float original = x(i, j);
      const float plus = original + eps;
      const float minus = original - eps;
      x(i, j) = plus;
      const double f_plus = objective();
      x(i, j) = minus;
      const double f_minus = objective();
      x(i, j) = original;
      grad(i, j) = (f_plus - f_minus) / (static_cast<double>(plus) - static_cast<double>(minus));
    }
  }
  return grad;
}

/// Element by element: within `rel` relatively, or within `abs` where the true value is near 0.
template <typename Analytic>
void check_gradient(const Analytic& analytic, const MatrixD& numeric, double rel = 1e-2, double abs = 1e-3) {
  REQUIRE(analytic.rows() == numeric.rows());
  REQUIRE(analytic.cols() == numeric.cols());
  for (Index i = 0; i < numeric.rows(); ++i) {
    for (Index j = 0; j < numeric.cols(); ++j) {
      INFO("element (" << i << ", " << j << ")");
      CHECK_THAT(static_cast<double>(analytic(i, j)),
                 Catch::Matchers::WithinRel(numeric(i, j), rel) || Catch::Matchers::WithinAbs(numeric(i, j), abs));
    }
  }
}

/// The arena handle of the parameter called `name` ("fc1.weight").
inline std::size_t handle_of(const ParameterArena& arena, const std::string& name) {
  const auto& infos = arena.parameters();
  for (std::size_t h = 0; h < infos.size(); ++h) {
    if (infos[h].name == name) return h;
  }
  FAIL("no parameter named " << name);
  return 0;
}

}  // namespace regimen::test
