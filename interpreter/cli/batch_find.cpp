#include "interpreter/cli/batch_find.hpp"

#include <algorithm>
#include <cstdio>
#include <iostream>

#include <boost/program_options.hpp>

#include "interpreter/cli/sets.hpp"
#include "regimen/interpreter.hpp"
#include "runtime/byte_size.hpp"

namespace po = boost::program_options;

namespace regimen::cli {
namespace {

struct BatchFindLine {
  std::string file;
  std::string budget;
  std::vector<std::string> sets;
  BatchFindOptions find;
  InterpreterOptions options;
  bool help = false;
};

bool parse(const std::vector<std::string>& args, BatchFindLine& line) {
  po::options_description description("options");
  description.add_options()
      ("help,h", po::bool_switch(&line.help), "show this help")
      ("memory-budget", po::value(&line.budget), "SIZE: e.g. 256MB, 1.5GB (default: the recipe's memory_budget, else 256MB)")
      ("seconds", po::value(&line.find.seconds), "S: time each batch size at least this long (default 0.5)")
      ("set", po::value(&line.sets)->composing(), "NAME=VALUE: override param(NAME, default) in the recipe (repeatable)")
      ("threads", po::value(&line.options.threads), "N: compute threads (default: every core)")
      ("trusted", po::bool_switch(&line.options.trusted), "lift the sandbox: give the recipe io, os, debug and package");
  parse_with_file(args, description, line.file);
  if (line.help) {
    std::cout << "usage: regimen batch-find FILE [options]\n\n"
                 "The largest batch size whose memory fits the budget (as batch_size = \"auto\" picks it), and the\n"
                 "training throughput of every power of two up to it. Nothing is saved.\n\n"
              << description << "\n";
    return false;
  }
  if (line.file.empty()) throw po::error("missing the recipe FILE");
  if (!line.budget.empty()) {
    const auto bytes = parse_byte_size(line.budget);
    if (!bytes || *bytes == 0) throw po::error("--memory-budget: cannot read '" + line.budget + "' as a size (e.g. 256MB)");
    line.find.memory_budget = *bytes;
  }
  if (!(line.find.seconds > 0.0)) throw po::error("--seconds must be > 0");
  return true;
}

}  // namespace

int batch_find_command(const std::vector<std::string>& args) {
  BatchFindLine line;
  if (!parse(args, line)) return 0;
  line.options.output = OutputMode::kQuiet;
  Interpreter interpreter(line.options);
  apply_sets(interpreter, line.sets);
  interpreter.load_file(line.file);
  const BatchFindResult result = interpreter.find_batch_size(line.find);
  std::cout << "memory_budget " << format_byte_size(result.memory_budget) << ": " << format_byte_size(result.bytes_per_sample)
            << " per sample, " << format_byte_size(result.fixed_bytes) << " for the parameters\n";
  double fastest = 0.0;
  for (const BatchSizeRow& row : result.rows) fastest = std::max(fastest, row.samples_per_second);
  std::printf("%10s  %10s  %12s  %s\n", "batch_size", "memory", "samples/s", "of the fastest");
  for (const BatchSizeRow& row : result.rows) {
    std::printf("%10lld  %10s  %12.0f  %5.1f%%\n", static_cast<long long>(row.batch_size), format_byte_size(row.bytes).c_str(),
                row.samples_per_second, fastest > 0 ? 100.0 * row.samples_per_second / fastest : 0.0);
  }
  std::cout << "largest batch that fits: " << result.largest << "\n";
  return 0;
}

}  // namespace regimen::cli
