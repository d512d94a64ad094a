#include "runtime/nn/activations.hpp"

#include <catch2/catch.hpp>

#include <memory>
#include <string>

#include "runtime/error.hpp"
#include "runtime/nn/flatten.hpp"
#include "runtime/nn/gradient_check.hpp"
#include "runtime/nn/nn_fixture.hpp"
#include "runtime/nn/softmax.hpp"

using Catch::Matchers::Message;
using regimen::Index;
using regimen::InvalidArgument;
using regimen::Matrix;
using regimen::ParameterArena;
using regimen::Random;
using regimen::nn::Layer;
using regimen::nn::Mode;
using regimen::nn::Shape;
namespace nn = regimen::nn;
namespace test = regimen::test;

namespace {

std::unique_ptr<Layer> make(const std::string& name, double slope = 0.01) {
  if (name == "tanh") return std::make_unique<nn::Tanh>();
  if (name == "sigmoid") return std::make_unique<nn::Sigmoid>();
  if (name == "gelu") return std::make_unique<nn::GELU>();
  if (name == "leaky_relu") return std::make_unique<nn::LeakyReLU>(slope);
  if (name == "softmax") return std::make_unique<nn::Softmax>();
  FAIL("no layer " << name);
  return nullptr;
}

}  // namespace

TEST_CASE("Activations: forward matches PyTorch", "[nn]") {
  const auto fixture = test::load_nn_fixture("activations");
  ParameterArena arena;
  for (const auto& c : fixture.at("cases")) {
    const std::string name = c.at("name");
    INFO(name);
    const auto layer = make(name, c.value("negative_slope", 0.01));
    const Matrix x = test::matrix_of(c.at("input"), 4, 6);
    test::check_values(layer->forward(arena, x, Mode::kEval), c.at("output"), 2e-6, 1e-7);
  }
}

TEST_CASE("Activations: keep the shape and describe themselves", "[nn]") {
  for (const char* name : {"tanh", "sigmoid", "gelu", "leaky_relu", "softmax"}) {
    INFO(name);
    const auto layer = make(name);
    CHECK(layer->type() == name);
    CHECK(layer->output_shape(Shape::image_of(3, 4, 5)) == Shape::image_of(3, 4, 5));
    CHECK(layer->output_shape(Shape::flat(7)) == Shape::flat(7));
  }
  CHECK(nn::LeakyReLU(0.2).describe() == "leaky_relu(0.2)");
  CHECK_THROWS_MATCHES(nn::LeakyReLU(std::numeric_limits<double>::infinity()), InvalidArgument,
                       Message("leaky_relu: negative_slope must be finite, got inf"));
}

TEST_CASE("Activations: gradients match central finite differences", "[nn][gradient]") {
  const std::string name = GENERATE("tanh", "sigmoid", "gelu", "leaky_relu", "softmax");
  INFO(name);
  const auto layer = make(name, 0.2);
  Random rng(12);
  Matrix x = test::random_matrix(3, 5, rng, -3.0, 3.0);
  // Keep leaky_relu's inputs away from the kink, where a finite step straddles two slopes.
  for (Index i = 0; i < x.size(); ++i) {
    if (std::abs(x.data()[i]) < 0.05f) x.data()[i] = 0.5f;
  }
  const Matrix r = test::random_matrix(3, 5, rng);
  ParameterArena arena;
  auto objective = [&] { return test::weighted_sum(layer->forward(arena, x, Mode::kTrain), r); };
  layer->forward(arena, x, Mode::kTrain);
  const Matrix grad_input = layer->backward(arena, r);
  test::check_gradient(grad_input, test::central_differences(x, objective, 1e-2f));
}

TEST_CASE("Softmax: rows sum to one, even for large logits", "[nn]") {
  nn::Softmax softmax;
  ParameterArena arena;
  const Matrix x = (Matrix(2, 3) << 1000.0f, 1000.0f, 0.0f, -5.0f, 0.0f, 5.0f).finished();
  const Matrix& y = softmax.forward(arena, x, Mode::kEval);
  CHECK_THAT(y(0, 0), Catch::Matchers::WithinAbs(0.5, 1e-7));
  CHECK_THAT(y(0, 2), Catch::Matchers::WithinAbs(0.0, 1e-30));
  CHECK_THAT(y.row(1).sum(), Catch::Matchers::WithinAbs(1.0, 1e-6));
}

TEST_CASE("Flatten: turns an image into flat features and passes data through", "[nn]") {
  nn::Flatten flatten;
  CHECK(flatten.output_shape(Shape::image_of(64, 7, 7)) == Shape::flat(3136));
  CHECK(flatten.output_shape(Shape::flat(10)) == Shape::flat(10));
  ParameterArena arena;
  const Matrix x = Matrix::Random(2, 12);
  CHECK(&flatten.forward(arena, x, Mode::kTrain) == &x);
  CHECK(&flatten.backward(arena, x) == &x);
}
