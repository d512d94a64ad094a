// The rules of a composed early stop, fed hand-made metric sequences. Expected epochs follow from
// each rule's definition (written next to each case), not from earlier runs.
#include <memory>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "runtime/error.hpp"
#include "runtime/nn/linear.hpp"
#include "runtime/nn/model.hpp"
#include "runtime/train/divergence_rule.hpp"
#include "runtime/train/patience_rule.hpp"
#include "runtime/train/smoothed_metric.hpp"
#include "runtime/train/stop_rules.hpp"
#include "runtime/train/target_rule.hpp"
#include "runtime/train/time_limit_rule.hpp"

namespace train = regimen::train;
using Catch::Matchers::WithinRel;

namespace {

train::Metrics metric(const std::string& name, double value) {
  train::Metrics m;
  m.set(name, value);
  return m;
}

// The 0-based epoch at which `rule` first fires on `values` of `name`, or -1.
int first_stop(train::StopRule& rule, const std::string& name, const std::vector<double>& values) {
  for (std::size_t e = 0; e < values.size(); ++e)
    if (rule.observe_epoch(static_cast<int>(e), metric(name, values[e]))) return static_cast<int>(e);
  return -1;
}

const double kNan = std::numeric_limits<double>::quiet_NaN();

}  // namespace

TEST_CASE("SmoothedMetric: the mean of the last n values, fewer at the start", "[train]") {
  train::SmoothedMetric m("loss", 3);
  CHECK_THAT(*m.read(metric("loss", 3.0)), WithinRel(3.0));
  CHECK_THAT(*m.read(metric("loss", 6.0)), WithinRel(4.5));
  CHECK_THAT(*m.read(metric("loss", 9.0)), WithinRel(6.0));
  CHECK_THAT(*m.read(metric("loss", 0.0)), WithinRel(5.0));  // (6 + 9 + 0) / 3
  CHECK_FALSE(m.read(metric("accuracy", 1.0)));
  CHECK(m.describe() == "loss (mean of 3)");
  CHECK_THROWS_WITH(train::SmoothedMetric("loss", 0), "smoothing must be >= 1, got 0");
}

TEST_CASE("TargetRule: stops once a rising metric reaches its target", "[train]") {
  train::TargetRule rule("val_accuracy", 0.9);
  CHECK(first_stop(rule, "val_accuracy", {0.5, 0.8, 0.89, 0.9, 0.95}) == 3);  // 0.9 >= 0.9
  CHECK(rule.reason() == "val_accuracy reached 0.9 target at epoch 4");
}

TEST_CASE("TargetRule: a falling metric reaches its target from above", "[train]") {
  train::TargetRule rule("val_loss", 0.25);
  CHECK(first_stop(rule, "val_loss", {1.0, 0.5, 0.3, 0.2}) == 3);
  train::TargetRule forced("val_loss", 0.6, "max");  // mode given: stop once val_loss >= 0.6
  CHECK(first_stop(forced, "val_loss", {0.1, 0.5, 0.7}) == 2);
}

TEST_CASE("TargetRule: smoothing averages the last epochs before comparing", "[train]") {
  // Means of 2: 0.5, 0.7, 0.85, 0.9 -> reached at epoch 3 (0-based), not at epoch 2's raw 0.95.
  train::TargetRule rule("accuracy", 0.9, "auto", 2);
  CHECK(first_stop(rule, "accuracy", {0.5, 0.9, 0.8, 1.0}) == 3);
  CHECK_THROWS_WITH(train::TargetRule("accuracy", kNan), "target must be finite, got nan");
  CHECK_THROWS_AS(train::TargetRule("f2", 0.5), regimen::InvalidArgument);  // auto cannot decide
}

TEST_CASE("DivergenceRule: stops when the metric exceeds k times its best", "[train]") {
  train::DivergenceRule rule("loss", 10);
  // best 0.5 after epoch 1; 4.9 <= 5; 5.1 > 10 x 0.5.
  CHECK(first_stop(rule, "loss", {1.0, 0.5, 4.9, 5.1}) == 3);
  CHECK(rule.reason() == "loss diverged at epoch 4: 5.1000 > 10 x best 0.5000");
}

TEST_CASE("DivergenceRule: a non-finite value diverges at once", "[train]") {
  train::DivergenceRule rule("loss", 10);
  CHECK(first_stop(rule, "loss", {1.0, kNan}) == 1);
  CHECK(rule.reason() == "loss diverged at epoch 2: nan");
  train::DivergenceRule first("loss", 2);
  CHECK(first_stop(first, "loss", {std::numeric_limits<double>::infinity()}) == 0);
  CHECK_THROWS_WITH(train::DivergenceRule("loss", 0.5), "divergence must be >= 1, got 0.5");
}

