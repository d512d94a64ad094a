#include "runtime/schedule/exponential.hpp"

#include <catch2/catch.hpp>

#include "runtime/error.hpp"
#include "schedule_fixture.hpp"

using Catch::Matchers::WithinRel;
using regimen::InvalidArgument;
using regimen::schedule::exponential;

TEST_CASE("exponential: matches PyTorch's ExponentialLR", "[schedule]") {
  const auto f = regimen::test::load_schedule_fixture("exponential");
  const auto s = exponential(f.options.at("lr"), f.options.at("gamma"));
  regimen::test::check_curve("exponential", f, [&](double t) { return (*s)(t); });
}

TEST_CASE("exponential: is lr * gamma^t", "[schedule]") {
  const auto s = exponential(2.0, 0.5);
  const auto [t, expected] = GENERATE(table<double, double>({{0, 2}, {1, 1}, {3, 0.25}, {0.5, 1.4142135623730951}}));
  INFO("t=" << t);
  CHECK_THAT((*s)(t), WithinRel(expected, 1e-15));
}

TEST_CASE("exponential: describes itself and rejects bad options", "[schedule]") {
  CHECK(exponential(0.1, 0.99)->describe() == "exponential(lr=0.1, gamma=0.99)");
  CHECK_THROWS_MATCHES(exponential(-0.1, 0.9), InvalidArgument, Catch::Message("lr must be >= 0, got -0.1"));
  CHECK_THROWS_MATCHES(exponential(0.1, 0), InvalidArgument, Catch::Message("gamma must be > 0, got 0"));
}
