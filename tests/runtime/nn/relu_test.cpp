#include "runtime/nn/relu.hpp"

#include <catch2/catch.hpp>

#include <cmath>

#include "runtime/nn/gradient_check.hpp"

using regimen::Index;
using regimen::Matrix;
using regimen::ParameterArena;
using regimen::Random;
using regimen::nn::Mode;
using regimen::nn::ReLU;
namespace test = regimen::test;

TEST_CASE("ReLU: keeps positives and zeroes the rest", "[nn]") {
  ReLU relu;
  ParameterArena arena;
  Matrix x(2, 3);
  x << -1.5f, 0.0f, 2.0f, 3.25f, -0.0f, -7.0f;
  Matrix expected(2, 3);
  expected << 0.0f, 0.0f, 2.0f, 3.25f, 0.0f, 0.0f;
  CHECK(relu.forward(arena, x, Mode::kTrain) == expected);
  CHECK(relu.output_features(17) == 17);
  CHECK(relu.describe() == "relu");
}

TEST_CASE("ReLU: gradient matches central finite differences away from the kink", "[nn][gradient]") {
  ReLU relu;
  ParameterArena arena;
  Random rng(4);
  Matrix x = test::random_matrix(4, 5, rng);
  // Keep every input at least 0.1 from zero, so a 1e-2 step never crosses the kink.
  for (Index i = 0; i < x.size(); ++i) {
    float& v = x.data()[i];
    v = std::copysign(0.1f + std::abs(v), v);
  }
  const Matrix r = test::random_matrix(4, 5, rng);
  auto objective = [&] { return test::weighted_sum(relu.forward(arena, x, Mode::kTrain), r); };
  relu.forward(arena, x, Mode::kTrain);
  const Matrix analytic = relu.backward(arena, r);
  test::check_gradient(analytic, test::central_differences(x, objective, 1e-2f));
}

TEST_CASE("ReLU: the gradient at the kink is zero, as in PyTorch", "[nn]") {
  ReLU relu;
  ParameterArena arena;
  Matrix x(1, 3);
  x << 0.0f, 1.0f, -1.0f;
  Matrix g(1, 3);
  g << 5.0f, 5.0f, 5.0f;
  relu.forward(arena, x, Mode::kTrain);
  Matrix expected(1, 3);
  expected << 0.0f, 5.0f, 0.0f;
  CHECK(relu.backward(arena, g) == expected);
}
