// Parameter groups in the DSL: optim.adamw{..., groups = { {match = "*.bias", weight_decay = 0} }}.
// Every group is built by the same constructor as the optimizer itself, from the options with
// the group's overrides laid over them, so a group accepts exactly the options (and schedules)
// the optimizer does, checked the same way.
#include "interpreter/bind/optim_groups.hpp"

#include <cstring>
#include <string>
#include <vector>

#include "interpreter/bind/types.hpp"
#include "interpreter/lua_error.hpp"
#include "interpreter/suggest.hpp"
#include "interpreter/userdata.hpp"
#include "runtime/optim/grouped_optimizer.hpp"

namespace regimen::lua {
namespace {

constexpr const char* kSelectorKeys[] = {"match", "layer", "ndim"};

bool is_selector_key(const char* key) {
  for (const char* s : kSelectorKeys)
    if (std::strcmp(key, s) == 0) return true;
  return false;
}

// Copies the string-keyed fields of the table at `from` into the table at `to`, except `groups`
// and the selector keys.
void copy_options(lua_State* L, int from, int to) {
  for (lua_pushnil(L); lua_next(L, from) != 0; lua_pop(L, 1)) {
    if (lua_type(L, -2) == LUA_TSTRING) {
      const char* key = lua_tostring(L, -2);
      if (std::strcmp(key, "groups") == 0 || is_selector_key(key)) continue;
    }
    lua_pushvalue(L, -2);
    lua_pushvalue(L, -2);
    lua_settable(L, to);
  }
}

// Calls make (as a closure over this function's Context upvalue) on the table at `options`;
// pushes the optimizer. An error is re-raised with `label` ("groups[2]: ") after the function
// name, so that it says which group is wrong.
void call_make(lua_State* L, lua_CFunction make, int options, const char* label) {
  lua_pushvalue(L, lua_upvalueindex(1));
  lua_pushcclosure(L, make, 1);
  lua_pushvalue(L, options);
  if (lua_pcall(L, 1, 1, 0) == LUA_OK) return;
  if (label[0] != '\0' && lua_type(L, -1) == LUA_TSTRING) {
    {
      std::string message = lua_tostring(L, -1);
      const std::size_t at = message.find("optim.");
      const std::size_t colon = at == std::string::npos ? at : message.find(": ", at);
      if (colon != std::string::npos) message.insert(colon + 2, label);
      lua_pushlstring(L, message.data(), message.size());
    }
    lua_replace(L, -2);
  }
  lua_error(L);
}

// Reads the selector of the group table at `group`; raises naming `function` and `label`.
optim::GroupSelector read_selector(lua_State* L, int group, const std::string& where) {
  optim::GroupSelector selector;
  for (const char* key : {"match", "layer"}) {
    const int type = lua_getfield(L, group, key);
    if (type != LUA_TNIL && type != LUA_TSTRING)
      raise(L, where + "'" + key + "' must be a string, got " + luaL_typename(L, -1));
    if (type == LUA_TSTRING) (key[0] == 'm' ? selector.match : selector.layer) = lua_tostring(L, -1);
    lua_pop(L, 1);
  }
  const int type = lua_getfield(L, group, "ndim");
  if (type != LUA_TNIL) {
    if (!lua_isinteger(L, -1) || lua_tointeger(L, -1) < 1 || lua_tointeger(L, -1) > 8)
      raise(L, where + "'ndim' must be an integer from 1 to 8, got " + luaL_tolstring(L, -1, nullptr));
    selector.ndim = static_cast<int>(lua_tointeger(L, -1));
  }
  lua_pop(L, 1);
  if (selector.match.empty() && selector.layer.empty() && selector.ndim == 0)
    raise(L, where + "a group needs 'match', 'layer' or 'ndim' to select parameters");
  return selector;
}

}  // namespace

int make_with_groups(lua_State* L, lua_CFunction make) {
  if (lua_type(L, 1) != LUA_TTABLE) return make(L);
  lua_settop(L, 1);
  if (lua_getfield(L, 1, "groups") == LUA_TNIL) {
    lua_pop(L, 1);
    return make(L);
  }
  const int groups = 2;
  lua_newtable(L);
  const int base = 3;
  copy_options(L, 1, base);
  call_make(L, make, base, "");
  const int rest = 4;
  const std::string function = "optim." + (*test_object<OptimizerBox>(L, rest, kOptimizerType))->name();
  if (!lua_istable(L, groups) || luaL_len(L, groups) == 0)
    raise(L, function + ": option 'groups' must be a list of tables like {match = \"*.bias\", weight_decay = 0}");

  const lua_Integer n = luaL_len(L, groups);
  std::vector<int> selectors_at;  // stack index of each group's optimizer
  std::vector<optim::GroupSelector> selectors;
  std::vector<bool> own_lr;
  for (lua_Integer i = 1; i <= n; ++i) {
    const std::string label = "groups[" + std::to_string(i) + "]: ";
    if (lua_geti(L, groups, i) != LUA_TTABLE)
      raise(L, function + ": " + label + "must be a table, got " + luaL_typename(L, -1));
    const int group = lua_gettop(L);
    selectors.push_back(read_selector(L, group, function + ": " + label));
    lua_getfield(L, group, "lr");
    own_lr.push_back(!lua_isnil(L, -1));
    lua_pop(L, 1);
    lua_newtable(L);
    const int merged = lua_gettop(L);
    copy_options(L, base, merged);
    copy_options(L, group, merged);
    call_make(L, make, merged, label.c_str());
    lua_replace(L, group);  // the optimizer takes the group table's slot
    lua_settop(L, group);
    selectors_at.push_back(group);
  }

  OptimizerBox built;
  guarded(L, function.c_str(), [&] {
    std::vector<optim::ParameterGroup> parts;
    for (std::size_t g = 0; g < selectors.size(); ++g)
      parts.push_back({selectors[g], *test_object<OptimizerBox>(L, selectors_at[g], kOptimizerType), own_lr[g]});
    built = std::make_shared<optim::GroupedOptimizer>(*test_object<OptimizerBox>(L, rest, kOptimizerType),
                                                      std::move(parts));
    return 0;
  });
  push_object<OptimizerBox>(L, kOptimizerType, std::move(built));
  return 1;
}

}  // namespace regimen::lua
