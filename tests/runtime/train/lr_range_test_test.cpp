#include "runtime/train/lr_range_test.hpp"

#include <catch2/catch.hpp>

#include "runtime/error.hpp"

using Catch::WithinAbs;
using regimen::InvalidArgument;
using regimen::train::analyze_lr_range;
using regimen::train::LrRangeOptions;

namespace {

LrRangeOptions options(double from, double to, int steps, double beta) {
  LrRangeOptions o;
  o.from = from;
  o.to = to;
  o.steps = steps;
  o.beta = beta;
  return o;
}

}  // namespace

TEST_CASE("LR range test: rates grow exponentially from `from` to `to`", "[train]") {
  const LrRangeOptions o = options(1e-6, 1.0, 7, 0.98);
  CHECK_THAT(o.lr_at(0), WithinAbs(1e-6, 1e-18));
  CHECK_THAT(o.lr_at(3), WithinAbs(1e-3, 1e-15));
  CHECK_THAT(o.lr_at(6), WithinAbs(1.0, 1e-12));
}

TEST_CASE("LR range test: the curve ends where the loss diverges, suggestions by hand", "[train]") {
  // beta 0: smoothed = loss. Rates 1, 2, 4, 8, 16; losses 4, 2, 1, 0.9, then 5 > 4 x 0.9 ends it.
  // Slopes of log(loss) per log(lr): log(1/2)/log 2 = -1, -1, log(0.9)/log 2 = -0.15: the first
  // steepest is at lr 2; the minimum at lr 8.
  const auto curve = analyze_lr_range({4, 2, 1, 0.9, 5}, options(1, 16, 5, 0.0));
  CHECK(curve.diverged);
  REQUIRE(curve.lrs.size() == 4);
  CHECK(curve.steepest_lr == 2.0);
  CHECK(curve.min_lr == 8.0);
}

TEST_CASE("LR range test: the moving average is debiased", "[train]") {
  // beta 0.5: a1 = 0.5, smoothed 0.5 / (1 - 0.5) = 1; a2 = 0.25 + 1.5 = 1.75, smoothed 1.75 / 0.75.
  const auto curve = analyze_lr_range({1, 3}, options(1, 2, 2, 0.5));
  REQUIRE(curve.smoothed.size() == 2);
  CHECK_THAT(curve.smoothed[0], WithinAbs(1.0, 1e-12));
  CHECK_THAT(curve.smoothed[1], WithinAbs(1.75 / 0.75, 1e-12));
  CHECK_FALSE(curve.diverged);  // 2.33 < 4 x 1
}

TEST_CASE("LR range test: bad options are refused", "[train]") {
  CHECK_THROWS_AS(options(0, 1, 10, 0.9).check(), InvalidArgument);
  CHECK_THROWS_AS(options(1, 1, 10, 0.9).check(), InvalidArgument);
  CHECK_THROWS_AS(options(1e-3, 1, 1, 0.9).check(), InvalidArgument);
  CHECK_THROWS_AS(options(1e-3, 1, 10, 1.0).check(), InvalidArgument);
}
