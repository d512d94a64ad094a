#include "runtime/loss/bce.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <limits>

#include "runtime/error.hpp"
#include "runtime/loss/finite_difference.hpp"

using Catch::Matchers::Message;
using Catch::Matchers::WithinAbs;
using Catch::Matchers::WithinRel;
using regimen::InvalidArgument;
using regimen::Matrix;
using regimen::Random;
using regimen::loss::BinaryCrossEntropy;
namespace test = regimen::test;
namespace loss = regimen::loss;

namespace {

// The definition, -(y log s + (1 - y) log(1 - s)) with s = 1 / (1 + e^-z): fine for moderate z.
double definition(double z, double y) {
  const double s = 1.0 / (1.0 + std::exp(-z));
  return -(y * std::log(s) + (1.0 - y) * std::log(1.0 - s));
}

}  // namespace

TEST_CASE("BinaryCrossEntropy: equals the definition for moderate logits", "[loss]") {
  for (double z : {-4.0, -0.5, 0.0, 0.3, 2.0, 7.5}) {
    for (double y : {0.0, 1.0, 0.25}) {
      INFO("z = " << z << ", y = " << y);
      CHECK_THAT(loss::bce_term(z, y), WithinRel(definition(z, y), 1e-12));
      CHECK_THAT(loss::bce_derivative(z, y), WithinAbs(1.0 / (1.0 + std::exp(-z)) - y, 1e-15));
    }
  }
  // z = 0: log 2 whatever the target; the mean over a 2 x 2 batch is log 2 too.
  const BinaryCrossEntropy bce;
  Matrix y(2, 2);
  y << 0.0f, 1.0f, 1.0f, 0.5f;
  CHECK_THAT(bce.value(Matrix::Zero(2, 2), y), WithinRel(std::log(2.0), 1e-15));
  CHECK(bce.name() == "bce");
  CHECK(bce.task() == loss::Task::kBinary);
  CHECK_FALSE(bce.classification());
}

TEST_CASE("BinaryCrossEntropy: stays finite and exact for huge logits", "[loss]") {
  // Wrong by 1e4: l = 1e4 + log(1 + e^-1e4) = 1e4 (the naive form gives log(0) = -inf).
  CHECK(loss::bce_term(1e4, 0.0) == 1e4);
  CHECK(loss::bce_term(-1e4, 1.0) == 1e4);
  // Right by 40: l = log(1 + e^-40) = e^-40 to 1e-17 relative (log1p keeps it; 1 - s would be 0).
  CHECK_THAT(loss::bce_term(40.0, 1.0), WithinRel(std::exp(-40.0), 1e-15));
  CHECK_THAT(loss::bce_derivative(40.0, 1.0), WithinAbs(-std::exp(-40.0), 1e-16));  // s - y rounds to 0
  CHECK_THAT(loss::bce_derivative(-40.0, 0.0), WithinRel(std::exp(-40.0) / (1.0 + std::exp(-40.0)), 1e-12));
  Matrix z(1, 2), y(1, 2);
  z << 1e4f, -1e4f;
  y << 0.0f, 0.0f;
  Matrix grad;
  CHECK(BinaryCrossEntropy().value_and_gradient(z, y, grad) == 5e3);
  CHECK(grad(0, 0) == 0.5f);
  CHECK(grad(0, 1) == 0.0f);
}

TEST_CASE("BinaryCrossEntropy: derivative matches double-precision finite differences", "[loss][gradient]") {
  for (double y : {0.0, 1.0, 0.3}) {
    INFO("y = " << y);
    test::check_derivative([y](double z) { return loss::bce_term(z, y); },
                           [y](double z) { return loss::bce_derivative(z, y); },
                           {-12.0, -3.0, -0.4, 0.0, 0.01, 1.5, 6.0}, 1e-8, 1e-9);
  }
}

TEST_CASE("BinaryCrossEntropy: gradient matches central finite differences", "[loss][gradient]") {
  Random rng(7);
  const Matrix z = test::random_matrix(4, 3, rng, -4.0, 4.0);
  Matrix y = test::random_matrix(4, 3, rng, 0.0, 1.0);
  y(0, 0) = 0.0f;
  y(1, 2) = 1.0f;
  test::check_loss_gradient(BinaryCrossEntropy(), z, y);
}

TEST_CASE("BinaryCrossEntropy: rejects targets outside 0 to 1, naming the element", "[loss]") {
  const BinaryCrossEntropy bce;
  Matrix y = Matrix::Zero(3, 2);
  y(2, 1) = 3.0f;
  CHECK_THROWS_MATCHES(bce.value(Matrix::Zero(3, 2), y), InvalidArgument,
                       Message("bce: target in row 2, column 1 is 3, expected a value in [0, 1]"));
  y(2, 1) = std::numeric_limits<float>::quiet_NaN();
  CHECK_THROWS_MATCHES(bce.value(Matrix::Zero(3, 2), y), InvalidArgument,
                       Message("bce: target in row 2, column 1 is nan, expected a value in [0, 1]"));
  CHECK_THROWS_MATCHES(bce.value(Matrix::Zero(3, 10), Matrix::Zero(3, 1)), InvalidArgument,
                       Message("bce: prediction is 3x10 but target is 3x1"));
}
