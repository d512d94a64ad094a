#pragma once
// Numeric CSV tables: comma-separated numbers, one sample per line, an optional header row of
// column names. One column is the target; all others are features. Quoted fields, other
// separators and missing values are not supported: such a file is rejected with the line, the
// column and the offending text, never silently misread.
#include <string>

#include "runtime/data/dataset.hpp"

namespace regimen::data {

/// How to read a CSV file.
struct CsvOptions {
  /// The target column: a header name, or a 0-based index written as digits; empty = last column.
  /// A header name wins over an index when a column is literally named with digits.
  std::string target;
  /// Whether the first line names the columns.
  bool header = true;
  /// When > 0, the target holds class indices in [0, classes); when 0, it is a regression value.
  int classes = 0;
};

/// Reads a CSV file into a dataset with one target column. Throws InvalidArgument for bad options
/// and DataError prefixed "path:line:" for a missing or empty file, a ragged row, a cell that is
/// not a finite number, an unknown target column, or a class label out of range.
Dataset read_csv(const std::string& path, const CsvOptions& options = {});

}  // namespace regimen::data
