#include "runtime/loss/cross_entropy.hpp"

#include <catch2/catch.hpp>

#include <cmath>

#include "runtime/error.hpp"
#include "runtime/loss/finite_difference.hpp"

using Catch::Matchers::Message;
using Catch::Matchers::WithinAbs;
using Catch::Matchers::WithinRel;
using regimen::Index;
using regimen::InvalidArgument;
using regimen::Matrix;
using regimen::MatrixD;
using regimen::Random;
using regimen::loss::CrossEntropy;
namespace test = regimen::test;

namespace {

// The definition, term by term in double: -sum_j q_j log softmax(z)_j with
// q = (1 - s) onehot(t) + s/C, averaged over rows. Fine for moderate logits only.
double reference(const Matrix& logits, const Matrix& targets, double s) {
  const Index classes = logits.cols();
  double total = 0.0;
  for (Index i = 0; i < logits.rows(); ++i) {
    double denominator = 0.0;
    for (Index j = 0; j < classes; ++j) denominator += std::exp(static_cast<double>(logits(i, j)));
    for (Index j = 0; j < classes; ++j) {
      const double q = s / static_cast<double>(classes) + (j == static_cast<Index>(targets(i, 0)) ? 1.0 - s : 0.0);
      total -= q * std::log(std::exp(static_cast<double>(logits(i, j))) / denominator);
    }
  }
  return total / static_cast<double>(logits.rows());
}

Matrix targets_of(std::initializer_list<float> classes) {
  Matrix t(static_cast<Index>(classes.size()), 1);
  Index i = 0;
  for (float c : classes) t(i++, 0) = c;
  return t;
}

}  // namespace

TEST_CASE("CrossEntropy: equals the hand-computed value on a tiny batch", "[loss]") {
  Matrix z(2, 3);
  z << 1.0f, 2.0f, 3.0f,  //
      0.5f, -1.0f, 0.0f;
  const Matrix t = targets_of({2, 0});
  // Row 0: log(e + e^2 + e^3) - 3;  row 1: log(e^0.5 + e^-1 + 1) - 0.5.
  const double row0 = std::log(std::exp(1.0) + std::exp(2.0) + std::exp(3.0)) - 3.0;
  const double row1 = std::log(std::exp(0.5) + std::exp(-1.0) + 1.0) - 0.5;
  const CrossEntropy ce;
  CHECK_THAT(ce.value(z, t), WithinRel((row0 + row1) / 2.0, 1e-12));
  CHECK(ce.classification());
  CHECK(ce.name() == "cross_entropy");
  CHECK(ce.describe() == "cross_entropy");
}

TEST_CASE("CrossEntropy: label smoothing follows PyTorch's target distribution", "[loss]") {
  const double s = GENERATE(0.0, 0.1, 0.5);
  Random rng(3);
  const Matrix z = test::random_matrix(6, 4, rng, -3.0, 3.0);
  const Matrix t = targets_of({0, 3, 1, 2, 2, 0});
  CHECK_THAT(CrossEntropy(s).value(z, t), WithinRel(reference(z, t, s), 1e-12));
}

TEST_CASE("CrossEntropy: gradient matches central finite differences", "[loss][gradient]") {
  const double s = GENERATE(0.0, 0.2);
  Random rng(4);
  const Matrix z = test::random_matrix(5, 4, rng, -2.0, 2.0);
  const Matrix t = targets_of({1, 0, 3, 3, 2});
  test::check_loss_gradient(CrossEntropy(s), z, t);
}

TEST_CASE("CrossEntropy: row gradient matches double-precision finite differences", "[loss][gradient]") {
  const double s = GENERATE(0.0, 0.1, 0.4);
  double z[4] = {0.3, -1.2, 2.5, 0.0};
  double grad[4];
  regimen::loss::cross_entropy_row(z, 4, 2, s, grad, 1.0);
  for (int j = 0; j < 4; ++j) {
    const auto f = [&](double x) {
      const double saved = z[j];
      z[j] = x;
      const double l = regimen::loss::cross_entropy_row<double>(z, 4, 2, s, nullptr, 1.0);
      z[j] = saved;
      return l;
    };
    INFO("class " << j);
    CHECK_THAT(grad[j], WithinRel(test::central_difference(f, z[j]), 1e-8));
  }
}

TEST_CASE("CrossEntropy: gradient rows sum to zero and equal (softmax - onehot)/N", "[loss]") {
  Matrix z(1, 2);
  z << 0.0f, 0.0f;
  Matrix grad;
  CrossEntropy().value_and_gradient(z, targets_of({1}), grad);
  CHECK_THAT(grad(0, 0), WithinAbs(0.5, 1e-7));
  CHECK_THAT(grad(0, 1), WithinAbs(-0.5, 1e-7));
}

TEST_CASE("CrossEntropy: stays finite and exact for huge logits", "[loss]") {
  Matrix z(2, 3);
  z << 1e4f, 0.0f, -1e4f,  //
      1e4f, 1e4f - 2.0f, 1e4f - 50.0f;
  const Matrix t = targets_of({1, 1});
  // Shift-invariance done by hand: row 0 is log(1 + e^-1e4 + e^-2e4) + 1e4, row 1 is
  // log(1 + e^-2 + e^-50) + 2.
  const double row0 = 1e4;
  const double row1 = std::log(1.0 + std::exp(-2.0) + std::exp(-50.0)) + 2.0;
  Matrix grad;
  const double value = CrossEntropy().value_and_gradient(z, t, grad);
  CHECK_THAT(value, WithinRel((row0 + row1) / 2.0, 1e-12));
  CHECK(grad.allFinite());
  CHECK_THAT(grad(0, 0), WithinAbs(0.5, 1e-7));
  CHECK_THAT(grad(0, 1), WithinAbs(-0.5, 1e-7));
  CHECK_THAT(grad(1, 1), WithinRel((std::exp(-2.0) / (1.0 + std::exp(-2.0) + std::exp(-50.0)) - 1.0) / 2.0, 1e-5));
}

TEST_CASE("CrossEntropy: rejects bad targets and options, naming the row", "[loss]") {
  const CrossEntropy ce;
  const Matrix z = Matrix::Zero(4, 10);
  CHECK_THROWS_MATCHES(ce.value(z, targets_of({0, 1, 2, 10})), InvalidArgument,
                       Message("cross_entropy: target in row 3 is 10, expected a class index in [0, 10)"));
  CHECK_THROWS_MATCHES(ce.value(z, targets_of({0, -1, 2, 3})), InvalidArgument,
                       Message("cross_entropy: target in row 1 is -1, expected a class index in [0, 10)"));
  CHECK_THROWS_MATCHES(ce.value(z, targets_of({0, 1, 2.5f, 3})), InvalidArgument,
                       Message("cross_entropy: target in row 2 is 2.5, expected a class index in [0, 10)"));
  CHECK_THROWS_MATCHES(ce.value(z, Matrix::Zero(4, 10)), InvalidArgument,
                       Message("cross_entropy: expected 4x1 class indices for 4x10 logits, got 4x10 targets"));
  CHECK_THROWS_MATCHES(CrossEntropy(1.0), InvalidArgument,
                       Message("cross_entropy: label_smoothing must be in [0, 1), got 1"));
  CHECK(CrossEntropy(0.1).describe() == "cross_entropy(label_smoothing=0.1)");
}