TEST_CASE("DivergenceRule: smoothing hides a single spike", "[train]") {
  // Means of 3: 1, 1, 4 (1+1+10 over 3 = 4 <= 5 x 1), 4 (1+10+1)/3, 4 -> never above 5.
  train::DivergenceRule smoothed("loss", 5, 3);
  CHECK(first_stop(smoothed, "loss", {1, 1, 10, 1, 1}) == -1);
  train::DivergenceRule raw("loss", 5);
  CHECK(first_stop(raw, "loss", {1, 1, 10, 1, 1}) == 2);
}

TEST_CASE("PatienceRule: Keras' rule on a smoothed metric", "[train]") {
  train::EarlyStopOptions o;
  o.monitor = "val_loss";
  o.patience = 1;
  // Raw: 1, 0.5, 0.6, 0.4, 0.7, 0.8; means of 2: 1, 0.75, 0.55, 0.5, 0.55, 0.75.
  // Improves through epoch 3, epoch 4 waits 1 >= patience 1 -> stops at epoch 4.
  train::PatienceRule rule(o, 2);
  CHECK(first_stop(rule, "val_loss", {1, 0.5, 0.6, 0.4, 0.7, 0.8}) == 4);
  CHECK(rule.reason() == "val_loss (mean of 2) did not improve for 1 epochs at epoch 5 (best 0.5000 at epoch 4)");
  // Unsmoothed, epoch 2 (0.6 after 0.5) already stops.
  train::PatienceRule raw(o);
  CHECK(first_stop(raw, "val_loss", {1, 0.5, 0.6, 0.4, 0.7, 0.8}) == 2);
}

TEST_CASE("TimeLimitRule: fires on the step where the injected clock passes the budget", "[train]") {
  double now = 100.0;
  train::TimeLimitRule rule(60.0, "1m", [&] { return now; });
  rule.start();
  now = 159.0;
  CHECK_FALSE(rule.observe_step(0, 1));
  CHECK_FALSE(rule.observe_epoch(0, {}));
  now = 160.0;
  CHECK(rule.observe_step(1, 7));
  CHECK(rule.reason() == "max_time 1m reached at epoch 2, step 7");
}

TEST_CASE("parse_duration: seconds, minutes, hours, plain numbers", "[train]") {
  CHECK(train::parse_duration("90s") == 90.0);
  CHECK(train::parse_duration("20m") == 1200.0);
  CHECK(train::parse_duration("2h") == 7200.0);
  CHECK(train::parse_duration("1.5h") == 5400.0);
  CHECK(train::parse_duration("45") == 45.0);
  CHECK_THROWS_WITH(train::parse_duration("20 min"),
                    "max_time must be seconds or a duration like \"90s\", \"20m\", \"2h\", got \"20 min\"");
  CHECK_THROWS_AS(train::parse_duration("-5s"), regimen::InvalidArgument);
  CHECK_THROWS_AS(train::parse_duration("m"), regimen::InvalidArgument);
}

TEST_CASE("StopRules: the first rule in order that fires is reported with its number", "[train]") {
  regimen::nn::Model model({{"", std::make_shared<regimen::nn::Linear>(2, 1)}});
  model.build(2, 1);
  train::EarlyStopOptions patience;
  patience.monitor = "val_loss";
  patience.patience = 5;
  std::vector<std::shared_ptr<train::StopRule>> rules{
      std::make_shared<train::PatienceRule>(patience), std::make_shared<train::TargetRule>("val_accuracy", 0.9),
      std::make_shared<train::DivergenceRule>("loss", 10)};
  train::StopRules stop(rules, model);
  const auto epoch = [](double loss, double val_loss, double val_accuracy) {
    train::Metrics m;
    m.set("loss", loss);
    m.set("val_loss", val_loss);
    m.set("val_accuracy", val_accuracy);
    return m;
  };
  CHECK_FALSE(stop.on_epoch_end(0, epoch(1.0, 1.0, 0.5)));
  CHECK_FALSE(stop.on_epoch_end(1, epoch(0.8, 0.9, 0.7)));
  // Both the target and the divergence fire at epoch 2: the earlier rule (2) is reported.
  CHECK(stop.on_epoch_end(2, epoch(100.0, 0.8, 0.95)));
  CHECK(stop.stop_reason() == "val_accuracy reached 0.9 target at epoch 3 (rule 2)");
}

TEST_CASE("StopRules: only one rule may restore weights", "[train]") {
  regimen::nn::Model model({{"", std::make_shared<regimen::nn::Linear>(2, 1)}});
  model.build(2, 1);
  train::EarlyStopOptions o;
  o.restore_best = true;
  std::vector<std::shared_ptr<train::StopRule>> rules{std::make_shared<train::PatienceRule>(o),
                                                      std::make_shared<train::PatienceRule>(o)};
  CHECK_THROWS_WITH(train::StopRules(rules, model), "early_stop: only one rule may set restore_best");
}
