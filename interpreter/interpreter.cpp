#include "regimen/interpreter.hpp"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <memory>

#include "interpreter/context.hpp"
#include "interpreter/host_binding.hpp"
#include "interpreter/interpreter_impl.hpp"
#include "interpreter/batch_find.hpp"
#include "interpreter/limits.hpp"
#include "interpreter/lr_find.hpp"
#include "interpreter/lua_error.hpp"
#include "interpreter/plot.hpp"
#include "interpreter/recipe.hpp"
#include "interpreter/sweep_declaration.hpp"
#include "interpreter/require.hpp"
#include "interpreter/run_output.hpp"
#include "interpreter/sandbox.hpp"
#include "interpreter/seeded_random.hpp"
#include "interpreter/suggest.hpp"
#include "runtime/error.hpp"

namespace regimen {

const char* version() { return REGIMEN_VERSION; }

namespace detail {

int call_first_upvalue(lua_State* L) {
  lua_pushvalue(L, lua_upvalueindex(1));
  lua_insert(L, 1);
  lua_call(L, lua_gettop(L) - 1, LUA_MULTRET);
  return lua_gettop(L);
}

void open_dsl_modules(lua_State* L, lua::Context& context, int table, bool as_globals) {
  using Opener = int (*)(lua_State*, lua::Context&);
  const std::pair<const char*, Opener> modules[] = {
      {"schedule", lua::open_schedule}, {"optim", lua::open_optim},         {"nn", lua::open_nn},
      {"loss", lua::open_loss},         {"reg", lua::open_reg},             {"data", lua::open_data},
      {"early_stop", lua::open_early_stop}, {"param", lua::open_param},   {"clip", lua::open_clip},
      {"tensor", lua::open_tensor},     {"host", lua::open_host},
      {"augment", lua::open_augment},
  };
  table = lua_absindex(L, table);
  for (const auto& [name, open] : modules) {
    open(L, context);
    if (as_globals) {
      lua_pushvalue(L, -1);
      lua_setglobal(L, name);
    }
    lua_setfield(L, table, name);
  }
}

}  // namespace detail

namespace {

using detail::call_first_upvalue;

// Adds the DSL: each module as a global and as a field of `require "regimen"`.
void install_dsl(lua_State* L, lua::Context& context) {
  lua_newtable(L);
  const int regimen = lua_gettop(L);
  detail::open_dsl_modules(L, context, regimen, true);
  lua::install_require(L, context, regimen);
  // regimen.internal is what stdlib modules build on; load it into require's cache.
  lua_getglobal(L, "require");
  lua_pushliteral(L, "regimen");
  lua_call(L, 1, 0);
  lua_getfield(L, LUA_REGISTRYINDEX, "regimen.loaded");
  lua::open_internal(L, context);
  lua_setfield(L, -2, "regimen.internal");
  lua_pop(L, 1);
  // recipe{...} lives in the Lua stdlib, called through a C function: `return recipe{...}` is a
  // tail call, and a tail call into a Lua function erases the recipe's frame (and its line),
  // whereas a C callee keeps the caller's frame on the stack.
  for (const char* name : {"recipe", "sweep"}) {
    lua_getglobal(L, "require");
    lua_pushfstring(L, "regimen.%s", name);
    lua_call(L, 1, 1);
    lua_pushcclosure(L, call_first_upvalue, 1);
    lua_pushvalue(L, -1);
    lua_setfield(L, regimen, name);
    lua_setglobal(L, name);
  }
}

int open_everything(lua_State* L) {
  auto* context = static_cast<lua::Context*>(lua_touserdata(L, 1));
  lua::open_libraries(L, context->trusted);
  lua::install_limits(L);  // first: threads made from here on inherit the hook
  lua::install_seeded_random(L, context->seed.value_or(0));
  install_dsl(L, *context);
  if (!context->trusted) lua::seal_sandbox(L);
  lua::guard_globals(L, context->trusted);
  return 0;
}

}  // namespace

namespace detail {

int message_handler(lua_State* L) {
  if (!lua_isstring(L, 1)) {
    lua_pushfstring(L, "(error object is a %s value)", luaL_typename(L, 1));
  }
  return 1;
}

int resolve_entry(lua_State* L) {
  auto* call = static_cast<ResolveCall*>(lua_touserdata(L, 1));
  lua_settop(L, 2);
  lua::resolve_recipe(L, *call->overrides, *call->recipe);
  return 0;
}

}  // namespace detail

using detail::message_handler;


Interpreter::Interpreter(InterpreterOptions options) : impl_(std::make_unique<Impl>()) {
  impl_->options = std::move(options);
  impl_->context.trusted = impl_->options.trusted;
  impl_->context.seed = impl_->options.seed;
  impl_->limits.max_bytes = static_cast<std::size_t>(std::max(0.0, impl_->options.max_memory_mb) * 1024.0 * 1024.0);
  impl_->limits.max_instructions = impl_->options.max_instructions;
  impl_->limits.timeout_seconds = std::max(0.0, impl_->options.timeout_seconds);
  impl_->limits.start_clock();
  impl_->state.reset(lua_newstate(lua::limited_alloc, &impl_->limits));
  if (!impl_->state) throw Error(Error::Kind::kRuntime, "cannot create a Lua state (out of memory)");
  lua_atpanic(impl_->L(), [](lua_State* L) {  // not reached: every entry into Lua is protected
    std::fprintf(stderr, "regimen: unprotected Lua error: %s\n", lua_tostring(L, -1));
    return 0;
  });
  lua_State* L = impl_->L();
  lua_pushcfunction(L, open_everything);
  lua_pushlightuserdata(L, &impl_->context);
  if (lua_pcall(L, 1, 0, 0) != LUA_OK) impl_->throw_lua_error();
  impl_->apply_threads();
}

Interpreter::~Interpreter() = default;

void Interpreter::set_param(const std::string& name, const std::string& value) { impl_->context.params[name] = value; }

void Interpreter::bind_dataset(const std::string& name, HostDataset host) {
  impl_->context.host_datasets[name] = lua::borrow_host_dataset(name, host);
}

void Interpreter::bind_model(const std::string& name, HostModel model) {
  lua::check_host_model(name, model);
  impl_->context.host_models[name] = std::move(model);
}

void Interpreter::register_function(const std::string& name, HostFunction function) {
  lua::check_host_function_name(name);
  if (!function) throw Error(Error::Kind::kRecipe, "register_function '" + name + "': the function is empty");
  impl_->context.host_functions[name] = std::move(function);
}

void Interpreter::load_file(const std::string& path, const std::string& origin) {
  if (!std::filesystem::is_regular_file(path)) throw Error(Error::Kind::kRecipe, path + ": no such file");
  lua_settop(impl_->L(), 0);
  if (luaL_loadfilex(impl_->L(), path.c_str(), "t") != LUA_OK) impl_->throw_lua_error();
  impl_->chunk_name = path;
  impl_->source_file = path;
  impl_->source_text = lua::read_source(path);
  const std::filesystem::path folder = std::filesystem::path(origin.empty() ? path : origin).parent_path();
  impl_->context.recipe_dir = (folder.empty() ? std::filesystem::path(".") : folder).string();
  impl_->default_name = std::filesystem::path(origin.empty() ? path : origin).stem().string();
  impl_->loaded = true;
}

void Interpreter::load_string(const std::string& text, const std::string& chunk_name) {
  lua_settop(impl_->L(), 0);
  const std::string name = "=" + chunk_name;
  if (luaL_loadbufferx(impl_->L(), text.data(), text.size(), name.c_str(), "t") != LUA_OK) impl_->throw_lua_error();
  impl_->chunk_name = chunk_name;
  impl_->default_name = std::filesystem::path(chunk_name).stem().string();
  impl_->source_file.clear();
  impl_->source_text = text;
  impl_->loaded = true;
}

std::string Interpreter::check() {
  impl_->evaluate();
  auto recipe = impl_->resolve();
  if (!recipe) return impl_->chunk_name + ": a plain script (it returns no recipe)\n";
  return recipe->describe();
}

LrFindResult Interpreter::find_lr(const LrFindOptions& options) {
  lua::Recipe recipe = impl_->required_recipe("lr-find");
  return lua::reported(recipe.where, [&] { return lua::find_lr(recipe, options); });
}

BatchFindResult Interpreter::find_batch_size(const BatchFindOptions& options) {
  lua::Recipe recipe = impl_->required_recipe("batch-find");
  return lua::reported(recipe.where, [&] { return lua::find_batch_size(recipe, options); });
}

SchedulePlan Interpreter::plan() {
  lua::Recipe recipe = impl_->required_recipe("plot");
  return lua::reported(recipe.where, [&] { return lua::plan_recipe(recipe); });
}

SchedulePlan Interpreter::plan_schedule(std::int64_t steps) {
  if (steps <= 0) throw Error(Error::Kind::kRecipe, "plot: steps must be > 0, got " + std::to_string(steps));
  impl_->evaluate();
  impl_->check_params_used();
  lua::PlotScheduleCall call{impl_->chunk_name.c_str(), schedule::RunLength::uniform(static_cast<double>(steps), 1), nullptr};
  lua_State* L = impl_->L();
  lua_pushcfunction(L, message_handler);
  lua_pushcfunction(L, lua::plot_schedule_entry);
  lua_pushlightuserdata(L, &call);
  lua_pushvalue(L, -4);
  if (lua_pcall(L, 2, 0, -4) != LUA_OK) impl_->throw_lua_error();
  lua_settop(L, 0);
  return lua::reported(impl_->chunk_name, [&] { return lua::plan_one(impl_->chunk_name, call.schedule, call.run); });
}

std::optional<SweepDeclaration> Interpreter::declared_sweep() {
  impl_->evaluate();
  lua_State* L = impl_->L();
  std::optional<SweepDeclaration> declared;
  if (lua::is_sweep(L, -1)) declared = lua::read_sweep(L, -1, impl_->context.recipe_dir);
  lua_settop(L, 0);
  return declared;
}

RunResult Interpreter::run() {
  impl_->evaluate();
  auto recipe = impl_->resolve();
  if (!recipe) return {};
  return impl_->train(*recipe);
}

}  // namespace regimen
