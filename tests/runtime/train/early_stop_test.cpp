#include "runtime/train/early_stop.hpp"

#include <cmath>
#include <limits>
#include <vector>

#include <catch2/catch.hpp>

#include "runtime/error.hpp"

// Every expectation below is a hand trace of Keras 3's EarlyStopping.on_epoch_end
// (keras/src/callbacks/early_stopping.py) on the same values; each trace is written next to
// its test as "epoch: value -> wait, improved?, best, stop?".

using regimen::InvalidArgument;
using regimen::train::EarlyStop;
using regimen::train::EarlyStopOptions;
using regimen::train::Verdict;

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Feeds values for epochs 0, 1, ... and returns the verdicts, stopping early like a trainer.
std::vector<Verdict> run(EarlyStop& es, const std::vector<double>& values) {
  std::vector<Verdict> verdicts;
  for (std::size_t epoch = 0; epoch < values.size(); ++epoch) {
    verdicts.push_back(es.observe(static_cast<int>(epoch), values[epoch]));
    if (verdicts.back().stop) break;
  }
  return verdicts;
}

std::vector<bool> improved(const std::vector<Verdict>& v) {
  std::vector<bool> out;
  for (const auto& x : v) out.push_back(x.improved);
  return out;
}

EarlyStopOptions with_patience(int patience) {
  EarlyStopOptions o;
  o.patience = patience;
  return o;
}

}  // namespace

TEST_CASE("EarlyStop: stops after patience epochs without improvement", "[train]") {
  // patience 2, val_loss (min):
  //   0: 1.0  -> wait 1, improved (1.0 < inf), best 1.0, wait 0
  //   1: 0.8  -> wait 1, improved, best 0.8, wait 0
  //   2: 0.85 -> wait 1, not improved, 1 < 2
  //   3: 0.9  -> wait 2, not improved, 2 >= 2 and epoch > 0: stop
  EarlyStop es(with_patience(2));
  const auto v = run(es, {1.0, 0.8, 0.85, 0.9, 0.1});
  REQUIRE(v.size() == 4);
  CHECK(improved(v) == std::vector<bool>{true, true, false, false});
  CHECK(v[3].stop);
  CHECK(es.stopped_epoch() == 3);
  CHECK(es.best_epoch() == 1);
  CHECK(es.best_value() == 0.8);
  CHECK(es.wait() == 2);
  CHECK(es.stop_reason() == "early_stop: val_loss did not improve for 2 epochs (best 0.8 at epoch 1)");
}

TEST_CASE("EarlyStop: patience 0 stops at the first epoch that does not improve", "[train]") {
  //   0: 0.5 -> wait 1, improved, wait 0
  //   1: 0.6 -> wait 1, not improved, 1 >= 0: stop
  EarlyStop es;
  const auto v = run(es, {0.5, 0.6, 0.1});
  REQUIRE(v.size() == 2);
  CHECK(v[1].stop);
  CHECK(es.stopped_epoch() == 1);
}

TEST_CASE("EarlyStop: never stops at epoch 0, and a NaN never improves", "[train]") {
  // patience 0:
  //   0: NaN -> wait 1, NaN < inf is false, wait >= 0 but epoch == 0: go on
  //   1: 0.3 -> wait 2, improved, best 0.3, wait 0
  //   2: 0.4 -> wait 1, not improved: stop
  EarlyStop es;
  const auto v = run(es, {kNaN, 0.3, 0.4});
  REQUIRE(v.size() == 3);
  CHECK(improved(v) == std::vector<bool>{false, true, false});
  CHECK_FALSE(v[0].stop);
  CHECK(v[2].stop);
  CHECK(es.best_epoch() == 1);
}

TEST_CASE("EarlyStop: min_delta shifts the value towards worse before comparing", "[train]") {
  // min mode, min_delta 0.1 (so the monitor op compares value + 0.1 < best), patience 2:
  //   0: 1.0  -> wait 1, 1.1 < inf: improved, best 1.0, wait 0
  //   1: 0.95 -> wait 1, 1.05 < 1.0? no
  //   2: 0.85 -> wait 2, 0.95 < 1.0: improved, best 0.85, wait 0 (no stop on an improving epoch)
  //   3: 0.8  -> wait 1, 0.9 < 0.85? no
  //   4: 0.76 -> wait 2, 0.86 < 0.85? no, 2 >= 2: stop
  EarlyStopOptions o = with_patience(2);
  o.min_delta = 0.1;
  EarlyStop es(o);
  const auto v = run(es, {1.0, 0.95, 0.85, 0.8, 0.76});
  REQUIRE(v.size() == 5);
  CHECK(improved(v) == std::vector<bool>{true, false, true, false, false});
  CHECK(v[4].stop);
  CHECK(es.best_value() == 0.85);
  CHECK(es.best_epoch() == 2);
}

