#include "runtime/schedule/warmup.hpp"

#include <catch2/catch.hpp>

#include "runtime/error.hpp"
#include "runtime/schedule/constant.hpp"
#include "runtime/schedule/cosine.hpp"
#include "runtime/schedule/plateau.hpp"
#include "schedule_fixture.hpp"

using Catch::Matchers::WithinAbs;
using Catch::Matchers::WithinRel;
using regimen::InvalidArgument;
using namespace regimen::schedule;

TEST_CASE("warmup: equals PyTorch's SequentialLR of LinearLR then CosineAnnealingLR", "[schedule]") {
  // join_warmup_cosine ramps from 0.1 * lr to lr over 20 steps, then anneals over 280.
  const auto f = regimen::test::load_schedule_fixture("join_warmup_cosine");
  const auto s = warmup(20, 0.01, cosine(0.1, 280, 0.001));
  regimen::test::check_curve("join_warmup_cosine", f, [&](double t) { return (*s)(t); });
}

TEST_CASE("warmup: ramps linearly from `from` to into(0), then runs into from its start", "[schedule]") {
  const auto s = warmup(10, 0.0, cosine(1.0, 100));
  const auto [t, expected] = GENERATE(table<double, double>({
      {0, 0}, {5, 0.5}, {9, 0.9}, {10, 1.0}, {60, 0.5}, {110, 0.0},
  }));
  INFO("t=" << t);
  CHECK_THAT((*s)(t), WithinAbs(expected, 1e-15));
}

TEST_CASE("warmup: zero steps is the schedule itself", "[schedule]") {
  const auto inner = cosine(1.0, 100);
  const auto s = warmup(0, 0.5, inner);
  for (double t : {0.0, 1.0, 50.0}) CHECK((*s)(t) == (*inner)(t));
}

TEST_CASE("warmup: ramps towards a plateau's current rate and exposes its feedback", "[schedule]") {
  PlateauOptions o;
  o.lr = 1.0;
  o.patience = 0;
  auto state = std::make_shared<Plateau>(o);
  const auto s = warmup(10, 0.0, plateau(state));
  CHECK(feedback_of(s).size() == 1);
  state->observe(1.0);
  state->observe(2.0);  // worse: patience 0 reduces at once
  CHECK_THAT((*s)(5), WithinRel(0.05, 1e-15));
}

TEST_CASE("warmup: describes itself and rejects bad options", "[schedule]") {
  CHECK(warmup(100, 0, constant(0.1))->describe() == "warmup(steps=100, from=0, into=constant(lr=0.1))");
  CHECK_THROWS_MATCHES(warmup(-1, 0, constant(0.1)), InvalidArgument, Catch::Message("steps must be >= 0, got -1"));
  CHECK_THROWS_MATCHES(warmup(10, -1, constant(0.1)), InvalidArgument, Catch::Message("from must be >= 0, got -1"));
  CHECK_THROWS_MATCHES(warmup(10, 0, nullptr), InvalidArgument, Catch::Message("into must be a schedule, got nothing"));
}
