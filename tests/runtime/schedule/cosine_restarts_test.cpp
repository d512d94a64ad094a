#include "runtime/schedule/cosine_restarts.hpp"

#include <cmath>
#include <numbers>

#include <catch2/catch.hpp>

#include "runtime/error.hpp"
#include "schedule_fixture.hpp"

using Catch::Matchers::WithinRel;
using regimen::InvalidArgument;
using regimen::schedule::cosine_restarts;

TEST_CASE("cosine_restarts: matches PyTorch's CosineAnnealingWarmRestarts and Keras' CosineDecayRestarts",
          "[schedule]") {
  const std::string name =
      GENERATE(as<std::string>{}, "cosine_restarts_tmult1", "cosine_restarts_tmult2", "cosine_restarts_tmult3",
               "cosine_restarts_m_mul", "cosine_restarts_m_mul_tmult1");
  const auto f = regimen::test::load_schedule_fixture(name);
  const auto& o = f.options;
  const auto s = cosine_restarts(o.at("lr"), o.at("T_0"), o.at("T_mult"), o.at("eta_min"), o.at("m_mul"));
  regimen::test::check_curve(name, f, [&](double t) { return (*s)(t); });
}

TEST_CASE("cosine_restarts: restarts at lr after T_0, T_0*T_mult, ... steps", "[schedule]") {
  const auto s = cosine_restarts(1.0, 10, 2, 0.0);
  const double restart = GENERATE(0.0, 10.0, 30.0, 70.0, 150.0, 310.0);
  INFO("t=" << restart);
  CHECK((*s)(restart) == 1.0);
  // Half way through cycle i (length 10 * 2^i) the rate is at the midpoint.
  CHECK_THAT((*s)(10 + 10), WithinRel(0.5, 1e-12));
  CHECK_THAT((*s)(30 + 20), WithinRel(0.5, 1e-12));
}

TEST_CASE("cosine_restarts: m_mul scales each cycle's amplitude, not the floor", "[schedule]") {
  const auto s = cosine_restarts(1.0, 10, 1, 0.2, 0.5);
  CHECK((*s)(0) == 1.0);
  CHECK_THAT((*s)(10), WithinRel(0.2 + 0.8 * 0.5, 1e-15));
  CHECK_THAT((*s)(20), WithinRel(0.2 + 0.8 * 0.25, 1e-15));
  CHECK_THAT((*s)(25), WithinRel(0.2 + 0.8 * 0.25 * 0.5, 1e-15));
}

TEST_CASE("cosine_restarts: finds the cycle exactly where Keras' logarithm rounds down", "[schedule]") {
  // T_mult = 1.5: cycle 5 starts at T_0 * (1.5^5 - 1) / 0.5 = 13.1875 * T_0 = 211 for T_0 = 16,
  // where log(1 + 13.1875 * 0.5) / log(1.5) = 4.999999999999999.
  const auto s = cosine_restarts(1.0, 16, 1.5, 0.0, 0.5);
  CHECK_THAT((*s)(211), WithinRel(std::pow(0.5, 5), 1e-15));
  const double just_before = (1 + std::cos(std::numbers::pi * (210 - 16 * 8.125) / (16 * 5.0625))) / 2;
  CHECK_THAT((*s)(210), WithinRel(std::pow(0.5, 4) * just_before, 1e-12));
}

TEST_CASE("cosine_restarts: describes itself and rejects bad options", "[schedule]") {
  CHECK(cosine_restarts(0.1, 10, 2)->describe() == "cosine_restarts(lr=0.1, T_0=10, T_mult=2, eta_min=0, m_mul=1)");
  CHECK_THROWS_MATCHES(cosine_restarts(0.1, 0), InvalidArgument, Catch::Message("T_0 must be > 0, got 0"));
  CHECK_THROWS_MATCHES(cosine_restarts(0.1, 10, 0.5), InvalidArgument, Catch::Message("T_mult must be >= 1, got 0.5"));
  CHECK_THROWS_MATCHES(cosine_restarts(0.1, 10, 1, -1), InvalidArgument,
                       Catch::Message("eta_min must be >= 0, got -1"));
  CHECK_THROWS_MATCHES(cosine_restarts(0.1, 10, 1, 0, -1), InvalidArgument,
                       Catch::Message("m_mul must be >= 0, got -1"));
}
