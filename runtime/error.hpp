#pragma once
// The runtime's two failure kinds. The interpreter maps them to exit codes: an InvalidArgument
// is the user's mistake in a recipe (exit 2), a DataError a failure while running (exit 1).
#include <stdexcept>
#include <string>

namespace regimen {

/// A value the user supplied is out of range or inconsistent ("lr must be >= 0, got -1").
struct InvalidArgument : std::invalid_argument {
  using std::invalid_argument::invalid_argument;
};

/// A data file is missing, unreadable or corrupt; the message names the file and the offset or line.
struct DataError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

}  // namespace regimen
