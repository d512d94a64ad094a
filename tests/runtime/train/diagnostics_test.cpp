#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <vector>

#include "runtime/train/diagnostics.hpp"

using regimen::train::diagnose;
using regimen::train::Finding;
using regimen::train::FindingKind;
using regimen::train::LossTrace;
using regimen::train::Metrics;

namespace {

const double kNaN = std::numeric_limits<double>::quiet_NaN();

// Per-epoch metrics from a loss curve and, when not empty, a val_loss curve of the same length.
std::vector<Metrics> curves(const std::vector<double>& loss, const std::vector<double>& val = {}) {
  std::vector<Metrics> epochs(loss.size());
  for (std::size_t e = 0; e < loss.size(); ++e) {
    epochs[e].set("loss", loss[e]);
    if (!val.empty()) epochs[e].set("val_loss", val[e]);
  }
  return epochs;
}

// A trace whose first step's loss is also its first steps' mean.
LossTrace trace_of(double start, double first_epoch_end) {
  LossTrace trace;
  trace.first = start;
  trace.start = start;
  trace.first_epoch_end = first_epoch_end;
  trace.first_epoch_steps = 50;
  return trace;
}

}  // namespace

TEST_CASE("Diagnostics: a healthy regression curve that converged in epoch 1 gets no finding", "[train]") {
  // linear_regression.lua's shape: a start near E[y^2], most of the descent inside epoch 1.
  const auto epochs = curves({0.52, 0.095, 0.092, 0.091, 0.0905, 0.0903, 0.0904, 0.0902},
                             {0.11, 0.094, 0.093, 0.092, 0.0915, 0.0912, 0.0913, 0.0911});
  const LossTrace trace = trace_of(6.8, 0.1);
  CHECK(diagnose(epochs, &trace).empty());
  CHECK(diagnose(epochs).empty());
}

TEST_CASE("Diagnostics: a healthy classification curve with a mild late val_loss drift gets no finding", "[train]") {
  // fashion_mnist_mlp.lua's shape: val_loss bottoms out and drifts a few percent up.
  const auto epochs = curves({0.62, 0.43, 0.39, 0.36, 0.34, 0.33, 0.32, 0.31, 0.30, 0.29, 0.28, 0.275},
                             {0.45, 0.40, 0.37, 0.36, 0.35, 0.34, 0.335, 0.34, 0.345, 0.35, 0.352, 0.355});
  const LossTrace trace = trace_of(2.31, 0.55);
  CHECK(diagnose(epochs, &trace).empty());
}

TEST_CASE("Diagnostics: recipes/fashion_mnist_mlp.lua's full 30-epoch curve gets no finding", "[train]") {
  // regimen run recipes/fashion_mnist_mlp.lua --threads 1: val_loss bottoms out at epoch 24
  // (0.2820) and ends 1% above it, while the training loss keeps falling.
  const auto epochs = curves(
      {0.6076, 0.4202, 0.3789, 0.3517, 0.3340, 0.3144, 0.3081, 0.2946, 0.2826, 0.2738, 0.2670, 0.2549, 0.2476, 0.2401,
       0.2320, 0.2243, 0.2166, 0.2101, 0.2053, 0.1985, 0.1927, 0.1884, 0.1833, 0.1806, 0.1771, 0.1729, 0.1711, 0.1704,
       0.1706, 0.1690},
      {0.4098, 0.3597, 0.3648, 0.3307, 0.3248, 0.3235, 0.3081, 0.3072, 0.3147, 0.3034, 0.3032, 0.2982, 0.2858, 0.2937,
       0.2929, 0.2865, 0.2853, 0.2870, 0.2915, 0.2862, 0.2848, 0.2873, 0.2850, 0.2820, 0.2829, 0.2875, 0.2855, 0.2850,
       0.2855, 0.2853});
  const LossTrace trace = trace_of(2.30, 0.45);
  CHECK(diagnose(epochs, &trace).empty());
}

