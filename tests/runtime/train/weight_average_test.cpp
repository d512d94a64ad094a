#include "runtime/train/weight_average.hpp"

#include <vector>

#include <catch2/catch.hpp>

#include "runtime/error.hpp"

using Catch::Matchers::WithinAbs;
using regimen::InvalidArgument;
using regimen::train::WeightAverage;

TEST_CASE("WeightAverage: starts at the weights and follows d * ema + (1 - d) * w", "[train]") {
  const std::vector<float> w0{1.0f, -2.0f, 0.5f};
  WeightAverage ema(0.75, w0);
  CHECK(std::vector<float>(ema.values().begin(), ema.values().end()) == w0);
  const std::vector<std::vector<float>> steps{{2.0f, 0.0f, 0.5f}, {-1.0f, 4.0f, 1.5f}};
  std::vector<double> expected(w0.begin(), w0.end());
  for (const auto& w : steps) {
    ema.update(w);
    for (std::size_t i = 0; i < w.size(); ++i) expected[i] = 0.75 * expected[i] + 0.25 * w[i];
  }
  for (std::size_t i = 0; i < expected.size(); ++i) CHECK_THAT(ema.values()[i], WithinAbs(expected[i], 1e-6));
}

TEST_CASE("WeightAverage: swapping exchanges average and weights, twice restores both", "[train]") {
  WeightAverage ema(0.5, std::vector<float>{1.0f, 1.0f});
  ema.update(std::vector<float>{3.0f, -1.0f});  // average {2, 0}
  std::vector<float> w{3.0f, -1.0f};
  ema.swap(w);
  CHECK(w == std::vector<float>{2.0f, 0.0f});
  CHECK(std::vector<float>(ema.values().begin(), ema.values().end()) == std::vector<float>{3.0f, -1.0f});
  ema.swap(w);
  CHECK(w == std::vector<float>{3.0f, -1.0f});
  CHECK(std::vector<float>(ema.values().begin(), ema.values().end()) == std::vector<float>{2.0f, 0.0f});
}

TEST_CASE("WeightAverage: decay 0 tracks the weights exactly", "[train]") {
  WeightAverage ema(0.0, std::vector<float>{1.0f});
  ema.update(std::vector<float>{0.3f});
  CHECK(ema.values()[0] == 0.3f);
}

TEST_CASE("WeightAverage: rejects a decay outside 0 <= d < 1 and a buffer of another length", "[train]") {
  const std::vector<float> w{1.0f, 2.0f};
  CHECK_THROWS_MATCHES(WeightAverage(1.0, w), InvalidArgument, Catch::Message("ema must be in [0, 1), got 1"));
  CHECK_THROWS_MATCHES(WeightAverage(-0.1, w), InvalidArgument, Catch::Message("ema must be in [0, 1), got -0.1"));
  WeightAverage ema(0.9, w);
  CHECK_THROWS_MATCHES(ema.update(std::vector<float>{1.0f}), InvalidArgument,
                       Catch::Message("ema: the weights have 1 elements, the average 2"));
}
