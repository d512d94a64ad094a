#include "interpreter/limits.hpp"

#include <algorithm>
#include <cstdio>
#include <cstdlib>

#include "interpreter/lua_error.hpp"

namespace regimen::lua {
namespace {

// Instructions between two checks: a clock read per 10000 instructions costs nothing measurable.
constexpr int kHookPeriod = 10000;

std::string megabytes(std::size_t bytes) {
  const double mb = static_cast<double>(bytes) / (1024.0 * 1024.0);
  char text[32];
  std::snprintf(text, sizeof text, "%g", mb);
  return text;
}

void check_limits(lua_State* L, lua_Debug*) {
  LuaLimits* limits = limits_of(L);
  if (limits == nullptr) return;
  if (limits->exceeded == LuaLimits::Exceeded::kNone) {
    if (lua_gethookcount(L) != kHookPeriod) {  // a thread still on every instruction from a previous run
      lua_sethook(L, check_limits, LUA_MASKCOUNT, kHookPeriod);
      return;
    }
    limits->instructions += kHookPeriod;
    if (limits->max_instructions != 0 && limits->instructions > limits->max_instructions) {
      limits->exceeded = LuaLimits::Exceeded::kInstructions;
    } else if (limits->timeout_seconds > 0 && std::chrono::steady_clock::now() > limits->deadline) {
      limits->exceeded = LuaLimits::Exceeded::kTime;
    } else {
      return;
    }
  }
  // From now on, on every instruction of this thread: whatever catches the error, the next
  // instruction raises it again.
  lua_sethook(L, check_limits, LUA_MASKCOUNT, 1);
  char message[256];
  {
    const std::string where = user_where(L, 0);
    std::snprintf(message, sizeof message, "%s%s", where.c_str(), limits->message().c_str());
  }
  lua_pushstring(L, message);
  mark_runtime_failure(L);
  lua_error(L);
}

bool limit_exceeded(lua_State* L) {
  const LuaLimits* limits = limits_of(L);
  return limits != nullptr && limits->exceeded != LuaLimits::Exceeded::kNone;
}

// After the original pcall/xpcall/coroutine.resume returned: a false first result during an
// exceeded limit is the limit's error, which must go on up.
int pass_limit_errors(lua_State* L, int /*status*/, lua_KContext) {
  if (limit_exceeded(L) && lua_gettop(L) >= 1 && lua_isboolean(L, 1) && !lua_toboolean(L, 1)) {
    lua_settop(L, 2);
    lua_error(L);
  }
  return lua_gettop(L);
}

// Calls the function in upvalue 1 with this call's arguments, then pass_limit_errors.
int call_passing_limit_errors(lua_State* L) {
  lua_pushvalue(L, lua_upvalueindex(1));
  lua_insert(L, 1);
  lua_callk(L, lua_gettop(L) - 1, LUA_MULTRET, 0, pass_limit_errors);
  return pass_limit_errors(L, LUA_OK, 0);
}

void wrap(lua_State* L, int table, const char* name) {
  lua_getfield(L, table, name);
  if (lua_isnil(L, -1)) {
    lua_pop(L, 1);
    return;
  }
  lua_pushcclosure(L, call_passing_limit_errors, 1);
  lua_setfield(L, table, name);
}

// coroutine.wrap's function raises the coroutine's error itself, so only resume needs the
// wrapper; but a wrap-function re-raising is caught by pcall, which is wrapped.
void wrap_catchers(lua_State* L) {
  lua_pushglobaltable(L);
  const int globals = lua_gettop(L);
  wrap(L, globals, "pcall");
  wrap(L, globals, "xpcall");
  if (lua_getfield(L, globals, "coroutine") == LUA_TTABLE) wrap(L, lua_gettop(L), "resume");
  lua_settop(L, globals - 1);
}

}  // namespace

void LuaLimits::start_clock() {
  deadline = std::chrono::steady_clock::now() +
             std::chrono::duration_cast<std::chrono::steady_clock::duration>(std::chrono::duration<double>(timeout_seconds));
}

std::string LuaLimits::message() const {
  char seconds[32];
  std::snprintf(seconds, sizeof seconds, "%g", timeout_seconds);
  switch (exceeded) {
    case Exceeded::kMemory: return "memory limit of " + megabytes(max_bytes) + " MB exceeded";
    case Exceeded::kInstructions: return "instruction limit of " + std::to_string(max_instructions) + " exceeded";
    case Exceeded::kTime: return std::string("time limit of ") + seconds + " s exceeded";
    case Exceeded::kNone: break;
  }
  return "";
}

void* limited_alloc(void* ud, void* block, std::size_t old_size, std::size_t new_size) {
  auto* limits = static_cast<LuaLimits*>(ud);
  if (block == nullptr) old_size = 0;  // then old_size tells the object's type, not a size
  if (new_size == 0) {
    std::free(block);
    limits->bytes -= old_size;
    return nullptr;
  }
  if (new_size > old_size && limits->max_bytes != 0 &&
      limits->bytes + limits->tensor_bytes + (new_size - old_size) > limits->max_bytes) {
    limits->exceeded = LuaLimits::Exceeded::kMemory;
    return nullptr;
  }
  void* grown = std::realloc(block, new_size);
  if (grown != nullptr) limits->bytes = limits->bytes - old_size + new_size;
  return grown;
}

void check_tensor_bytes(lua_State* L, std::size_t bytes) {
  LuaLimits* limits = limits_of(L);
  if (limits == nullptr) return;
  const auto fits = [&] { return limits->max_bytes == 0 || limits->bytes + limits->tensor_bytes + bytes <= limits->max_bytes; };
  // The collector sees a tensor as its small userdata, not its buffer, so dead tensors may
  // still be counted: collect them before refusing.
  if (!fits()) lua_gc(L, LUA_GCCOLLECT);
  if (!fits()) {
    limits->exceeded = LuaLimits::Exceeded::kMemory;
    char message[160];
    std::snprintf(message, sizeof message, "%s (a tensor of %s MB)", limits->message().c_str(),
                  megabytes(bytes).c_str());
    raise_runtime(L, message);
  }
}

void count_tensor_bytes(lua_State* L, std::size_t bytes) {
  if (LuaLimits* limits = limits_of(L)) limits->tensor_bytes += bytes;
}

void release_tensor_bytes(lua_State* L, std::size_t bytes) {
  if (LuaLimits* limits = limits_of(L)) limits->tensor_bytes -= std::min(bytes, limits->tensor_bytes);
}

LuaLimits* limits_of(lua_State* L) {
  void* ud = nullptr;
  return lua_getallocf(L, &ud) == limited_alloc ? static_cast<LuaLimits*>(ud) : nullptr;
}

void install_limits(lua_State* L) {
  lua_sethook(L, check_limits, LUA_MASKCOUNT, kHookPeriod);
  wrap_catchers(L);
}

}  // namespace regimen::lua
