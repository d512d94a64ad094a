#include "runtime/train/confusion_matrix.hpp"

#include <catch2/catch.hpp>

#include "runtime/error.hpp"

using regimen::InvalidArgument;
using regimen::train::ConfusionMatrix;
using regimen::train::confusion_matrix_json;
using regimen::train::format_confusion_matrix;

TEST_CASE("ConfusionMatrix: counts pairs, rows true and columns predicted", "[train]") {
  ConfusionMatrix m(3);
  m.add(0, 0);
  m.add(2, 1);
  m.add(2, 1);
  m.add(1, 1);
  CHECK(m.count(2, 1) == 2);
  CHECK(m.count(1, 2) == 0);
  CHECK(m.total() == 4);
  CHECK(m.correct() == 2);
  CHECK(m.rows() == std::vector<std::vector<std::int64_t>>{{1, 0, 0}, {0, 1, 0}, {0, 2, 0}});
  m.clear();
  CHECK(m.total() == 0);
  CHECK_THROWS_AS(ConfusionMatrix(0), InvalidArgument);
}

TEST_CASE("ConfusionMatrix: prints an aligned table and one JSON object", "[train]") {
  ConfusionMatrix m(3);
  for (int i = 0; i < 850; ++i) m.add(0, 0);
  for (int i = 0; i < 12; ++i) m.add(0, 2);
  m.add(1, 0);
  for (int i = 0; i < 7; ++i) m.add(2, 2);
  CHECK(format_confusion_matrix(m, "test") ==
        "confusion matrix (test, rows: true class, columns: predicted class)\n"
        "     0   1   2\n"
        "0  850   0  12\n"
        "1    1   0   0\n"
        "2    0   0   7\n");
  CHECK(confusion_matrix_json(m, "test") ==
        R"({"confusion_matrix": {"split": "test", "classes": 3, "rows": [[850, 0, 12], [1, 0, 0], [0, 0, 7]]}})");
}

TEST_CASE("ConfusionMatrix: labels widen past ten classes", "[train]") {
  ConfusionMatrix m(11);
  m.add(10, 3);
  const std::string text = format_confusion_matrix(m, "validation");
  // Labels take 2 characters; counts are padded to the same 2.
  CHECK(text.find("\n     0  1  2  3  4  5  6  7  8  9 10\n") != std::string::npos);
  CHECK(text.find("\n10   0  0  0  1  0  0  0  0  0  0  0\n") != std::string::npos);
  CHECK(text.find("\n 0   0  0") != std::string::npos);
}
