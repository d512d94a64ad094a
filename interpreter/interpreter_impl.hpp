#pragma once
// Interpreter's private half, shared by interpreter.cpp (the Lua state, loading, resolving) and
// training_run.cpp (training a resolved recipe and reporting it).
#include <omp.h>

#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <lua.hpp>

#include "interpreter/context.hpp"
#include "interpreter/limits.hpp"
#include "interpreter/lua_error.hpp"
#include "interpreter/recipe.hpp"
#include "interpreter/sweep_declaration.hpp"
#include "interpreter/suggest.hpp"
#include "regimen/interpreter.hpp"

namespace regimen {
namespace detail {

/// Closes the Lua state an Interpreter made; leaves alone one it was lent (the Lua module's).
struct LuaClose {
  bool owned = true;
  void operator()(lua_State* L) const {
    if (owned) lua_close(L);
  }
};

/// Calls the function in upvalue 1 with this call's arguments, returning all its results.
int call_first_upvalue(lua_State* L);

/// Opens every DSL module (schedule, optim, nn, ...) as a field of the table at `table`, and as
/// a global too when `as_globals`.
void open_dsl_modules(lua_State* L, lua::Context& context, int table, bool as_globals);

/// Message handler for protected calls: keeps Lua's "file:line: message"; names the type of a
/// non-string error object.
int message_handler(lua_State* L);

/// What resolve_entry resolves, passed as a light userdata.
struct ResolveCall {
  const lua::RecipeOverrides* overrides;
  lua::Recipe* recipe;
};

/// A protected-call entry: (lightuserdata ResolveCall*, recipe table) -> call->recipe resolved.
int resolve_entry(lua_State* L);

}  // namespace detail

struct Interpreter::Impl {
  InterpreterOptions options;
  lua::Context context;
  lua::LuaLimits limits;  // the state's allocator data: declared first, destroyed after it
  std::unique_ptr<lua_State, detail::LuaClose> state;
  std::string chunk_name;
  std::string source_file;  // the recipe file, copied into the run directory; empty for a string
  std::string source_text;  // the recipe's text, which checkpoints record
  std::string default_name;  // the recipe's name when it gives none: its file's stem
  bool loaded = false;

  lua_State* L() const { return state.get(); }
  std::ostream& out() const { return options.out ? *options.out : std::cout; }
  std::ostream& err() const { return options.err ? *options.err : std::cerr; }

  // Throws Error for a failed protected call whose message is on the stack top.
  [[noreturn]] void throw_lua_error() {
    std::string message = lua_isstring(L(), -1) ? lua_tostring(L(), -1) : "unknown error";
    const bool runtime = lua::is_runtime_failure(L(), message);
    lua_settop(L(), 0);
    throw_limit_error(message);
    throw Error(runtime ? Error::Kind::kRuntime : Error::Kind::kRecipe, message);
  }

  // When a limit was exceeded, whatever error reached the host is that limit's (a recipe's
  // xpcall handler may have rewritten it; an allocation failure says only "not enough memory").
  void throw_limit_error(const std::string& message) const {
    if (limits.exceeded == lua::LuaLimits::Exceeded::kNone) return;
    const std::string limit = limits.message();
    if (message.find(limit) != std::string::npos) throw Error(Error::Kind::kRuntime, message);
    throw Error(Error::Kind::kRuntime, chunk_name + ": " + limit);
  }

  // OpenMP's thread count is a per-thread setting, and Eigen follows it while its own global
  // setting stays unset: set in the calling thread at every entry, so that interpreters in
  // different threads each keep their own.
  void apply_threads() const {
    if (options.threads > 0) omp_set_num_threads(options.threads);
  }

  // Each run() and check() gets the whole budget.
  void reset_limits() {
    apply_threads();
    limits.exceeded = lua::LuaLimits::Exceeded::kNone;
    limits.instructions = 0;
    limits.start_clock();
  }

  // Runs the loaded chunk; leaves its first result (or nil) alone on the stack.
  void evaluate() {
    if (!loaded) throw Error(Error::Kind::kRecipe, "no recipe loaded");
    loaded = false;
    reset_limits();
    lua_pushcfunction(L(), detail::message_handler);
    lua_insert(L(), 1);
    if (lua_pcall(L(), 0, 1, 1) != LUA_OK) throw_lua_error();
    lua_remove(L(), 1);
  }

  // Every --set must name a param() the recipe read: a typo must not be silently ignored.
  void check_params_used() {
    const std::vector<std::string> read(context.params_read.begin(), context.params_read.end());
    for (const auto& [name, value] : context.params) {
      if (context.params_read.count(name)) continue;
      std::string known;
      for (const auto& r : read) known += (known.empty() ? "" : ", ") + r;
      throw Error(Error::Kind::kRecipe, "--set " + name + "=" + value + ": " + chunk_name + " has no param '" + name +
                                            "'" + lua::did_you_mean(name, read) +
                                            (known.empty() ? " (it reads none)" : " (it reads " + known + ")"));
    }
  }

  // Runs the loaded chunk and resolves its recipe, which `command` cannot do without.
  lua::Recipe required_recipe(const char* command) {
    evaluate();
    std::optional<lua::Recipe> recipe = resolve();
    if (!recipe) {
      throw Error(Error::Kind::kRecipe,
                  chunk_name + ": a plain script (it returns no recipe); " + command + " needs recipe{...}");
    }
    return std::move(*recipe);
  }

  // Resolves the recipe on the stack top; nullopt for a plain script.
  std::optional<lua::Recipe> resolve() {
    if (lua::is_sweep(L(), -1)) {
      lua_settop(L(), 0);
      throw Error(Error::Kind::kRecipe, chunk_name + " returns sweep{...}, not a recipe: run it as `regimen sweep " + chunk_name +
                                            "`, which reads its recipe, grid or range from it");
    }
    check_params_used();
    if (lua_isnil(L(), -1)) return std::nullopt;
    if (!lua::is_recipe(L(), -1)) {
      const std::string got = luaL_typename(L(), -1);
      lua_settop(L(), 0);
      throw Error(Error::Kind::kRecipe, chunk_name + ": the file returned a " + got +
                                            "; return recipe{...} to train, or nothing to run it as a script");
    }
    lua::RecipeOverrides overrides{options.seed, options.epochs, default_name, chunk_name};
    lua::Recipe recipe;
    detail::ResolveCall call{&overrides, &recipe};
    lua_pushcfunction(L(), detail::message_handler);
    lua_pushcfunction(L(), detail::resolve_entry);
    lua_pushlightuserdata(L(), &call);
    lua_pushvalue(L(), -4);
    if (lua_pcall(L(), 2, 0, -4) != LUA_OK) throw_lua_error();
    lua_settop(L(), 0);
    return recipe;
  }

  RunResult train(lua::Recipe& recipe);
};

}  // namespace regimen
