#pragma once
// early_stop = { {monitor = "val_loss", patience = 5}, {monitor = "val_accuracy", target = 0.9},
// {monitor = "loss", divergence = 10}, {max_time = "20m"} }: a recipe's list of stop rules,
// turned into runtime rules by recipe{...} (through regimen.internal), where the recipe's line
// is still known for error messages.
#include <memory>
#include <vector>

#include <lua.hpp>

#include "runtime/train/stop_rule.hpp"

namespace regimen::lua {

/// Metatable of the userdata holding a recipe's stop rules.
inline constexpr const char* kStopRulesType = "regimen.StopRules";
/// The rules, in the recipe's order.
using StopRulesBox = std::vector<std::shared_ptr<train::StopRule>>;

/// internal.stop_rules(list): checks each rule table (unknown keys are errors with a
/// suggestion) and returns a StopRules userdata.
int stop_rules(lua_State* L);

}  // namespace regimen::lua
