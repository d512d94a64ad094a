#include "runtime/nn/linear.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <vector>

#include "runtime/error.hpp"
#include "runtime/nn/input_width_error.hpp"
#include "runtime/nn/gradient_check.hpp"

using Catch::Matchers::Message;
using Catch::Matchers::WithinAbs;
using Catch::Matchers::WithinRel;
using regimen::Index;
using regimen::InvalidArgument;
using regimen::Matrix;
using regimen::MatrixD;
using regimen::ParameterArena;
using regimen::Random;
using regimen::nn::Init;
using regimen::nn::Linear;
using regimen::nn::Mode;
namespace test = regimen::test;

namespace {

// A layer with its parameters declared as "fc.weight"/"fc.bias", allocated and initialized.
struct Built {
  Linear layer;
  ParameterArena arena;
  Built(Index in, Index out, Init init, std::uint64_t seed) : layer(in, out, init) {
    layer.declare_parameters(arena, "fc");
    arena.allocate();
    Random rng(seed);
    layer.initialize(arena, rng);
  }
  regimen::MatrixMap weight() { return arena.value(0); }
  regimen::MatrixMap bias() { return arena.value(1); }
};

}  // namespace

TEST_CASE("Linear: rejects non-positive sizes", "[nn]") {
  CHECK_THROWS_MATCHES(Linear(0, 3), InvalidArgument, Message("linear: in must be positive, got 0"));
  CHECK_THROWS_MATCHES(Linear(3, -2), InvalidArgument, Message("linear: out must be positive, got -2"));
}

TEST_CASE("Linear: declares weight as in x out and bias as 1 x out", "[nn]") {
  Built b(5, 3, Init::kHe, 1);
  const auto& infos = b.arena.parameters();
  REQUIRE(infos.size() == 2);
  CHECK(infos[0].name == "fc.weight");
  CHECK(infos[0].layer_type == "linear");
  CHECK((infos[0].rows == 5 && infos[0].cols == 3));
  CHECK(infos[1].name == "fc.bias");
  CHECK((infos[1].rows == 1 && infos[1].cols == 3));
  CHECK(b.arena.count() == 18);
}

TEST_CASE("Linear: initializers draw uniformly within their Keras limits, bias zero", "[nn]") {
  const auto [init, limit] = GENERATE(table<Init, double>({
      {Init::kHe, std::sqrt(6.0 / 400.0)},
      {Init::kXavier, std::sqrt(6.0 / (400.0 + 300.0))},
  }));
  Built b(400, 300, init, 7);
  const MatrixD w = b.weight().cast<double>();
  const double n = static_cast<double>(w.size());
  const double mean = w.sum() / n;
  const double variance = (w.array() - mean).square().sum() / n;
  // All inside the interval, and reaching close to both ends of it.
  CHECK(w.maxCoeff() < limit);
  CHECK(w.minCoeff() >= -limit);
  CHECK(w.maxCoeff() > 0.999 * limit);
  CHECK(w.minCoeff() < -0.999 * limit);
  // U(-a, a) has mean 0 and variance a^2/3; 120000 draws pin both to well under 1%.
  CHECK_THAT(mean, WithinAbs(0.0, 0.01 * limit));
  CHECK_THAT(variance, WithinRel(limit * limit / 3.0, 0.01));
  CHECK(b.bias().isZero(0.0f));
}

TEST_CASE("Linear: the same seed gives identical weights, another seed different ones", "[nn]") {
  Built a(20, 10, Init::kHe, 42);
  Built same(20, 10, Init::kHe, 42);
  Built other(20, 10, Init::kHe, 43);
  CHECK(a.weight() == same.weight());
  CHECK(a.weight() != other.weight());
}

