#include "interpreter/plot.hpp"

#include <cmath>

#include "interpreter/bind/lua_schedule.hpp"
#include "interpreter/bind/types.hpp"
#include "runtime/nn/dropout.hpp"
#include "runtime/schedule/deferred.hpp"
#include "runtime/schedule/feedback.hpp"
#include "runtime/train/schedule_driver.hpp"

namespace regimen::lua {
namespace {

// " (plateau: without metrics)" for each stateful schedule inside, "" for a pure one.
std::string feedback_note(const schedule::SchedulePtr& schedule) {
  std::string note;
  for (const schedule::FeedbackPtr& f : schedule::feedback_of(schedule)) {
    const std::string without = f->wants_gradients() ? "without gradients" : "without metrics";
    note += (note.empty() ? "" : ", ") + f->name() + ": " + without;
  }
  return note.empty() ? note : " (" + note + ")";
}

std::vector<double> epoch_starts(const schedule::RunLength& run) {
  std::vector<double> starts;
  for (int e = 0; e <= run.epochs(); ++e) starts.push_back(run.steps_at_epoch(e));
  return starts;
}

// The batch size as a staircase: two points per epoch (its first and last step), or one point
// at step 0 for a run of no epochs.
PlannedSeries batch_size_series(const train::TrainConfig& config, const schedule::RunLength& run) {
  PlannedSeries series{"batch_size (by epoch)", config.batch_size_schedule->describe(), {}, {}};
  if (run.epochs() == 0) {
    series.steps.push_back(0.0);
    series.values.push_back(static_cast<double>(train::batch_size_at(config, 0)));
  }
  for (int e = 0; e < run.epochs(); ++e) {
    const auto size = static_cast<double>(train::batch_size_at(config, e));
    for (const double step : {run.steps_at_epoch(e), run.steps_at_epoch(e + 1)}) {
      series.steps.push_back(step);
      series.values.push_back(size);
    }
  }
  return series;
}

// A value the default group plots: the option's name, its schedule and its samples.
struct Plotted {
  std::string option;
  schedule::SchedulePtr schedule;
  PlannedSeries series;
};

// The optimizer's lr and scheduled options; with parameter groups, the default group's, then
// each group's curve that differs from the default group's, named "lr (group 2)" as `regimen
// check` numbers groups.
void add_optimizer_series(std::vector<PlannedSeries>& out, const optim::Optimizer& optimizer,
                          const std::vector<double>& steps) {
  const std::vector<const optim::Optimizer*> parts = optimizer.parts();
  const optim::Optimizer& first = *parts.front();  // the optimizer itself, or its default group
  std::vector<Plotted> defaults;
  defaults.push_back({"lr", optimizer.lr(), sample_schedule("lr", optimizer.lr(), steps)});
  for (const optim::ScheduledOption& o : first.scheduled_options())
    defaults.push_back({o.name, o.schedule, sample_schedule(o.name, o.schedule, steps)});
  for (const Plotted& d : defaults) out.push_back(d.series);
  const auto add_if_new = [&](const std::string& option, const schedule::SchedulePtr& s, const std::string& group) {
    const Plotted* same = nullptr;
    for (const Plotted& d : defaults)
      if (d.option == option) same = &d;
    if (same && same->schedule == s) return;
    PlannedSeries series = sample_schedule(option + group, s, steps);
    if (same && same->series.values == series.values) return;
    out.push_back(std::move(series));
  };
  for (std::size_t k = 1; k < parts.size(); ++k) {
    const std::string group = " (group " + std::to_string(k) + ")";
    add_if_new("lr", parts[k]->lr(), group);
    for (const optim::ScheduledOption& o : parts[k]->scheduled_options()) add_if_new(o.name, o.schedule, group);
  }
}

}  // namespace

std::vector<double> plot_steps(double total_steps) {
  const auto total = static_cast<std::int64_t>(std::max(0.0, std::round(total_steps)));
  std::vector<double> steps;
  if (total <= kMaxPlotSteps) {
    for (std::int64_t t = 0; t <= total; ++t) steps.push_back(static_cast<double>(t));
    return steps;
  }
  for (std::int64_t i = 0; i <= kMaxPlotSteps; ++i)
    steps.push_back(std::round(static_cast<double>(i) * static_cast<double>(total) / static_cast<double>(kMaxPlotSteps)));
  return steps;
}

PlannedSeries sample_schedule(const std::string& name, const schedule::SchedulePtr& schedule,
                              const std::vector<double>& steps) {
  PlannedSeries series{name + feedback_note(schedule), schedule->describe(), steps, {}};
  series.values.reserve(steps.size());
  for (const double t : steps) series.values.push_back((*schedule)(t));
  return series;
}

SchedulePlan plan_recipe(const Recipe& recipe) {
  const schedule::RunLength run = train::plan_run(recipe.train.size(), recipe.config);
  SchedulePlan plan;
  plan.name = recipe.name;
  plan.total_steps = run.total_steps();
  plan.epoch_starts = epoch_starts(run);
  const std::vector<double> steps = plot_steps(run.total_steps());
  add_optimizer_series(plan.series, *recipe.optimizer, steps);
  for (const nn::NamedLayer& layer : recipe.model->layers()) {
    const auto* dropout = dynamic_cast<const nn::Dropout*>(layer.layer.get());
    if (dropout && dropout->schedule()) plan.series.push_back(sample_schedule(layer.name + ".p", dropout->schedule(), steps));
  }
  if (recipe.config.batch_size_schedule) plan.series.push_back(batch_size_series(recipe.config, run));
  return plan;
}

SchedulePlan plan_one(const std::string& name, const schedule::SchedulePtr& schedule, const schedule::RunLength& run) {
  SchedulePlan plan;
  plan.name = name;
  plan.total_steps = run.total_steps();
  plan.epoch_starts = epoch_starts(run);
  plan.series.push_back(sample_schedule("s(t)", schedule, plot_steps(run.total_steps())));
  return plan;
}

int plot_schedule_entry(lua_State* L) {
  auto* call = static_cast<PlotScheduleCall*>(lua_touserdata(L, 1));
  // Written straight into the call: no C++ object of this frame is alive when Lua raises.
  call->schedule = to_schedule(L, 2, call->chunk_name);
  if (!call->schedule) {
    return luaL_error(L, "%s: the value is a %s; plot needs a schedule, a number or a function(t, ctx)",
                      call->chunk_name, luaL_typename(L, 2));
  }
  guarded(L, call->chunk_name, [call] {
    schedule::resolve_lengths({&call->schedule, 1}, call->run);
    return 0;
  });
  set_run_plan(L, call->run);
  return 0;
}

}  // namespace regimen::lua
