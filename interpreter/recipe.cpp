#include "interpreter/recipe.hpp"

#include <algorithm>
#include <sstream>
#include <vector>

#include "interpreter/bind/stop_rules.hpp"
#include "interpreter/host_binding.hpp"
#include "interpreter/recipe_augment.hpp"
#include "interpreter/recipe_batch_size.hpp"
#include "interpreter/recipe_on_nan.hpp"
#include "interpreter/recipe_schedules.hpp"
#include "interpreter/suggest.hpp"
#include "interpreter/userdata.hpp"
#include "runtime/optim/grouped_optimizer.hpp"
#include "runtime/option_check.hpp"
#include "runtime/train/divergence_rule.hpp"
#include "runtime/train/metric_catalog.hpp"

namespace regimen::lua {
namespace {

// Raises "<where>: recipe: <message>". The recipe's file has returned, so no frame of it is on
// the stack to blame; the line recorded by recipe{...} stands in.
[[noreturn]] void fail(lua_State* L, const Recipe& recipe, const std::string& message) {
  const std::string text = (recipe.where.empty() ? "" : recipe.where + ": ") + "recipe: " + message;
  lua_pushlstring(L, text.data(), text.size());
  lua_error(L);
  __builtin_unreachable();
}

// The field `key` of the recipe table (at `table`) as a T with metatable `type`, or nullptr when
// absent; raises naming `expected` otherwise.
template <typename T>
T* field(lua_State* L, const Recipe& recipe, int table, const char* key, const char* type, const char* expected) {
  if (lua_getfield(L, table, key) == LUA_TNIL) {
    lua_pop(L, 1);
    return nullptr;
  }
  T* value = test_object<T>(L, -1, type);
  if (value == nullptr) {
    const std::string got = luaL_typename(L, -1);
    fail(L, recipe, std::string("'") + key + "' must be " + expected + ", got " + got);
  }
  lua_pop(L, 1);  // the recipe table keeps the object alive
  return value;
}

std::optional<lua_Integer> integer_field(lua_State* L, int table, const char* key) {
  std::optional<lua_Integer> value;
  if (lua_getfield(L, table, key) != LUA_TNIL) value = lua_tointeger(L, -1);
  lua_pop(L, 1);
  return value;
}

// A number field (recipe{} checked the type and range), or nullopt when absent.
std::optional<double> number_field(lua_State* L, int table, const char* key) {
  std::optional<double> value;
  if (lua_getfield(L, table, key) != LUA_TNIL) value = lua_tonumber(L, -1);
  lua_pop(L, 1);
  return value;
}

// Evaluating with other statistics than training's is always a mistake: either the held-out
// data is left raw, or it was fitted on itself (which leaks it into the run).
void check_normalized_alike(lua_State* L, const Recipe& recipe) {
  const auto& fitted = recipe.train.normalizer();
  const auto check = [&](const std::optional<data::Dataset>& part, const char* name) {
    if (!part || part->normalizer() == fitted) return;
    fail(L, recipe, std::string("data.") + name +
                        (fitted ? " is not normalized with data.train's statistics: use " + std::string(name) +
                                      ":normalize(train), with train the normalized training split"
                                : " is normalized but data.train is not: normalize the training split and "
                                  "apply its statistics with " + std::string(name) + ":normalize(train)"));
  };
  check(recipe.validation, "validation");
  check(recipe.test, "test");
}

void resolve_data(lua_State* L, int table, Recipe& recipe) {
  lua_getfield(L, table, "data");
  const int data = lua_gettop(L);
  if (lua_isnil(L, data)) {  // recipe{} allows this for host models only
    recipe.train = placeholder_dataset();
  } else if (auto* train = test_object<DatasetBox>(L, data, kDatasetType)) {
    recipe.train = *train;
  } else if (lua_istable(L, data)) {
    for (lua_pushnil(L); lua_next(L, data) != 0; lua_pop(L, 1)) {
      const char* key = lua_type(L, -2) == LUA_TSTRING ? lua_tostring(L, -2) : "?";
      const std::vector<std::string> known{"train", "validation", "test"};
      if (std::string(key) != "train" && std::string(key) != "validation" && std::string(key) != "test")
        fail(L, recipe, std::string("data: unknown split '") + key + "'" + did_you_mean(key, known));
      auto* dataset = test_object<DatasetBox>(L, -1, kDatasetType);
      if (dataset == nullptr) fail(L, recipe, std::string("data.") + key + " must be a dataset");
      if (std::string(key) == "train") recipe.train = *dataset;
      if (std::string(key) == "validation") recipe.validation = *dataset;
      if (std::string(key) == "test") recipe.test = *dataset;
    }
    if (recipe.train.size() == 0) fail(L, recipe, "data.train is required");
    check_normalized_alike(L, recipe);
  } else {
    fail(L, recipe, "'data' must be a dataset or {train = ..., validation = ..., test = ...}");
  }
  lua_pop(L, 1);
}

std::vector<std::string> metric_names(const Recipe& recipe) {
  std::vector<std::string> names{"loss"};
  const auto chosen = recipe.config.metrics.value_or(train::default_metrics(recipe.loss->task()));
  names.insert(names.end(), chosen.begin(), chosen.end());
  if (recipe.validation) {
    const std::size_t n = names.size();
    for (std::size_t i = 0; i < n; ++i) names.push_back("val_" + names[i]);
  }
  return names;
}

// metrics = {"accuracy", "f1", ...}: each must be one this run's loss can report; they become
// the metrics reported besides loss (val_ names select the base metric). Without the key, the
// loss's defaults are reported (accuracy for classification).
void check_metrics(lua_State* L, int table, Recipe& recipe) {
  const int type = lua_getfield(L, table, "metrics");
  if (type == LUA_TNIL) {
    lua_pop(L, 1);
    return;
  }
  if (type != LUA_TTABLE) fail(L, recipe, std::string("'metrics' must be a list of names, got ") + luaL_typename(L, -1));
  if (external_layer_of(*recipe.model)) fail(L, recipe, "'metrics': a host model reports its loss only");
  const loss::Task task = recipe.loss->task();
  std::vector<std::string> known{"loss"};
  for (const std::string& choice : train::metric_choices(task)) known.push_back(choice);
  std::vector<std::string> chosen;
  for (lua_Integer i = 1, n = luaL_len(L, -1); i <= n; ++i) {
    lua_geti(L, -1, i);
    const std::string name = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : "";
    const bool validation = recipe.validation && name.rfind("val_", 0) == 0;
    const std::string base = validation ? name.substr(4) : name;
    if (base != "loss" && !train::metric_available(base, task)) {
      std::string extra = train::metric_unavailable_note(base, task);
      if (extra.empty()) extra = did_you_mean(name, known);
      fail(L, recipe, "metrics: '" + name + "' is not a metric this run can report" + extra);
    }
    if (base != "loss" && std::find(chosen.begin(), chosen.end(), base) == chosen.end()) chosen.push_back(base);
    lua_pop(L, 1);
  }
  lua_pop(L, 1);
  recipe.config.metrics = chosen;
}

// loss.bce takes a 0/1 target per output: a data set of class indices fits only with 2 classes.
void check_loss_targets(lua_State* L, const Recipe& recipe) {
  if (recipe.loss->task() == loss::Task::kBinary && recipe.train.classes() > 2)
    fail(L, recipe, "loss.bce needs 0/1 targets, but the data has " + std::to_string(recipe.train.classes()) +
                        " classes (use loss.cross_entropy, or a 2-class data set with 1 output)");
}

// A list of rules: each monitored name must be a metric of the run; a divergence rule on the
// training loss takes over what a non-finite loss does (it ends the run as that rule's stop).
void resolve_stop_rules(lua_State* L, const StopRulesBox& rules, Recipe& recipe) {
  recipe.stop_rules = rules;
  const std::vector<std::string> names = metric_names(recipe);
  for (std::size_t i = 0; i < rules.size(); ++i) {
    const std::string monitor = rules[i]->monitor();
    if (dynamic_cast<const train::DivergenceRule*>(rules[i].get()) && monitor == "loss")
      recipe.config.non_finite_loss_throws = false;
    if (monitor.empty() || std::find(names.begin(), names.end(), monitor) != names.end()) continue;
    std::string listed;
    for (const auto& name : names) listed += (listed.empty() ? "" : ", ") + name;
    fail(L, recipe, "early_stop rule " + std::to_string(i + 1) + ": monitor '" + monitor +
                        "' is not a metric of this run" + did_you_mean(monitor, names) + "; it has " + listed);
  }
}

void resolve_early_stop(lua_State* L, int table, Recipe& recipe) {
  lua_getfield(L, table, "early_stop");
  const StopRulesBox* rules = test_object<StopRulesBox>(L, -1, kStopRulesType);
  lua_pop(L, 1);  // the recipe table keeps the rules alive
  if (rules != nullptr) return resolve_stop_rules(L, *rules, recipe);
  auto* early_stop = field<EarlyStopBox>(L, recipe, table, "early_stop", kEarlyStopType, "early_stop{...}");
  if (early_stop == nullptr) return;
  recipe.early_stop = *early_stop;
  const std::string& monitor = recipe.early_stop->options().monitor;
  const std::vector<std::string> names = metric_names(recipe);
  if (std::find(names.begin(), names.end(), monitor) == names.end()) {
    std::string listed;
    for (const auto& name : names) listed += (listed.empty() ? "" : ", ") + name;
    fail(L, recipe, "early_stop: monitor '" + monitor + "' is not a metric of this run" +
                        did_you_mean(monitor, names) + "; it has " + listed);
  }
}

// checkpoint = {every = N, every_steps = N, keep = K}; recipe{} checked the shape.
void read_checkpoint_policy(lua_State* L, int table, Recipe& recipe) {
  if (lua_getfield(L, table, "checkpoint") == LUA_TTABLE) {
    const int spec = lua_gettop(L);
    train::CheckpointPolicy policy;
    policy.every = static_cast<int>(integer_field(L, spec, "every").value_or(0));
    policy.every_steps = integer_field(L, spec, "every_steps").value_or(0);
    policy.keep = static_cast<int>(integer_field(L, spec, "keep").value_or(3));
    recipe.checkpoint = policy;
  }
  lua_pop(L, 1);
}

// max_steps = N caps the run at N optimizer steps. Without `epochs` (and --epochs), the run
// plans just enough epochs to take them, so schedules planned over the run ("10%") fit it.
void read_max_steps(lua_State* L, int table, const RecipeOverrides& overrides, Recipe& recipe) {
  const auto max_steps = integer_field(L, table, "max_steps");
  if (!max_steps) return;
  recipe.config.max_steps = *max_steps;
  if (overrides.epochs || integer_field(L, table, "epochs") || recipe.config.batch_size_schedule) return;
  const std::int64_t batches = (recipe.train.size() + recipe.config.batch_size - 1) / recipe.config.batch_size;
  const std::int64_t steps = (batches + recipe.config.accumulate - 1) / recipe.config.accumulate;
  if (steps > 0) recipe.config.epochs = static_cast<int>((*max_steps + steps - 1) / steps);
}

void build_model(lua_State* L, Recipe& recipe) {
  std::string failure;
  try {
    if (!recipe.model->built()) {
      // Images keep their shape for convolutions; other data is flat features.
      const data::ImageShape image = recipe.train.image_shape();
      const bool images = !image.empty() && image.size() == recipe.train.features();
      recipe.model->build(images ? nn::Shape::image_of(image.channels, image.height, image.width)
                                 : nn::Shape::flat(recipe.train.features()),
                          recipe.seed);
    }
  } catch (const std::exception& e) {
    failure = std::string("model: ") + e.what();
  }
  if (!failure.empty()) fail(L, recipe, failure);
}

// Lays the arena out for the optimizer's parameter groups; a group that selects nothing is
// worth a warning, not an error (a recipe may share groups between models).
void prepare_optimizer(lua_State* L, Recipe& recipe) {
  std::string failure;
  try {
    recipe.optimizer->prepare(recipe.model->arena());
    if (auto* grouped = dynamic_cast<const optim::GroupedOptimizer*>(recipe.optimizer.get()))
      for (const std::string& message : grouped->unmatched())
        recipe.warnings.push_back("optim." + grouped->name() + ": " + message);
  } catch (const std::exception& e) {
    failure = std::string("optimizer: ") + e.what();
  }
  if (!failure.empty()) fail(L, recipe, failure);
}

// `regimen check`'s listing of parameter groups: each group's selector, options and tensors.
void describe_groups(std::ostream& out, const optim::GroupedOptimizer& grouped) {
  const auto list = [&](const std::vector<std::string>& names) {
    std::string text;
    for (const std::string& name : names) text += (text.empty() ? "" : ", ") + name;
    return text.empty() ? std::string("(none)") : text;
  };
  const auto& members = grouped.members();
  const auto& groups = grouped.groups();
  for (std::size_t g = 0; g < groups.size(); ++g) {
    out << "              group " << g + 1 << " {" << groups[g].selector.describe() << "}: "
        << groups[g].optimizer->describe() << "\n";
    if (g + 1 < members.size()) out << "                " << list(members[g + 1]) << "\n";
  }
  if (!members.empty()) out << "              other parameters: " << list(members[0]) << "\n";
}

// A registry reference to the function field `key`, or LUA_NOREF (recipe{} checked the type).
int function_ref(lua_State* L, int table, const char* key) {
  if (lua_getfield(L, table, key) == LUA_TFUNCTION) return luaL_ref(L, LUA_REGISTRYINDEX);
  lua_pop(L, 1);
  return LUA_NOREF;
}

}  // namespace

bool is_tagged(lua_State* L, int index, const char* metatable) {
  if (!lua_istable(L, index) || !lua_getmetatable(L, index)) return false;
  luaL_getmetatable(L, metatable);
  const bool same = lua_rawequal(L, -1, -2);
  lua_pop(L, 2);
  return same;
}

bool is_recipe(lua_State* L, int index) { return is_tagged(L, index, kRecipeMetatable); }

void resolve_recipe(lua_State* L, const RecipeOverrides& overrides, Recipe& recipe) {
  const int table = lua_gettop(L);
  lua_getfield(L, table, kRecipeWhereField);
  recipe.where = lua_isstring(L, -1) ? lua_tostring(L, -1) : "";
  if (recipe.where.empty()) recipe.where = overrides.chunk_name;
  lua_getfield(L, table, "name");
  recipe.name = lua_isstring(L, -1) ? lua_tostring(L, -1) : overrides.default_name;
  lua_pop(L, 2);
  recipe.seed = overrides.seed.value_or(static_cast<std::uint64_t>(integer_field(L, table, "seed").value_or(0)));
  recipe.config.seed = recipe.seed;
  recipe.config.epochs = overrides.epochs.value_or(static_cast<int>(integer_field(L, table, "epochs").value_or(1)));
  recipe.config.batch_size = integer_field(L, table, "batch_size").value_or(32);
  read_batch_size_schedule(L, table, recipe);
  recipe.config.accumulate = static_cast<int>(integer_field(L, table, "accumulate").value_or(1));
  recipe.config.ema = number_field(L, table, "ema");

  resolve_data(L, table, recipe);
  read_checkpoint_policy(L, table, recipe);
  read_on_nan(L, table, recipe);
  read_augment(L, table, recipe);
  recipe.model = *field<ModelBox>(L, recipe, table, "model", kModelType, "a model (nn.sequential{...})");
  if (const auto external = external_layer_of(*recipe.model)) {
    recipe.loss = std::make_shared<train::ExternalLoss>(external);
    external->set_without_data(is_placeholder(recipe.train));
  } else {
    recipe.loss = *field<LossBox>(L, recipe, table, "loss", kLossType, "a loss (loss.mse(), loss.cross_entropy(), ...)");
  }
  recipe.optimizer = *field<OptimizerBox>(L, recipe, table, "optimizer", kOptimizerType, "an optimizer (optim.adam{...})");
  if (lua_getfield(L, table, "schedule") != LUA_TNIL) {
    schedule::SchedulePtr lr = to_schedule(L, -1, "recipe: schedule");
    if (!lr) fail(L, recipe, std::string("'schedule' must be a schedule or a number, got ") + luaL_typename(L, -1));
    recipe.optimizer->set_lr(std::move(lr));
  }
  lua_pop(L, 1);
  if (auto* r = field<RegularizerBox>(L, recipe, table, "regularize", kRegularizerType,
                                     "a regularizer (reg.l1, reg.l2, reg.l1l2)"))
    recipe.regularizer = *r;
  if (auto* c = field<ClipBox>(L, recipe, table, "clip", kClipType, "a gradient clip (clip.norm(max), clip.value(v))"))
    recipe.clip = *c;
  check_loss_targets(L, recipe);
  check_metrics(L, table, recipe);
  resolve_early_stop(L, table, recipe);
  recipe.hooks.on_epoch_end = function_ref(L, table, "on_epoch_end");
  recipe.hooks.on_train_end = function_ref(L, table, "on_train_end");
  recipe.hooks.on_step_end = function_ref(L, table, "on_step_end");
  build_model(L, recipe);
  resolve_auto_batch_size(L, table, recipe);
  read_max_steps(L, table, overrides, recipe);
  prepare_optimizer(L, recipe);
  resolve_schedules(L, recipe);
}

void fail_recipe(lua_State* L, const Recipe& recipe, const std::string& message) { fail(L, recipe, message); }

std::vector<std::string> recipe_metric_names(const Recipe& recipe) { return metric_names(recipe); }

std::string Recipe::describe() const {
  std::ostringstream out;
  out << "recipe " << name << (where.empty() ? "" : "  (" + where + ")") << "\n";
  out << "  seed        " << seed << "\n";
  out << "  data        train " << train.size() << " samples x " << train.features() << " features";
  if (train.classes() > 0) out << ", " << train.classes() << " classes";
  out << "\n";
  if (validation) out << "              validation " << validation->size() << " samples\n";
  if (test) out << "              test " << test->size() << " samples\n";
  out << "  model\n";
  std::istringstream model_lines(model->describe());
  for (std::string line; std::getline(model_lines, line);) out << "    " << line << "\n";
  out << "  loss        " << loss->describe() << "\n";
  out << "  optimizer   " << optimizer->describe() << "\n";
  for (const auto& o : optimizer->scheduled_options())
    out << "              " << o.name << " = " << o.schedule->describe() << "\n";
  if (auto* grouped = dynamic_cast<const optim::GroupedOptimizer*>(optimizer.get())) describe_groups(out, *grouped);
  if (regularizer) out << "  regularize  " << regularizer->describe() << "\n";
  if (clip) out << "  clip        " << clip->describe() << "\n";
  if (config.batch_size_schedule) {
    out << "  batch_size  " << config.batch_size_schedule->describe() << "  (by epoch)\n";
  } else {
    out << "  batch_size  " << (auto_batch_size ? "auto: " + auto_batch_size->describe() : std::to_string(config.batch_size)) << "\n";
  }
  if (config.augment) {
    out << "  augment     "
        << describe_augment({config.augment, config.augment_strength, config.augment_strength_schedule})
        << "  (training batches)\n";
  }
  if (config.accumulate > 1) out << "  accumulate  " << config.accumulate << " batches per update\n";
  if (config.ema) out << "  ema         " << format_number(*config.ema) << "\n";
  out << "  epochs      " << config.epochs << "\n";
  if (config.max_steps) out << "  max_steps   " << *config.max_steps << "\n";
  if (checkpoint) {
    out << "  checkpoint  ";
    if (checkpoint->every > 0) out << "every " << checkpoint->every << " epochs, ";
    if (checkpoint->every_steps > 0) out << "every " << checkpoint->every_steps << " steps, ";
    out << "keep " << checkpoint->keep << "\n";
  }
  if (!config.on_nan.actions.empty()) out << "  on_nan      " << describe_on_nan(config.on_nan) << "\n";
  if (early_stop) out << "  early_stop  " << early_stop->describe() << "\n";
  for (std::size_t i = 0; i < stop_rules.size(); ++i)
    out << (i == 0 ? "  early_stop  " : "              ") << i + 1 << ". " << stop_rules[i]->describe() << "\n";
  if (hooks.on_epoch_end != LUA_NOREF) out << "  on_epoch_end  (Lua function)\n";
  if (hooks.on_step_end != LUA_NOREF) out << "  on_step_end  (Lua function)\n";
  if (hooks.on_train_end != LUA_NOREF) out << "  on_train_end  (Lua function)\n";
  for (const std::string& warning : warnings) out << "warning: " << (where.empty() ? "" : where + ": ") << warning << "\n";
  return out.str();
}

}  // namespace regimen::lua
