#include "runtime/nn/model.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "runtime/error.hpp"
#include "runtime/nn/dropout.hpp"
#include "runtime/nn/gradient_check.hpp"
#include "runtime/nn/linear.hpp"
#include "runtime/nn/relu.hpp"

using Catch::Matchers::Message;
using regimen::Index;
using regimen::InvalidArgument;
using regimen::Matrix;
using regimen::Random;
using regimen::nn::Dropout;
using regimen::nn::Init;
using regimen::nn::Linear;
using regimen::nn::Mode;
using regimen::nn::Model;
using regimen::nn::NamedLayer;
using regimen::nn::ReLU;
namespace test = regimen::test;

namespace {

NamedLayer linear(Index in, Index out, std::string name = "") {
  return {std::move(name), std::make_shared<Linear>(in, out)};
}
NamedLayer relu(std::string name = "") { return {std::move(name), std::make_shared<ReLU>()}; }
NamedLayer dropout(double p) { return {"", std::make_shared<Dropout>(p)}; }

// A parameterless identity that records what the model asks of it.
class Probe : public regimen::nn::Layer {
 public:
  std::string type() const override { return "probe"; }
  std::string describe() const override { return "probe"; }
  Index output_features(Index input_features) const override { return input_features; }
  const Matrix& forward(const regimen::ParameterArena&, const Matrix& input, Mode) override { return input; }
  const Matrix& backward(regimen::ParameterArena&, const Matrix& grad_output) override {
    ++backward_calls;
    return grad_output;
  }
  void set_input_gradient_needed(bool needed) override { input_gradient_needed = needed; }

  int backward_calls = 0;
  bool input_gradient_needed = true;
};

// The Fashion-MNIST MLP shape: 784 -> 256 -> 10.
Model mlp() { return Model({linear(784, 256), relu(), dropout(0.2), linear(256, 10)}); }

}  // namespace

TEST_CASE("Model: names unnamed layers after their type and rank", "[nn]") {
  Model model({linear(4, 8), relu(), dropout(0.5), linear(8, 8, "hidden"), relu(), linear(8, 2)});
  std::vector<std::string> names;
  for (const auto& named : model.layers()) names.push_back(named.name);
  CHECK(names == std::vector<std::string>{"fc1", "relu1", "dropout1", "hidden", "relu2", "fc3"});
}

TEST_CASE("Model: rejects an empty model, duplicate names and a shared layer object", "[nn]") {
  CHECK_THROWS_MATCHES(Model({}), InvalidArgument, Message("model: a model needs at least one layer"));
  CHECK_THROWS_MATCHES(Model({linear(4, 4, "fc2"), linear(4, 4)}), InvalidArgument,
                       Message("model: duplicate layer name 'fc2' (layers 1 and 2)"));
  CHECK_THROWS_MATCHES(Model({linear(4, 4), relu("a"), relu("a")}), InvalidArgument,
                       Message("model: duplicate layer name 'a' (layers 2 and 3)"));
  const auto shared = std::make_shared<Linear>(4, 4);
  CHECK_THROWS_MATCHES(Model({{"a", shared}, {"b", shared}}), InvalidArgument,
                       Message("model: layers 1 and 2 are the same layer object; create one per position"));
}

TEST_CASE("Model: build reports a width mismatch naming both layers", "[nn]") {
  SECTION("between two layers") {
    Model model({linear(784, 128), relu(), linear(256, 10)});
    CHECK_THROWS_MATCHES(model.build(784, 1), InvalidArgument,
                         Message("layer 'fc2' (linear) expects 256 inputs, but 'relu1' produces 128"));
    CHECK_FALSE(model.built());
  }
  SECTION("directly after a linear layer") {
    Model model({linear(784, 128), linear(256, 10)});
    CHECK_THROWS_MATCHES(model.build(784, 1), InvalidArgument,
                         Message("layer 'fc2' (linear) expects 256 inputs, but 'fc1' produces 128"));
  }
  SECTION("against the data") {
    CHECK_THROWS_MATCHES(mlp().build(100, 1), InvalidArgument,
                         Message("layer 'fc1' (linear) expects 784 inputs, but the data has 100 features"));
  }
}

TEST_CASE("Model: build lays out named parameters and seeds each layer", "[nn]") {
  Model model = mlp();
  model.build(784, 7);
  REQUIRE(model.built());
  CHECK(model.output_features() == 10);
  std::vector<std::string> names;
  for (const auto& info : model.arena().parameters()) names.push_back(info.name);
  CHECK(names == std::vector<std::string>{"fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias"});
  CHECK(model.arena().count() == 784 * 256 + 256 + 256 * 10 + 10);

  Model same = mlp();
  same.build(784, 7);
  Model other = mlp();
  other.build(784, 8);
  const auto values = model.arena().values();
  CHECK(std::equal(values.begin(), values.end(), same.arena().values().begin()));
  CHECK_FALSE(std::equal(values.begin(), values.end(), other.arena().values().begin()));
}

