// nn.*: layers and the sequential model. A layer is an object that nn.sequential collects; the
// model is built (shapes checked, parameters initialized) when a recipe's data is known.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "interpreter/bind/types.hpp"
#include "interpreter/context.hpp"
#include "interpreter/lua_error.hpp"
#include "interpreter/options.hpp"
#include "interpreter/userdata.hpp"
#include "runtime/error.hpp"
#include "runtime/nn/activations.hpp"
#include "runtime/nn/batch_norm.hpp"
#include "runtime/nn/conv2d.hpp"
#include "runtime/nn/dropout.hpp"
#include "runtime/nn/dropout_variants.hpp"
#include "runtime/nn/flatten.hpp"
#include "runtime/nn/linear.hpp"
#include "runtime/nn/max_pool2d.hpp"
#include "runtime/nn/relu.hpp"
#include "runtime/nn/softmax.hpp"
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

// A layer without arguments but its options table: nn.relu(), nn.tanh{name = "act"}, ...
template <typename T>
int plain_layer(lua_State* L, const char* function) {
  Options options(L, 1, function, {"name"}, true);
  return make_layer(L, function, options, [] { return std::make_shared<T>(); });
}

int relu(lua_State* L) { return plain_layer<nn::ReLU>(L, "nn.relu"); }
int tanh_layer(lua_State* L) { return plain_layer<nn::Tanh>(L, "nn.tanh"); }
int sigmoid(lua_State* L) { return plain_layer<nn::Sigmoid>(L, "nn.sigmoid"); }
int gelu(lua_State* L) { return plain_layer<nn::GELU>(L, "nn.gelu"); }
int softmax(lua_State* L) { return plain_layer<nn::Softmax>(L, "nn.softmax"); }
int flatten(lua_State* L) { return plain_layer<nn::Flatten>(L, "nn.flatten"); }

// nn.leaky_relu([negative_slope = 0.01][, {name}]).
int leaky_relu(lua_State* L) {
  const bool has_slope = lua_type(L, 1) != LUA_TTABLE && !lua_isnoneornil(L, 1);
  const double slope = has_slope ? luaL_checknumber(L, 1) : 0.01;
  Options options(L, has_slope || lua_isnil(L, 1) ? 2 : 1, "nn.leaky_relu", {"name"}, true);
  return make_layer(L, "nn.leaky_relu", options, [&] { return std::make_shared<nn::LeakyReLU>(slope); });
}

// nn.gaussian_dropout(p), nn.alpha_dropout(p), nn.spatial_dropout(p): a fixed p.
template <typename T>
int noise_layer(lua_State* L, const char* function) {
  const double p = luaL_checknumber(L, 1);
  Options options(L, 2, function, {"name"}, true);
  return make_layer(L, function, options, [&] { return std::make_shared<T>(p); });
}

int gaussian_dropout(lua_State* L) { return noise_layer<nn::GaussianDropout>(L, "nn.gaussian_dropout"); }
int alpha_dropout(lua_State* L) { return noise_layer<nn::AlphaDropout>(L, "nn.alpha_dropout"); }
int spatial_dropout(lua_State* L) { return noise_layer<nn::SpatialDropout>(L, "nn.spatial_dropout"); }

// nn.conv2d(in_channels, out_channels, kernel_size, {stride = 1, padding = 0 | "same", init}).
int conv2d(lua_State* L) {
  const lua_Integer in = luaL_checkinteger(L, 1);
  const lua_Integer out = luaL_checkinteger(L, 2);
  const lua_Integer kernel = luaL_checkinteger(L, 3);
  Options options(L, 4, "nn.conv2d", {"stride", "padding", "init", "name"}, true);
  nn::Conv2dOptions conv;
  conv.stride = options.integer("stride", 1);
  const int padding_type = options.push("padding");
  lua_pop(L, 1);
  if (padding_type == LUA_TSTRING) {
    const std::string padding = options.string("padding", "");
    if (padding != "same") raise(L, "nn.conv2d: option 'padding' must be a number or 'same', got '" + padding + "'");
    conv.same_padding = true;
  } else {
    conv.padding = options.integer("padding", 0);
  }
  const std::string init = options.string("init", "he");
  return make_layer(L, "nn.conv2d", options, [&] {
    conv.init = nn::parse_init(init, "conv2d");
    return std::make_shared<nn::Conv2d>(in, out, kernel, conv);
  });
}

// nn.max_pool2d(kernel_size, {stride = kernel_size}).
int max_pool2d(lua_State* L) {
  const lua_Integer kernel = luaL_checkinteger(L, 1);
  Options options(L, 2, "nn.max_pool2d", {"stride", "name"}, true);
  const std::optional<std::int64_t> stride = options.integer("stride");
  return make_layer(L, "nn.max_pool2d", options, [&] {
    // The layer reads stride 0 as "the kernel size": a stride given as 0 is an error here.
    if (stride && *stride <= 0) throw InvalidArgument("max_pool2d: stride must be positive, got " + std::to_string(*stride));
    return std::make_shared<nn::MaxPool2d>(kernel, stride.value_or(0));
  });
}

// nn.batch_norm(num_features, {momentum = 0.1, eps = 1e-5}).
int batch_norm(lua_State* L) {
  const lua_Integer n = luaL_checkinteger(L, 1);
  Options options(L, 2, "nn.batch_norm", {"momentum", "eps", "name"}, true);
  const double momentum = options.number("momentum", 0.1);
  const double eps = options.number("eps", 1e-5);
  return make_layer(L, "nn.batch_norm", options, [&] { return std::make_shared<nn::BatchNorm>(n, momentum, eps); });
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

const luaL_Reg kFunctions[] = {{"linear", linear},
                                {"relu", relu},
                                {"tanh", tanh_layer},
                                {"sigmoid", sigmoid},
                                {"gelu", gelu},
                                {"leaky_relu", leaky_relu},
                                {"softmax", softmax},
                                {"dropout", dropout},
                                {"gaussian_dropout", gaussian_dropout},
                                {"alpha_dropout", alpha_dropout},
                                {"spatial_dropout", spatial_dropout},
                                {"batch_norm", batch_norm},
                                {"flatten", flatten},
                                {"conv2d", conv2d},
                                {"max_pool2d", max_pool2d},
                                {"sequential", sequential},
                                {nullptr, nullptr}};
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
