#pragma once
// A recipe resolved into runtime objects: what recipe{...} declared, checked field by field,
// with the model built for the data's width. Training it needs no Lua except for hooks.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <lua.hpp>

#include "interpreter/bind/types.hpp"
#include "interpreter/epoch_hook.hpp"
#include "runtime/train/auto_batch_size.hpp"
#include "runtime/train/checkpointer.hpp"
#include "runtime/train/stop_rule.hpp"
#include "runtime/train/trainer.hpp"

namespace regimen::lua {

/// Metatable that recipe{...} puts on its result.
inline constexpr const char* kRecipeMetatable = "regimen.Recipe";
/// Field of a recipe table holding "file:line" of its declaration.
inline constexpr const char* kRecipeWhereField = "__where";

/// Everything a run needs.
struct Recipe {
  std::string name;
  std::string where;  ///< "recipe.lua:10"
  std::uint64_t seed = 0;
  data::Dataset train;
  std::optional<data::Dataset> validation;
  std::optional<data::Dataset> test;
  std::shared_ptr<nn::Model> model;
  std::shared_ptr<const loss::Loss> loss;
  std::shared_ptr<optim::Optimizer> optimizer;
  std::shared_ptr<const regularize::Regularizer> regularizer;
  std::shared_ptr<const regularize::GradientClip> clip;
  std::shared_ptr<train::EarlyStop> early_stop;
  /// early_stop = { {...}, ... }: composed stop rules, in order (empty for none or one early_stop{...}).
  std::vector<std::shared_ptr<train::StopRule>> stop_rules;
  train::TrainConfig config;
  /// checkpoint = {...}: when to write checkpoints into the run directory; none when absent.
  std::optional<train::CheckpointPolicy> checkpoint;
  HookRefs hooks;  ///< registry references to the Lua hooks, if any
  std::optional<train::AutoBatchSize> auto_batch_size;  ///< set when batch_size = "auto"
  std::vector<std::string> warnings;  ///< worth telling, not worth stopping for ("group 2 selects no parameter")

  /// The resolved recipe, for `regimen check`.
  std::string describe() const;
};

/// Settings from outside the recipe that take precedence over it.
struct RecipeOverrides {
  std::optional<std::uint64_t> seed;
  std::optional<int> epochs;
  std::string default_name;  ///< the file's stem, when the recipe has no name
  std::string chunk_name;    ///< names the recipe in messages when no line is known
};

/// Resolves the recipe table at the top of the stack. Must run inside a protected call: errors
/// are raised as Lua errors located at the recipe{...} line.
void resolve_recipe(lua_State* L, const RecipeOverrides& overrides, Recipe& recipe);

/// True when the value at `index` is a table whose metatable is the registry's `metatable`
/// (how the stdlib tags recipe{...} and sweep{...} results).
bool is_tagged(lua_State* L, int index, const char* metatable);

/// True when the value at `index` is a recipe{...} table.
bool is_recipe(lua_State* L, int index);

/// Raises "<recipe.where>: recipe: <message>" (inside resolve_recipe's protected call).
[[noreturn]] void fail_recipe(lua_State* L, const Recipe& recipe, const std::string& message);
/// The metrics the run reports: loss, the chosen (or default) metrics, and val_ of them with validation.
std::vector<std::string> recipe_metric_names(const Recipe& recipe);

}  // namespace regimen::lua
