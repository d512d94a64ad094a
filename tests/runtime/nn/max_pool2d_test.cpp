#include "runtime/nn/max_pool2d.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <numeric>
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
using regimen::nn::MaxPool2d;
using regimen::nn::Mode;
using regimen::nn::Shape;
namespace test = regimen::test;

TEST_CASE("MaxPool2d: stride defaults to the kernel size, output shape floors", "[nn]") {
  CHECK(MaxPool2d(2).describe() == "max_pool2d(kernel=2, stride=2)");
  CHECK(MaxPool2d(3, 1).describe() == "max_pool2d(kernel=3, stride=1)");
  CHECK(MaxPool2d(2).output_shape(Shape::image_of(32, 28, 28)) == Shape::image_of(32, 14, 14));
  CHECK(MaxPool2d(2).output_shape(Shape::image_of(64, 7, 7)) == Shape::image_of(64, 3, 3));
  CHECK(MaxPool2d(3, 2).output_shape(Shape::image_of(1, 7, 6)) == Shape::image_of(1, 3, 2));
  CHECK_THROWS_MATCHES(MaxPool2d(0), InvalidArgument, Message("max_pool2d: kernel_size must be positive, got 0"));
  CHECK_THROWS_MATCHES(MaxPool2d(2).output_shape(Shape::flat(10)), regimen::nn::InputWidthError,
                       Message("expects images (channels x height x width), got 10"));
  CHECK_THROWS_MATCHES(MaxPool2d(3).output_shape(Shape::image_of(4, 2, 8)), regimen::nn::InputWidthError,
                       Message("expects images of at least 3x3, got 4x2x8"));
}

TEST_CASE("MaxPool2d: forward matches torch.nn.functional.max_pool2d", "[nn]") {
  const auto fixture = test::load_nn_fixture("max_pool2d");
  ParameterArena arena;
  for (const auto& c : fixture.at("cases")) {
    const Index k = c.at("kernel_size"), stride = c.at("stride");
    const Index n = c.at("batch"), channels = c.at("channels"), h = c.at("height"), w = c.at("width");
    INFO("kernel " << k << " stride " << stride << " image " << h << "x" << w);
    MaxPool2d layer(k, stride);
    const Shape input = Shape::image_of(channels, h, w);
    const auto shape = c.at("output_shape").get<std::vector<Index>>();
    CHECK(layer.output_shape(input) == Shape::image_of(shape[0], shape[1], shape[2]));
    layer.set_input_shape(input);
    const Matrix x = test::matrix_of(c.at("input"), n, input.features());
    test::check_values(layer.forward(arena, x, Mode::kTrain), c.at("output"), 0.0, 0.0);
  }
}

TEST_CASE("MaxPool2d: gradients match central finite differences", "[nn][gradient]") {
  const auto [k, stride] = GENERATE(table<Index, Index>({{2, 2}, {3, 2}, {2, 1}}));
  INFO("kernel " << k << " stride " << stride);
  MaxPool2d layer(k, stride);
  const Shape input = Shape::image_of(2, 5, 6);
  layer.set_input_shape(input);
  // Distinct values at least 0.01 apart, so a step of 1e-3 never changes which pixel is largest.
  Random rng(4);
  std::vector<float> values(static_cast<std::size_t>(3 * input.features()));
  std::iota(values.begin(), values.end(), 0.0f);
  rng.shuffle(std::span<float>(values));
  Matrix x(3, input.features());
  for (Index i = 0; i < x.size(); ++i) x.data()[i] = 0.01f * values[static_cast<std::size_t>(i)] - 1.0f;
  const Matrix r = test::random_matrix(3, layer.output_shape(input).features(), rng);
  ParameterArena arena;
  auto objective = [&] { return test::weighted_sum(layer.forward(arena, x, Mode::kTrain), r); };
  layer.forward(arena, x, Mode::kTrain);
  const Matrix grad_input = layer.backward(arena, r);
  test::check_gradient(grad_input, test::central_differences(x, objective, 1e-3f));
}

TEST_CASE("MaxPool2d: a tie sends the gradient to the first pixel in row order", "[nn]") {
  MaxPool2d layer(2);
  layer.set_input_shape(Shape::image_of(1, 2, 2));
  ParameterArena arena;
  const Matrix x = Matrix::Ones(1, 4);
  CHECK(layer.forward(arena, x, Mode::kTrain)(0, 0) == 1.0f);
  const Matrix g = Matrix::Constant(1, 1, 5.0f);
  const Matrix expected = (Matrix(1, 4) << 5.0f, 0.0f, 0.0f, 0.0f).finished();
  CHECK(layer.backward(arena, g) == expected);
}

TEST_CASE("MaxPool2d: a NaN in a window wins, as in PyTorch", "[nn]") {
  const auto [k, stride] = GENERATE(table<Index, Index>({{2, 2}, {2, 1}}));  // the 2x2 fast path and the general one
  MaxPool2d layer(k, stride);
  layer.set_input_shape(Shape::image_of(1, 2, 2));
  ParameterArena arena;
  const float nan = std::numeric_limits<float>::quiet_NaN();
  const Matrix x = (Matrix(1, 4) << 1.0f, nan, 3.0f, 2.0f).finished();
  CHECK(std::isnan(layer.forward(arena, x, Mode::kTrain)(0, 0)));
  const Matrix expected = (Matrix(1, 4) << 0.0f, 5.0f, 0.0f, 0.0f).finished();
  CHECK(layer.backward(arena, Matrix::Constant(1, 1, 5.0f)) == expected);
}
