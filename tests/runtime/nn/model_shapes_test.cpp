// Models over images: shapes flowing between layers, build-time shape errors naming both
// layers, default names of the image layers, buffers, and gradients through a small CNN.
#include <catch2/catch.hpp>

#include <memory>
#include <string>
#include <vector>

#include "runtime/error.hpp"
#include "runtime/nn/activations.hpp"
#include "runtime/nn/batch_norm.hpp"
#include "runtime/nn/conv2d.hpp"
#include "runtime/nn/flatten.hpp"
#include "runtime/nn/gradient_check.hpp"
#include "runtime/nn/linear.hpp"
#include "runtime/nn/max_pool2d.hpp"
#include "runtime/nn/model.hpp"
#include "runtime/nn/relu.hpp"

using Catch::Matchers::Message;
using regimen::Index;
using regimen::InvalidArgument;
using regimen::Matrix;
using regimen::Random;
using regimen::nn::Mode;
using regimen::nn::Model;
using regimen::nn::NamedLayer;
using regimen::nn::Shape;
namespace nn = regimen::nn;
namespace test = regimen::test;

namespace {

NamedLayer conv(Index in, Index out, Index k, Index padding = 0) {
  nn::Conv2dOptions options;
  options.padding = padding;
  return {"", std::make_shared<nn::Conv2d>(in, out, k, options)};
}
NamedLayer pool(Index k) { return {"", std::make_shared<nn::MaxPool2d>(k)}; }
NamedLayer bn(Index n) { return {"", std::make_shared<nn::BatchNorm>(n)}; }
NamedLayer flatten() { return {"", std::make_shared<nn::Flatten>()}; }
NamedLayer relu() { return {"", std::make_shared<nn::ReLU>()}; }
NamedLayer linear(Index in, Index out) { return {"", std::make_shared<nn::Linear>(in, out)}; }

const Shape kFashion = Shape::image_of(1, 28, 28);

}  // namespace

TEST_CASE("Model: image layers are named conv, pool and bn after their rank", "[nn]") {
  Model model({conv(1, 4, 3), bn(4), relu(), pool(2), conv(4, 8, 3), pool(2), flatten(), linear(200, 10)});
  std::vector<std::string> names;
  for (const auto& named : model.layers()) names.push_back(named.name);
  CHECK(names == std::vector<std::string>{"conv1", "bn1", "relu1", "pool1", "conv2", "pool2", "flatten1", "fc1"});
}

TEST_CASE("Model: shapes flow from an image through conv, pool and flatten", "[nn]") {
  Model model({conv(1, 32, 3, 1), relu(), pool(2), conv(32, 64, 3, 1), relu(), pool(2), flatten(), linear(3136, 10)});
  model.build(kFashion, 1);
  CHECK(model.input_shape() == kFashion);
  CHECK(model.output_shape() == Shape::flat(10));
  std::vector<std::string> names;
  std::vector<int> ranks;
  for (const auto& info : model.arena().parameters()) {
    names.push_back(info.name);
    ranks.push_back(info.ndim);
  }
  CHECK(names == std::vector<std::string>{"conv1.weight", "conv1.bias", "conv2.weight", "conv2.bias", "fc1.weight",
                                          "fc1.bias"});
  CHECK(ranks == std::vector<int>{4, 1, 4, 1, 2, 1});
}

TEST_CASE("Model: a linear layer reads an image as its flat features", "[nn]") {
  Model model({linear(784, 10)});
  model.build(kFashion, 1);
  CHECK(model.output_shape() == Shape::flat(10));
}