TEST_CASE("Linear: forward computes x W + b", "[nn]") {
  Built b(4, 3, Init::kXavier, 3);
  Random rng(11);
  b.bias() = test::random_matrix(1, 3, rng);
  const Matrix x = test::random_matrix(5, 4, rng);
  const Matrix& y = b.layer.forward(b.arena, x, Mode::kEval);
  REQUIRE((y.rows() == 5 && y.cols() == 3));
  for (Index n = 0; n < 5; ++n) {
    for (Index o = 0; o < 3; ++o) {
      double expected = b.bias()(0, o);
      for (Index i = 0; i < 4; ++i) expected += static_cast<double>(x(n, i)) * b.weight()(i, o);
      CHECK_THAT(y(n, o), WithinAbs(expected, 1e-5));
    }
  }
}

TEST_CASE("Linear: gradients match central finite differences", "[nn][gradient]") {
  Built b(6, 4, Init::kHe, 5);
  Random rng(9);
  b.bias() = test::random_matrix(1, 4, rng);
  Matrix x = test::random_matrix(3, 6, rng);
  const Matrix r = test::random_matrix(3, 4, rng);
  auto objective = [&] { return test::weighted_sum(b.layer.forward(b.arena, x, Mode::kTrain), r); };

  b.arena.zero_grads();
  b.layer.forward(b.arena, x, Mode::kTrain);
  const Matrix grad_input = b.layer.backward(b.arena, r);

  SECTION("input") { test::check_gradient(grad_input, test::central_differences(x, objective, 1e-2f)); }
  SECTION("weight") {
    const Matrix analytic = b.arena.grad(0);
    test::check_gradient(analytic, test::central_differences(b.weight(), objective, 1e-2f));
  }
  SECTION("bias") {
    const Matrix analytic = b.arena.grad(1);
    test::check_gradient(analytic, test::central_differences(b.bias(), objective, 1e-2f));
  }
}

TEST_CASE("Linear: backward accumulates parameter gradients", "[nn]") {
  Built b(3, 2, Init::kHe, 1);
  Random rng(2);
  const Matrix x = test::random_matrix(4, 3, rng);
  const Matrix g = test::random_matrix(4, 2, rng);
  b.arena.zero_grads();
  b.layer.forward(b.arena, x, Mode::kTrain);
  b.layer.backward(b.arena, g);
  const Matrix once_w = b.arena.grad(0);
  const Matrix once_b = b.arena.grad(1);
  b.layer.backward(b.arena, g);
  CHECK(b.arena.grad(0).isApprox(2.0f * once_w));
  CHECK(b.arena.grad(1).isApprox(2.0f * once_b));
}

TEST_CASE("Linear: without the input gradient, backward returns nothing and the same parameter gradients",
          "[nn]") {
  Random rng(4);
  const Matrix x = test::random_matrix(5, 6, rng);
  const Matrix g = test::random_matrix(5, 3, rng);
  Built full(6, 3, Init::kHe, 8);
  Built skipped(6, 3, Init::kHe, 8);
  skipped.layer.set_input_gradient_needed(false);
  for (Built* b : {&full, &skipped}) {
    b->arena.zero_grads();
    b->layer.forward(b->arena, x, Mode::kTrain);
  }
  CHECK(full.layer.backward(full.arena, g).rows() == 5);
  CHECK(skipped.layer.backward(skipped.arena, g).size() == 0);
  // The same products in the same order: bit for bit equal, not merely close.
  CHECK(Matrix(skipped.arena.grad(0)) == Matrix(full.arena.grad(0)));
  CHECK(Matrix(skipped.arena.grad(1)) == Matrix(full.arena.grad(1)));

  skipped.layer.set_input_gradient_needed(true);
  CHECK(skipped.layer.backward(skipped.arena, g) == full.layer.backward(full.arena, g));
}

namespace {

// Sets Eigen's thread budget for one scope; the split follows it.
class ThreadBudget {
 public:
  explicit ThreadBudget(int threads) : saved_(Eigen::nbThreads()) { Eigen::setNbThreads(threads); }
  ~ThreadBudget() { Eigen::setNbThreads(saved_); }
  ThreadBudget(const ThreadBudget&) = delete;
  ThreadBudget& operator=(const ThreadBudget&) = delete;

