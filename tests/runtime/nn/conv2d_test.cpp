#include "runtime/nn/conv2d.hpp"

#include <catch2/catch.hpp>

#include <string>

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
using regimen::nn::Conv2d;
using regimen::nn::Conv2dOptions;
using regimen::nn::Init;
using regimen::nn::Mode;
using regimen::nn::Shape;
namespace test = regimen::test;

namespace {

// A layer told its input shape, with "conv.weight"/"conv.bias" allocated and initialized.
struct Built {
  Conv2d layer;
  ParameterArena arena;
  Built(Index in, Index out, Index k, Conv2dOptions options, Shape input, std::uint64_t seed = 1)
      : layer(in, out, k, options) {
    layer.set_input_shape(input);
    layer.declare_parameters(arena, "conv");
    arena.allocate();
    Random rng(seed);
    layer.initialize(arena, rng);
  }
};

Conv2dOptions options_of(Index stride, Index padding, bool same = false) {
  Conv2dOptions o;
  o.stride = stride;
  o.padding = padding;
  o.same_padding = same;
  return o;
}

}  // namespace

TEST_CASE("Conv2d: rejects bad sizes", "[nn]") {
  CHECK_THROWS_MATCHES(Conv2d(0, 3, 3), InvalidArgument, Message("conv2d: in_channels must be positive, got 0"));
  CHECK_THROWS_MATCHES(Conv2d(1, 3, 0), InvalidArgument, Message("conv2d: kernel_size must be positive, got 0"));
  CHECK_THROWS_MATCHES(Conv2d(1, 3, 3, options_of(0, 0)), InvalidArgument,
                       Message("conv2d: stride must be positive, got 0"));
  CHECK_THROWS_MATCHES(Conv2d(1, 3, 3, options_of(1, -1)), InvalidArgument,
                       Message("conv2d: padding must be >= 0, got -1"));
  CHECK_THROWS_MATCHES(Conv2d(1, 3, 3, options_of(2, 0, true)), InvalidArgument,
                       Message("conv2d: padding = 'same' needs stride 1, got 2"));
}

TEST_CASE("Conv2d: output shape follows PyTorch's formula and rejects what it cannot take", "[nn]") {
  CHECK(Conv2d(1, 32, 3, options_of(1, 1)).output_shape(Shape::image_of(1, 28, 28)) == Shape::image_of(32, 28, 28));
  CHECK(Conv2d(1, 8, 3, options_of(2, 0)).output_shape(Shape::image_of(1, 28, 28)) == Shape::image_of(8, 13, 13));
  CHECK(Conv2d(3, 4, 4, options_of(1, 0, true)).output_shape(Shape::image_of(3, 5, 6)) == Shape::image_of(4, 5, 6));
  const Conv2d conv(32, 64, 3);
  CHECK_THROWS_MATCHES(conv.output_shape(Shape::flat(784)), regimen::nn::InputWidthError,
                       Message("expects images (channels x height x width), got 784"));
  CHECK_THROWS_MATCHES(conv.output_shape(Shape::image_of(16, 14, 14)), regimen::nn::InputWidthError,
                       Message("expects 32 input channels, got 16x14x14"));
  CHECK_THROWS_MATCHES(conv.output_shape(Shape::image_of(32, 2, 5)), regimen::nn::InputWidthError,
                       Message("expects images of at least 3x3 after padding, got 32x2x5"));
  CHECK(conv.describe() == "conv2d(32 -> 64, kernel=3, stride=1, padding=0, init=he)");
  CHECK(Conv2d(1, 2, 3, options_of(1, 0, true)).describe() == "conv2d(1 -> 2, kernel=3, stride=1, padding=same, init=he)");
}

