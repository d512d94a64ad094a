#pragma once
// What the subcommands that load a recipe share: their command line's one positional FILE,
// --set NAME=VALUE, and the sandbox's default heap limit.
#include <string>
#include <vector>

#include <boost/program_options.hpp>

#include "regimen/interpreter.hpp"

namespace regimen::cli {

/// The sandbox's heap limit when --max-memory is not given, in MiB: far above what a recipe's Lua
/// needs (data and models live outside the Lua heap), far below what takes a machine down.
constexpr double kDefaultSandboxMemoryMb = 1024;

/// Parses `args` against `description` plus a hidden positional FILE (stored into `file`).
inline boost::program_options::variables_map parse_with_file(const std::vector<std::string>& args,
                                                             const boost::program_options::options_description& description,
                                                             std::string& file) {
  namespace po = boost::program_options;
  po::options_description hidden;
  hidden.add_options()("file", po::value(&file));
  po::options_description all;
  all.add(description).add(hidden);
  po::positional_options_description positional;
  positional.add("file", 1);
  po::variables_map vm;
  po::store(po::command_line_parser(args).options(all).positional(positional).run(), vm);
  po::notify(vm);
  return vm;
}

/// Hands each NAME=VALUE to the interpreter; throws a usage error for one without a NAME=.
inline void apply_sets(Interpreter& interpreter, const std::vector<std::string>& sets) {
  for (const auto& set : sets) {
    const auto equals = set.find('=');
    if (equals == std::string::npos || equals == 0)
      throw boost::program_options::error("--set expects NAME=VALUE, got '" + set + "'");
    interpreter.set_param(set.substr(0, equals), set.substr(equals + 1));
  }
}

}  // namespace regimen::cli