TEST_CASE("Model: layers of equal shape get independent streams", "[nn]") {
  Model model({linear(6, 6), linear(6, 6)});
  model.build(6, 3);
  CHECK(model.arena().value(0) != model.arena().value(2));
}

TEST_CASE("Model: forward and backward chain the layers", "[nn][gradient]") {
  Model model({linear(5, 7), relu(), dropout(0.5), linear(7, 3, "out")});
  model.build(5, 11);
  Random rng(6);
  Matrix x = test::random_matrix(4, 5, rng);
  const Matrix r = test::random_matrix(4, 3, rng);
  // A step of 1e-3 in fc1 moves a pre-activation by under 1e-3: make sure none crosses ReLU's kink.
  const Matrix hidden = (x * model.arena().value(0)).rowwise() + model.arena().value(1).row(0);
  REQUIRE(hidden.cwiseAbs().minCoeff() > 0.01f);
  auto objective = [&] { return test::weighted_sum(model.forward(x, Mode::kEval), r); };

  model.arena().zero_grads();
  const Matrix y = model.forward(x, Mode::kEval);
  CHECK((y.rows() == 4 && y.cols() == 3));
  model.backward(r);
  for (const char* name : {"fc1.weight", "fc1.bias", "out.weight", "out.bias"}) {
    INFO(name);
    const std::size_t h = test::handle_of(model.arena(), name);
    const Matrix analytic = model.arena().grad(h);
    test::check_gradient(analytic, test::central_differences(model.arena().value(h), objective, 1e-3f));
  }
}

TEST_CASE("Model: backward stops at the first trainable layer, which skips its input gradient", "[nn]") {
  const auto front = std::make_shared<Probe>();
  const auto first = std::make_shared<Linear>(5, 7);
  const auto middle = std::make_shared<Probe>();
  Model model({{"front", front}, {"", first}, {"middle", middle}, linear(7, 3)});
  model.build(5, 2);
  CHECK_FALSE(front->input_gradient_needed);
  CHECK(middle->input_gradient_needed);

  Random rng(3);
  const Matrix x = test::random_matrix(4, 5, rng);
  const Matrix r = test::random_matrix(4, 3, rng);
  model.arena().zero_grads();
  model.forward(x, Mode::kTrain);
  model.backward(r);
  CHECK(front->backward_calls == 0);
  CHECK(middle->backward_calls == 1);

  // The oracle: the same layer computing its input gradient as a standalone layer does.
  const std::vector<float> grads(model.arena().grads().begin(), model.arena().grads().end());
  first->set_input_gradient_needed(true);
  model.arena().zero_grads();
  model.forward(x, Mode::kTrain);
  model.backward(r);
  CHECK(std::equal(grads.begin(), grads.end(), model.arena().grads().begin()));
}

TEST_CASE("Model: a model without parameters backpropagates nothing", "[nn]") {
  const auto probe = std::make_shared<Probe>();
  Model model({{"p", probe}, relu()});
  model.build(3, 1);
  CHECK_FALSE(probe->input_gradient_needed);
  model.forward(Matrix::Ones(2, 3), Mode::kTrain);
  model.backward(Matrix::Ones(2, 3));
  CHECK(probe->backward_calls == 0);
}

TEST_CASE("Model: forward rejects a batch of the wrong width", "[nn]") {
  Model model({linear(3, 2)});
  model.build(3, 1);
  CHECK_THROWS_MATCHES(model.forward(Matrix::Zero(2, 4), Mode::kEval), InvalidArgument,
                       Message("model: built for 3 features, the batch has 4"));
}

TEST_CASE("Model: describes one layer per line with parameter counts", "[nn]") {
  Model model = mlp();
  CHECK(model.describe() ==
        "fc1       linear(784 -> 256, init=he)\n"
        "relu1     relu\n"
        "dropout1  dropout(p=0.2)\n"
        "fc2       linear(256 -> 10, init=he)\n");
  model.build(784, 1);
  CHECK(model.describe() ==
        "fc1       linear(784 -> 256, init=he)  params 200960\n"
        "relu1     relu                         params 0\n"
        "dropout1  dropout(p=0.2)               params 0\n"
        "fc2       linear(256 -> 10, init=he)   params 2570\n"
        "total                                  params 203530\n");
}