TEST_CASE("Conv2d: declares a rank-4 weight in PyTorch's order and a rank-1 bias", "[nn]") {
  Built b(3, 5, 2, {}, Shape::image_of(3, 4, 4));
  const auto& infos = b.arena.parameters();
  REQUIRE(infos.size() == 2);
  CHECK((infos[0].name == "conv.weight" && infos[0].rows == 5 && infos[0].cols == 12 && infos[0].ndim == 4));
  CHECK((infos[1].name == "conv.bias" && infos[1].rows == 1 && infos[1].cols == 5 && infos[1].ndim == 1));
  CHECK(b.arena.value(1).isZero(0.0f));
  // He-uniform with fan_in = 3 * 2 * 2.
  CHECK(b.arena.value(0).cwiseAbs().maxCoeff() < static_cast<float>(std::sqrt(6.0 / 12.0)));
}

TEST_CASE("Conv2d: forward matches torch.nn.functional.conv2d", "[nn]") {
  const auto fixture = test::load_nn_fixture("conv2d");
  for (const auto& c : fixture.at("cases")) {
    const Index in = c.at("in_channels"), out = c.at("out_channels"), k = c.at("kernel_size");
    const Index h = c.at("height"), w = c.at("width"), n = c.at("batch");
    const bool same = c.at("padding").is_string();
    INFO("kernel " << k << " stride " << c.at("stride") << " padding " << c.at("padding").dump());
    Built b(in, out, k, options_of(c.at("stride"), same ? 0 : c.at("padding").get<Index>(), same),
            Shape::image_of(in, h, w));
    const auto shape = c.at("output_shape").get<std::vector<Index>>();
    CHECK(b.layer.output_shape(Shape::image_of(in, h, w)) == Shape::image_of(shape[0], shape[1], shape[2]));
    b.arena.value(0) = test::matrix_of(c.at("weight"), out, in * k * k);
    b.arena.value(1) = test::matrix_of(c.at("bias"), 1, out);
    const Matrix x = test::matrix_of(c.at("input"), n, in * h * w);
    test::check_values(b.layer.forward(b.arena, x, Mode::kEval), c.at("output"), 1e-5, 1e-5);
  }
}

TEST_CASE("Conv2d: gradients match central finite differences", "[nn][gradient]") {
  const auto [stride, padding, same] = GENERATE(table<Index, Index, bool>({{1, 0, false}, {2, 1, false}, {1, 0, true}}));
  INFO("stride " << stride << " padding " << padding << " same " << same);
  Built b(2, 3, 3, options_of(stride, padding, same), Shape::image_of(2, 5, 6), 4);
  Random rng(8);
  b.arena.value(1) = test::random_matrix(1, 3, rng);
  Matrix x = test::random_matrix(3, 2 * 5 * 6, rng);
  const Index out_features = b.layer.output_shape(Shape::image_of(2, 5, 6)).features();
  const Matrix r = test::random_matrix(3, out_features, rng);
  auto objective = [&] { return test::weighted_sum(b.layer.forward(b.arena, x, Mode::kTrain), r); };

  b.arena.zero_grads();
  b.layer.forward(b.arena, x, Mode::kTrain);
  const Matrix grad_input = b.layer.backward(b.arena, r);
  test::check_gradient(grad_input, test::central_differences(x, objective, 1e-2f));
  const Matrix grad_weight = b.arena.grad(0);
  test::check_gradient(grad_weight, test::central_differences(b.arena.value(0), objective, 1e-2f));
  const Matrix grad_bias = b.arena.grad(1);
  test::check_gradient(grad_bias, test::central_differences(b.arena.value(1), objective, 1e-2f));
}

TEST_CASE("Conv2d: skips the input gradient when told it is not needed, weight gradients unchanged", "[nn]") {
  Built b(2, 3, 3, options_of(1, 1), Shape::image_of(2, 4, 4), 2);
  Random rng(3);
  const Matrix x = test::random_matrix(20, 32, rng);
  const Matrix r = test::random_matrix(20, 48, rng);
  b.arena.zero_grads();
  b.layer.forward(b.arena, x, Mode::kTrain);
  b.layer.backward(b.arena, r);
  const Matrix with = b.arena.grad(0);
  b.layer.set_input_gradient_needed(false);
  b.arena.zero_grads();
  b.layer.forward(b.arena, x, Mode::kTrain);
  CHECK(b.layer.backward(b.arena, r).size() == 0);
  CHECK(Matrix(b.arena.grad(0)) == with);
}
