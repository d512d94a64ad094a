#include "runtime/schedule/polynomial.hpp"

#include <cmath>

#include <catch2/catch.hpp>

#include "runtime/error.hpp"
#include "schedule_fixture.hpp"

using Catch::Matchers::WithinAbs;
using Catch::Matchers::WithinRel;
using regimen::InvalidArgument;
using regimen::schedule::polynomial;

TEST_CASE("polynomial: matches Keras' PolynomialDecay and PyTorch's PolynomialLR", "[schedule]") {
  const std::string name = GENERATE(as<std::string>{}, "polynomial_sqrt", "polynomial_cycle", "polynomial_torch");
  const auto f = regimen::test::load_schedule_fixture(name);
  const auto& o = f.options;
  const auto s = polynomial(o.at("lr"), o.at("total_steps"), o.at("power"), o.at("end_lr"), o.at("cycle"));
  regimen::test::check_curve(name, f, [&](double t) { return (*s)(t); });
}

TEST_CASE("polynomial: reaches end_lr at total_steps and holds it", "[schedule]") {
  const auto s = polynomial(1.0, 10, 2.0, 0.1);
  const auto [t, expected] = GENERATE(table<double, double>({
      {0, 1}, {5, 0.1 + 0.9 * 0.25}, {10, 0.1}, {11, 0.1}, {1e6, 0.1},
  }));
  INFO("t=" << t);
  CHECK_THAT((*s)(t), WithinRel(expected, 1e-15));
}

TEST_CASE("polynomial: with cycle, each period is the next multiple of total_steps", "[schedule]") {
  const auto s = polynomial(1.0, 10, 1.0, 0.0, true);
  CHECK((*s)(0) == 1.0);
  CHECK_THAT((*s)(10), WithinAbs(0.0, 1e-15));    // ends the first period
  CHECK_THAT((*s)(11), WithinRel(1 - 11.0 / 20, 1e-15));  // jumps back up: T = 20
  CHECK_THAT((*s)(20), WithinAbs(0.0, 1e-15));
  CHECK_THAT((*s)(25), WithinRel(1 - 25.0 / 30, 1e-15));
}

TEST_CASE("polynomial: describes itself and rejects bad options", "[schedule]") {
  CHECK(polynomial(0.1, 1000)->describe() == "polynomial(lr=0.1, total_steps=1000, power=1, end_lr=0, cycle=false)");
  CHECK_THROWS_MATCHES(polynomial(0.1, 0), InvalidArgument, Catch::Message("total_steps must be > 0, got 0"));
  CHECK_THROWS_MATCHES(polynomial(0.1, 10, -1), InvalidArgument, Catch::Message("power must be >= 0, got -1"));
  CHECK_THROWS_MATCHES(polynomial(0.1, 10, 1, -0.5), InvalidArgument,
                       Catch::Message("end_lr must be >= 0, got -0.5"));
}
