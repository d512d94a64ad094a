#include "runtime/loss/mse.hpp"

#include <catch2/catch.hpp>

#include "runtime/error.hpp"
#include "runtime/loss/finite_difference.hpp"

using Catch::Matchers::Message;
using Catch::Matchers::WithinRel;
using regimen::Index;
using regimen::InvalidArgument;
using regimen::Matrix;
using regimen::Random;
using regimen::loss::MeanSquaredError;
namespace test = regimen::test;

TEST_CASE("MeanSquaredError: is the mean of squared differences over all elements", "[loss]") {
  Random rng(1);
  const Matrix p = test::random_matrix(4, 3, rng);
  const Matrix t = test::random_matrix(4, 3, rng);
  double sum = 0.0;
  for (Index i = 0; i < p.size(); ++i) {
    const double d = static_cast<double>(p.data()[i]) - static_cast<double>(t.data()[i]);
    sum += d * d;
  }
  const MeanSquaredError mse;
  CHECK_THAT(mse.value(p, t), WithinRel(sum / 12.0, 1e-12));
  CHECK(mse.value(p, p) == 0.0);
  CHECK_FALSE(mse.classification());
  CHECK(mse.name() == "mse");
}

TEST_CASE("MeanSquaredError: gradient matches central finite differences", "[loss][gradient]") {
  Random rng(2);
  const Matrix p = test::random_matrix(5, 2, rng);
  const Matrix t = test::random_matrix(5, 2, rng);
  test::check_loss_gradient(MeanSquaredError(), p, t);
}

TEST_CASE("MeanSquaredError: rejects mismatched shapes and an empty batch", "[loss]") {
  const MeanSquaredError mse;
  CHECK_THROWS_MATCHES(mse.value(Matrix::Zero(4, 3), Matrix::Zero(4, 1)), InvalidArgument,
                       Message("mse: prediction is 4x3 but target is 4x1"));
  CHECK_THROWS_MATCHES(mse.value(Matrix::Zero(0, 3), Matrix::Zero(0, 3)), InvalidArgument,
                       Message("mse: empty batch (0x3)"));
}
