#pragma once
// Lua's pattern matcher backtracks: a pattern with k repetition items (*, +, -, ?) can take
// about n^k steps on a subject of n characters, and a count hook never fires inside it (it is
// one C call). `(".-"):rep(8) .. "b"` against 300 a's runs for hours. In the sandbox,
// string.find, match, gmatch and gsub refuse a call whose worst case n^(k+1) (every start
// position, then k nested choices) exceeds kMaxPatternSteps, before matching.
#include <cstddef>

#include <lua.hpp>

namespace regimen::lua {

/// The worst-case step count a sandboxed pattern call may have.
inline constexpr double kMaxPatternSteps = 1e12;

/// The number of repetition items in a Lua pattern (outside sets, not escaped by %).
int pattern_repetitions(const char* pattern, std::size_t length);

/// Wraps string.find, match, gmatch and gsub (the library table and the strings' metatable
/// share the functions, so both see the wrapped ones).
void guard_patterns(lua_State* L);

}  // namespace regimen::lua
