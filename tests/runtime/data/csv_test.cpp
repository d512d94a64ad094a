#include "runtime/data/csv.hpp"

#include <catch2/catch.hpp>

#include "fixtures.hpp"
#include "runtime/error.hpp"

using Catch::Contains;
using regimen::DataError;
using regimen::InvalidArgument;
using regimen::Matrix;
using regimen::data::CsvOptions;
using regimen::data::Dataset;
using regimen::data::read_csv;
using regimen::data::testing::TempDir;
using regimen::data::testing::write_file;

namespace {

/// All rows of a dataset, gathered into x and y.
void all_rows(const Dataset& ds, Matrix& x, Matrix& y) {
  std::vector<Eigen::Index> positions(static_cast<std::size_t>(ds.size()));
  for (std::size_t i = 0; i < positions.size(); ++i) positions[i] = static_cast<Eigen::Index>(i);
  ds.gather(positions, x, y);
}

/// The message read_csv throws for `text` written to a file, or "" when it does not throw.
std::string error_for(const TempDir& dir, const std::string& text, const CsvOptions& options = {}) {
  write_file(dir.file("t.csv"), text);
  try {
    read_csv(dir.file("t.csv"), options);
  } catch (const DataError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("Csv: the last column is the target by default", "[data]") {
  TempDir dir;
  write_file(dir.file("t.csv"), "a,b,y\n1,2,3\n-4.5, 5e-1 ,6\n\n\n");
  const auto ds = read_csv(dir.file("t.csv"));
  REQUIRE(ds.size() == 2);
  CHECK(ds.features() == 2);
  CHECK(ds.target_columns() == 1);
  CHECK(ds.classes() == 0);
  CHECK(ds.source() == dir.file("t.csv"));
  Matrix x, y;
  all_rows(ds, x, y);
  CHECK(x(0, 0) == 1.0f);
  CHECK(x(0, 1) == 2.0f);
  CHECK(x(1, 0) == -4.5f);
  CHECK(x(1, 1) == 0.5f);
  CHECK(y(0, 0) == 3.0f);
  CHECK(y(1, 0) == 6.0f);
}

TEST_CASE("Csv: the target is chosen by name or by 0-based index", "[data]") {
  TempDir dir;
  write_file(dir.file("t.csv"), "\"label\",x1,x2\r\n2,10,20\r\n0,+30,40\r\n");
  Matrix x, y;
  SECTION("by name, quotes and CRLF handled") {
    all_rows(read_csv(dir.file("t.csv"), {.target = "label", .header = true, .classes = 3}), x, y);
  }
  SECTION("by index") {
    all_rows(read_csv(dir.file("t.csv"), {.target = "0", .header = true, .classes = 3}), x, y);
  }
  REQUIRE(x.rows() == 2);
  CHECK(x(0, 0) == 10.0f);
  CHECK(x(0, 1) == 20.0f);
  CHECK(x(1, 0) == 30.0f);
  CHECK(y(0, 0) == 2.0f);
  CHECK(y(1, 0) == 0.0f);
}

TEST_CASE("Csv: without a header every line is data", "[data]") {
  TempDir dir;
  write_file(dir.file("t.csv"), "1,2,3\n4,5,6");
  Matrix x, y;
  const auto ds = read_csv(dir.file("t.csv"), {.target = "1", .header = false});
  all_rows(ds, x, y);
  REQUIRE(ds.size() == 2);
  CHECK(x(1, 0) == 4.0f);
  CHECK(x(1, 1) == 6.0f);
  CHECK(y(1, 0) == 5.0f);
}

TEST_CASE("Csv: file-level errors name the file", "[data]") {
  TempDir dir;
  REQUIRE_THROWS_AS(read_csv(dir.file("missing.csv")), DataError);
  REQUIRE_THROWS_WITH(
      read_csv(dir.file("missing.csv")),
      Contains(dir.file("missing.csv") + ": cannot open: No such file or directory"));
  const std::string path = dir.file("t.csv");
  CHECK_THAT(error_for(dir, ""), Contains(path + ":1: empty file"));
  CHECK_THAT(error_for(dir, "\n  \n"), Contains(path + ":1: empty file"));
  CHECK_THAT(error_for(dir, "a,b\n"), Contains(path + ":2: no data rows after the header"));
  CHECK_THAT(error_for(dir, "y\n1\n"),
             Contains(path + ":1: need at least 2 columns (features and a target), got 1"));
}

TEST_CASE("Csv: a ragged or empty row is reported with its line", "[data]") {
  TempDir dir;
  const std::string path = dir.file("t.csv");
  const std::string good = "a,b,c,d,e\n1,2,3,4,5\n1,2,3,4,5\n1,2,3,4,5\n1,2,3,4,5\n1,2,3,4,5\n";
  CHECK_THAT(error_for(dir, good + "1,2,3,4\n"), Contains(path + ":7: expected 5 fields, got 4"));
  CHECK_THAT(error_for(dir, good + "1,2,3,4,5,6\n"),
             Contains(path + ":7: expected 5 fields, got 6"));
  CHECK_THAT(error_for(dir, "a,b\n1,2\n\n3,4\n"),
             Contains(path + ":3: empty line (expected 2 fields)"));
}

TEST_CASE("Csv: a bad cell names its line, column and text", "[data]") {
  TempDir dir;
  const std::string path = dir.file("t.csv");
  CHECK_THAT(error_for(dir, "a,b,y\n1,2,3\n1,abc,3\n"),
             Contains(path + ":3: column 'b': cannot read 'abc' as a number"));
  CHECK_THAT(error_for(dir, "a,b,y\n1,2x,3\n"),
             Contains(path + ":2: column 'b': cannot read '2x' as a number"));
  CHECK_THAT(error_for(dir, "a,b,y\n1,,3\n"), Contains(path + ":2: column 'b': empty cell"));
  CHECK_THAT(error_for(dir, "1,2,3\n1,x,3\n", {.target = "", .header = false}),
             Contains(path + ":2: column 1: cannot read 'x' as a number"));
  CHECK_THAT(error_for(dir, "a,b,y\n1,2,3\n1,2,nan\n"),
             Contains(path + ":3: column 'y': 'nan' is not a finite number"));
  CHECK_THAT(error_for(dir, "a,b,y\n-inf,2,3\n"),
             Contains(path + ":2: column 'a': '-inf' is not a finite number"));
  CHECK_THAT(error_for(dir, "a,b,y\n1e999,2,3\n"),
             Contains(path + ":2: column 'a': '1e999' is out of range"));
  CHECK_THAT(error_for(dir, "a,b,y\n1e300,2,3\n"),
             Contains(path + ":2: column 'a': '1e300' is out of float32 range"));
}

TEST_CASE("Csv: an unknown target column lists the columns", "[data]") {
  TempDir dir;
  const std::string path = dir.file("t.csv");
  CHECK_THAT(error_for(dir, "a,b,label\n1,2,3\n", {.target = "lable"}),
             Contains(path + ":1: unknown target column 'lable' (columns: a, b, label)"));
  CHECK_THAT(error_for(dir, "a,b,label\n1,2,3\n", {.target = "3"}),
             Contains(path + ":1: target column index 3 out of range (the file has 3 columns)"));
  CHECK_THAT(error_for(dir, "1,2,3\n", {.target = "label", .header = false}),
             Contains(path + ":1: target 'label' is not a 0-based column index"));
}

TEST_CASE("Csv: class labels must be integers in range", "[data]") {
  TempDir dir;
  const std::string path = dir.file("t.csv");
  const CsvOptions three{.target = "y", .header = true, .classes = 3};
  CHECK_THAT(error_for(dir, "a,y\n1,2\n1,3\n", three),
             Contains(path + ":3: column 'y': class label '3' is not an integer in [0, 3)"));
  CHECK_THAT(error_for(dir, "a,y\n1,1.5\n", three),
             Contains(path + ":2: column 'y': class label '1.5' is not an integer in [0, 3)"));
  CHECK_THAT(error_for(dir, "a,y\n1,-1\n", three),
             Contains(path + ":2: column 'y': class label '-1' is not an integer in [0, 3)"));
  write_file(path, "a,y\n1,2\n");
  CHECK(read_csv(path, three).classes() == 3);
  REQUIRE_THROWS_AS(read_csv(path, {.target = "", .header = true, .classes = -1}), InvalidArgument);
}
