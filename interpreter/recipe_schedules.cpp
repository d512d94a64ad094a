#include "interpreter/recipe_schedules.hpp"

#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include "interpreter/bind/lua_schedule.hpp"
#include "interpreter/lua_error.hpp"
#include "interpreter/suggest.hpp"
#include "runtime/error.hpp"
#include "runtime/nn/dropout.hpp"
#include "runtime/option_check.hpp"
#include "runtime/schedule/deferred.hpp"
#include "runtime/schedule/feedback.hpp"
#include "runtime/train/schedule_driver.hpp"

namespace regimen::lua {
namespace {

// After the plan: every scheduled value that can now be evaluated takes its value at the
// optimizer's current step (a cosine momentum in epochs was built with a stand-in).
void settle(Recipe& recipe) {
  const auto step = static_cast<double>(recipe.optimizer->steps());
  for (optim::Optimizer* optimizer : recipe.optimizer->parts()) {  // each parameter group's
    if (!schedule::depends_on_run(optimizer->lr())) {
      try {
        require_non_negative("lr", optimizer->current_lr());
      } catch (const InvalidArgument& e) {
        throw InvalidArgument(std::string("optimizer: ") + e.what() + " at step " + format_number(step));
      }
    }
    for (const optim::ScheduledOption& o : std::vector<optim::ScheduledOption>(optimizer->scheduled_options())) {
      if (!schedule::depends_on_run(o.schedule)) optimizer->schedule_option(o.name, o.schedule);
    }
  }
  for (const nn::NamedLayer& layer : recipe.model->layers()) {
    auto* dropout = dynamic_cast<nn::Dropout*>(layer.layer.get());
    if (!dropout || !dropout->schedule() || schedule::depends_on_run(dropout->schedule())) continue;
    try {
      dropout->set_p((*dropout->schedule())(step));
    } catch (const InvalidArgument& e) {
      throw InvalidArgument(std::string(e.what()) + " at step " + format_number(step));
    }
  }
  if (recipe.config.batch_size_schedule && !schedule::depends_on_run(recipe.config.batch_size_schedule))
    recipe.config.batch_size = train::batch_size_at(recipe.config, 0);
}

}  // namespace

void read_batch_size_schedule(lua_State* L, int table, Recipe& recipe) {
  const int type = lua_getfield(L, table, "batch_size");
  if (type == LUA_TFUNCTION || type == LUA_TUSERDATA) {
    schedule::SchedulePtr s = to_schedule(L, -1, "recipe: batch_size");
    if (!s) {
      fail_recipe(L, recipe, std::string("'batch_size' must be an integer or a schedule, got ") +
                                 luaL_typename(L, -1));
    }
    recipe.config.batch_size_schedule = std::move(s);
    recipe.config.batch_size = 32;  // sizes evaluation batches until settle() knows better
  }
  lua_pop(L, 1);
}

void resolve_schedules(lua_State* L, Recipe& recipe) {
  char failure[1024] = "";
  bool as_is = false;
  try {
    const schedule::RunLength run =
        train::prepare_schedules(*recipe.model, *recipe.optimizer, recipe.config, recipe.train.size());
    settle(recipe);
    set_run_plan(L, run);
  } catch (const CallbackError& e) {
    std::snprintf(failure, sizeof failure, "%s", e.what());
    as_is = true;
  } catch (const std::exception& e) {
    std::snprintf(failure, sizeof failure, "%s", e.what());
  }
  if (as_is) raise_as_is(L, failure);
  if (failure[0] != '\0') fail_recipe(L, recipe, failure);

  const std::vector<std::string> names = recipe_metric_names(recipe);
  for (const schedule::FeedbackPtr& f :
       schedule::feedback_of(train::run_schedules(*recipe.model, *recipe.optimizer, recipe.config))) {
    const std::string monitor = f->monitor();
    if (monitor.empty() || std::find(names.begin(), names.end(), monitor) != names.end()) continue;
    std::string listed;
    for (const auto& name : names) listed += (listed.empty() ? "" : ", ") + name;
    fail_recipe(L, recipe, "schedule." + f->name() + ": monitor '" + monitor + "' is not a metric of this run" +
                               did_you_mean(monitor, names) + "; it has " + listed);
  }
}

}  // namespace regimen::lua
