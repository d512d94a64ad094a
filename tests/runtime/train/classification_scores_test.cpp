#include "runtime/train/classification_scores.hpp"

#include <catch2/catch.hpp>

#include <vector>

using Catch::Matchers::WithinRel;
using regimen::train::ConfusionMatrix;
using regimen::train::LabelCounts;
using regimen::train::macro_scores;

namespace {

// true \ predicted  0  1  2  3
//        0          3  1  0  0   (4 samples)
//        1          1  2  1  0   (4 samples)
//        2          0  0  0  0   predicted once, never true
//        3          0  0  0  0   neither: sklearn leaves it out
ConfusionMatrix hand_made() {
  ConfusionMatrix m(4);
  for (int i = 0; i < 3; ++i) m.add(0, 0);
  m.add(0, 1);
  m.add(1, 0);
  m.add(1, 1);
  m.add(1, 1);
  m.add(1, 2);
  return m;
}

}  // namespace

TEST_CASE("macro_scores: follow sklearn's macro averages with zero_division=0", "[train]") {
  // Class 0: tp 3 of 4 predicted, 4 actual: P = 3/4, R = 3/4, F1 = 6/8.
  // Class 1: tp 2 of 3 predicted, 4 actual: P = 2/3, R = 1/2, F1 = 4/7.
  // Class 2: tp 0 of 1 predicted, 0 actual: P = 0, R = 0 (zero division), F1 = 0.
  // Averaged over the 3 present classes: P = 17/36, R = 5/12, F1 = (3/4 + 4/7) / 3 = 37/84.
  const auto scores = macro_scores(hand_made());
  CHECK_THAT(scores.precision, WithinRel(17.0 / 36.0, 1e-15));
  CHECK_THAT(scores.recall, WithinRel(5.0 / 12.0, 1e-15));
  CHECK_THAT(scores.f1, WithinRel(37.0 / 84.0, 1e-15));
}

TEST_CASE("macro_scores: multi-label columns all count, absent or not", "[train]") {
  // Column 0: P = 1/2, R = 1/1, F1 = 2/3; column 1 never predicted nor true: all 0.
  const std::vector<LabelCounts> labels{{1, 2, 1}, {0, 0, 0}};
  const auto scores = macro_scores(labels, false);
  CHECK_THAT(scores.precision, WithinRel(0.25, 1e-15));
  CHECK_THAT(scores.recall, WithinRel(0.5, 1e-15));
  CHECK_THAT(scores.f1, WithinRel(1.0 / 3.0, 1e-15));
  const auto skipped = macro_scores(labels, true);
  CHECK(skipped.recall == 1.0);
  CHECK(macro_scores(std::vector<LabelCounts>{}, true).f1 == 0.0);
}
