// augment.*: random augmentation of training batches (runtime/data/image_augment.hpp). A
// recipe's `augment = augment.image{...}` applies to the training batches only, never to
// validation or test data. Every magnitude and probability is multiplied by `strength`, a number
// or a schedule of the optimizer step (by = "epoch" counts epochs), so augmentation can ramp in.
#include <cmath>
#include <string>

#include "interpreter/bind/types.hpp"
#include "interpreter/context.hpp"
#include "interpreter/lua_error.hpp"
#include "interpreter/options.hpp"
#include "interpreter/userdata.hpp"
#include "runtime/error.hpp"
#include "runtime/option_check.hpp"

namespace regimen::lua {

std::string describe_augment(const AugmentBox& augment) {
  std::string text = augment.image->describe();  // "image(flip=0.5)"
  text.pop_back();
  const std::string strength =
      augment.strength_schedule ? augment.strength_schedule->describe() : format_number(augment.strength);
  return text + (text.back() == '(' ? "" : ", ") + "strength=" + strength + ")";
}

namespace {

// augment.image{flip = 0.5, shift = 2, noise = 0.1, erase = 0.25, strength = 1}
int image(lua_State* L) {
  Options options(L, 1, "augment.image", {"flip", "shift", "noise", "erase", "strength"}, true);
  const double flip = options.number("flip", 0.0);
  const double shift = options.number("shift", 0.0);
  const double noise = options.number("noise", 0.0);
  const double erase = options.number("erase", 0.0);
  double strength = 1.0;
  const int type = options.push("strength");
  const bool scheduled = type == LUA_TFUNCTION || test_object<ScheduleBox>(L, -1, kScheduleType) != nullptr;
  if (type == LUA_TNUMBER) strength = lua_tonumber(L, -1);
  if (type != LUA_TNIL && type != LUA_TNUMBER && !scheduled) options.type_error("strength", "number or schedule");
  if (scheduled) {
    // Converted into a schedule object kept on the stack, so no C++ owner is alive on a raise.
    push_schedule(L, to_schedule(L, -1, "augment.image"));
    lua_replace(L, -2);
  }
  const ScheduleBox* schedule = scheduled ? test_object<ScheduleBox>(L, -1, kScheduleType) : nullptr;
  AugmentBox built;
  guarded(L, "augment.image", [&] {
    // Whole pixels only: a fractional shift would need interpolation, which changes pixel values.
    if (!(shift >= 0.0 && shift == std::floor(shift) && shift < 1e9)) {
      throw InvalidArgument("shift must be a whole number >= 0, got " + format_number(shift));
    }
    if (!schedule) require_non_negative("strength", strength);
    built.image = std::make_shared<data::ImageAugment>(data::ImageAugmentOptions{
        .flip = flip, .shift = static_cast<Index>(shift), .noise = noise, .erase = erase});
    built.strength = strength;
    if (schedule) built.strength_schedule = *schedule;
    return 0;
  });
  push_object<AugmentBox>(L, kAugmentType, std::move(built));
  return 1;
}

int to_string(lua_State* L) {
  const AugmentBox& augment = check_object<AugmentBox>(L, 1, kAugmentType);
  std::string text;
  guarded(L, "augment", [&] {
    text = "augment." + describe_augment(augment);
    return 0;
  });
  lua_pushlstring(L, text.data(), text.size());
  return 1;
}

const luaL_Reg kFunctions[] = {{"image", image}, {nullptr, nullptr}};
const luaL_Reg kMeta[] = {{"__tostring", to_string}, {nullptr, nullptr}};

}  // namespace

int open_augment(lua_State* L, Context& context) {
  define_type<AugmentBox>(L, kAugmentType, nullptr, kMeta);
  luaL_newlibtable(L, kFunctions);
  set_functions(L, context, kFunctions);
  return 1;
}

}  // namespace regimen::lua
