#pragma once
// The environment recipes run in. Default-deny (as Redis's scripting engine): only the pure
// libraries are opened (and os.time, os.clock); reading an undefined global is an error, so a typo cannot become a
// silent nil, and reaching for io/os/debug says how to get them.
#include <lua.hpp>

namespace regimen::lua {

/// Opens the standard libraries: all of them when `trusted`, else base (without dofile,
/// loadfile, binary chunks, string.dump), string, table, math, utf8 and coroutine.
void open_libraries(lua_State* L, bool trusted);

/// After the DSL is installed, in the sandbox only: the DSL and library tables (and require's
/// cached modules) become read-only, the shared metatables are hidden, rawset refuses the
/// read-only tables, and costly string patterns are refused (pattern_guard.hpp).
void seal_sandbox(lua_State* L);

/// Makes reading an undefined global an error naming it (with a suggestion), and naming the
/// sandbox when the global is a library only --trusted recipes get.
void guard_globals(lua_State* L, bool trusted);

}  // namespace regimen::lua
