// ModelAverage averages batch norm's running statistics with the weights:
//   avg <- d avg + (1 - d) value   for every weight and every buffer value, after each step,
// as torch.optim.swa_utils.AveragedModel(use_buffers=True) does.
#include "runtime/train/model_average.hpp"

#include <catch2/catch.hpp>
#include <memory>

#include "runtime/nn/batch_norm.hpp"
#include "runtime/nn/linear.hpp"

using Catch::WithinAbs;
using regimen::Matrix;
using regimen::nn::Mode;
using regimen::nn::Model;
using regimen::train::ModelAverage;
namespace nn = regimen::nn;

namespace {

std::vector<float> buffers_of(Model& model) {
  std::vector<float> values;
  model.read_buffers(values);
  return values;
}

}  // namespace

TEST_CASE("Model average: running statistics are averaged and swapped with the weights", "[train]") {
  Model model({{"", std::make_shared<nn::Linear>(2, 2)}, {"", std::make_shared<nn::BatchNorm>(2)}});
  model.build(2, 3);
  const std::vector<float> start = buffers_of(model);  // running mean 0, variance 1
  ModelAverage average(0.75, model, {}, {});
  Matrix x(4, 2);
  x << 1, 2, 3, 5, -1, 0, 4, 4;
  model.forward(x, Mode::kTrain);  // moves the running statistics
  const std::vector<float> moved = buffers_of(model);
  REQUIRE(moved != start);
  average.update();
  REQUIRE(average.buffers().size() == 4);
  for (std::size_t i = 0; i < 4; ++i)
    CHECK_THAT(average.buffers()[i], WithinAbs(0.75 * start[i] + 0.25 * moved[i], 1e-6));
  const std::vector<float> averaged(average.buffers().begin(), average.buffers().end());
  average.swap();
  CHECK(buffers_of(model) == averaged);
  average.swap();
  CHECK(buffers_of(model) == moved);
}

TEST_CASE("Model average: starts from given averages, as a resumed run does", "[train]") {
  Model model({{"", std::make_shared<nn::BatchNorm>(1)}});
  model.build(1, 1);
  const std::vector<float> weights = {0.5f, -0.5f};  // gamma and beta
  const std::vector<float> buffers = {2.0f, 3.0f};   // running mean and variance
  std::vector<float> arena_weights(model.arena().values().begin(), model.arena().values().end());
  REQUIRE(arena_weights.size() >= 2);
  std::vector<float> given(arena_weights.size(), 0.0f);
  given[0] = weights[0];
  ModelAverage average(0.5, model, given, buffers);
  CHECK(average.weights()[0] == 0.5f);
  CHECK(std::vector<float>(average.buffers().begin(), average.buffers().end()) == buffers);
}
