#include "runtime/schedule/step.hpp"

#include <catch2/catch.hpp>

#include "runtime/error.hpp"
#include "schedule_fixture.hpp"

using Catch::Matchers::WithinRel;
using regimen::InvalidArgument;
using regimen::schedule::step;

TEST_CASE("step: matches PyTorch's StepLR", "[schedule]") {
  const std::string name = GENERATE(as<std::string>{}, "step_default_gamma", "step_half");
  const auto f = regimen::test::load_schedule_fixture(name);
  const auto s = step(f.options.at("lr"), f.options.at("step_size"), f.options.at("gamma"));
  for (std::size_t i = 0; i < f.t.size(); ++i) {
    INFO(name << " t=" << f.t[i]);
    CHECK_THAT((*s)(f.t[i]), WithinRel(f.values[i], 1e-9));
  }
}

TEST_CASE("step: drops by gamma exactly at each multiple of step_size", "[schedule]") {
  const auto s = step(0.1, 3, 0.5);
  const auto [t, expected] = GENERATE(table<double, double>({
      {0, 0.1}, {2, 0.1}, {2.999, 0.1}, {3, 0.05}, {5, 0.05}, {6, 0.025}, {9, 0.0125},
  }));
  INFO("t=" << t);
  CHECK_THAT((*s)(t), WithinRel(expected, 1e-15));
}

TEST_CASE("step: gamma defaults to 0.1", "[schedule]") {
  const auto s = step(1.0, 10);
  CHECK_THAT((*s)(10), WithinRel(0.1, 1e-15));
  CHECK(s->describe() == "step(lr=1, step_size=10, gamma=0.1)");
}

TEST_CASE("step: rejects bad options by name", "[schedule]") {
  CHECK_THROWS_MATCHES(step(-1, 3), InvalidArgument, Catch::Message("lr must be >= 0, got -1"));
  CHECK_THROWS_MATCHES(step(0.1, 0), InvalidArgument, Catch::Message("step_size must be > 0, got 0"));
  CHECK_THROWS_MATCHES(step(0.1, -2), InvalidArgument, Catch::Message("step_size must be > 0, got -2"));
  CHECK_THROWS_MATCHES(step(0.1, 3, 0), InvalidArgument, Catch::Message("gamma must be > 0, got 0"));
  CHECK_THROWS_MATCHES(step(0.1, 3, -0.5), InvalidArgument,
                       Catch::Message("gamma must be > 0, got -0.5"));
}
