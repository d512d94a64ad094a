#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <sstream>

#include "runtime/train/loss_trace.hpp"

using Catch::Matchers::WithinRel;
using regimen::train::LossTraceRecorder;
using regimen::train::Metrics;
using regimen::train::StepEnd;

namespace {

void step(LossTraceRecorder& recorder, int epoch, std::int64_t n, double loss) {
  StepEnd end;
  end.epoch = epoch;
  end.step = n;
  end.loss = loss;
  recorder.on_step_end(end);
}

Metrics loss_metrics(double loss) {
  Metrics metrics;
  metrics.set("loss", loss);
  return metrics;
}

}  // namespace

TEST_CASE("LossTrace: keeps the means of the first and last 10 steps of the first epoch", "[train]") {
  LossTraceRecorder recorder;
  for (int i = 1; i <= 25; ++i) step(recorder, 0, i, i);  // losses 1..25
  recorder.on_epoch_end(0, loss_metrics(13.0));
  step(recorder, 1, 26, 100.0);  // later epochs do not change the summary
  const auto& trace = recorder.trace();
  CHECK(trace.first_epoch_steps == 25);
  CHECK_THAT(trace.start, WithinRel(5.5, 1e-12));             // mean of 1..10
  CHECK_THAT(trace.first_epoch_end, WithinRel(20.5, 1e-12));  // mean of 16..25
  CHECK(trace.nonfinite_epoch == -1);
}

TEST_CASE("LossTrace: a short first epoch averages all its steps at both ends", "[train]") {
  LossTraceRecorder recorder;
  for (int i = 1; i <= 4; ++i) step(recorder, 0, i, i);
  recorder.on_epoch_end(0, loss_metrics(2.5));
  CHECK_THAT(recorder.trace().start, WithinRel(2.5, 1e-12));
  CHECK_THAT(recorder.trace().first_epoch_end, WithinRel(2.5, 1e-12));
}

TEST_CASE("LossTrace: a non-finite step loss warns once, at once, and is remembered", "[train]") {
  std::ostringstream warnings;
  LossTraceRecorder recorder(&warnings);
  step(recorder, 0, 1, 2.0);
  step(recorder, 0, 2, std::numeric_limits<double>::quiet_NaN());
  CHECK(warnings.str() ==
        "warning: the loss became NaN at step 2 in epoch 1: the learning rate looks too large (try it 10x lower, a "
        "warmup, or clip.norm)\n");
  step(recorder, 0, 3, std::numeric_limits<double>::infinity());
  recorder.on_epoch_end(0, loss_metrics(2.0));
  CHECK(recorder.trace().nonfinite_epoch == 0);
  CHECK(recorder.trace().nonfinite_step == 2);
  CHECK(warnings.str().find("warning", 1) == std::string::npos);  // still one line
}

TEST_CASE("LossTrace: the mean of the last 10 step losses over 10x the first step's warns once", "[train]") {
  std::ostringstream warnings;
  LossTraceRecorder recorder(&warnings);
  step(recorder, 0, 1, 1.0);
  step(recorder, 0, 2, 15.0);  // one bad batch: the mean of the two is 8, under 10
  CHECK(warnings.str().empty());
  step(recorder, 0, 3, 30.0);  // (1 + 15 + 30) / 3 = 15.33
  CHECK(warnings.str() ==
        "warning: the loss (15.3333 over the last steps) is over 10 times its start (1.0000) at step 3 in epoch 1: the "
        "learning rate looks too large (try it 10x lower, a warmup, or clip.norm)\n");
  step(recorder, 0, 4, 100.0);
  CHECK(warnings.str().find("warning", 1) == std::string::npos);
  CHECK(recorder.trace().first == 1.0);
  CHECK(recorder.trace().blow_up_epoch == 0);  // the first time, for the end-of-run diagnosis
  CHECK(recorder.trace().blow_up_step == 3);
  CHECK_THAT(recorder.trace().blow_up_loss, WithinRel(46.0 / 3.0, 1e-12));
}
