#include "runtime/schedule/linear.hpp"

#include <catch2/catch.hpp>

#include "runtime/error.hpp"
#include "schedule_fixture.hpp"

using Catch::Matchers::WithinRel;
using regimen::InvalidArgument;
using regimen::schedule::linear;

TEST_CASE("linear: matches PyTorch's LinearLR", "[schedule]") {
  const std::string name = GENERATE(as<std::string>{}, "linear_up", "linear_down");
  const auto f = regimen::test::load_schedule_fixture(name);
  const auto s = linear(f.options.at("from"), f.options.at("to"), f.options.at("steps"));
  regimen::test::check_curve(name, f, [&](double t) { return (*s)(t); });
}

TEST_CASE("linear: ramps from `from` to `to` over steps, then holds `to` exactly", "[schedule]") {
  const auto s = linear(0.01, 0.1, 9);
  const auto [t, expected] = GENERATE(table<double, double>({{0, 0.01}, {3, 0.04}, {4.5, 0.055}, {9, 0.1}, {1e6, 0.1}}));
  INFO("t=" << t);
  CHECK_THAT((*s)(t), WithinRel(expected, 1e-15));
  CHECK((*s)(9) == 0.1);
  CHECK((*linear(1, 0, 4))(2) == 0.5);
}

TEST_CASE("linear: describes itself and rejects bad options", "[schedule]") {
  CHECK(linear(0, 0.1, 500)->describe() == "linear(from=0, to=0.1, steps=500)");
  CHECK_THROWS_MATCHES(linear(-1, 0.1, 5), InvalidArgument, Catch::Message("from must be >= 0, got -1"));
  CHECK_THROWS_MATCHES(linear(0, -0.1, 5), InvalidArgument, Catch::Message("to must be >= 0, got -0.1"));
  CHECK_THROWS_MATCHES(linear(0, 0.1, 0), InvalidArgument, Catch::Message("steps must be > 0, got 0"));
}
