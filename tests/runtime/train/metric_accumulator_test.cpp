#include "runtime/train/metric_accumulator.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <iomanip>
#include <string>
#include <vector>

#include "runtime/error.hpp"
#include "runtime/loss/loss_fixture.hpp"

using Catch::Matchers::Message;
using Catch::Matchers::WithinRel;
using regimen::Index;
using regimen::InvalidArgument;
using regimen::Matrix;
using regimen::loss::Task;
using regimen::train::MetricAccumulator;
using regimen::train::Metrics;
namespace test = regimen::test;

namespace {

double metric(const MetricAccumulator& accumulator, const std::string& name) {
  Metrics metrics;
  accumulator.write(metrics);
  REQUIRE(metrics.get(name).has_value());
  return *metrics.get(name);
}

// Adds rows [begin, end) of (prediction, target) as one batch.
void add_rows(MetricAccumulator& accumulator, const Matrix& p, const Matrix& t, Index begin, Index end) {
  accumulator.add(p.middleRows(begin, end - begin), t.middleRows(begin, end - begin));
}

}  // namespace

TEST_CASE("MetricAccumulator: classification metrics of a hand-made confusion matrix", "[train]") {
  // (true, predicted): (0,0) x3, (0,1), (1,0), (1,1) x2, (1,2); 4 classes, class 3 absent.
  // Accuracy 5/8; precision 17/36, recall 5/12, f1 37/84 (classification_scores_test.cpp derives them).
  const int pairs[8][2] = {{0, 0}, {0, 0}, {0, 0}, {0, 1}, {1, 0}, {1, 1}, {1, 1}, {1, 2}};
  Matrix logits = Matrix::Zero(8, 4);
  Matrix targets(8, 1);
  for (Index i = 0; i < 8; ++i) {
    targets(i, 0) = static_cast<float>(pairs[i][0]);
    logits(i, pairs[i][1]) = 2.0f;
    logits(i, 3) = 1.0f;  // every row's runner-up
  }
  MetricAccumulator accumulator(Task::kClassification, 4, {"accuracy", "precision", "recall", "f1", "top_2_accuracy"});
  add_rows(accumulator, logits, targets, 0, 3);  // two batches: the counts carry over
  add_rows(accumulator, logits, targets, 3, 8);
  CHECK(metric(accumulator, "accuracy") == 5.0 / 8.0);
  CHECK_THAT(metric(accumulator, "precision"), WithinRel(17.0 / 36.0, 1e-15));
  CHECK_THAT(metric(accumulator, "recall"), WithinRel(5.0 / 12.0, 1e-15));
  CHECK_THAT(metric(accumulator, "f1"), WithinRel(37.0 / 84.0, 1e-15));
  // The 3 wrong rows rank their target third (below the prediction's 2 and class 3's 1): top-2
  // accuracy is the 5 right rows only.
  CHECK(metric(accumulator, "top_2_accuracy") == 5.0 / 8.0);
  REQUIRE(accumulator.confusion() != nullptr);
  CHECK(accumulator.confusion()->count(1, 2) == 1);
  CHECK(accumulator.confusion()->total() == 8);
  accumulator.reset();
  CHECK(accumulator.confusion()->total() == 0);
  CHECK(std::isnan(metric(accumulator, "accuracy")));
}

