#include "runtime/schedule/arithmetic.hpp"

#include <limits>

#include <catch2/catch.hpp>

#include "runtime/error.hpp"
#include "runtime/schedule/constant.hpp"
#include "runtime/schedule/feedback.hpp"
#include "runtime/schedule/linear.hpp"
#include "runtime/schedule/plateau.hpp"

using Catch::Matchers::WithinRel;
using regimen::InvalidArgument;
using namespace regimen::schedule;

TEST_CASE("arithmetic: scaled multiplies every value", "[schedule]") {
  const auto s = scaled(linear(0, 1, 10), 0.5);
  CHECK((*s)(4) == 0.2);
  CHECK((*s)(20) == 0.5);
  CHECK(s->describe() == "scaled(linear(from=0, to=1, steps=10), 0.5)");
}

TEST_CASE("arithmetic: sum adds two schedules", "[schedule]") {
  const auto s = sum(linear(0, 1, 10), constant(0.25));
  CHECK_THAT((*s)(2), WithinRel(0.45, 1e-15));
  CHECK(s->describe() == "sum(linear(from=0, to=1, steps=10), constant(lr=0.25))");
}

TEST_CASE("arithmetic: clamped confines values to [lo, hi]", "[schedule]") {
  const auto s = clamped(linear(0, 1, 10), 0.2, 0.7);
  const auto [t, expected] = GENERATE(table<double, double>({{0, 0.2}, {1, 0.2}, {5, 0.5}, {7, 0.7}, {10, 0.7}}));
  INFO("t=" << t);
  CHECK_THAT((*s)(t), WithinRel(expected, 1e-15));
  CHECK(s->describe() == "clamp(linear(from=0, to=1, steps=10), lo=0.2, hi=0.7)");
  const auto floor_only = clamped(linear(0, 1, 10), 0.3, std::numeric_limits<double>::infinity());
  CHECK((*floor_only)(10) == 1.0);
  CHECK((*floor_only)(0) == 0.3);
}

TEST_CASE("arithmetic: forwards feedback of what it wraps", "[schedule]") {
  PlateauOptions o;
  o.lr = 1;
  const auto p = plateau(o);
  CHECK(feedback_of(scaled(p, 2)).size() == 1);
  CHECK(feedback_of(sum(constant(1), p)).size() == 1);
  CHECK(feedback_of(clamped(p, 0, 1)).size() == 1);
}

TEST_CASE("arithmetic: rejects bad factors and bounds", "[schedule]") {
  CHECK_THROWS_MATCHES(scaled(constant(1), -2), InvalidArgument, Catch::Message("factor must be >= 0, got -2"));
  CHECK_THROWS_MATCHES(clamped(constant(1), 0.5, 0.1), InvalidArgument,
                       Catch::Message("hi must be >= lo (0.5), got 0.1"));
  CHECK_THROWS_MATCHES(clamped(constant(1), -1, 0.1), InvalidArgument, Catch::Message("lo must be >= 0, got -1"));
  CHECK_THROWS_MATCHES(sum(nullptr, constant(1)), InvalidArgument, Catch::Message("a must be a schedule, got nothing"));
}
