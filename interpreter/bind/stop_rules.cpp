#include "interpreter/bind/stop_rules.hpp"

#include <cstdio>
#include <string>

#include "interpreter/bind/types.hpp"
#include "interpreter/lua_error.hpp"
#include "interpreter/options.hpp"
#include "interpreter/userdata.hpp"
#include "runtime/option_check.hpp"
#include "runtime/train/divergence_rule.hpp"
#include "runtime/train/patience_rule.hpp"
#include "runtime/train/target_rule.hpp"
#include "runtime/train/time_limit_rule.hpp"

namespace regimen::lua {
namespace {

// The keys each kind of rule takes; the kind is told by its distinguishing key.
constexpr std::initializer_list<const char*> kPatienceKeys = {
    "monitor", "patience", "min_delta", "mode", "baseline", "restore_best", "start_from_epoch", "smoothing"};
constexpr std::initializer_list<const char*> kTargetKeys = {"monitor", "target", "mode", "smoothing",
                                                            "start_from_epoch"};
constexpr std::initializer_list<const char*> kDivergenceKeys = {"monitor", "divergence", "smoothing"};
constexpr std::initializer_list<const char*> kTimeKeys = {"max_time"};

bool has_key(lua_State* L, int table, const char* key) {
  const bool present = lua_getfield(L, table, key) != LUA_TNIL;
  lua_pop(L, 1);
  return present;
}

std::shared_ptr<train::StopRule> time_rule(const Options& options) {
  double seconds = 0.0;
  std::string label;
  if (options.push("max_time") == LUA_TSTRING) {
    label = lua_tostring(options.state(), -1);
    lua_pop(options.state(), 1);
    guarded(options.state(), options.function(), [&] {
      seconds = train::parse_duration(label);
      return 0;
    });
  } else {
    lua_pop(options.state(), 1);
    seconds = options.required_number("max_time");
    label = format_number(seconds) + "s";
  }
  std::shared_ptr<train::StopRule> rule;
  guarded(options.state(), options.function(), [&] {
    rule = std::make_shared<train::TimeLimitRule>(seconds, label);
    return 0;
  });
  return rule;
}

std::shared_ptr<train::StopRule> metric_rule(const Options& options, bool target, bool divergence) {
  const int smoothing = static_cast<int>(options.integer("smoothing", 1));
  std::shared_ptr<train::StopRule> rule;
  if (target) {
    const std::string monitor = options.required_string("monitor");
    const double value = options.required_number("target");
    const std::string mode = options.string("mode", "auto");
    const int start = static_cast<int>(options.integer("start_from_epoch", 0));
    guarded(options.state(), options.function(), [&] {
      rule = std::make_shared<train::TargetRule>(monitor, value, mode, smoothing, start);
      return 0;
    });
  } else if (divergence) {
    const std::string monitor = options.required_string("monitor");
    const double factor = options.required_number("divergence");
    guarded(options.state(), options.function(), [&] {
      rule = std::make_shared<train::DivergenceRule>(monitor, factor, smoothing);
      return 0;
    });
  } else {
    train::EarlyStopOptions o;
    o.monitor = options.string("monitor", o.monitor.c_str());
    o.mode = options.string("mode", o.mode.c_str());
    o.min_delta = options.number("min_delta", o.min_delta);
    o.patience = static_cast<int>(options.integer("patience", o.patience));
    o.baseline = options.number("baseline");
    o.restore_best = options.boolean("restore_best", o.restore_best);
    o.start_from_epoch = static_cast<int>(options.integer("start_from_epoch", o.start_from_epoch));
    guarded(options.state(), options.function(), [&] {
      rule = std::make_shared<train::PatienceRule>(o, smoothing);
      return 0;
    });
  }
  return rule;
}

}  // namespace

int stop_rules(lua_State* L) {
  luaL_checktype(L, 1, LUA_TTABLE);
  define_type<StopRulesBox>(L, kStopRulesType, nullptr);
  // The box first: Lua owns the rules as they are made, so an error in a later rule frees them.
  StopRulesBox& rules = push_object<StopRulesBox>(L, kStopRulesType);
  const lua_Integer n = luaL_len(L, 1);
  if (n == 0) raise(L, "early_stop: expected early_stop{...} or a list of rule tables, got an empty table");
  lua_pushnil(L);
  while (lua_next(L, 1) != 0) {  // only the list part is allowed
    const bool positional = lua_isinteger(L, -2) && lua_tointeger(L, -2) >= 1 && lua_tointeger(L, -2) <= n;
    lua_pop(L, 1);
    if (!positional)
      raise(L, "early_stop: a list of rules takes no named keys (write early_stop{...} for one Keras rule)");
  }
  char name[48];
  for (lua_Integer i = 1; i <= n; ++i) {
    std::snprintf(name, sizeof name, "early_stop rule %lld", static_cast<long long>(i));
    const int type = lua_geti(L, 1, i);
    const int item = lua_gettop(L);
    if (auto* single = test_object<EarlyStopBox>(L, item, kEarlyStopType)) {
      const train::EarlyStopOptions o = (*single)->options();
      guarded(L, name, [&] {
        rules.push_back(std::make_shared<train::PatienceRule>(o));
        return 0;
      });
    } else if (type != LUA_TTABLE) {
      raise(L, std::string(name) + ": expected a table, got " + luaL_typename(L, item));
    } else if (has_key(L, item, "max_time")) {
      rules.push_back(time_rule(Options(L, item, name, kTimeKeys)));
    } else {
      const bool target = has_key(L, item, "target");
      const bool divergence = !target && has_key(L, item, "divergence");
      const Options options(L, item, name, target ? kTargetKeys : divergence ? kDivergenceKeys : kPatienceKeys);
      rules.push_back(metric_rule(options, target, divergence));
    }
    lua_settop(L, 2);
  }
  return 1;
}

}  // namespace regimen::lua