TEST_CASE("EarlyStop: mode auto maximizes accuracy, with min_delta subtracted", "[train]") {
  // val_accuracy -> max, min_delta 0.01 (compares value - 0.01 > best), patience 2:
  //   0: 0.5   -> wait 1, 0.49 > -inf: improved, best 0.5, wait 0
  //   1: 0.505 -> wait 1, 0.495 > 0.5? no
  //   2: 0.52  -> wait 2, 0.51 > 0.5: improved, best 0.52, wait 0
  //   3: 0.52  -> wait 1, 0.51 > 0.52? no
  //   4: 0.525 -> wait 2, 0.515 > 0.52? no: stop
  EarlyStopOptions o = with_patience(2);
  o.monitor = "val_accuracy";
  o.min_delta = 0.01;
  EarlyStop es(o);
  CHECK(es.maximize());
  CHECK(es.best_value() == -std::numeric_limits<double>::infinity());
  const auto v = run(es, {0.5, 0.505, 0.52, 0.52, 0.525});
  REQUIRE(v.size() == 5);
  CHECK(improved(v) == std::vector<bool>{true, false, true, false, false});
  CHECK(es.stopped_epoch() == 4);
  CHECK(es.best_value() == 0.52);
}

TEST_CASE("EarlyStop: an improvement that misses the baseline keeps counting", "[train]") {
  // baseline 0.5, patience 2 (min):
  //   0: 0.9  -> wait 1, improved, best 0.9; 0.9 < 0.5? no, wait stays 1; return
  //   1: 0.8  -> wait 2, improved, best 0.8; misses baseline; return (no stop check)
  //   2: 0.7  -> wait 3, improved; return
  //   3: 0.6  -> wait 4, improved; return
  //   4: 0.65 -> wait 5, not improved, 5 >= 2: stop
  EarlyStopOptions o = with_patience(2);
  o.baseline = 0.5;
  EarlyStop es(o);
  const auto v = run(es, {0.9, 0.8, 0.7, 0.6, 0.65});
  REQUIRE(v.size() == 5);
  CHECK(improved(v) == std::vector<bool>{true, true, true, true, false});
  CHECK(es.wait() == 5);
  CHECK(es.stopped_epoch() == 4);
  CHECK(es.best_epoch() == 3);
}

TEST_CASE("EarlyStop: an improvement that beats the baseline resets the count", "[train]") {
  // baseline 0.5, patience 2 (min):
  //   0: 0.9  -> wait 1, improved, misses baseline
  //   1: 0.4  -> wait 2, improved, 0.4 < 0.5: wait 0
  //   2: 0.45 -> wait 1, not improved, 1 < 2
  //   3: 0.46 -> wait 2: stop
  EarlyStopOptions o = with_patience(2);
  o.baseline = 0.5;
  EarlyStop es(o);
  const auto v = run(es, {0.9, 0.4, 0.45, 0.46});
  REQUIRE(v.size() == 4);
  CHECK_FALSE(v[2].stop);
  CHECK(v[3].stop);
  CHECK(es.best_epoch() == 1);
}

TEST_CASE("EarlyStop: epochs before start_from_epoch are ignored", "[train]") {
  // start_from_epoch 3, patience 0:
  //   0..2: ignored (no wait, no best), however bad
  //   3: 1.0 -> wait 1, improved, best 1.0, wait 0
  //   4: 1.5 -> wait 1, not improved: stop
  EarlyStopOptions o;
  o.start_from_epoch = 3;
  EarlyStop es(o);
  const auto v = run(es, {5.0, 6.0, 7.0, 1.0, 1.5});
  REQUIRE(v.size() == 5);
  for (int epoch = 0; epoch < 3; ++epoch) {
    CHECK_FALSE(v[epoch].improved);
    CHECK_FALSE(v[epoch].stop);
  }
  CHECK(v[3].improved);
  CHECK(v[4].stop);
  CHECK(es.best_epoch() == 3);
}

TEST_CASE("EarlyStop: restore_best snapshots the first monitored epoch, then each improvement",
          "[train]") {
  // restore_best, start_from_epoch 1, patience 5:
  //   0: 9.0 -> ignored
  //   1: NaN -> no weights yet: snapshot, best_epoch 1; wait 1, not improved
  //   2: 0.5 -> wait 2, improved: best 0.5, best_epoch 2, snapshot, wait 0
  //   3: 0.6 -> wait 1, not improved: no snapshot
  EarlyStopOptions o = with_patience(5);
  o.restore_best = true;
  o.start_from_epoch = 1;
  EarlyStop es(o);
  CHECK_FALSE(es.should_restore());
  const auto v = run(es, {9.0, kNaN, 0.5, 0.6});
  REQUIRE(v.size() == 4);
  CHECK_FALSE(v[0].snapshot);
  CHECK(v[1].snapshot);
  CHECK_FALSE(v[1].improved);
  CHECK(v[2].snapshot);
  CHECK_FALSE(v[3].snapshot);
  CHECK(es.best_epoch() == 2);
  CHECK(es.should_restore());
}