TEST_CASE("Diagnostics: a non-finite loss is too large, at its epoch, and nothing else is judged", "[train]") {
  const auto findings = diagnose(curves({7.0, 1e20, kNaN}, {7.0, 1e21, kNaN}));
  REQUIRE(findings.size() == 1);
  CHECK(findings[0].kind == FindingKind::kLrTooLarge);
  CHECK(findings[0].epoch == 2);
  CHECK(findings[0].message ==
        "the learning rate looks too large: the training loss diverged (it became NaN in epoch 3).");
  const auto infinite_val = diagnose(curves({1.0, 0.9}, {1.0, std::numeric_limits<double>::infinity()}));
  REQUIRE(infinite_val.size() == 1);
  CHECK(infinite_val[0].message ==
        "the learning rate looks too large: the validation loss diverged (it became infinite in epoch 2).");
  LossTrace trace = trace_of(1.0, 0.5);
  trace.nonfinite_epoch = 4;
  const auto from_steps = diagnose(curves({1.0, 0.9}), &trace);
  REQUIRE(from_steps.size() == 1);
  CHECK(from_steps[0].epoch == 4);
}

TEST_CASE("Diagnostics: a loss over 10x its start is too large", "[train]") {
  const LossTrace trace = trace_of(0.3, 0.29);
  const auto findings = diagnose(curves({0.31, 3.5, 2.0}), &trace);
  REQUIRE(findings.size() == 1);
  CHECK(findings[0].kind == FindingKind::kLrTooLarge);
  CHECK(findings[0].epoch == 1);
  CHECK(findings[0].message ==
        "the learning rate looks too large: the training loss rose to 3.5000 in epoch 2, over 10 times its "
        "start (0.3000).");
}

TEST_CASE("Diagnostics: a step-mean blow-up the recorder saw is too large, though the loss recovered", "[train]") {
  LossTrace trace = trace_of(2.667, 1.3);
  trace.blow_up_epoch = 0;
  trace.blow_up_step = 2;
  trace.blow_up_loss = 27.67;
  const auto findings = diagnose(curves({8.88, 1.25, 1.05, 0.98}), &trace);
  REQUIRE(findings.size() == 1);
  CHECK(findings[0].kind == FindingKind::kLrTooLarge);
  CHECK(findings[0].epoch == 0);
  CHECK(findings[0].message ==
        "the learning rate looks too large: the training loss rose to 27.6700 (the mean of its last steps) at step 2 "
        "in epoch 1, over 10 times its start (2.6670).");
}

TEST_CASE("Diagnostics: a loss that rose within the first epoch is too large", "[train]") {
  const LossTrace rose = trace_of(2.3, 3.6);  // 3.6 > 1.5 x 2.3
  const auto findings = diagnose(curves({3.0, 2.9, 2.8}), &rose);
  REQUIRE(findings.size() == 1);
  CHECK(findings[0].kind == FindingKind::kLrTooLarge);
  CHECK(findings[0].epoch == 0);
  const LossTrace within_margin = trace_of(2.3, 3.4);  // below 1.5 x 2.3 = 3.45
  CHECK(diagnose(curves({3.0, 2.9, 2.8}), &within_margin).empty());
}

TEST_CASE("Diagnostics: a loss that rose over the early epochs, or by the end, is too large", "[train]") {
  const auto early = diagnose(curves({1.0, 0.98, 1.06, 0.9, 0.8}));
  REQUIRE(early.size() == 1);
  CHECK(early[0].kind == FindingKind::kLrTooLarge);
  CHECK(early[0].epoch == 2);
  const auto late = diagnose(curves({1.0, 0.8, 0.7, 0.9, 1.3}));
  REQUIRE(late.size() == 1);
  CHECK(late[0].epoch == 4);
  CHECK(diagnose(curves({1.0, 1.04, 0.9, 0.8})).empty());  // within the 5% margin
}

TEST_CASE("Diagnostics: large epoch-to-epoch swings are too large, a wobble at the floor is not", "[train]") {
  const auto findings = diagnose(curves({1.0, 0.6, 0.9, 0.5, 0.85, 0.45, 0.8}));
  REQUIRE(findings.size() == 1);
  CHECK(findings[0].kind == FindingKind::kLrTooLarge);
  CHECK(findings[0].epoch == 1);  // the first turning point
  CHECK(findings[0].message ==
        "the learning rate looks too large: the training loss swings up and down by more than 10% from epoch "
        "to epoch (5 reversals from epoch 2 on).");
  CHECK(diagnose(curves({1.0, 0.5, 0.30, 0.31, 0.30, 0.31, 0.30, 0.31, 0.30})).empty());
  CHECK(diagnose(curves({1.0, 0.6, 0.9, 0.5, 0.48, 0.47})).empty());  // 2 large reversals, then it settles
  // Near zero, reversals large relative to the loss are tiny against the run's range.
  CHECK(diagnose(curves({1.0, 0.1, 1e-3, 2e-5, 1e-5, 2e-5, 1e-5, 2e-5, 1e-5})).empty());
}

