#pragma once
// The augmentation half of resolving a recipe: `augment = augment.image{...}` checked against
// the training data (images of the data's width) and handed to the trainer's config.
#include <lua.hpp>

#include "interpreter/recipe.hpp"

namespace regimen::lua {

/// Reads recipe{augment = ...} from the recipe table at `table` into recipe.config (augment,
/// augment_strength, augment_strength_schedule). Call once recipe.train is known. Runs inside
/// resolve_recipe's protected call; raises at the recipe line:
/// "recipe.lua:9: recipe: augment: the training data 'x.csv' holds no images (...)".
void read_augment(lua_State* L, int table, Recipe& recipe);

}  // namespace regimen::lua