TEST_CASE("MetricAccumulator: classification and binary metrics match the torch fixture", "[train]") {
  const auto fixture = test::load_loss_fixture("metrics");
  int checked = 0;
  for (const auto& c : fixture.at("cases")) {
    const std::string kind = c.at("kind");
    if (kind == "regression") continue;
    const auto shape = c.at("shape").get<std::vector<Index>>();
    const Index rows = shape[0], cols = shape[1];
    const bool binary = kind == "binary";
    const Matrix p = test::fixture_matrix(c.at("prediction"), rows, cols);
    const Matrix t = test::fixture_matrix(c.at("target"), rows, binary ? cols : 1);
    std::vector<std::string> names{"accuracy", "precision", "recall", "f1"};
    if (!binary) names.insert(names.end(), {"top_1_accuracy", "top_2_accuracy", "top_3_accuracy"});
    MetricAccumulator accumulator(binary ? Task::kBinary : Task::kClassification, cols, names);
    add_rows(accumulator, p, t, 0, rows / 3);
    add_rows(accumulator, p, t, rows / 3, rows);
    INFO(kind << " " << rows << "x" << cols);
    for (const char* name : {"accuracy", "precision", "recall", "f1"})
      CHECK_THAT(metric(accumulator, name), WithinRel(c.at(name).get<double>(), 1e-12));
    if (!binary) {
      for (const char* k : {"1", "2", "3"})
        CHECK_THAT(metric(accumulator, std::string("top_") + k + "_accuracy"),
                   WithinRel(c.at("top_k_accuracy").at(k).get<double>(), 1e-12));
    }
    if (c.contains("confusion")) {
      REQUIRE(accumulator.confusion() != nullptr);
      CHECK(accumulator.confusion()->rows() == c.at("confusion").get<std::vector<std::vector<std::int64_t>>>());
    } else {
      CHECK(accumulator.confusion() == nullptr);  // multi-label: no single matrix
    }
    ++checked;
  }
  CHECK(checked == 4);
}

TEST_CASE("MetricAccumulator: regression metrics match the torch fixture", "[train]") {
  const auto fixture = test::load_loss_fixture("metrics");
  int checked = 0;
  for (const auto& c : fixture.at("cases")) {
    if (c.at("kind") != "regression") continue;
    const auto shape = c.at("shape").get<std::vector<Index>>();
    const Matrix p = test::fixture_matrix(c.at("prediction"), shape[0], shape[1]);
    const Matrix t = test::fixture_matrix(c.at("target"), shape[0], shape[1]);
    MetricAccumulator accumulator(Task::kRegression, shape[1], {"mse", "mae", "r2"});
    for (Index begin = 0; begin < shape[0]; begin += 5) add_rows(accumulator, p, t, begin, std::min(begin + 5, shape[0]));
    for (const char* name : {"mse", "mae", "r2"})
      CHECK_THAT(metric(accumulator, name), WithinRel(c.at(name).get<double>(), 1e-12));
    CHECK(accumulator.confusion() == nullptr);
    ++checked;
  }
  CHECK(checked == 2);
}

TEST_CASE("MetricAccumulator: r2 does not cancel for targets far from zero", "[train]") {
  // Targets 1e6 + {0, 1, 2, 3}: mean 1e6 + 1.5, SS_tot = 2.25 + 0.25 + 0.25 + 2.25 = 5.
  // Predictions off by 0.5 each: SS_res = 1, so R^2 = 1 - 1/5 = 0.8. A one-pass sum of squares
  // in double would lose about 1e12 * 1e-16 relative of it; Welford's update keeps it.
  Matrix t(4, 1), p(4, 1);
  t << 1e6f, 1e6f + 1, 1e6f + 2, 1e6f + 3;
  p << 1e6f + 0.5f, 1e6f + 0.5f, 1e6f + 2.5f, 1e6f + 2.5f;
  MetricAccumulator accumulator(Task::kRegression, 1, {"r2", "mse", "mae"});
  accumulator.add(p, t);
  CHECK_THAT(metric(accumulator, "r2"), WithinRel(0.8, 1e-12));
  CHECK(metric(accumulator, "mse") == 0.25);
  CHECK(metric(accumulator, "mae") == 0.5);
}

TEST_CASE("MetricAccumulator: a constant target scores r2 as sklearn does", "[train]") {
  // SS_tot = 0: sklearn's r2_score gives 1 for a perfect prediction, else 0 (force_finite).
  MetricAccumulator accumulator(Task::kRegression, 2, {"r2"});
  Matrix t(3, 2), p(3, 2);
  t << 2, 1, 2, 1, 2, 1;
  p << 2, 1, 2, 1, 2, 0;
  accumulator.add(p, t);
  CHECK(metric(accumulator, "r2") == 0.5);  // column 0 exact: 1; column 1 off: 0
}

