#include "runtime/train/metric_catalog.hpp"

#include <catch2/catch.hpp>

using regimen::loss::Task;
using namespace regimen::train;

TEST_CASE("metric_catalog: names the metrics of each kind of loss", "[train]") {
  CHECK(default_metrics(Task::kClassification) == std::vector<std::string>{"accuracy"});
  CHECK(default_metrics(Task::kBinary) == std::vector<std::string>{"accuracy"});
  CHECK(default_metrics(Task::kRegression).empty());
  CHECK(metric_available("f1", Task::kClassification));
  CHECK(metric_available("top_3_accuracy", Task::kClassification));
  CHECK(metric_available("precision", Task::kBinary));
  CHECK(metric_available("r2", Task::kRegression));
  CHECK_FALSE(metric_available("top_3_accuracy", Task::kBinary));
  CHECK_FALSE(metric_available("mse", Task::kClassification));
  CHECK_FALSE(metric_available("loss", Task::kRegression));  // always reported, not a choice
}

TEST_CASE("metric_catalog: reads k from top_k names", "[train]") {
  CHECK(top_k_of("top_5_accuracy") == 5);
  CHECK(top_k_of("top_12_accuracy") == 12);
  CHECK(top_k_of("top_0_accuracy") == 0);
  CHECK(top_k_of("top_05_accuracy") == 0);
  CHECK(top_k_of("top_k_accuracy") == 0);
  CHECK(top_k_of("top__accuracy") == 0);
  CHECK(top_k_of("top_9999999_accuracy") == 0);
  CHECK(top_k_of("accuracy") == 0);
}

TEST_CASE("metric_catalog: says why a metric does not fit the loss", "[train]") {
  CHECK(metric_unavailable_note("accuracy", Task::kRegression) == " (accuracy needs a classification loss)");
  CHECK(metric_unavailable_note("top_3_accuracy", Task::kBinary) == " (top_3_accuracy needs loss.cross_entropy)");
  CHECK(metric_unavailable_note("r2", Task::kClassification) == " (r2 needs a regression loss)");
  CHECK(metric_unavailable_note("top_k_accuracy", Task::kClassification) ==
        " (write k as a whole number >= 1, as in 'top_5_accuracy')");
  CHECK(metric_unavailable_note("acuracy", Task::kClassification).empty());
}
