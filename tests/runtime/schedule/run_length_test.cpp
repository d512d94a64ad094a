// RunLength: steps at an epoch and the epoch of a step, at every boundary.
#include "runtime/schedule/run_length.hpp"

#include <catch2/catch.hpp>

#include "runtime/error.hpp"

using regimen::InvalidArgument;
using regimen::schedule::RunLength;

TEST_CASE("RunLength: a uniform run", "[schedule]") {
  const RunLength run = RunLength::uniform(5, 4);
  CHECK(run.epochs() == 4);
  CHECK(run.steps_per_epoch() == 5);
  CHECK(run.total_steps() == 20);
  const auto [t, epoch] = GENERATE(table<double, double>(
      {{0, 0}, {4, 0}, {4.5, 0}, {5, 1}, {9, 1}, {10, 2}, {19, 3}, {20, 4}, {24, 4}, {25, 5}}));
  INFO("t=" << t);
  CHECK(run.epoch_at(t) == epoch);
  CHECK(run.steps_at_epoch(2) == 10);
  CHECK(run.steps_at_epoch(2.5) == 12.5);
  CHECK(run.steps_at_epoch(6) == 30);
}

TEST_CASE("RunLength: epochs of different lengths", "[schedule]") {
  const RunLength run = RunLength::of_epochs({4, 2, 2}, 4);
  CHECK(run.total_steps() == 8);
  CHECK(run.steps_per_epoch() == 4);
  CHECK(run.epoch_at(3) == 0);
  CHECK(run.epoch_at(4) == 1);
  CHECK(run.epoch_at(5) == 1);
  CHECK(run.epoch_at(6) == 2);
  CHECK(run.epoch_at(8) == 3);
  CHECK(run.epoch_at(10) == 4);
  CHECK(run.steps_at_epoch(1.5) == 5);
  CHECK(run.in_epochs() == RunLength::uniform(1, 3));
}

TEST_CASE("RunLength: a run of no epochs keeps its epoch length", "[schedule]") {
  const RunLength run = RunLength::uniform(7, 0);
  CHECK(run.total_steps() == 0);
  CHECK(run.steps_per_epoch() == 7);
  CHECK(run.steps_at_epoch(2) == 14);
  CHECK(run.epoch_at(13) == 1);
  CHECK_THROWS_AS(RunLength::uniform(0, 3), InvalidArgument);
  CHECK_THROWS_AS(RunLength::uniform(5, -1), InvalidArgument);
}