TEST_CASE("Diagnostics: a loss that barely moves from the start is too small", "[train]") {
  const auto epochs = curves({7.10, 7.099, 7.098, 7.097});
  const LossTrace trace = trace_of(7.12, 7.10);
  const auto findings = diagnose(epochs, &trace);
  REQUIRE(findings.size() == 1);
  CHECK(findings[0].kind == FindingKind::kLrTooSmall);
  CHECK(findings[0].epoch == 0);
  CHECK(findings[0].message ==
        "the learning rate looks too small: the training loss barely moved in 4 epochs (from 7.1000 in epoch 1 to "
        "at best 7.0970, 0.042% lower).");
  CHECK(diagnose(epochs).size() == 1);  // without a trace, the epochs alone decide
  CHECK(diagnose(curves({7.1})).empty());  // one epoch: nothing to compare
}

TEST_CASE("Diagnostics: a flat curve after a steep first epoch is not too small", "[train]") {
  const LossTrace fell = trace_of(9.0, 0.2);  // start above 1.1 x epoch 1's loss
  CHECK(diagnose(curves({0.5, 0.499, 0.498}), &fell).empty());
  CHECK(diagnose(curves({0.5, 0.45, 0.44})).empty());  // 10% better than epoch 1
}

TEST_CASE("Diagnostics: val_loss rising while loss falls is overfitting, from the epoch after the best", "[train]") {
  const auto epochs = curves({1.0, 0.7, 0.5, 0.4, 0.3, 0.2, 0.1}, {1.0, 0.8, 0.6, 0.55, 0.62, 0.7, 0.8});
  const auto findings = diagnose(epochs);
  REQUIRE(findings.size() == 1);
  CHECK(findings[0].kind == FindingKind::kOverfitting);
  CHECK(findings[0].epoch == 4);  // best val_loss at epoch 3 (0-based)
  CHECK(findings[0].message ==
        "the model overfits from epoch 5 on: the validation loss was lowest in epoch 4 (0.5500) and rose to 0.8000 "
        "since, while the training loss kept falling (to 0.1000); the gap val_loss - loss is 0.7000 at the end.");
  CHECK(findings[0].remedy.find("early_stop") != std::string::npos);
  CHECK(findings[0].remedy.find("reg.l2") != std::string::npos);
}

TEST_CASE("Diagnostics: no overfitting without a sustained rise, a falling loss or enough epochs", "[train]") {
  const std::vector<double> falling = {1.0, 0.7, 0.5, 0.4, 0.3, 0.2, 0.1};
  // One noisy epoch above the margin, then back near the best.
  CHECK(diagnose(curves(falling, {1.0, 0.8, 0.6, 0.55, 0.7, 0.56, 0.62})).empty());
  // Validation rose, but so did training at the end: not overfitting (the loss rose: too large).
  const auto both = diagnose(curves({1.0, 0.7, 0.5, 0.4, 0.5, 0.6, 0.6}, {1.0, 0.8, 0.6, 0.55, 0.7, 0.7, 0.8}));
  for (const Finding& finding : both) CHECK(finding.kind != FindingKind::kOverfitting);
  // The best is too recent for three rising epochs after it.
  CHECK(diagnose(curves({1.0, 0.7, 0.5}, {1.0, 0.5, 0.9})).empty());
  // No validation set.
  CHECK(diagnose(curves(falling)).empty());
}

TEST_CASE("Diagnostics: kinds have stable names and a finding prints as one paragraph", "[train]") {
  CHECK(std::string(regimen::train::finding_name(FindingKind::kLrTooLarge)) == "lr_too_large");
  CHECK(std::string(regimen::train::finding_name(FindingKind::kLrTooSmall)) == "lr_too_small");
  CHECK(std::string(regimen::train::finding_name(FindingKind::kOverfitting)) == "overfitting");
  const Finding finding{FindingKind::kLrTooSmall, 0, "the loss barely moved.", "raise the lr"};
  CHECK(regimen::train::format_finding(finding) == "diagnosis: the loss barely moved.\n  try: raise the lr\n");
}