TEST_CASE("EarlyStop: with an unbeaten baseline, runs patience epochs and keeps their best",
          "[train]") {
  // Keras' documented case. restore_best, baseline 0.1, patience 3:
  //   0: 0.9 -> snapshot (first), wait 1, improved, snapshot, misses baseline
  //   1: 0.5 -> wait 2, improved, best_epoch 1, snapshot, misses baseline
  //   2: 0.7 -> wait 3, not improved, 3 >= 3: stop; restore epoch 1
  EarlyStopOptions o = with_patience(3);
  o.restore_best = true;
  o.baseline = 0.1;
  EarlyStop es(o);
  const auto v = run(es, {0.9, 0.5, 0.7, 0.2});
  REQUIRE(v.size() == 3);
  CHECK(v[0].snapshot);
  CHECK(v[1].snapshot);
  CHECK(v[2].stop);
  CHECK(es.best_epoch() == 1);
  CHECK(es.should_restore());
}

TEST_CASE("EarlyStop: without restore_best nothing is snapshot", "[train]") {
  EarlyStop es;
  const auto v = run(es, {1.0, 0.5});
  CHECK(v[0].improved);
  CHECK_FALSE(v[0].snapshot);
  CHECK_FALSE(v[1].snapshot);
  CHECK_FALSE(es.should_restore());
  CHECK(es.stop_reason().empty());
}

TEST_CASE("EarlyStop: mode auto follows Keras 3's metric directions", "[train]") {
  const auto [monitor, maximize] = GENERATE(table<std::string, bool>({
      {"val_loss", false},
      {"loss", false},
      {"accuracy", true},
      {"val_accuracy", true},
      {"val_sparse_categorical_accuracy", true},
      {"val_auc", true},
      {"val_mean_squared_error", false},
      {"mean_absolute_error", false},
  }));
  EarlyStopOptions o;
  o.monitor = monitor;
  INFO(monitor);
  CHECK(EarlyStop(o).maximize() == maximize);
  o.mode = "min";
  CHECK_FALSE(EarlyStop(o).maximize());
  o.mode = "max";
  CHECK(EarlyStop(o).maximize());
}

TEST_CASE("EarlyStop: describes itself with the resolved mode", "[train]") {
  EarlyStopOptions o = with_patience(3);
  o.baseline = 0.25;
  CHECK(EarlyStop(o).describe() ==
        "early_stop(monitor=val_loss, mode=min, min_delta=0, patience=3, baseline=0.25, "
        "restore_best=false, start_from_epoch=0)");
  CHECK(EarlyStop().describe() ==
        "early_stop(monitor=val_loss, mode=min, min_delta=0, patience=0, baseline=none, "
        "restore_best=false, start_from_epoch=0)");
}

TEST_CASE("EarlyStop: rejects bad options by name", "[train]") {
  auto make = [](auto change) {
    EarlyStopOptions o;
    change(o);
    return EarlyStop(o);
  };
  CHECK_THROWS_MATCHES(make([](EarlyStopOptions& o) { o.patience = -1; }), InvalidArgument,
                       Catch::Message("patience must be >= 0, got -1"));
  CHECK_THROWS_MATCHES(make([](EarlyStopOptions& o) { o.min_delta = -0.1; }), InvalidArgument,
                       Catch::Message("min_delta must be >= 0, got -0.1"));
  CHECK_THROWS_MATCHES(make([](EarlyStopOptions& o) { o.start_from_epoch = -2; }), InvalidArgument,
                       Catch::Message("start_from_epoch must be >= 0, got -2"));
  CHECK_THROWS_MATCHES(make([](EarlyStopOptions& o) { o.baseline = kNaN; }), InvalidArgument,
                       Catch::Message("baseline must be finite, got nan"));
  CHECK_THROWS_MATCHES(make([](EarlyStopOptions& o) { o.mode = "up"; }), InvalidArgument,
                       Catch::Message("mode must be \"auto\", \"min\" or \"max\", got \"up\""));
  CHECK_THROWS_MATCHES(make([](EarlyStopOptions& o) { o.monitor = ""; }), InvalidArgument,
                       Catch::Message("monitor must name a metric, got \"\""));
  CHECK_THROWS_MATCHES(make([](EarlyStopOptions& o) { o.monitor = "val_foo"; }), InvalidArgument,
                       Catch::Message("mode \"auto\" cannot tell whether 'val_foo' should decrease "
                                      "or increase; set mode to \"min\" or \"max\""));
  EarlyStop es;
  CHECK_THROWS_MATCHES(es.observe(-1, 0.5), InvalidArgument,
                       Catch::Message("epoch must be >= 0, got -1"));
}
