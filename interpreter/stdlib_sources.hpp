#pragma once
// The stdlib/*.lua files, compiled into the binary by cmake/embed_stdlib.cmake.
#include <cstddef>
#include <span>

namespace regimen::lua {

/// One embedded Lua module.
struct StdlibSource {
  const char* module;  ///< "regimen.recipe" for stdlib/regimen/recipe.lua
  const char* text;
  std::size_t size;
};

/// Every embedded module, sorted by file name.
std::span<const StdlibSource> stdlib_sources();

}  // namespace regimen::lua
