#pragma once
// How bound functions fail. Every message blames the recipe line that made the call (not a
// stdlib frame), in Lua's own "file:line: message" shape.
#include <cstdio>
#include <exception>
#include <new>
#include <stdexcept>
#include <string>

#include <lua.hpp>

namespace regimen::lua {

/// An error in Lua code that C++ called back (a schedule function), or about what it returned.
/// Its message is complete and located ("recipe.lua:7: attempt to index a nil value"): guarded()
/// re-raises it unchanged, as a recipe error; outside Lua it is reported as it is (exit code 2).
struct CallbackError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// Raises `message` as it is, without adding a location. Never returns.
[[noreturn]] void raise_as_is(lua_State* L, const char* message);

/// Chunk names of embedded stdlib modules start with this; such frames are never blamed.
inline constexpr const char* kStdlibChunkPrefix = "=stdlib:";

/// "file:line: " of the innermost frame running recipe code, or "" when there is none. Starts
/// at `first_level` 1, the caller of the running C function; a hook starts at 0.
std::string user_where(lua_State* L, int first_level = 1);

/// Raises a Lua error with `message`, prefixed by user_where(). Never returns.
[[noreturn]] void raise(lua_State* L, const char* message);
[[noreturn]] inline void raise(lua_State* L, const std::string& message) { raise(L, message.c_str()); }

/// Marks the error being raised as a runtime failure (exit code 1) rather than a recipe
/// mistake (exit code 2), then raises it like raise().
[[noreturn]] void raise_runtime(lua_State* L, const char* message);

/// Records the message on the stack top as a runtime failure, for an error raised otherwise.
void mark_runtime_failure(lua_State* L);

/// True when `message` is the last error raised through raise_runtime() in this state.
bool is_runtime_failure(lua_State* L, const std::string& message);

/// Runs `compute` and returns its result; a C++ exception it throws becomes a Lua error (an
/// InvalidArgument a recipe error, anything else a runtime failure) raised only after the
/// exception object is gone. Lua errors raised inside propagate untouched; a CallbackError is
/// raised with its message as it is.
template <typename Compute>
int guarded(lua_State* L, const char* function, Compute&& compute) {
  // A fixed buffer, so nothing with a destructor is alive when the error is raised (with the C
  // build of Lua, lua_error longjmps).
  char failure[1024];
  bool runtime = false;
  bool as_is = false;
  try {
    return compute();
  } catch (const CallbackError& e) {
    std::snprintf(failure, sizeof failure, "%s", e.what());
    as_is = true;
  } catch (const std::invalid_argument& e) {
    std::snprintf(failure, sizeof failure, "%s: %s", function, e.what());
  } catch (const std::bad_alloc&) {
    std::snprintf(failure, sizeof failure, "%s: out of memory", function);
    runtime = true;
  } catch (const std::exception& e) {
    std::snprintf(failure, sizeof failure, "%s: %s", function, e.what());
    runtime = true;
  }
  if (as_is) raise_as_is(L, failure);
  if (runtime) raise_runtime(L, failure);
  raise(L, failure);
}

}  // namespace regimen::lua
