// host.*: what the embedding application bound (Interpreter::bind_dataset, register_function).
// host.dataset(name) is a dataset over the host's buffers; any other field is a host function,
// looked up when read, so functions registered after the state was made are found.
#include <exception>
#include <string>
#include <vector>

#include "interpreter/bind/types.hpp"
#include "interpreter/context.hpp"
#include "interpreter/host_binding.hpp"
#include "interpreter/lua_error.hpp"
#include "interpreter/suggest.hpp"
#include "interpreter/userdata.hpp"

namespace regimen::lua {

void push_dataset(lua_State* L, data::Dataset dataset);

namespace {

template <typename Map>
std::string bound_names(const Map& map) {
  std::string names;
  for (const auto& [name, value] : map) names += (names.empty() ? "" : ", ") + name;
  return names.empty() ? "none" : names;
}

template <typename Map>
std::vector<std::string> keys(const Map& map) {
  std::vector<std::string> names;
  for (const auto& [name, value] : map) names.push_back(name);
  return names;
}

int dataset(lua_State* L) {
  const std::string name = luaL_checkstring(L, 1);
  const Context& context = context_of(L);
  const auto found = context.host_datasets.find(name);
  if (found == context.host_datasets.end()) {
    raise(L, "host.dataset: the host bound no dataset '" + name + "'" + did_you_mean(name, keys(context.host_datasets)) +
                 " (bound: " + bound_names(context.host_datasets) + ")");
  }
  data::Dataset bound;
  guarded(L, "host.dataset", [&] {
    bound = data::Dataset(found->second);
    return 0;
  });
  push_dataset(L, std::move(bound));
  return 1;
}

// host.model(name): a fresh one-layer model over the host's tensors for each call.
int model(lua_State* L) {
  const std::string name = luaL_checkstring(L, 1);
  const Context& context = context_of(L);
  const auto found = context.host_models.find(name);
  if (found == context.host_models.end()) {
    raise(L, "host.model: the host bound no model '" + name + "'" + did_you_mean(name, keys(context.host_models)) +
                 " (bound: " + bound_names(context.host_models) + ")");
  }
  ModelBox built;
  guarded(L, "host.model", [&] {
    built = external_model_of(name, found->second);
    return 0;
  });
  push_object<ModelBox>(L, kModelType, std::move(built));
  return 1;
}

// A host function: every argument must be a number; the host's exception becomes an error at
// the calling line.
int call_function(lua_State* L) {
  const std::string name = lua_tostring(L, lua_upvalueindex(2));
  const Context& context = context_of(L);
  const auto found = context.host_functions.find(name);
  if (found == context.host_functions.end()) raise(L, "host." + name + ": no longer registered");
  std::vector<double> arguments(static_cast<std::size_t>(lua_gettop(L)));
  for (int i = 1; i <= lua_gettop(L); ++i) {
    if (lua_type(L, i) != LUA_TNUMBER) {
      raise(L, "host." + name + ": argument " + std::to_string(i) + " must be a number, got " + luaL_typename(L, i));
    }
    arguments[static_cast<std::size_t>(i - 1)] = lua_tonumber(L, i);
  }
  double result = 0.0;
  guarded(L, ("host." + name).c_str(), [&] {
    result = found->second(arguments);
    return 0;
  });
  lua_pushnumber(L, result);
  return 1;
}

int index(lua_State* L) {
  const std::string name = luaL_checkstring(L, 2);
  const Context& context = context_of(L);
  if (!context.host_functions.count(name)) {
    std::vector<std::string> known = keys(context.host_functions);
    known.push_back("dataset");
    known.push_back("model");
    raise(L, "host." + name + ": the host registered no such function" + did_you_mean(name, known) +
                 " (registered: " + bound_names(context.host_functions) + ")");
  }
  lua_pushvalue(L, lua_upvalueindex(1));  // the context
  lua_pushvalue(L, 2);
  lua_pushcclosure(L, call_function, 2);
  return 1;
}

const luaL_Reg kFunctions[] = {{"dataset", dataset}, {"model", model}, {nullptr, nullptr}};
const luaL_Reg kMeta[] = {{"__index", index}, {nullptr, nullptr}};

}  // namespace

int open_host(lua_State* L, Context& context) {
  luaL_newlibtable(L, kFunctions);
  set_functions(L, context, kFunctions);
  luaL_newlibtable(L, kMeta);
  set_functions(L, context, kMeta);
  lua_setmetatable(L, -2);
  return 1;
}

}  // namespace regimen::lua
