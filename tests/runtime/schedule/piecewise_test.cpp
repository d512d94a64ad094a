#include "runtime/schedule/piecewise.hpp"

#include <catch2/catch.hpp>

#include "runtime/error.hpp"
#include "schedule_fixture.hpp"

using regimen::InvalidArgument;
using regimen::schedule::piecewise;

TEST_CASE("piecewise: matches Keras' PiecewiseConstantDecay formula", "[schedule]") {
  const std::string name = GENERATE(as<std::string>{}, "piecewise", "piecewise_single");
  const auto f = regimen::test::load_schedule_fixture(name);
  const auto s = piecewise(f.options.at("boundaries").get<std::vector<double>>(),
                           f.options.at("values").get<std::vector<double>>());
  regimen::test::check_curve(name, f, [&](double t) { return (*s)(t); });
}

TEST_CASE("piecewise: values[1] while t <= boundaries[1], then the next value", "[schedule]") {
  const auto s = piecewise({10, 20}, {1, 0.5, 0.25});
  const auto [t, expected] = GENERATE(table<double, double>({
      {0, 1}, {10, 1}, {10.5, 0.5}, {11, 0.5}, {20, 0.5}, {20.001, 0.25}, {1e9, 0.25},
  }));
  INFO("t=" << t);
  CHECK((*s)(t) == expected);
}

TEST_CASE("piecewise: describes itself", "[schedule]") {
  CHECK(piecewise({100, 200}, {1, 0.5, 0.1})->describe() ==
        "piecewise(boundaries={100, 200}, values={1, 0.5, 0.1})");
}

TEST_CASE("piecewise: rejects mismatched lengths and unsorted boundaries", "[schedule]") {
  CHECK_THROWS_MATCHES(piecewise({10, 20}, {1, 0.5}), InvalidArgument,
                       Catch::Message("values must have one entry more than boundaries, got 2 values for 2 boundaries"));
  CHECK_THROWS_MATCHES(piecewise({}, {}), InvalidArgument,
                       Catch::Message("values must have one entry more than boundaries, got 0 values for 0 boundaries"));
  CHECK_THROWS_MATCHES(piecewise({20, 10}, {1, 0.5, 0.1}), InvalidArgument,
                       Catch::Message("boundaries must be increasing, got 10 after 20"));
  CHECK_THROWS_MATCHES(piecewise({10, 10}, {1, 0.5, 0.1}), InvalidArgument,
                       Catch::Message("boundaries must be increasing, got 10 after 10"));
  CHECK_THROWS_MATCHES(piecewise({10}, {1, -0.5}), InvalidArgument,
                       Catch::Message("values[2] must be >= 0, got -0.5"));
  CHECK((*piecewise({}, {0.3}))(5) == 0.3);
}
