#include "runtime/loss/mae.hpp"

#include <catch2/catch.hpp>

#include "runtime/error.hpp"
#include "runtime/loss/finite_difference.hpp"

using Catch::Matchers::Message;
using Catch::Matchers::WithinRel;
using regimen::InvalidArgument;
using regimen::Matrix;
using regimen::Random;
using regimen::loss::MeanAbsoluteError;
namespace test = regimen::test;
namespace loss = regimen::loss;

TEST_CASE("MeanAbsoluteError: is the mean of absolute differences over all elements", "[loss]") {
  Matrix p(2, 2), t(2, 2);
  p << 1.0f, -2.0f, 0.5f, 3.0f;
  t << 0.0f, 1.0f, 0.5f, -1.0f;
  // |1| + |-3| + |0| + |4| = 8 over 4 elements.
  const MeanAbsoluteError mae;
  CHECK(mae.value(p, t) == 2.0);
  Matrix grad;
  mae.value_and_gradient(p, t, grad);
  // sign(d) / 4, and 0 where d = 0 (PyTorch's sgn).
  CHECK(grad(0, 0) == 0.25f);
  CHECK(grad(0, 1) == -0.25f);
  CHECK(grad(1, 0) == 0.0f);
  CHECK(grad(1, 1) == 0.25f);
  CHECK(mae.name() == "mae");
  CHECK(mae.task() == loss::Task::kRegression);
}

TEST_CASE("MeanAbsoluteError: derivative matches double-precision finite differences", "[loss][gradient]") {
  test::check_derivative(loss::mae_term, loss::mae_derivative, {-3.0, -0.1, 1e-3, 0.7, 42.0});
}

TEST_CASE("MeanAbsoluteError: gradient matches central finite differences", "[loss][gradient]") {
  Random rng(5);
  const Matrix p = test::random_matrix(4, 3, rng);
  const Matrix t = test::random_matrix(4, 3, rng);
  test::check_loss_gradient(MeanAbsoluteError(), p, t);
}

TEST_CASE("MeanAbsoluteError: rejects mismatched shapes and an empty batch", "[loss]") {
  const MeanAbsoluteError mae;
  CHECK_THROWS_MATCHES(mae.value(Matrix::Zero(4, 3), Matrix::Zero(4, 1)), InvalidArgument,
                       Message("mae: prediction is 4x3 but target is 4x1"));
  CHECK_THROWS_MATCHES(mae.value(Matrix::Zero(0, 3), Matrix::Zero(0, 3)), InvalidArgument,
                       Message("mae: empty batch (0x3)"));
  CHECK_THAT(mae.value(Matrix::Constant(1, 1, 1e-3f), Matrix::Zero(1, 1)), WithinRel(1e-3, 1e-7));
}
