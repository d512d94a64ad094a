// reg.*: weight penalties (Keras convention: l2(c) adds c·Σw² to the loss) and constraints.
#include "interpreter/bind/types.hpp"
#include "interpreter/context.hpp"
#include "interpreter/lua_error.hpp"
#include "interpreter/options.hpp"
#include "interpreter/userdata.hpp"
#include "runtime/regularize/l1.hpp"
#include "runtime/regularize/l1l2.hpp"
#include "runtime/regularize/l2.hpp"
#include "runtime/regularize/max_norm.hpp"

namespace regimen::lua {
namespace {

// Pushes a regularizer built inside the guard.
template <typename Make>
int push_regularizer(lua_State* L, const char* function, Make&& make) {
  RegularizerBox built;
  guarded(L, function, [&] {
    built = make();
    return 0;
  });
  push_object<RegularizerBox>(L, kRegularizerType, std::move(built));
  return 1;
}

int l1(lua_State* L) {
  const double c = luaL_checknumber(L, 1);
  return push_regularizer(L, "reg.l1", [&] { return std::make_shared<regularize::L1>(c); });
}

int l2(lua_State* L) {
  const double c = luaL_checknumber(L, 1);
  return push_regularizer(L, "reg.l2", [&] { return std::make_shared<regularize::L2>(c); });
}

// reg.l1l2{l1 = 0, l2 = 0}, Keras' L1L2 (both default to 0).
int l1l2(lua_State* L) {
  Options options(L, 1, "reg.l1l2", {"l1", "l2"});
  const double l1 = options.number("l1", 0.0);
  const double l2 = options.number("l2", 0.0);
  return push_regularizer(L, "reg.l1l2", [&] { return std::make_shared<regularize::L1L2>(l1, l2); });
}

int max_norm(lua_State* L) {
  const double c = luaL_checknumber(L, 1);
  ConstraintBox built;
  guarded(L, "reg.max_norm", [&] {
    built = std::make_shared<regularize::MaxNorm>(c);
    return 0;
  });
  push_object<ConstraintBox>(L, kConstraintType, std::move(built));
  return 1;
}

int regularizer_to_string(lua_State* L) {
  const RegularizerBox& r = check_object<RegularizerBox>(L, 1, kRegularizerType);
  const std::string text = "reg." + r->describe();
  lua_pushlstring(L, text.data(), text.size());
  return 1;
}

int constraint_to_string(lua_State* L) {
  const ConstraintBox& c = check_object<ConstraintBox>(L, 1, kConstraintType);
  const std::string text = "reg." + c->describe();
  lua_pushlstring(L, text.data(), text.size());
  return 1;
}

const luaL_Reg kFunctions[] = {
    {"l1", l1}, {"l2", l2}, {"l1l2", l1l2}, {"max_norm", max_norm}, {nullptr, nullptr}};
const luaL_Reg kRegularizerMeta[] = {{"__tostring", regularizer_to_string}, {nullptr, nullptr}};
const luaL_Reg kConstraintMeta[] = {{"__tostring", constraint_to_string}, {nullptr, nullptr}};

}  // namespace

int open_reg(lua_State* L, Context& context) {
  define_type<RegularizerBox>(L, kRegularizerType, nullptr, kRegularizerMeta);
  define_type<ConstraintBox>(L, kConstraintType, nullptr, kConstraintMeta);
  luaL_newlibtable(L, kFunctions);
  set_functions(L, context, kFunctions);
  return 1;
}

}  // namespace regimen::lua
