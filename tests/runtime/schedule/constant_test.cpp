#include "runtime/schedule/constant.hpp"

#include <catch2/catch.hpp>

#include "runtime/error.hpp"

using regimen::InvalidArgument;
using regimen::schedule::constant;

TEST_CASE("constant: is lr at every step", "[schedule]") {
  const auto s = constant(0.001);
  const double t = GENERATE(0.0, 1.0, 0.5, 1e9);
  CHECK((*s)(t) == 0.001);
}

TEST_CASE("constant: describes itself", "[schedule]") {
  CHECK(constant(0.001)->describe() == "constant(lr=0.001)");
  CHECK(constant(0)->describe() == "constant(lr=0)");
}

TEST_CASE("constant: rejects a negative or non-finite lr", "[schedule]") {
  CHECK_THROWS_MATCHES(constant(-1), InvalidArgument, Catch::Message("lr must be >= 0, got -1"));
  CHECK_THROWS_MATCHES(constant(std::numeric_limits<double>::quiet_NaN()), InvalidArgument,
                       Catch::Message("lr must be finite, got nan"));
}
