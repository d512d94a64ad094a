#pragma once
// What the bindings of one interpreter share: reached through an upvalue of every bound
// function, never through a global, so interpreters in different threads stay independent.
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>

#include <lua.hpp>

#include "regimen/interpreter.hpp"
#include "runtime/data/dataset.hpp"

namespace regimen::lua {

/// Per-interpreter state visible to the bindings.
struct Context {
  bool trusted = false;
  std::optional<std::uint64_t> seed;           ///< --seed, when given
  std::map<std::string, std::string> params;   ///< --set name=value, unparsed
  std::set<std::string> params_read;           ///< names param() was asked for
  std::string recipe_dir = ".";                ///< require() looks for .lua files here
  /// What the host bound: host.dataset(name) and host.<name>(...).
  std::map<std::string, std::shared_ptr<const data::Table>> host_datasets;
  std::map<std::string, HostFunction> host_functions;
  std::map<std::string, HostModel> host_models;
};

/// Registers `functions` into the table on the stack top, each with the Context as upvalue.
void set_functions(lua_State* L, Context& context, const luaL_Reg* functions);
/// The Context of a bound function (its first upvalue).
Context& context_of(lua_State* L);

/// Module openers, one per binding file: each pushes its module table.
int open_schedule(lua_State* L, Context& context);
int open_optim(lua_State* L, Context& context);
int open_nn(lua_State* L, Context& context);
int open_loss(lua_State* L, Context& context);
int open_reg(lua_State* L, Context& context);
int open_clip(lua_State* L, Context& context);
int open_augment(lua_State* L, Context& context);
int open_data(lua_State* L, Context& context);
int open_early_stop(lua_State* L, Context& context);  ///< pushes the early_stop function
int open_param(lua_State* L, Context& context);       ///< pushes the param function
int open_internal(lua_State* L, Context& context);    ///< helpers for stdlib/*.lua
int open_tensor(lua_State* L, Context& context);
int open_host(lua_State* L, Context& context);

}  // namespace regimen::lua
