// loss.*: training objectives.
#include "interpreter/bind/types.hpp"
#include "interpreter/context.hpp"
#include "interpreter/lua_error.hpp"
#include "interpreter/options.hpp"
#include "interpreter/userdata.hpp"
#include "runtime/loss/bce.hpp"
#include "runtime/loss/cross_entropy.hpp"
#include "runtime/loss/huber.hpp"
#include "runtime/loss/mae.hpp"
#include "runtime/loss/mse.hpp"

namespace regimen::lua {
namespace {

template <typename Make>
int make_loss(lua_State* L, const char* function, Make&& make) {
  LossBox built;
  guarded(L, function, [&] {
    built = make();
    return 0;
  });
  push_object<LossBox>(L, kLossType, std::move(built));
  return 1;
}

int mse(lua_State* L) {
  Options options(L, 1, "loss.mse", {}, true);
  return make_loss(L, "loss.mse", [] { return std::make_shared<loss::MeanSquaredError>(); });
}

int mae(lua_State* L) {
  Options options(L, 1, "loss.mae", {}, true);
  return make_loss(L, "loss.mae", [] { return std::make_shared<loss::MeanAbsoluteError>(); });
}

int huber(lua_State* L) {
  Options options(L, 1, "loss.huber", {"delta"}, true);
  const double delta = options.number("delta", 1.0);
  return make_loss(L, "loss.huber", [&] { return std::make_shared<loss::Huber>(delta); });
}

int bce(lua_State* L) {
  Options options(L, 1, "loss.bce", {}, true);
  return make_loss(L, "loss.bce", [] { return std::make_shared<loss::BinaryCrossEntropy>(); });
}

int cross_entropy(lua_State* L) {
  Options options(L, 1, "loss.cross_entropy", {"label_smoothing"}, true);
  const double label_smoothing = options.number("label_smoothing", 0.0);
  return make_loss(L, "loss.cross_entropy", [&] { return std::make_shared<loss::CrossEntropy>(label_smoothing); });
}

int to_string(lua_State* L) {
  const LossBox& loss = check_object<LossBox>(L, 1, kLossType);
  const std::string text = "loss." + loss->describe();
  lua_pushlstring(L, text.data(), text.size());
  return 1;
}

const luaL_Reg kFunctions[] = {{"mse", mse},   {"mae", mae}, {"huber", huber}, {"bce", bce}, {"cross_entropy", cross_entropy},
                               {nullptr, nullptr}};
const luaL_Reg kMeta[] = {{"__tostring", to_string}, {nullptr, nullptr}};

}  // namespace

int open_loss(lua_State* L, Context& context) {
  define_type<LossBox>(L, kLossType, nullptr, kMeta);
  luaL_newlibtable(L, kFunctions);
  set_functions(L, context, kFunctions);
  return 1;
}

}  // namespace regimen::lua
