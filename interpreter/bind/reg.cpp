// reg.*: weight penalties (Keras convention: l2(c) adds c·Σw² to the loss).
#include "interpreter/bind/types.hpp"
#include "interpreter/context.hpp"
#include "interpreter/lua_error.hpp"
#include "interpreter/userdata.hpp"
#include "runtime/regularize/l2.hpp"

namespace regimen::lua {
namespace {

int l2(lua_State* L) {
  const double c = luaL_checknumber(L, 1);
  RegularizerBox built;
  guarded(L, "reg.l2", [&] {
    built = std::make_shared<regularize::L2>(c);
    return 0;
  });
  push_object<RegularizerBox>(L, kRegularizerType, std::move(built));
  return 1;
}

int to_string(lua_State* L) {
  const RegularizerBox& r = check_object<RegularizerBox>(L, 1, kRegularizerType);
  const std::string text = "reg." + r->describe();
  lua_pushlstring(L, text.data(), text.size());
  return 1;
}

const luaL_Reg kFunctions[] = {{"l2", l2}, {nullptr, nullptr}};
const luaL_Reg kMeta[] = {{"__tostring", to_string}, {nullptr, nullptr}};

}  // namespace

int open_reg(lua_State* L, Context& context) {
  define_type<RegularizerBox>(L, kRegularizerType, nullptr, kMeta);
  luaL_newlibtable(L, kFunctions);
  set_functions(L, context, kFunctions);
  return 1;
}

}  // namespace regimen::lua
