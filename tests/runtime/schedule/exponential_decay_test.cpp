#include "runtime/schedule/exponential_decay.hpp"

#include <cmath>

#include <catch2/catch.hpp>

#include "runtime/error.hpp"
#include "schedule_fixture.hpp"

using Catch::Matchers::WithinRel;
using regimen::InvalidArgument;
using regimen::schedule::exponential_decay;

TEST_CASE("exponential_decay: matches Keras' ExponentialDecay formula", "[schedule]") {
  const std::string name =
      GENERATE(as<std::string>{}, "exponential_decay_smooth", "exponential_decay_staircase");
  const auto f = regimen::test::load_schedule_fixture(name);
  const auto s = exponential_decay(f.options.at("lr"), f.options.at("decay_rate"),
                                   f.options.at("decay_steps"), f.options.at("staircase"));
  for (std::size_t i = 0; i < f.t.size(); ++i) {
    INFO(name << " t=" << f.t[i]);
    CHECK_THAT((*s)(f.t[i]), WithinRel(f.values[i], 1e-9));
  }
}

TEST_CASE("exponential_decay: staircase holds each level for decay_steps steps", "[schedule]") {
  const auto s = exponential_decay(0.1, 0.5, 4, true);
  const auto [t, expected] = GENERATE(table<double, double>({
      {0, 0.1}, {3, 0.1}, {3.999, 0.1}, {4, 0.05}, {7, 0.05}, {8, 0.025},
  }));
  INFO("t=" << t);
  CHECK_THAT((*s)(t), WithinRel(expected, 1e-15));
}

TEST_CASE("exponential_decay: decays smoothly without staircase", "[schedule]") {
  const auto s = exponential_decay(0.1, 0.5, 4);
  CHECK((*s)(0) == 0.1);
  CHECK_THAT((*s)(2), WithinRel(0.1 * std::sqrt(0.5), 1e-15));
  CHECK_THAT((*s)(4), WithinRel(0.05, 1e-15));
  CHECK_THAT((*s)(12), WithinRel(0.0125, 1e-15));
}

TEST_CASE("exponential_decay: describes itself", "[schedule]") {
  CHECK(exponential_decay(0.1, 0.96, 1000)->describe() ==
        "exponential_decay(lr=0.1, decay_rate=0.96, decay_steps=1000, staircase=false)");
  CHECK(exponential_decay(0.1, 0.96, 1000, true)->describe() ==
        "exponential_decay(lr=0.1, decay_rate=0.96, decay_steps=1000, staircase=true)");
}

TEST_CASE("exponential_decay: rejects bad options by name", "[schedule]") {
  CHECK_THROWS_MATCHES(exponential_decay(-1, 0.5, 4), InvalidArgument,
                       Catch::Message("lr must be >= 0, got -1"));
  CHECK_THROWS_MATCHES(exponential_decay(0.1, 0, 4), InvalidArgument,
                       Catch::Message("decay_rate must be > 0, got 0"));
  CHECK_THROWS_MATCHES(exponential_decay(0.1, 0.5, 0), InvalidArgument,
                       Catch::Message("decay_steps must be > 0, got 0"));
}
