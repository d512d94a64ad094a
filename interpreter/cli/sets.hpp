#pragma once
// --set NAME=VALUE, shared by the subcommands that load a recipe.
#include <string>
#include <vector>

#include <boost/program_options.hpp>

#include "regimen/interpreter.hpp"

namespace regimen::cli {

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
