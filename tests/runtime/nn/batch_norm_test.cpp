#include "runtime/nn/batch_norm.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "runtime/error.hpp"
#include "runtime/nn/gradient_check.hpp"
#include "runtime/nn/input_width_error.hpp"
#include "runtime/nn/nn_fixture.hpp"

using Catch::Matchers::Message;
using regimen::Index;
using regimen::InvalidArgument;
using regimen::Matrix;
using regimen::ParameterArena;
using regimen::Random;
using regimen::nn::BatchNorm;
using regimen::nn::Mode;
using regimen::nn::Shape;
namespace test = regimen::test;

namespace {

struct Built {
  BatchNorm layer;
  ParameterArena arena;
  Built(Index n, Shape input, double momentum = 0.1, double eps = 1e-5) : layer(n, momentum, eps) {
    layer.set_input_shape(input);
    layer.declare_parameters(arena, "bn");
    arena.allocate();
    Random rng(1);
    layer.initialize(arena, rng);
  }
};

// The fixture's sample shape: (N, C) for BatchNorm1d, (N, C, H, W) for BatchNorm2d.
Shape sample_shape(const std::vector<Index>& shape) {
  return shape.size() == 2 ? Shape::flat(shape[1]) : Shape::image_of(shape[1], shape[2], shape[3]);
}

}  // namespace

TEST_CASE("BatchNorm: checks its options and its input", "[nn]") {
  CHECK_THROWS_MATCHES(BatchNorm(0), InvalidArgument, Message("batch_norm: num_features must be positive, got 0"));
  CHECK_THROWS_MATCHES(BatchNorm(4, 1.5), InvalidArgument, Message("batch_norm: momentum must be in [0, 1], got 1.5"));
  CHECK_THROWS_MATCHES(BatchNorm(4, 0.1, 0.0), InvalidArgument, Message("batch_norm: eps must be positive, got 0"));
  const BatchNorm bn(32);
  CHECK(bn.describe() == "batch_norm(32, momentum=0.1, eps=1e-05)");
  CHECK(bn.output_shape(Shape::flat(32)) == Shape::flat(32));
  CHECK(bn.output_shape(Shape::image_of(32, 5, 5)) == Shape::image_of(32, 5, 5));
  CHECK_THROWS_MATCHES(bn.output_shape(Shape::flat(64)), regimen::nn::InputWidthError,
                       Message("expects 32 features, got 64"));
  CHECK_THROWS_MATCHES(bn.output_shape(Shape::image_of(16, 5, 5)), regimen::nn::InputWidthError,
                       Message("expects 32 channels, got 16x5x5"));
}

TEST_CASE("BatchNorm: declares rank-1 weight and bias and two buffers", "[nn]") {
  Built b(3, Shape::image_of(3, 2, 2));
  const auto& infos = b.arena.parameters();
  REQUIRE(infos.size() == 2);
  CHECK((infos[0].name == "bn.weight" && infos[0].ndim == 1 && infos[0].cols == 3));
  CHECK((infos[1].name == "bn.bias" && infos[1].ndim == 1 && infos[1].cols == 3));
  CHECK(b.arena.value(0).isOnes(0.0f));
  CHECK(b.arena.value(1).isZero(0.0f));
  const auto buffers = b.layer.buffers();
  REQUIRE(buffers.size() == 2);
  CHECK((buffers[0].name == "running_mean" && buffers[0].value->isZero(0.0f)));
  CHECK((buffers[1].name == "running_var" && buffers[1].value->isOnes(0.0f)));
}

TEST_CASE("BatchNorm: training and eval outputs and running statistics match PyTorch", "[nn]") {
  const auto fixture = test::load_nn_fixture("batch_norm");
  for (const auto& c : fixture.at("cases")) {
    const auto shape = c.at("shape").get<std::vector<Index>>();
    const Shape sample = sample_shape(shape);
    INFO("BatchNorm" << c.at("kind").get<std::string>() << " " << sample.describe());
    Built b(shape[1], sample, c.at("momentum"), c.at("eps"));
    b.arena.value(0) = test::matrix_of(c.at("weight"), 1, shape[1]);
    b.arena.value(1) = test::matrix_of(c.at("bias"), 1, shape[1]);
    int batch = 0;
    for (const auto& step : c.at("train")) {
      INFO("training batch " << ++batch);
      const Matrix x = test::matrix_of(step.at("input"), shape[0], sample.features());
      test::check_values(b.layer.forward(b.arena, x, Mode::kTrain), step.at("output"), 1e-5, 1e-5);
      test::check_values(b.layer.running_mean(), step.at("running_mean"), 1e-5, 1e-6);
      test::check_values(b.layer.running_var(), step.at("running_var"), 1e-5, 1e-6);
    }
    const Matrix x = test::matrix_of(c.at("eval").at("input"), shape[0], sample.features());
    test::check_values(b.layer.forward(b.arena, x, Mode::kEval), c.at("eval").at("output"), 1e-5, 1e-5);
  }
}

TEST_CASE("BatchNorm: gradients match central finite differences", "[nn][gradient]") {
  const Mode mode = GENERATE(Mode::kTrain, Mode::kEval);
  const Shape sample = GENERATE(Shape::flat(3), Shape::image_of(2, 2, 3));
  INFO((mode == Mode::kTrain ? "train " : "eval ") << sample.describe());
  Built b(sample.channels, sample, 0.0);  // momentum 0: repeated forwards leave the statistics alone
  Random rng(5);
  b.arena.value(0) = test::random_matrix(1, sample.channels, rng, 0.5, 1.5);
  b.arena.value(1) = test::random_matrix(1, sample.channels, rng);
  Matrix x = test::random_matrix(4, sample.features(), rng, -2.0, 2.0);
  const Matrix r = test::random_matrix(4, sample.features(), rng);
  auto objective = [&] { return test::weighted_sum(b.layer.forward(b.arena, x, mode), r); };

  b.arena.zero_grads();
  b.layer.forward(b.arena, x, mode);
  const Matrix grad_input = b.layer.backward(b.arena, r);
  test::check_gradient(grad_input, test::central_differences(x, objective, 1e-2f));
  const Matrix grad_weight = b.arena.grad(0);
  test::check_gradient(grad_weight, test::central_differences(b.arena.value(0), objective, 1e-2f));
  const Matrix grad_bias = b.arena.grad(1);
  test::check_gradient(grad_bias, test::central_differences(b.arena.value(1), objective, 1e-2f));
}

TEST_CASE("BatchNorm: training refuses one value per channel, as PyTorch does", "[nn]") {
  Built b(3, Shape::flat(3));
  CHECK_THROWS_MATCHES(b.layer.forward(b.arena, Matrix::Ones(1, 3), Mode::kTrain), InvalidArgument,
                       Message("batch_norm: training needs more than 1 value per channel, got 1"));
  CHECK(b.layer.forward(b.arena, Matrix::Ones(1, 3), Mode::kEval).rows() == 1);
}
