// nn.*: layers and the sequential model. A layer is an object that nn.sequential collects; the
// model is built (shapes checked, parameters initialized) when a recipe's data is known.
#include <string>
#include <vector>

#include "interpreter/bind/types.hpp"
#include "interpreter/context.hpp"
#include "interpreter/lua_error.hpp"
#include "interpreter/options.hpp"
#include "interpreter/userdata.hpp"
#include "runtime/nn/dropout.hpp"
#include "runtime/nn/linear.hpp"
#include "runtime/nn/relu.hpp"
#include "runtime/schedule/deferred.hpp"

namespace regimen::lua {
namespace {

// Pushes a layer built inside the guard, named by opts.name when given.
template <typename Make>
int make_layer(lua_State* L, const char* function, const Options& options, Make&& make) {
  LayerBox built;
  guarded(L, function, [&] {
    built.name = options.string("name", "");
    built.layer = make();
    return 0;
  });
  push_object<LayerBox>(L, kLayerType, std::move(built));
  return 1;
}

// The T with metatable `type` in option `key`, or nullptr when absent. The option table keeps the
// object alive, so a raw pointer (trivially destructible) is all the check phase holds. An object
// of `wrong_type` (a constraint given as a regularizer, or the reverse) gets `hint` as its message.
template <typename T>
const T* object_option(const Options& options, const char* key, const char* type, const char* expected,
                       const char* wrong_type, const char* hint) {
  lua_State* L = options.state();
  if (options.push(key) == LUA_TNIL) {
    lua_pop(L, 1);
    return nullptr;
  }
  if (const T* value = test_object<T>(L, -1, type)) {
    lua_pop(L, 1);
    return value;
  }
  if (luaL_testudata(L, -1, wrong_type) != nullptr) {
    lua_pop(L, 1);
    raise(L, std::string(options.function()) + ": option '" + key + "' " + hint);
  }
  options.type_error(key, expected);
}

int linear(lua_State* L) {
  const lua_Integer in = luaL_checkinteger(L, 1);
  const lua_Integer out = luaL_checkinteger(L, 2);
  Options options(L, 3, "nn.linear", {"init", "name", "regularizer", "constraint"}, true);
  const RegularizerBox* regularizer =
      object_option<RegularizerBox>(options, "regularizer", kRegularizerType, "regularizer", kConstraintType,
                                    "takes a penalty (reg.l1, reg.l2, reg.l1l2); pass reg.max_norm as 'constraint'");
  const ConstraintBox* constraint =
      object_option<ConstraintBox>(options, "constraint", kConstraintType, "constraint", kRegularizerType,
                                   "takes a constraint (reg.max_norm); pass a penalty as 'regularizer'");
  const std::string init = options.string("init", "he");
  return make_layer(L, "nn.linear", options, [&] {
    auto layer = std::make_shared<nn::Linear>(in, out, nn::parse_init(init));
    if (regularizer) layer->set_regularizer(*regularizer);
    if (constraint) layer->set_constraint(*constraint);
    return layer;
  });
}

int relu(lua_State* L) {
  Options options(L, 1, "nn.relu", {"name"}, true);
  return make_layer(L, "nn.relu", options, [] { return std::make_shared<nn::ReLU>(); });
}

// nn.dropout(p): p is a number, a schedule or a Lua function of the step (the trainer sets it
// before every training step; the layer starts at p(0) when that can be evaluated now).
int dropout(lua_State* L) {
  const bool scheduled = lua_type(L, 1) == LUA_TFUNCTION || test_object<ScheduleBox>(L, 1, kScheduleType);
  if (!scheduled && lua_type(L, 1) != LUA_TNUMBER) luaL_typeerror(L, 1, "number or schedule");
  const double p = scheduled ? 0.0 : lua_tonumber(L, 1);
  if (scheduled) {
    push_schedule(L, to_schedule(L, 1, "nn.dropout"));
    lua_replace(L, 1);
  }
  Options options(L, 2, "nn.dropout", {"name"}, true);
  return make_layer(L, "nn.dropout", options, [&] {
    if (!scheduled) return std::make_shared<nn::Dropout>(p);
    const ScheduleBox& s = *test_object<ScheduleBox>(L, 1, kScheduleType);
    auto layer = std::make_shared<nn::Dropout>(schedule::depends_on_run(s) ? 0.0 : (*s)(0.0));
    layer->set_schedule(s);
    return layer;
  });
}

int sequential(lua_State* L) {
  luaL_checktype(L, 1, LUA_TTABLE);
  Options options(L, 1, "nn.sequential", {}, false, true);
  std::vector<nn::NamedLayer> layers;
  const lua_Integer n = luaL_len(L, 1);
  for (lua_Integer i = 1; i <= n; ++i) {
    lua_geti(L, 1, i);
    const LayerBox* layer = test_object<LayerBox>(L, -1, kLayerType);
    if (layer == nullptr) {
      const std::string got = luaL_typename(L, -1);
      raise(L, "nn.sequential: entry " + std::to_string(i) + " is not a layer (got " + got + ")");
    }
    layers.push_back(*layer);
    lua_pop(L, 1);
  }
  ModelBox model;
  guarded(L, "nn.sequential", [&] {
    model = std::make_shared<nn::Model>(std::move(layers));
    return 0;
  });
  push_object<ModelBox>(L, kModelType, std::move(model));
  return 1;
}

// model:parameters() -> {["fc1.weight"] = {{...}, ...}, ...}: a copy of the current values as
// nested tables (rows of numbers); empty before the model is built.
int parameters(lua_State* L) {
  const ModelBox& model = check_object<ModelBox>(L, 1, kModelType);
  lua_newtable(L);
  if (!model->built()) return 1;
  const ParameterArena& arena = model->arena();
  const auto& infos = arena.parameters();
  for (std::size_t i = 0; i < infos.size(); ++i) {
    const ConstMatrixMap value = arena.value(i);
    lua_createtable(L, static_cast<int>(value.rows()), 0);
    for (Index r = 0; r < value.rows(); ++r) {
      lua_createtable(L, static_cast<int>(value.cols()), 0);
      for (Index c = 0; c < value.cols(); ++c) {
        lua_pushnumber(L, value(r, c));
        lua_rawseti(L, -2, c + 1);
      }
      lua_rawseti(L, -2, r + 1);
    }
    lua_setfield(L, -2, infos[i].name.c_str());
  }
  return 1;
}

int layer_to_string(lua_State* L) {
  const LayerBox& layer = check_object<LayerBox>(L, 1, kLayerType);
  const std::string text = layer.layer->describe();
  lua_pushlstring(L, text.data(), text.size());
  return 1;
}

int model_to_string(lua_State* L) {
  const ModelBox& model = check_object<ModelBox>(L, 1, kModelType);
  std::string text;
  for (const auto& layer : model->layers()) text += (text.empty() ? "" : ", ") + layer.layer->describe();
  text = "nn.sequential{" + text + "}";
  lua_pushlstring(L, text.data(), text.size());
  return 1;
}

const luaL_Reg kFunctions[] = {
    {"linear", linear}, {"relu", relu}, {"dropout", dropout}, {"sequential", sequential}, {nullptr, nullptr}};
const luaL_Reg kLayerMeta[] = {{"__tostring", layer_to_string}, {nullptr, nullptr}};
const luaL_Reg kModelMethods[] = {{"parameters", parameters}, {nullptr, nullptr}};
const luaL_Reg kModelMeta[] = {{"__tostring", model_to_string}, {nullptr, nullptr}};

}  // namespace

int open_nn(lua_State* L, Context& context) {
  define_type<LayerBox>(L, kLayerType, nullptr, kLayerMeta);
  define_type<ModelBox>(L, kModelType, kModelMethods, kModelMeta);
  luaL_newlibtable(L, kFunctions);
  set_functions(L, context, kFunctions);
  return 1;
}

}  // namespace regimen::lua
