#include "runtime/schedule/inverse_time.hpp"

#include <catch2/catch.hpp>

#include "runtime/error.hpp"
#include "schedule_fixture.hpp"

using Catch::Matchers::WithinRel;
using regimen::InvalidArgument;
using regimen::schedule::inverse_time;

TEST_CASE("inverse_time: matches Keras' InverseTimeDecay formula", "[schedule]") {
  const std::string name = GENERATE(as<std::string>{}, "inverse_time_smooth", "inverse_time_staircase");
  const auto f = regimen::test::load_schedule_fixture(name);
  const auto s = inverse_time(f.options.at("lr"), f.options.at("decay_rate"), f.options.at("decay_steps"),
                              f.options.at("staircase"));
  regimen::test::check_curve(name, f, [&](double t) { return (*s)(t); });
}

TEST_CASE("inverse_time: halves at decay_steps / decay_rate, staircase in whole periods", "[schedule]") {
  const auto smooth = inverse_time(1.0, 0.5, 10);
  CHECK((*smooth)(0) == 1.0);
  CHECK_THAT((*smooth)(20), WithinRel(0.5, 1e-15));
  CHECK_THAT((*smooth)(5), WithinRel(1 / 1.25, 1e-15));
  const auto stairs = inverse_time(1.0, 0.5, 10, true);
  CHECK((*stairs)(9.99) == 1.0);
  CHECK_THAT((*stairs)(10), WithinRel(1 / 1.5, 1e-15));
  CHECK_THAT((*stairs)(29), WithinRel(0.5, 1e-15));
}

TEST_CASE("inverse_time: describes itself and rejects bad options", "[schedule]") {
  CHECK(inverse_time(0.1, 0.5, 100)->describe() ==
        "inverse_time(lr=0.1, decay_rate=0.5, decay_steps=100, staircase=false)");
  CHECK_THROWS_MATCHES(inverse_time(0.1, -1, 10), InvalidArgument,
                       Catch::Message("decay_rate must be >= 0, got -1"));
  CHECK_THROWS_MATCHES(inverse_time(0.1, 0.5, 0), InvalidArgument,
                       Catch::Message("decay_steps must be > 0, got 0"));
}
