#include "runtime/nn/dropout.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <limits>

#include "runtime/error.hpp"
#include "runtime/nn/gradient_check.hpp"

using Catch::Matchers::Message;
using Catch::Matchers::WithinAbs;
using Catch::Matchers::WithinRel;
using regimen::Index;
using regimen::InvalidArgument;
using regimen::Matrix;
using regimen::ParameterArena;
using regimen::Random;
using regimen::nn::Dropout;
using regimen::nn::Mode;
namespace test = regimen::test;

namespace {

Dropout seeded(double p, std::uint64_t seed) {
  Dropout layer(p);
  ParameterArena arena;
  Random rng(seed);
  layer.initialize(arena, rng);
  return layer;
}

}  // namespace

TEST_CASE("Dropout: rejects p outside 0 <= p < 1", "[nn]") {
  CHECK_THROWS_MATCHES(Dropout(1.0), InvalidArgument, Message("dropout: p must be in [0, 1), got 1"));
  CHECK_THROWS_MATCHES(Dropout(-0.1), InvalidArgument, Message("dropout: p must be in [0, 1), got -0.1"));
  CHECK_THROWS_AS(Dropout(std::numeric_limits<double>::quiet_NaN()), InvalidArgument);
  Dropout ok(0.5);
  CHECK_THROWS_AS(ok.set_p(1.5), InvalidArgument);
  CHECK(ok.p() == 0.5);
  CHECK(ok.describe() == "dropout(p=0.5)");
}

TEST_CASE("Dropout: is the identity in eval mode and when p is 0", "[nn]") {
  ParameterArena arena;
  Random rng(1);
  const Matrix x = test::random_matrix(8, 16, rng);
  const Matrix g = test::random_matrix(8, 16, rng);
  SECTION("eval") {
    Dropout layer = seeded(0.5, 3);
    CHECK(layer.forward(arena, x, Mode::kEval) == x);
    CHECK(layer.backward(arena, g) == g);
  }
  SECTION("p = 0 in training") {
    Dropout layer = seeded(0.0, 3);
    CHECK(layer.forward(arena, x, Mode::kTrain) == x);
    CHECK(layer.backward(arena, g) == g);
  }
}

TEST_CASE("Dropout: drops a fraction p in training and scales survivors by 1/(1-p)", "[nn]") {
  const double p = GENERATE(0.1, 0.3, 0.8);
  Dropout layer = seeded(p, 17);
  ParameterArena arena;
  Random rng(2);
  const Matrix x = test::random_matrix(200, 500, rng, 0.5, 1.5);  // no zeros of its own
  const Matrix& y = layer.forward(arena, x, Mode::kTrain);
  Index dropped = 0;
  for (Index i = 0; i < y.size(); ++i) {
    if (y.data()[i] == 0.0f) {
      ++dropped;
    } else {
      CHECK_THAT(y.data()[i], WithinRel(x.data()[i] / (1.0 - p), 1e-6));
    }
  }
  // 100000 Bernoulli(p) draws: the standard deviation of the fraction is under 0.0016.
  CHECK_THAT(static_cast<double>(dropped) / static_cast<double>(y.size()), WithinAbs(p, 0.01));
}

TEST_CASE("Dropout: each element keeps with probability 1-p, even and odd positions alike", "[nn]") {
  // Two elements share one 64-bit draw; a bias in either half would show up here.
  const double p = GENERATE(0.2, 0.5, 0.9);
  Dropout layer = seeded(p, 23);
  ParameterArena arena;
  const Matrix x = Matrix::Ones(128, 391);  // odd: the last element has a word of its own
  Index dropped[2] = {0, 0};
  const int batches = 4;
  for (int batch = 0; batch < batches; ++batch) {
    layer.forward(arena, x, Mode::kTrain);
    for (Index i = 0; i < layer.mask().size(); ++i) dropped[i % 2] += layer.mask().data()[i] == 0.0f;
  }
  // About 100000 draws per parity: the standard deviation of each fraction is under 0.0016.
  const double per_parity = static_cast<double>(batches) * static_cast<double>(x.size()) / 2.0;
  CHECK_THAT(static_cast<double>(dropped[0]) / per_parity, WithinAbs(p, 0.01));
  CHECK_THAT(static_cast<double>(dropped[1]) / per_parity, WithinAbs(p, 0.01));
}

TEST_CASE("Dropout: element i is decided by 32 bits of the layer's stream", "[nn]") {
  // The oracle: draw k of the stream seeded by initialize() gives elements 2k (low half) and
  // 2k+1 (high half); an element survives when its half is at least round(p * 2^32).
  const double p = 0.3;
  const auto threshold = static_cast<std::uint64_t>(std::llround(p * 4294967296.0));
  Random init(41);
  Random stream(Random(41).next_u64());
  Dropout layer(p);
  ParameterArena arena;
  layer.initialize(arena, init);
  const Matrix x = Matrix::Ones(3, 7);
  for (int batch = 0; batch < 2; ++batch) {  // the second batch continues the stream
    const Matrix& mask = layer.forward(arena, x, Mode::kTrain);
    std::uint64_t word = 0;
    for (Index i = 0; i < mask.size(); ++i) {
      if (i % 2 == 0) word = stream.next_u64();
      const std::uint64_t half = i % 2 == 0 ? word & 0xffffffffu : word >> 32;
      INFO("batch " << batch << " element " << i);
      CHECK(mask.data()[i] == (half >= threshold ? static_cast<float>(1.0 / (1.0 - p)) : 0.0f));
    }
  }
}

TEST_CASE("Dropout: masks are reproducible from the seed and fresh on every batch", "[nn]") {
  ParameterArena arena;
  Random rng(5);
  const Matrix x = test::random_matrix(10, 20, rng, 0.5, 1.5);
  Dropout a = seeded(0.5, 99);
  Dropout b = seeded(0.5, 99);
  const Matrix first = a.forward(arena, x, Mode::kTrain);
  CHECK(b.forward(arena, x, Mode::kTrain) == first);
  CHECK(a.forward(arena, x, Mode::kTrain) != first);
  Dropout c = seeded(0.5, 100);
  CHECK(c.forward(arena, x, Mode::kTrain) != first);
}

TEST_CASE("Dropout: gradient matches central finite differences for a fixed mask", "[nn][gradient]") {
  Dropout layer(0.4);
  ParameterArena arena;
  Random data(8);
  Matrix x = test::random_matrix(5, 6, data);
  const Matrix r = test::random_matrix(5, 6, data);
  // Re-seeding before each forward replays the same mask, so the objective is a fixed function.
  auto forward = [&] {
    Random rng(21);
    layer.initialize(arena, rng);
    return test::weighted_sum(layer.forward(arena, x, Mode::kTrain), r);
  };
  forward();
  const Matrix mask = layer.mask();
  REQUIRE((mask.array() == 0.0f).any());
  REQUIRE((mask.array() != 0.0f).any());
  const Matrix analytic = layer.backward(arena, r);
  test::check_gradient(analytic, test::central_differences(x, forward, 1e-2f));
  CHECK(layer.mask() == mask);
}
