#include "runtime/option_check.hpp"

#include <limits>

#include <catch2/catch.hpp>

using regimen::InvalidArgument;
using namespace regimen;

TEST_CASE("format_number: writes the shortest form that reads back exactly", "[core]") {
  const auto [value, text] = GENERATE(table<double, std::string>({
      {0.0, "0"},
      {-1.0, "-1"},
      {100.0, "100"},
      {0.001, "0.001"},
      {1e-4, "0.0001"},
      {1e-8, "1e-08"},
      {0.1 + 0.2, "0.30000000000000004"},
      {4220.0, "4220"},
      {1.5e6, "1500000"},
      {123456789012345.0, "123456789012345"},
      {1e16, "1e+16"},
      {-2.5e-7, "-2.5e-07"},
      {std::numeric_limits<double>::infinity(), "inf"},
  }));
  CHECK(format_number(value) == text);
  CHECK(format_number(std::numeric_limits<double>::quiet_NaN()) == "nan");
}

TEST_CASE("option checks: messages name the option, the rule and the value", "[core]") {
  const double inf = std::numeric_limits<double>::infinity();
  CHECK_THROWS_MATCHES(require_non_negative("lr", -1), InvalidArgument,
                       Catch::Message("lr must be >= 0, got -1"));
  CHECK_THROWS_MATCHES(require_non_negative("lr", inf), InvalidArgument,
                       Catch::Message("lr must be finite, got inf"));
  CHECK_THROWS_MATCHES(require_positive("T_max", 0), InvalidArgument,
                       Catch::Message("T_max must be > 0, got 0"));
  CHECK_THROWS_MATCHES(require_unit_interval("betas[1]", 1), InvalidArgument,
                       Catch::Message("betas[1] must be in [0, 1), got 1"));
  CHECK_NOTHROW(require_non_negative("lr", 0));
  CHECK_NOTHROW(require_positive("T_max", 1e-300));
  CHECK_NOTHROW(require_unit_interval("betas[1]", 0));
}
