// Durations in the user's units: parsing, and conversion to steps (or epochs) of a known run
// at every boundary, with the rounding the header promises.
#include "runtime/schedule/duration.hpp"

#include <string>

#include <catch2/catch.hpp>

#include "runtime/error.hpp"

using regimen::InvalidArgument;
using regimen::schedule::Duration;
using regimen::schedule::RunLength;

TEST_CASE("Duration: parses steps, epochs and percentages", "[schedule]") {
  const auto [text, amount, unit] = GENERATE(table<std::string, double, Duration::Unit>({
      {"5 epochs", 5.0, Duration::Unit::epochs},
      {"1 epoch", 1.0, Duration::Unit::epochs},
      {"2.5epochs", 2.5, Duration::Unit::epochs},
      {"  300 steps ", 300.0, Duration::Unit::steps},
      {"1 step", 1.0, Duration::Unit::steps},
      {"10%", 10.0, Duration::Unit::percent},
      {"12.5 %", 12.5, Duration::Unit::percent},
      {"1e2 steps", 100.0, Duration::Unit::steps},
      {"0 epochs", 0.0, Duration::Unit::epochs},
  }));
  INFO(text);
  const Duration d = Duration::parse(text);
  CHECK(d.amount() == amount);
  CHECK(d.unit() == unit);
  CHECK(d.text() == text);
}

TEST_CASE("Duration: a malformed string names itself and the option", "[schedule]") {
  const std::string text = GENERATE("5 epoch s", "epochs", "5", "five epochs", "-1 epochs", "5 weeks", "%", "",
                                    "1e999 steps", "5 epochs 2");
  INFO(text);
  CHECK_THROWS_MATCHES(Duration::parse(text, "T_max"), InvalidArgument,
                       Catch::Message("bad duration '" + text +
                                      "' for T_max (write a number of steps, or a string such as '5 epochs', "
                                      "'200 steps' or '10%')"));
  CHECK_THROWS_WITH(Duration::parse(text), Catch::StartsWith("bad duration '" + text + "' (write"));
}

TEST_CASE("Duration: steps of a run, rounded to whole steps", "[schedule]") {
  // 235 samples, batch 32 -> 8 batches; accumulate 1; 30 epochs -> 240 steps.
  const RunLength run = RunLength::uniform(8, 30);
  const auto [text, steps] = GENERATE(table<std::string, double>({
      {"5 epochs", 40},
      {"1 epoch", 8},
      {"0 epochs", 0},
      {"30 epochs", 240},
      {"31 epochs", 248},  // past the end: more epochs of the same length
      {"2.5 epochs", 20},
      {"2.3 epochs", 18},  // 18.4
      {"10%", 24},
      {"100%", 240},
      {"12.5%", 30},
      {"1%", 2},  // 2.4
      {"17 steps", 17},
      {"17.5 steps", 18},
  }));
  INFO(text);
  CHECK(Duration::parse(text).steps(run) == steps);
}

TEST_CASE("Duration: epochs of a run, for schedules counted in epochs", "[schedule]") {
  const RunLength run = RunLength::uniform(8, 30);
  const auto [text, epochs] = GENERATE(table<std::string, double>({
      {"5 epochs", 5},
      {"2.5 epochs", 3},  // half away from zero
      {"10%", 3},
      {"50%", 15},
      {"5%", 2},  // 1.5
      {"7 steps", 0},
      {"8 steps", 1},
      {"100 steps", 12},
  }));
  INFO(text);
  CHECK(Duration::parse(text).epochs(run) == epochs);
}

TEST_CASE("Duration: epochs of unequal length (a scheduled batch size)", "[schedule]") {
  const RunLength run = RunLength::of_epochs({10, 10, 5, 5}, 10);  // 30 steps
  CHECK(Duration::parse("2 epochs").steps(run) == 20);
  CHECK(Duration::parse("3 epochs").steps(run) == 25);
  CHECK(Duration::parse("5 epochs").steps(run) == 35);  // continues at the last epoch's length
  CHECK(Duration::parse("50%").steps(run) == 15);
  CHECK(Duration::parse("24 steps").epochs(run) == 2);
}
