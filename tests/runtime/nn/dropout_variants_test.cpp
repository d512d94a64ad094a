#include "runtime/nn/dropout_variants.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <set>
#include <vector>

#include "runtime/error.hpp"
#include "runtime/nn/gradient_check.hpp"
#include "runtime/nn/nn_fixture.hpp"

using Catch::Matchers::Message;
using Catch::Matchers::WithinAbs;
using Catch::Matchers::WithinRel;
using regimen::Index;
using regimen::InvalidArgument;
using regimen::Matrix;
using regimen::MatrixD;
using regimen::ParameterArena;
using regimen::Random;
using regimen::nn::AlphaDropout;
using regimen::nn::GaussianDropout;
using regimen::nn::Mode;
using regimen::nn::Shape;
using regimen::nn::SpatialDropout;
namespace test = regimen::test;

namespace {

template <typename T>
T seeded(double p, std::uint64_t seed) {
  T layer(p);
  ParameterArena arena;
  Random rng(seed);
  layer.initialize(arena, rng);
  return layer;
}

// Mean and standard deviation (n - 1) of all elements.
std::pair<double, double> moments(const Matrix& m) {
  const MatrixD d = m.cast<double>();
  const double mean = d.mean();
  const double var = (d.array() - mean).square().sum() / static_cast<double>(d.size() - 1);
  return {mean, std::sqrt(var)};
}

}  // namespace

TEST_CASE("Dropout variants: reject p outside 0 <= p < 1 and are the identity in eval", "[nn]") {
  CHECK_THROWS_MATCHES(GaussianDropout(1.0), InvalidArgument, Message("gaussian_dropout: p must be in [0, 1), got 1"));
  CHECK_THROWS_MATCHES(AlphaDropout(-0.5), InvalidArgument, Message("alpha_dropout: p must be in [0, 1), got -0.5"));
  CHECK_THROWS_MATCHES(SpatialDropout(2), InvalidArgument, Message("spatial_dropout: p must be in [0, 1), got 2"));
  CHECK(AlphaDropout(0.25).describe() == "alpha_dropout(p=0.25)");
  ParameterArena arena;
  Random rng(1);
  const Matrix x = test::random_matrix(4, 6, rng);
  auto gaussian = seeded<GaussianDropout>(0.5, 1);
  CHECK(gaussian.forward(arena, x, Mode::kEval) == x);
  auto alpha = seeded<AlphaDropout>(0.5, 1);
  CHECK(alpha.forward(arena, x, Mode::kEval) == x);
  auto spatial = seeded<SpatialDropout>(0.0, 1);
  CHECK(spatial.forward(arena, x, Mode::kTrain) == x);
}

TEST_CASE("GaussianDropout: multiplies by noise of mean 1 and variance p/(1-p)", "[nn]") {
  const double p = GENERATE(0.1, 0.5);
  auto layer = seeded<GaussianDropout>(p, 3);
  ParameterArena arena;
  const Matrix x = Matrix::Ones(400, 500);
  const auto [mean, stddev] = moments(layer.forward(arena, x, Mode::kTrain));
  // 200000 draws: the mean's standard error is under 0.003, the deviation's under 0.3%.
  CHECK_THAT(mean, WithinAbs(1.0, 0.01));
  CHECK_THAT(stddev, WithinRel(std::sqrt(p / (1.0 - p)), 0.01));
}

