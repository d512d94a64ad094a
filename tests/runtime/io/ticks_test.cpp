// Nice ticks on known ranges: steps of 1, 2 or 5 x 10^k whose interval count is closest to the
// target (worked out by hand in each comment), and labels that tell neighbours apart.
#include <catch2/catch.hpp>

#include <vector>

#include "runtime/io/ticks.hpp"

using regimen::io::exact_axis;
using regimen::io::format_short;
using regimen::io::format_tick;
using regimen::io::nice_axis;
using regimen::io::nice_step;
using regimen::io::ticks_within;

namespace {

void check_ticks(const std::vector<double>& got, const std::vector<double>& want) {
  REQUIRE(got.size() == want.size());
  for (std::size_t i = 0; i < want.size(); ++i) {
    INFO("tick " << i);
    if (want[i] == 0.0) {
      CHECK(got[i] == 0.0);
    } else {
      CHECK_THAT(got[i], Catch::Matchers::WithinRel(want[i], 1e-12));
    }
  }
}

}  // namespace

TEST_CASE("Ticks: nice_step picks the 1-2-5 step closest to the interval count", "[io]") {
  // 1e-3 / 5 = 2e-4 exactly.
  CHECK_THAT(nice_step(1e-3, 5), Catch::Matchers::WithinRel(2e-4, 1e-12));
  // 12660 / 6 = 2110: 1000 gives 12.7 intervals, 2000 gives 6.3, 5000 gives 2.5 -> 2000.
  CHECK(nice_step(12660, 6) == 2000.0);
  // 0.1 / 4 = 0.025: 0.02 gives 5 intervals, 0.05 gives 2 -> 0.02.
  CHECK_THAT(nice_step(0.1, 4), Catch::Matchers::WithinRel(0.02, 1e-12));
  // 150 / 8 = 18.75: 10 gives 15, 20 gives 7.5 -> 20.
  CHECK(nice_step(150, 8) == 20.0);
  // 7 / 7 = 1 exactly.
  CHECK(nice_step(7, 7) == 1.0);
}

TEST_CASE("Ticks: ticks_within lists the multiples of the step inside the range", "[io]") {
  check_ticks(ticks_within(0, 1e-3, 2e-4), {0, 2e-4, 4e-4, 6e-4, 8e-4, 1e-3});
  check_ticks(ticks_within(0, 12660, 2000), {0, 2000, 4000, 6000, 8000, 10000, 12000});
  // 0.1 * 3 is 0.30000000000000004 in double; the tick is the double nearest 0.3.
  const auto tenths = ticks_within(0.25, 0.65, 0.1);
  REQUIRE(tenths.size() == 4);
  CHECK(tenths[0] == 0.3);
  CHECK(tenths[3] == 0.6);
  // Negative ranges; no "-0".
  check_ticks(ticks_within(-1, 1, 0.5), {-1, -0.5, 0, 0.5, 1});
}

TEST_CASE("Ticks: nice_axis widens the data range out to the nearest ticks", "[io]") {
  // momentum between 0.85 and 0.95: span 0.1, 4 intervals -> step 0.02 (5 intervals).
  const auto momentum = nice_axis(0.85, 0.95, 4);
  CHECK_THAT(momentum.step, Catch::Matchers::WithinRel(0.02, 1e-12));
  CHECK_THAT(momentum.lo, Catch::Matchers::WithinRel(0.84, 1e-12));
  CHECK_THAT(momentum.hi, Catch::Matchers::WithinRel(0.96, 1e-12));
  CHECK(momentum.ticks.size() == 7);
  // lr from 1e-3 down to 0: exactly [0, 1e-3] with step 2e-4 (5 intervals, target 4: 1e-4
  // gives 10, 5e-4 gives 2; 2e-4 is closest).
  const auto lr = nice_axis(0, 1e-3, 4);
  CHECK(lr.lo == 0.0);
  CHECK_THAT(lr.hi, Catch::Matchers::WithinRel(1e-3, 1e-12));
  CHECK(lr.ticks.size() == 6);
}

TEST_CASE("Ticks: a constant gets an axis around it", "[io]") {
  // 0.05 alone: [0.025, 0.075], span 0.05 / 4 -> 0.01 (5 intervals) -> [0.02, 0.08].
  const auto constant = nice_axis(0.05, 0.05, 4);
  CHECK(constant.lo < 0.05);
  CHECK(constant.hi > 0.05);
  CHECK_THAT(constant.step, Catch::Matchers::WithinRel(0.01, 1e-12));
  const auto zero = nice_axis(0, 0, 4);
  CHECK(zero.lo == -1.0);
  CHECK(zero.hi == 1.0);
}

TEST_CASE("Ticks: exact_axis keeps the ends and puts ticks inside", "[io]") {
  const auto x = exact_axis(0, 150, 8);
  CHECK(x.lo == 0.0);
  CHECK(x.hi == 150.0);
  check_ticks(x.ticks, {0, 20, 40, 60, 80, 100, 120, 140});
}

TEST_CASE("Ticks: labels carry the digits that tell ticks apart", "[io]") {
  CHECK(format_tick(0, 2e-4) == "0");
  CHECK(format_tick(2e-4, 2e-4) == "0.0002");
  CHECK(format_tick(1e-3, 2e-4) == "0.001");
  CHECK(format_tick(0.84, 0.02) == "0.84");
  CHECK(format_tick(0.9, 0.02) == "0.9");
  CHECK(format_tick(1.05, 0.05) == "1.05");
  CHECK(format_tick(12000, 2000) == "12000");
  CHECK(format_tick(1.5e-5, 5e-6) == "1.5e-5");
  CHECK(format_tick(2e7, 1e7) == "2e7");
  CHECK(format_short(0.001) == "0.001");
  CHECK(format_short(12660) == "12660");
  CHECK(format_short(1.23456e-5) == "1.235e-5");
  CHECK(format_short(0.9) == "0.9");
}