 private:
  int saved_;
};

// Output, input gradient and parameter gradients of one forward/backward on `threads` threads.
std::vector<Matrix> step_results(int threads, const Matrix& x, const Matrix& g) {
  const ThreadBudget budget(threads);
  Built b(x.cols(), g.cols(), Init::kHe, 12);
  b.arena.zero_grads();
  const Matrix y = b.layer.forward(b.arena, x, Mode::kTrain);
  const Matrix dx = b.layer.backward(b.arena, g);
  return {y, dx, b.arena.grad(0), b.arena.grad(1)};
}

}  // namespace

TEST_CASE("Linear: splitting a batch over threads repeats exactly and matches one thread", "[nn]") {
  Random rng(6);
  const Matrix x = test::random_matrix(128, 96, rng);
  const Matrix g = test::random_matrix(128, 40, rng);
  const std::vector<Matrix> one = step_results(1, x, g);
  const std::vector<Matrix> two = step_results(2, x, g);
  const std::vector<Matrix> again = step_results(2, x, g);
  const char* names[] = {"output", "input gradient", "weight gradient", "bias gradient"};
  for (std::size_t i = 0; i < one.size(); ++i) {
    INFO(names[i]);
    CHECK(two[i] == again[i]);  // same thread count: bit for bit
    // Other thread counts may block the products differently, so only rounding may differ.
    CHECK(two[i].isApprox(one[i], 1e-5f));
  }
}

TEST_CASE("Linear: rejects an input of the wrong width", "[nn]") {
  Linear layer(784, 256);
  CHECK(layer.output_features(784) == 256);
  CHECK_THROWS_MATCHES(layer.output_features(100), InvalidArgument, Message("expects 784 inputs, got 100"));
  try {
    layer.output_features(100);
  } catch (const regimen::nn::InputWidthError& e) {
    CHECK(e.expectation() == "expects 784 inputs");
    CHECK(e.got() == 100);
  }
}

TEST_CASE("Linear: describes itself and parses init names", "[nn]") {
  CHECK(Linear(784, 256).describe() == "linear(784 -> 256, init=he)");
  CHECK(Linear(256, 10, Init::kXavier).describe() == "linear(256 -> 10, init=xavier)");
  CHECK(regimen::nn::parse_init("xavier") == Init::kXavier);
  CHECK(regimen::nn::parse_init("he") == Init::kHe);
  CHECK_THROWS_MATCHES(regimen::nn::parse_init("glorot"), InvalidArgument,
                       Message("linear: unknown init 'glorot' (expected 'he', 'xavier', 'normal' or 'zeros')"));
}

TEST_CASE("Linear: normal init draws N(0, 0.05^2) and zeros init zeros", "[nn]") {
  Built normal(400, 300, Init::kNormal, 7);
  const MatrixD w = normal.weight().cast<double>();
  const double n = static_cast<double>(w.size());
  const double mean = w.sum() / n;
  // Keras' RandomNormal(stddev = 0.05); 120000 draws pin the variance to well under 1%.
  CHECK_THAT(mean, WithinAbs(0.0, 0.001));
  CHECK_THAT((w.array() - mean).square().sum() / n, WithinRel(0.05 * 0.05, 0.01));
  Built same(400, 300, Init::kNormal, 7);
  CHECK(normal.weight() == same.weight());
  Built zeros(5, 3, Init::kZeros, 7);
  CHECK(zeros.weight().isZero(0.0f));
  CHECK(zeros.layer.describe() == "linear(5 -> 3, init=zeros)");
  CHECK_THROWS_MATCHES(regimen::nn::parse_init("ones"), InvalidArgument,
                       Message("linear: unknown init 'ones' (expected 'he', 'xavier', 'normal' or 'zeros')"));
}