TEST_CASE("AlphaDropout: takes PyTorch's two values per element and keeps zero mean, unit variance", "[nn]") {
  const auto fixture = test::load_nn_fixture("alpha_dropout");
  ParameterArena arena;
  for (const auto& c : fixture.at("cases")) {
    const double p = c.at("p");
    INFO("p = " << p);
    auto layer = seeded<AlphaDropout>(p, 5);
    const Matrix x = test::matrix_of(c.at("input"), 1, 8);
    const auto values = c.at("values").get<std::vector<std::vector<double>>>();
    // The dropped value, a alpha' (p - 1), is the one both of element 0's and element 1's share.
    const double drop_value = std::abs(values[0][0] - values[1][0]) < 1e-4 || std::abs(values[0][0] - values[1][1]) < 1e-4
                                  ? values[0][0]
                                  : values[0][1];
    Index dropped = 0;
    for (int draw = 0; draw < 200; ++draw) {
      const Matrix& y = layer.forward(arena, x, Mode::kTrain);
      for (Index i = 0; i < 8; ++i) {
        const auto& two = values[static_cast<std::size_t>(i)];
        const double v = y(0, i);
        INFO("element " << i << " value " << v << " torch " << two[0] << " or " << two[1]);
        CHECK((std::abs(v - two[0]) < 1e-4 || std::abs(v - two[1]) < 1e-4));
        if (std::abs(v - drop_value) < 1e-4) ++dropped;
      }
    }
    // 1600 Bernoulli(p) draws: the fraction's standard deviation is at most 0.0125.
    CHECK_THAT(static_cast<double>(dropped) / 1600.0, WithinAbs(p, 0.05));
    Random rng(9);
    Matrix normal(1000, 1000);
    for (Index i = 0; i < normal.size(); ++i) normal.data()[i] = static_cast<float>(rng.normal());
    const auto [mean, stddev] = moments(layer.forward(arena, normal, Mode::kTrain));
    CHECK_THAT(mean, WithinAbs(c.at("normal_input_output_mean").get<double>(), 0.01));
    CHECK_THAT(stddev, WithinAbs(c.at("normal_input_output_std").get<double>(), 0.01));
  }
}

TEST_CASE("SpatialDropout: drops whole channels of a sample, survivors scaled by 1/(1-p)", "[nn]") {
  const double p = 0.3;
  auto layer = seeded<SpatialDropout>(p, 7);
  const Shape shape = Shape::image_of(20, 3, 4);
  layer.set_input_shape(shape);
  ParameterArena arena;
  Random rng(2);
  const Matrix x = test::random_matrix(500, shape.features(), rng, 0.5, 1.5);
  const Matrix& y = layer.forward(arena, x, Mode::kTrain);
  Index dropped = 0;
  for (Index s = 0; s < y.rows(); ++s) {
    for (Index c = 0; c < shape.channels; ++c) {
      const auto plane = y.row(s).segment(c * 12, 12);
      if (plane.isZero(0.0f)) {
        ++dropped;
        continue;
      }
      const auto in = x.row(s).segment(c * 12, 12);
      for (Index i = 0; i < 12; ++i) CHECK_THAT(plane(i), WithinRel(in(i) / (1.0 - p), 1e-6));
    }
  }
  // 10000 channel draws: the fraction's standard deviation is under 0.005.
  CHECK_THAT(static_cast<double>(dropped) / 10000.0, WithinAbs(p, 0.02));
}

TEST_CASE("Dropout variants: gradients match central finite differences for a fixed draw", "[nn][gradient]") {
  const int which = GENERATE(0, 1, 2);
  INFO("layer " << which);
  ParameterArena arena;
  Random rng(3);
  Matrix x = test::random_matrix(3, 8, rng);
  const Matrix r = test::random_matrix(3, 8, rng);
  auto check = [&](auto layer) {
    // A copy replays the same noise: each objective evaluation draws what the checked pass drew.
    const auto snapshot = layer;
    auto objective = [&] {
      auto replay = snapshot;
      return test::weighted_sum(replay.forward(arena, x, Mode::kTrain), r);
    };
    layer.forward(arena, x, Mode::kTrain);
    const Matrix grad_input = layer.backward(arena, r);
    test::check_gradient(grad_input, test::central_differences(x, objective, 1e-2f));
  };
  if (which == 0) check(seeded<GaussianDropout>(0.4, 1));
  if (which == 1) check(seeded<AlphaDropout>(0.4, 1));
  if (which == 2) {
    auto layer = seeded<SpatialDropout>(0.4, 1);
    layer.set_input_shape(Shape::image_of(2, 2, 2));
    check(layer);
  }
}