TEST_CASE("MetricAccumulator: binary accuracy thresholds logits at 0 and targets at 0.5", "[train]") {
  Matrix z(2, 2), y(2, 2);
  z << 0.1f, -2.0f, 0.0f, 3.0f;  // predicted positive: yes, no, no (0 is not > 0), yes
  y << 1.0f, 0.4f, 0.5f, 0.9f;   // positive:           yes, no, yes, yes
  MetricAccumulator accumulator(Task::kBinary, 2, {"accuracy", "recall"});
  accumulator.add(z, y);
  CHECK(metric(accumulator, "accuracy") == 0.75);
  // Column 0: tp 1 of 2 actual, recall 1/2; column 1: tp 1 of 1, recall 1: mean 3/4.
  CHECK(metric(accumulator, "recall") == 0.75);
}

TEST_CASE("MetricAccumulator: rejects a metric the loss cannot report", "[train]") {
  CHECK_THROWS_MATCHES(MetricAccumulator(Task::kRegression, 1, {"accuracy"}), InvalidArgument,
                       Message("metrics: 'accuracy' is not a metric this run can report (accuracy needs a "
                               "classification loss)"));
  CHECK_THROWS_MATCHES(MetricAccumulator(Task::kClassification, 3, {"acc"}), InvalidArgument,
                       Message("metrics: 'acc' is not a metric this run can report"));
}

TEST_CASE("MetricAccumulator: shards' additive counters sum to the whole pass's metrics", "[train]") {
  // The oracle is one accumulator over every row; two shards are merged as data-parallel ranks
  // merge them (sum of additive_counters, then set on each).
  const auto check_merge = [](Task task, Index outputs, const std::vector<std::string>& names, const Matrix& p,
                              const Matrix& t) {
    MetricAccumulator whole(task, outputs, names), first(task, outputs, names), second(task, outputs, names);
    add_rows(whole, p, t, 0, p.rows());
    add_rows(first, p, t, 0, 5);
    add_rows(second, p, t, 5, p.rows());
    std::vector<double> totals = first.additive_counters();
    const std::vector<double> other = second.additive_counters();
    REQUIRE(totals.size() == other.size());
    for (std::size_t i = 0; i < totals.size(); ++i) totals[i] += other[i];
    first.set_additive_counters(totals);
    for (const auto& name : names) {
      INFO(name);
      INFO(std::setprecision(17) << metric(first, name) << " vs " << metric(whole, name));
      // Targets near 100 with a spread of 1: the merged sums of y² lose about 4 digits to
      // cancellation, and this r2 (a mean of +0.08, -0.008, -0.027) 2 more.
      CHECK_THAT(metric(first, name), WithinRel(metric(whole, name), 1e-9));
    }
  };
  Matrix logits(12, 3), classes(12, 1), binary_targets(12, 3), regression_targets(12, 3);
  for (Index i = 0; i < 12; ++i) {
    classes(i, 0) = static_cast<float>((i * 7) % 3);
    for (Index j = 0; j < 3; ++j) {
      logits(i, j) = static_cast<float>(std::sin(1.3 * static_cast<double>(i) + 0.7 * static_cast<double>(j)));
      binary_targets(i, j) = static_cast<float>((i + j) % 2);
      regression_targets(i, j) = 100.0f + static_cast<float>(std::cos(0.9 * static_cast<double>(i * (j + 1))));
    }
  }
  check_merge(Task::kClassification, 3, {"accuracy", "precision", "recall", "f1", "top_2_accuracy"}, logits, classes);
  check_merge(Task::kBinary, 3, {"accuracy", "precision", "recall", "f1"}, logits, binary_targets);
  Matrix predictions = regression_targets;
  predictions.array() += logits.array();
  check_merge(Task::kRegression, 3, {"mse", "mae", "r2"}, predictions, regression_targets);
}
