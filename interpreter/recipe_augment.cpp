#include "interpreter/recipe_augment.hpp"

#include <cstdio>
#include <exception>

#include "interpreter/bind/types.hpp"
#include "interpreter/userdata.hpp"

namespace regimen::lua {

void read_augment(lua_State* L, int table, Recipe& recipe) {
  if (lua_getfield(L, table, "augment") == LUA_TNIL) {
    lua_pop(L, 1);
    return;
  }
  const AugmentBox* augment = test_object<AugmentBox>(L, -1, kAugmentType);
  if (augment == nullptr) {
    char message[160];
    std::snprintf(message, sizeof message, "'augment' must be augment.image{...}, got %s", luaL_typename(L, -1));
    fail_recipe(L, recipe, message);
  }
  lua_pop(L, 1);  // the recipe table keeps the object alive
  char failure[1024] = "";
  try {
    augment->image->check_data(recipe.train);
    recipe.config.augment = augment->image;
    recipe.config.augment_strength = augment->strength;
    recipe.config.augment_strength_schedule = augment->strength_schedule;
  } catch (const std::exception& e) {
    std::snprintf(failure, sizeof failure, "augment: %s", e.what());
  }
  if (failure[0] != '\0') fail_recipe(L, recipe, failure);
}

}  // namespace regimen::lua
