#include "runtime/loss/huber.hpp"

#include <catch2/catch.hpp>

#include <limits>

#include "runtime/error.hpp"
#include "runtime/loss/finite_difference.hpp"

using Catch::Matchers::Message;
using Catch::Matchers::WithinRel;
using regimen::InvalidArgument;
using regimen::Matrix;
using regimen::Random;
using regimen::loss::Huber;
namespace test = regimen::test;
namespace loss = regimen::loss;

TEST_CASE("Huber: quadratic inside delta, linear outside, as PyTorch's HuberLoss", "[loss]") {
  Matrix p(1, 4), t(1, 4);
  p << 0.5f, -3.0f, 2.0f, 1.0f;
  t << 0.0f, 0.0f, 0.0f, 0.0f;
  // delta = 1: 0.5^2/2 = 0.125; 1 (3 - 0.5) = 2.5; 1 (2 - 0.5) = 1.5; |d| = delta: 1 (1 - 0.5) = 0.5.
  CHECK_THAT(Huber(1.0).value(p, t), WithinRel((0.125 + 2.5 + 1.5 + 0.5) / 4.0, 1e-15));
  // delta = 2.5: 0.125; 2.5 (3 - 1.25) = 4.375; 4/2 = 2; 1/2 = 0.5.
  CHECK_THAT(Huber(2.5).value(p, t), WithinRel((0.125 + 4.375 + 2.0 + 0.5) / 4.0, 1e-15));
  Matrix grad;
  Huber(1.0).value_and_gradient(p, t, grad);
  // h'(d) / 4: d inside, delta sign(d) outside.
  CHECK(grad(0, 0) == 0.125f);
  CHECK(grad(0, 1) == -0.25f);
  CHECK(grad(0, 2) == 0.25f);
  CHECK(grad(0, 3) == 0.25f);
  CHECK(Huber().describe() == "huber(delta=1)");
  CHECK(Huber(0.5).delta() == 0.5);
}

TEST_CASE("Huber: derivative matches double-precision finite differences", "[loss][gradient]") {
  const double delta = GENERATE(1.0, 0.3, 2.5);
  const auto h = [delta](double d) { return loss::huber_term(d, delta); };
  const auto dh = [delta](double d) { return loss::huber_derivative(d, delta); };
  test::check_derivative(h, dh, {-7.0, -2.6, -0.31, -0.2, 0.0, 0.05, 0.29, 1.01, 2.4, 2.6, 9.0});
  // At |d| = delta both pieces agree in value and slope (C^1), approached from either side.
  for (double sign : {-1.0, 1.0}) {
    const double kink = sign * delta;
    CHECK_THAT(h(kink), WithinRel(0.5 * delta * delta, 1e-15));
    CHECK_THAT(h(kink * (1.0 + 1e-12)), WithinRel(0.5 * delta * delta, 1e-9));
    CHECK(dh(kink) == kink);
    CHECK_THAT(dh(kink * (1.0 + 1e-12)), WithinRel(kink, 1e-15));
  }
}

TEST_CASE("Huber: gradient matches central finite differences", "[loss][gradient]") {
  Random rng(6);
  const Matrix p = test::random_matrix(5, 3, rng, -3.0, 3.0);
  const Matrix t = test::random_matrix(5, 3, rng);
  test::check_loss_gradient(Huber(0.7), p, t);
}

TEST_CASE("Huber: rejects a delta that is not positive", "[loss]") {
  CHECK_THROWS_MATCHES(Huber(0.0), InvalidArgument, Message("delta must be > 0, got 0"));
  CHECK_THROWS_MATCHES(Huber(-1.5), InvalidArgument, Message("delta must be > 0, got -1.5"));
  CHECK_THROWS_MATCHES(Huber(std::numeric_limits<double>::quiet_NaN()), InvalidArgument,
                       Message("delta must be > 0, got nan"));
  CHECK_THROWS_MATCHES(Huber().value(Matrix::Zero(2, 1), Matrix::Zero(1, 1)), InvalidArgument,
                       Message("huber: prediction is 2x1 but target is 1x1"));
}
