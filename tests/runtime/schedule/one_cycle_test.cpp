#include "runtime/schedule/one_cycle.hpp"

#include <catch2/catch.hpp>

#include "runtime/error.hpp"
#include "schedule_fixture.hpp"

using Catch::Matchers::WithinRel;
using regimen::InvalidArgument;
using regimen::schedule::one_cycle;
using regimen::schedule::OneCycleOptions;

namespace {

OneCycleOptions options_of(const nlohmann::json& j) {
  OneCycleOptions o;
  o.max_lr = j.at("max_lr");
  o.total_steps = j.at("total_steps");
  o.pct_start = j.at("pct_start");
  o.anneal = j.at("anneal");
  o.div_factor = j.at("div_factor");
  o.final_div_factor = j.at("final_div_factor");
  o.three_phase = j.at("three_phase");
  return o;
}

OneCycleOptions simple(double max_lr, double total_steps) {
  OneCycleOptions o;
  o.max_lr = max_lr;
  o.total_steps = total_steps;
  return o;
}

}  // namespace

TEST_CASE("one_cycle: matches PyTorch's OneCycleLR", "[schedule]") {
  const std::string name =
      GENERATE(as<std::string>{}, "one_cycle_cos", "one_cycle_linear", "one_cycle_three_phase", "one_cycle_short");
  const auto f = regimen::test::load_schedule_fixture(name);
  const auto s = one_cycle(options_of(f.options));
  regimen::test::check_curve(name, f, [&](double t) { return (*s)(t); });
}

TEST_CASE("one_cycle: starts at max_lr/div_factor, peaks at max_lr, ends at the minimum", "[schedule]") {
  OneCycleOptions o = simple(1.0, 101);
  o.pct_start = 0.5;
  o.anneal = "linear";
  o.div_factor = 10;
  o.final_div_factor = 100;
  const auto s = one_cycle(o);
  // Phase 1 ends at 0.5 * 101 - 1 = 49.5, so t = 50 is already past the peak.
  CHECK((*s)(0) == 0.1);
  CHECK_THAT((*s)(49.5), WithinRel(1.0, 1e-15));
  CHECK_THAT((*s)(100), WithinRel(0.001, 1e-12));
}

TEST_CASE("one_cycle: holds the final rate past total_steps - 1", "[schedule]") {
  const auto s = one_cycle(simple(0.1, 50));
  const double end = (*s)(49);
  CHECK_THAT(end, WithinRel(0.1 / 25 / 1e4, 1e-9));
  CHECK((*s)(50) == end);
  CHECK((*s)(1e6) == end);
}

TEST_CASE("one_cycle: describes itself", "[schedule]") {
  CHECK(one_cycle(simple(0.1, 1000))->describe() ==
        "one_cycle(max_lr=0.1, total_steps=1000, pct_start=0.3, anneal=cos, div_factor=25, "
        "final_div_factor=10000, three_phase=false)");
}

TEST_CASE("one_cycle: rejects bad options by name", "[schedule]") {
  CHECK_THROWS_MATCHES(one_cycle(simple(0.1, 0)), InvalidArgument, Catch::Message("total_steps must be > 0, got 0"));
  CHECK_THROWS_MATCHES(one_cycle(simple(0.1, 10.5)), InvalidArgument,
                       Catch::Message("total_steps must be a whole number, got 10.5"));
  CHECK_THROWS_MATCHES(one_cycle(simple(-1, 10)), InvalidArgument, Catch::Message("max_lr must be >= 0, got -1"));
  OneCycleOptions o = simple(0.1, 100);
  o.anneal = "cosine";
  CHECK_THROWS_MATCHES(one_cycle(o), InvalidArgument,
                       Catch::Message("anneal must be one of 'cos', 'linear', got 'cosine'"));
  o = simple(0.1, 100);
  o.pct_start = 1.5;
  CHECK_THROWS_MATCHES(one_cycle(o), InvalidArgument, Catch::Message("pct_start must be in [0, 1], got 1.5"));
  o.pct_start = 0.6;
  o.three_phase = true;
  CHECK_THROWS_MATCHES(one_cycle(o), InvalidArgument,
                       Catch::Message("pct_start must be <= 0.5 with three_phase, got 0.6"));
  o = simple(0.1, 100);
  o.div_factor = 0;
  CHECK_THROWS_MATCHES(one_cycle(o), InvalidArgument, Catch::Message("div_factor must be > 0, got 0"));
}
