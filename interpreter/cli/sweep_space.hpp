#pragma once
// `regimen sweep`'s search space: the --grid and --range specs it is given and the trials they
// plan, in a fixed order (docs/cli.md).
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace regimen::cli {

/// One parameter's values: a --grid list, or a --range to sample from.
struct SweepAxis {
  std::string name;
  std::string option;               ///< "--grid" or "--range", for messages
  std::vector<std::string> values;  ///< a grid's values, as given
  double low = 0, high = 0;         ///< a range's ends
  std::string scale = "lin";        ///< a range's scale: lin, log or int
};

/// One planned trial: its number (from 0) and the --set NAME=VALUE pairs it runs with.
struct SweepTrial {
  int index = 0;
  std::vector<std::pair<std::string, std::string>> params;
};

/// "trial-K" and `suffix`: trial K's run directory in the sweep directory (with ".log",
/// ".claim", ".failed": its files there), and its name on charts.
std::string trial_name(int index, const char* suffix = "");

/// The `fixed` NAME=VALUE settings and the trial's own, as --set takes them.
std::vector<std::string> trial_sets(const SweepTrial& trial, const std::vector<std::string>& fixed);

/// Reads `--grid NAME=V1,V2,...`; throws boost::program_options::error for a malformed spec.
SweepAxis parse_grid(const std::string& spec);

/// Reads `--range NAME=LOW:HIGH[:SCALE]` (SCALE lin, log or int); throws
/// boost::program_options::error for a malformed spec.
SweepAxis parse_range(const std::string& spec);

/// The cartesian product of grid axes, the last axis varying fastest.
std::vector<SweepTrial> plan_grid(const std::vector<SweepAxis>& axes);

/// `count` trials, each value drawn from its range by a generator seeded with `seed`: the same
/// arguments give the same trials on every machine.
std::vector<SweepTrial> plan_random(const std::vector<SweepAxis>& axes, int count, std::uint64_t seed);

}  // namespace regimen::cli
