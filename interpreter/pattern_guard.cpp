#include "interpreter/pattern_guard.hpp"

#include <cmath>
#include <cstdio>
#include <string_view>

#include "interpreter/lua_error.hpp"

namespace regimen::lua {
namespace {

constexpr const char* kGuarded[] = {"find", "match", "gmatch", "gsub"};

int guarded_pattern_call(lua_State* L) {
  std::size_t n = 0, p = 0;
  luaL_checklstring(L, 1, &n);
  const char* pattern = luaL_checklstring(L, 2, &p);
  const bool plain = lua_toboolean(L, 4) && std::string_view(lua_tostring(L, lua_upvalueindex(2))) == "find";
  if (!plain) {
    const int k = pattern_repetitions(pattern, p);
    const bool anchored = p > 0 && pattern[0] == '^';
    const double steps = std::pow(static_cast<double>(n) + 1.0, k + (anchored ? 0 : 1));
    if (steps > kMaxPatternSteps) {
      char message[240];
      std::snprintf(message, sizeof message,
                    "string.%s: a pattern with %d repetitions over %zu characters may take %.0e steps, more "
                    "than the sandbox allows (%.0e); shorten the subject or simplify the pattern",
                    lua_tostring(L, lua_upvalueindex(2)), k, n, steps, kMaxPatternSteps);
      raise_runtime(L, message);
    }
  }
  lua_pushvalue(L, lua_upvalueindex(1));
  lua_insert(L, 1);
  lua_call(L, lua_gettop(L) - 1, LUA_MULTRET);
  return lua_gettop(L);
}

}  // namespace

int pattern_repetitions(const char* pattern, std::size_t length) {
  int count = 0;
  for (std::size_t i = 0; i < length; ++i) {
    const char c = pattern[i];
    if (c == '%') {
      ++i;  // the escaped character (or class letter) is not an operator
    } else if (c == '[') {
      // Skip the set: a ']' right after '[' or '[^' belongs to it; '%' escapes inside it too.
      ++i;
      if (i < length && pattern[i] == '^') ++i;
      if (i < length && pattern[i] == ']') ++i;
      while (i < length && pattern[i] != ']') i += pattern[i] == '%' ? 2 : 1;
    } else if (c == '*' || c == '+' || c == '-' || c == '?') {
      if (i > 0) ++count;  // a leading one is a literal character
    }
  }
  return count;
}

void guard_patterns(lua_State* L) {
  if (lua_getglobal(L, "string") != LUA_TTABLE) {
    lua_pop(L, 1);
    return;
  }
  for (const char* name : kGuarded) {
    lua_getfield(L, -1, name);
    lua_pushstring(L, name);
    lua_pushcclosure(L, guarded_pattern_call, 2);
    lua_setfield(L, -2, name);
  }
  lua_pop(L, 1);
}

}  // namespace regimen::lua