TEST_CASE("Model: build reports shape mismatches naming both layers and shapes", "[nn]") {
  SECTION("a convolution on data without an image shape") {
    Model model({conv(1, 8, 3), relu()});
    CHECK_THROWS_MATCHES(model.build(784, 1), InvalidArgument,
                         Message("layer 'conv1' (conv2d) expects images (channels x height x width), but the data "
                                 "has 784 features"));
  }
  SECTION("a convolution after flatten") {
    Model model({flatten(), conv(1, 8, 3)});
    CHECK_THROWS_MATCHES(model.build(kFashion, 1), InvalidArgument,
                         Message("layer 'conv1' (conv2d) expects images (channels x height x width), but 'flatten1' "
                                 "produces 784"));
  }
  SECTION("channels between two convolutions") {
    Model model({conv(1, 16, 3), relu(), conv(32, 64, 3)});
    CHECK_THROWS_MATCHES(model.build(kFashion, 1), InvalidArgument,
                         Message("layer 'conv2' (conv2d) expects 32 input channels, but 'relu1' produces 16x26x26"));
  }
  SECTION("channels of the data") {
    Model model({conv(3, 8, 3)});
    CHECK_THROWS_MATCHES(model.build(kFashion, 1), InvalidArgument,
                         Message("layer 'conv1' (conv2d) expects 3 input channels, but the data has images of 1x28x28"));
  }
  SECTION("a linear layer after pooling") {
    Model model({conv(1, 32, 3, 1), pool(2), conv(32, 64, 3, 1), pool(2), flatten(), linear(3200, 10)});
    CHECK_THROWS_MATCHES(model.build(kFashion, 1), InvalidArgument,
                         Message("layer 'fc1' (linear) expects 3200 inputs, but 'flatten1' produces 3136"));
  }
  SECTION("an image that pooling shrank below the kernel") {
    Model model({pool(4), pool(4), conv(1, 2, 3)});
    CHECK_THROWS_MATCHES(model.build(kFashion, 1), InvalidArgument,
                         Message("layer 'conv1' (conv2d) expects images of at least 3x3 after padding, but 'pool2' "
                                 "produces 1x1x1"));
  }
  SECTION("batch norm after a convolution") {
    Model model({conv(1, 8, 3), bn(16)});
    CHECK_THROWS_MATCHES(model.build(kFashion, 1), InvalidArgument,
                         Message("layer 'bn1' (batch_norm) expects 16 channels, but 'conv1' produces 8x26x26"));
  }
  SECTION("batch norm on flat features") {
    Model model({linear(784, 100), bn(128)});
    CHECK_THROWS_MATCHES(model.build(784, 1), InvalidArgument,
                         Message("layer 'bn1' (batch_norm) expects 128 features, but 'fc1' produces 100"));
  }
}

TEST_CASE("Model: buffers are named after their layer", "[nn]") {
  Model model({conv(1, 2, 3), bn(2), flatten(), linear(1352, 4), bn(4)});
  CHECK(model.buffers().empty());
  model.build(kFashion, 1);
  std::vector<std::string> names;
  for (const auto& buffer : model.buffers()) names.push_back(buffer.name);
  CHECK(names == std::vector<std::string>{"bn1.running_mean", "bn1.running_var", "bn2.running_mean", "bn2.running_var"});
}

TEST_CASE("Model: gradients through a small CNN match central finite differences", "[nn][gradient]") {
  Model model({conv(2, 3, 3, 1), bn(3), {"", std::make_shared<nn::Tanh>()}, pool(2), flatten(), linear(12, 2)});
  model.build(Shape::image_of(2, 4, 4), 3);
  Random rng(7);
  const Matrix x = test::random_matrix(3, 32, rng);
  const Matrix r = test::random_matrix(3, 2, rng);
  // Eval mode: batch norm's running statistics stay put between the objective's evaluations.
  auto objective = [&] { return test::weighted_sum(model.forward(x, Mode::kEval), r); };
  model.arena().zero_grads();
  model.forward(x, Mode::kEval);
  model.backward(r);
  for (const char* name : {"conv1.weight", "conv1.bias", "bn1.weight", "bn1.bias", "fc1.weight"}) {
    INFO(name);
    const std::size_t h = test::handle_of(model.arena(), name);
    const Matrix analytic = model.arena().grad(h);
    test::check_gradient(analytic, test::central_differences(model.arena().value(h), objective, 1e-3f));
  }
}
