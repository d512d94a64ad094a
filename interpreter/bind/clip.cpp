// clip.*: gradient clipping, as torch.nn.utils.clip_grad_norm_ / clip_grad_value_. A recipe's
// `clip = clip.norm(1.0)` clips the whole gradient before every optimizer step.
#include "interpreter/bind/types.hpp"
#include "interpreter/context.hpp"
#include "interpreter/lua_error.hpp"
#include "interpreter/userdata.hpp"
#include "runtime/regularize/clip_norm.hpp"
#include "runtime/regularize/clip_value.hpp"

namespace regimen::lua {
namespace {

// Pushes a clip built inside the guard.
template <typename Make>
int push_clip(lua_State* L, const char* function, Make&& make) {
  ClipBox built;
  guarded(L, function, [&] {
    built = make();
    return 0;
  });
  push_object<ClipBox>(L, kClipType, std::move(built));
  return 1;
}

int norm(lua_State* L) {
  const double max = luaL_checknumber(L, 1);
  return push_clip(L, "clip.norm", [&] { return std::make_shared<regularize::ClipNorm>(max); });
}

int value(lua_State* L) {
  const double v = luaL_checknumber(L, 1);
  return push_clip(L, "clip.value", [&] { return std::make_shared<regularize::ClipValue>(v); });
}

int to_string(lua_State* L) {
  const ClipBox& clip = check_object<ClipBox>(L, 1, kClipType);
  const std::string text = "clip." + clip->describe();
  lua_pushlstring(L, text.data(), text.size());
  return 1;
}

const luaL_Reg kFunctions[] = {{"norm", norm}, {"value", value}, {nullptr, nullptr}};
const luaL_Reg kMeta[] = {{"__tostring", to_string}, {nullptr, nullptr}};

}  // namespace

int open_clip(lua_State* L, Context& context) {
  define_type<ClipBox>(L, kClipType, nullptr, kMeta);
  luaL_newlibtable(L, kFunctions);
  set_functions(L, context, kFunctions);
  return 1;
}

}  // namespace regimen::lua
