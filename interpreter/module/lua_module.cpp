// `require "regimen"` from stock Lua 5.4 (the lua5.4 program, or any application's Lua): the
// DSL as a table, and regimen.run(recipe[, options]) to train a recipe and get its result as a
// table. No sandbox and no limits: it is the caller's own Lua. The module drives an
// Interpreter::Impl over the caller's state (which it does not own) and keeps it in a userdata
// that Lua collects with the module.
//
// Errors: Lua built as C (Debian's lua5.4) raises by longjmp, so, as everywhere at the Lua
// boundary, nothing with a destructor may be alive when an error is raised: messages are copied
// into fixed buffers before the raise.
#include <cstdio>
#include <cstring>
#include <new>

#include "interpreter/interpreter_impl.hpp"
#include "interpreter/stdlib_sources.hpp"

namespace regimen::detail {

struct LuaModule {
  static int open(lua_State* L);

 private:
  static constexpr const char* kImplType = "regimen.ModuleInterpreter";

  static Interpreter::Impl*& impl_slot(lua_State* L, int index) {
    return *static_cast<Interpreter::Impl**>(luaL_checkudata(L, index, kImplType));
  }
  static int collect(lua_State* L) {
    Interpreter::Impl*& impl = impl_slot(L, 1);
    delete impl;
    impl = nullptr;
    return 0;
  }
  // package.preload loader of an embedded stdlib module (its index in upvalue 1).
  static int load_stdlib(lua_State* L) {
    const auto& source = lua::stdlib_sources()[static_cast<std::size_t>(lua_tointeger(L, lua_upvalueindex(1)))];
    char chunk_name[128];
    std::snprintf(chunk_name, sizeof chunk_name, "%s%s", lua::kStdlibChunkPrefix, source.module);
    if (luaL_loadbufferx(L, source.text, source.size, chunk_name, "t") != LUA_OK) return lua_error(L);
    lua_call(L, 0, 1);
    return 1;
  }
  static int load_internal(lua_State* L) {
    return lua::open_internal(L, *static_cast<lua::Context*>(lua_touserdata(L, lua_upvalueindex(1))));
  }
  static void preload(lua_State* L, lua::Context& context);
  static void read_run_options(lua_State* L, int index, InterpreterOptions& options);
  static void push_result(lua_State* L, const RunResult& result);
  static int run(lua_State* L);
};

void LuaModule::preload(lua_State* L, lua::Context& context) {
  luaL_getsubtable(L, LUA_REGISTRYINDEX, LUA_PRELOAD_TABLE);
  const auto sources = lua::stdlib_sources();
  for (std::size_t i = 0; i < sources.size(); ++i) {
    lua_pushinteger(L, static_cast<lua_Integer>(i));
    lua_pushcclosure(L, load_stdlib, 1);
    lua_setfield(L, -2, sources[i].module);
  }
  lua_pushlightuserdata(L, &context);
  lua_pushcclosure(L, load_internal, 1);
  lua_setfield(L, -2, "regimen.internal");
  lua_pop(L, 1);
}

// regimen.run(recipe, {threads = N, quiet = true, out = "runs/x"}): options a run may take.
void LuaModule::read_run_options(lua_State* L, int index, InterpreterOptions& options) {
  if (lua_isnoneornil(L, index)) return;
  luaL_checktype(L, index, LUA_TTABLE);
  if (lua_getfield(L, index, "threads") != LUA_TNIL) options.threads = static_cast<int>(luaL_checkinteger(L, -1));
  if (lua_getfield(L, index, "quiet") != LUA_TNIL) options.output = lua_toboolean(L, -1) ? OutputMode::kQuiet : OutputMode::kLines;
  if (lua_getfield(L, index, "out") != LUA_TNIL) options.out_dir = luaL_checkstring(L, -1);
  lua_pop(L, 3);
}

void LuaModule::push_result(lua_State* L, const RunResult& result) {
  lua_createtable(L, 0, 6);
  lua_createtable(L, static_cast<int>(result.history.size()), 0);
  for (std::size_t e = 0; e < result.history.size(); ++e) {
    lua_createtable(L, 0, static_cast<int>(result.history[e].size()));
    for (const auto& [name, value] : result.history[e]) {
      lua_pushnumber(L, value);
      lua_setfield(L, -2, name.c_str());
    }
    lua_rawseti(L, -2, static_cast<lua_Integer>(e + 1));
  }
  lua_setfield(L, -2, "history");
  lua_createtable(L, 0, static_cast<int>(result.test.size()));
  for (const auto& [name, value] : result.test) {
    lua_pushnumber(L, value);
    lua_setfield(L, -2, name.c_str());
  }
  lua_setfield(L, -2, "test");
  if (!result.stop_reason.empty()) {
    lua_pushstring(L, result.stop_reason.c_str());
    lua_setfield(L, -2, "stop_reason");
  }
  if (result.best_epoch >= 0) {
    lua_pushinteger(L, result.best_epoch + 1);  // Lua counts epochs from 1, as the run's lines do
    lua_setfield(L, -2, "best_epoch");
    lua_pushnumber(L, result.best_value);
    lua_setfield(L, -2, "best_value");
    lua_pushstring(L, result.monitor.c_str());
    lua_setfield(L, -2, "monitor");
  }
  if (!result.run_dir.empty()) {
    lua_pushstring(L, result.run_dir.c_str());
    lua_setfield(L, -2, "run_dir");
  }
}

int LuaModule::run(lua_State* L) {
  Interpreter::Impl& impl = *impl_slot(L, lua_upvalueindex(1));
  char failure[2048] = "";
  bool trained = false;
  RunResult result;
  {
    InterpreterOptions options = impl.options;
    read_run_options(L, 2, options);
    lua_settop(L, 1);  // the recipe on top, as resolve() wants it
    const InterpreterOptions saved = std::exchange(impl.options, options);
    try {
      std::optional<lua::Recipe> recipe = impl.resolve();
      if (recipe) {
        impl.apply_threads();
        result = impl.train(*recipe);
        trained = true;
      } else {
        std::snprintf(failure, sizeof failure, "regimen.run: expected a recipe{...}, got nil");
      }
    } catch (const std::exception& e) {
      std::snprintf(failure, sizeof failure, "%s", e.what());
    }
    impl.options = saved;
  }
  if (!trained) {
    lua_pushstring(L, failure);
    result = RunResult();  // nothing with heap memory stays alive across the raise
    return lua_error(L);
  }
  push_result(L, result);
  return 1;
}

int LuaModule::open(lua_State* L) {
  auto** slot = static_cast<Interpreter::Impl**>(lua_newuserdatauv(L, sizeof(Interpreter::Impl*), 0));
  *slot = nullptr;
  if (luaL_newmetatable(L, kImplType)) {
    lua_pushcfunction(L, collect);
    lua_setfield(L, -2, "__gc");
  }
  lua_setmetatable(L, -2);
  const int holder = lua_gettop(L);
  *slot = new (std::nothrow) Interpreter::Impl();
  if (*slot == nullptr) return luaL_error(L, "regimen: out of memory");
  Interpreter::Impl& impl = **slot;
  impl.options.trusted = impl.context.trusted = true;  // the caller's own Lua: nothing to guard
  impl.state = std::unique_ptr<lua_State, LuaClose>(L, LuaClose{false});
  impl.chunk_name = impl.default_name = "regimen.run";
  preload(L, impl.context);
  lua_newtable(L);
  const int module = lua_gettop(L);
  open_dsl_modules(L, impl.context, module, false);
  // recipe{...} is the stdlib's, called through a C function as in the interpreter.
  lua_getglobal(L, "require");
  lua_pushliteral(L, "regimen.recipe");
  lua_call(L, 1, 1);
  lua_pushcclosure(L, call_first_upvalue, 1);
  lua_setfield(L, module, "recipe");
  lua_pushvalue(L, holder);
  lua_pushcclosure(L, run, 1);
  lua_setfield(L, module, "run");
  lua_pushstring(L, version());
  lua_setfield(L, module, "version");
  return 1;
}

}  // namespace regimen::detail

/// Lua's entry point for `require "regimen"`.
extern "C" int luaopen_regimen(lua_State* L) { return regimen::detail::LuaModule::open(L); }
