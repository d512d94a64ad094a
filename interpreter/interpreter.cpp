#include "regimen/interpreter.hpp"

#include <omp.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <memory>

#include "interpreter/bind/lua_schedule.hpp"
#include "interpreter/context.hpp"
#include "interpreter/epoch_hook.hpp"
#include "interpreter/host_binding.hpp"
#include "interpreter/host_events.hpp"
#include "interpreter/limits.hpp"
#include "interpreter/batch_find.hpp"
#include "interpreter/lr_find.hpp"
#include "interpreter/lua_error.hpp"
#include "interpreter/plot.hpp"
#include "interpreter/recipe.hpp"
#include "interpreter/require.hpp"
#include "interpreter/run_checkpoints.hpp"
#include "interpreter/run_output.hpp"
#include "interpreter/sandbox.hpp"
#include "interpreter/step_hook.hpp"
#include "interpreter/seeded_random.hpp"
#include "interpreter/suggest.hpp"
#include "runtime/error.hpp"
#include "runtime/train/confusion_matrix.hpp"
#include "runtime/train/diagnostics.hpp"
#include "runtime/train/early_stop_callback.hpp"
#include "runtime/train/epoch_printer.hpp"
#include "runtime/train/json_epoch_printer.hpp"
#include "runtime/train/loss_trace.hpp"
#include "runtime/train/progress_bar.hpp"
#include "runtime/train/stop_rules.hpp"
#include "runtime/train/metrics_log.hpp"

namespace regimen {

const char* version() { return REGIMEN_VERSION; }

namespace {

struct LuaClose {
  void operator()(lua_State* L) const { lua_close(L); }
};

// Calls the function in upvalue 1 with this call's arguments, returning all its results.
int call_first_upvalue(lua_State* L) {
  lua_pushvalue(L, lua_upvalueindex(1));
  lua_insert(L, 1);
  lua_call(L, lua_gettop(L) - 1, LUA_MULTRET);
  return lua_gettop(L);
}

// Adds the DSL: each module as a global and as a field of `require "regimen"`.
void install_dsl(lua_State* L, lua::Context& context) {
  using Opener = int (*)(lua_State*, lua::Context&);
  const std::pair<const char*, Opener> modules[] = {
      {"schedule", lua::open_schedule}, {"optim", lua::open_optim},         {"nn", lua::open_nn},
      {"loss", lua::open_loss},         {"reg", lua::open_reg},             {"data", lua::open_data},
      {"early_stop", lua::open_early_stop}, {"param", lua::open_param},   {"clip", lua::open_clip},
      {"tensor", lua::open_tensor},     {"host", lua::open_host},
      {"augment", lua::open_augment},
  };
  lua_newtable(L);
  const int regimen = lua_gettop(L);
  for (const auto& [name, open] : modules) {
    open(L, context);
    lua_pushvalue(L, -1);
    lua_setfield(L, regimen, name);
    lua_setglobal(L, name);
  }
  lua::install_require(L, context, regimen);
  // regimen.internal is what stdlib modules build on; load it into require's cache.
  lua_getglobal(L, "require");
  lua_pushliteral(L, "regimen");
  lua_call(L, 1, 0);
  lua_getfield(L, LUA_REGISTRYINDEX, "regimen.loaded");
  lua::open_internal(L, context);
  lua_setfield(L, -2, "regimen.internal");
  lua_pop(L, 1);
  // recipe{...} lives in the Lua stdlib, called through a C function: `return recipe{...}` is a
  // tail call, and a tail call into a Lua function erases the recipe's frame (and its line),
  // whereas a C callee keeps the caller's frame on the stack.
  lua_getglobal(L, "require");
  lua_pushliteral(L, "regimen.recipe");
  lua_call(L, 1, 1);
  lua_pushcclosure(L, call_first_upvalue, 1);
  lua_pushvalue(L, -1);
  lua_setfield(L, regimen, "recipe");
  lua_setglobal(L, "recipe");
  lua_pop(L, 1);
}

int open_everything(lua_State* L) {
  auto* context = static_cast<lua::Context*>(lua_touserdata(L, 1));
  lua::open_libraries(L, context->trusted);
  lua::install_limits(L);  // first: threads made from here on inherit the hook
  lua::install_seeded_random(L, context->seed.value_or(0));
  install_dsl(L, *context);
  if (!context->trusted) lua::seal_sandbox(L);
  lua::guard_globals(L, context->trusted);
  return 0;
}

// Message handler: keeps Lua's "file:line: message"; adds nothing for non-string errors.
int message_handler(lua_State* L) {
  if (!lua_isstring(L, 1)) {
    lua_pushfstring(L, "(error object is a %s value)", luaL_typename(L, 1));
  }
  return 1;
}

struct ResolveCall {
  const lua::RecipeOverrides* overrides;
  lua::Recipe* recipe;
};

int resolve_entry(lua_State* L) {
  auto* call = static_cast<ResolveCall*>(lua_touserdata(L, 1));
  lua_settop(L, 2);
  lua::resolve_recipe(L, *call->overrides, *call->recipe);
  return 0;
}

}  // namespace

struct Interpreter::Impl {
  InterpreterOptions options;
  lua::Context context;
  lua::LuaLimits limits;  // the state's allocator data: declared first, destroyed after it
  std::unique_ptr<lua_State, LuaClose> state;
  std::string chunk_name;
  std::string source_file;  // the recipe file, copied into the run directory; empty for a string
  std::string source_text;  // the recipe's text, which checkpoints record
  std::string default_name;  // the recipe's name when it gives none: its file's stem
  bool loaded = false;

  lua_State* L() const { return state.get(); }
  std::ostream& out() const { return options.out ? *options.out : std::cout; }
  std::ostream& err() const { return options.err ? *options.err : std::cerr; }

  // Throws Error for a failed protected call whose message is on the stack top.
  [[noreturn]] void throw_lua_error() {
    std::string message = lua_isstring(L(), -1) ? lua_tostring(L(), -1) : "unknown error";
    const bool runtime = lua::is_runtime_failure(L(), message);
    lua_settop(L(), 0);
    throw_limit_error(message);
    throw Error(runtime ? Error::Kind::kRuntime : Error::Kind::kRecipe, message);
  }

  // When a limit was exceeded, whatever error reached the host is that limit's (a recipe's
  // xpcall handler may have rewritten it; an allocation failure says only "not enough memory").
  void throw_limit_error(const std::string& message) const {
    if (limits.exceeded == lua::LuaLimits::Exceeded::kNone) return;
    const std::string limit = limits.message();
    if (message.find(limit) != std::string::npos) throw Error(Error::Kind::kRuntime, message);
    throw Error(Error::Kind::kRuntime, chunk_name + ": " + limit);
  }

  // OpenMP's thread count is a per-thread setting, and Eigen follows it while its own global
  // setting stays unset: set in the calling thread at every entry, so that interpreters in
  // different threads each keep their own.
  void apply_threads() const {
    if (options.threads > 0) omp_set_num_threads(options.threads);
  }

  // Each run() and check() gets the whole budget.
  void reset_limits() {
    apply_threads();
    limits.exceeded = lua::LuaLimits::Exceeded::kNone;
    limits.instructions = 0;
    limits.start_clock();
  }

  // Runs the loaded chunk; leaves its first result (or nil) alone on the stack.
  void evaluate() {
    if (!loaded) throw Error(Error::Kind::kRecipe, "no recipe loaded");
    loaded = false;
    reset_limits();
    lua_pushcfunction(L(), message_handler);
    lua_insert(L(), 1);
    if (lua_pcall(L(), 0, 1, 1) != LUA_OK) throw_lua_error();
    lua_remove(L(), 1);
  }

  // Every --set must name a param() the recipe read: a typo must not be silently ignored.
  void check_params_used() {
    const std::vector<std::string> read(context.params_read.begin(), context.params_read.end());
    for (const auto& [name, value] : context.params) {
      if (context.params_read.count(name)) continue;
      std::string known;
      for (const auto& r : read) known += (known.empty() ? "" : ", ") + r;
      throw Error(Error::Kind::kRecipe, "--set " + name + "=" + value + ": " + chunk_name + " has no param '" + name +
                                            "'" + lua::did_you_mean(name, read) +
                                            (known.empty() ? " (it reads none)" : " (it reads " + known + ")"));
    }
  }

  // Runs the loaded chunk and resolves its recipe, which `command` cannot do without.
  lua::Recipe required_recipe(const char* command) {
    evaluate();
    std::optional<lua::Recipe> recipe = resolve();
    if (!recipe) {
      throw Error(Error::Kind::kRecipe,
                  chunk_name + ": a plain script (it returns no recipe); " + command + " needs recipe{...}");
    }
    return std::move(*recipe);
  }

  // Resolves the recipe on the stack top; nullopt for a plain script.
  std::optional<lua::Recipe> resolve() {
    check_params_used();
    if (lua_isnil(L(), -1)) return std::nullopt;
    if (!lua::is_recipe(L(), -1)) {
      const std::string got = luaL_typename(L(), -1);
      lua_settop(L(), 0);
      throw Error(Error::Kind::kRecipe, chunk_name + ": the file returned a " + got +
                                            "; return recipe{...} to train, or nothing to run it as a script");
    }
    lua::RecipeOverrides overrides{options.seed, options.epochs, default_name, chunk_name};
    lua::Recipe recipe;
    ResolveCall call{&overrides, &recipe};
    lua_pushcfunction(L(), message_handler);
    lua_pushcfunction(L(), resolve_entry);
    lua_pushlightuserdata(L(), &call);
    lua_pushvalue(L(), -4);
    if (lua_pcall(L(), 2, 0, -4) != LUA_OK) throw_lua_error();
    lua_settop(L(), 0);
    return recipe;
  }

  RunResult train(lua::Recipe& recipe);
};

Interpreter::Interpreter(InterpreterOptions options) : impl_(std::make_unique<Impl>()) {
  impl_->options = std::move(options);
  impl_->context.trusted = impl_->options.trusted;
  impl_->context.seed = impl_->options.seed;
  impl_->limits.max_bytes = static_cast<std::size_t>(std::max(0.0, impl_->options.max_memory_mb) * 1024.0 * 1024.0);
  impl_->limits.max_instructions = impl_->options.max_instructions;
  impl_->limits.timeout_seconds = std::max(0.0, impl_->options.timeout_seconds);
  impl_->limits.start_clock();
  impl_->state.reset(lua_newstate(lua::limited_alloc, &impl_->limits));
  if (!impl_->state) throw Error(Error::Kind::kRuntime, "cannot create a Lua state (out of memory)");
  lua_atpanic(impl_->L(), [](lua_State* L) {  // not reached: every entry into Lua is protected
    std::fprintf(stderr, "regimen: unprotected Lua error: %s\n", lua_tostring(L, -1));
    return 0;
  });
  lua_State* L = impl_->L();
  lua_pushcfunction(L, open_everything);
  lua_pushlightuserdata(L, &impl_->context);
  if (lua_pcall(L, 1, 0, 0) != LUA_OK) impl_->throw_lua_error();
  impl_->apply_threads();
}

Interpreter::~Interpreter() = default;

void Interpreter::set_param(const std::string& name, const std::string& value) { impl_->context.params[name] = value; }

void Interpreter::bind_dataset(const std::string& name, HostDataset host) {
  impl_->context.host_datasets[name] = lua::borrow_host_dataset(name, host);
}

void Interpreter::bind_model(const std::string& name, HostModel model) {
  lua::check_host_model(name, model);
  impl_->context.host_models[name] = std::move(model);
}

void Interpreter::register_function(const std::string& name, HostFunction function) {
  lua::check_host_function_name(name);
  if (!function) throw Error(Error::Kind::kRecipe, "register_function '" + name + "': the function is empty");
  impl_->context.host_functions[name] = std::move(function);
}

void Interpreter::load_file(const std::string& path, const std::string& origin) {
  if (!std::filesystem::is_regular_file(path)) throw Error(Error::Kind::kRecipe, path + ": no such file");
  lua_settop(impl_->L(), 0);
  if (luaL_loadfilex(impl_->L(), path.c_str(), "t") != LUA_OK) impl_->throw_lua_error();
  impl_->chunk_name = path;
  impl_->source_file = path;
  impl_->source_text = lua::read_source(path);
  const std::filesystem::path folder = std::filesystem::path(origin.empty() ? path : origin).parent_path();
  impl_->context.recipe_dir = (folder.empty() ? std::filesystem::path(".") : folder).string();
  impl_->default_name = std::filesystem::path(origin.empty() ? path : origin).stem().string();
  impl_->loaded = true;
}

void Interpreter::load_string(const std::string& text, const std::string& chunk_name) {
  lua_settop(impl_->L(), 0);
  const std::string name = "=" + chunk_name;
  if (luaL_loadbufferx(impl_->L(), text.data(), text.size(), name.c_str(), "t") != LUA_OK) impl_->throw_lua_error();
  impl_->chunk_name = chunk_name;
  impl_->default_name = std::filesystem::path(chunk_name).stem().string();
  impl_->source_file.clear();
  impl_->source_text = text;
  impl_->loaded = true;
}

std::string Interpreter::check() {
  impl_->evaluate();
  auto recipe = impl_->resolve();
  if (!recipe) return impl_->chunk_name + ": a plain script (it returns no recipe)\n";
  return recipe->describe();
}

LrFindResult Interpreter::find_lr(const LrFindOptions& options) {
  lua::Recipe recipe = impl_->required_recipe("lr-find");
  return lua::reported(recipe.where, [&] { return lua::find_lr(recipe, options); });
}

BatchFindResult Interpreter::find_batch_size(const BatchFindOptions& options) {
  lua::Recipe recipe = impl_->required_recipe("batch-find");
  return lua::reported(recipe.where, [&] { return lua::find_batch_size(recipe, options); });
}

SchedulePlan Interpreter::plan() {
  lua::Recipe recipe = impl_->required_recipe("plot");
  return lua::reported(recipe.where, [&] { return lua::plan_recipe(recipe); });
}

SchedulePlan Interpreter::plan_schedule(std::int64_t steps) {
  if (steps <= 0) throw Error(Error::Kind::kRecipe, "plot: steps must be > 0, got " + std::to_string(steps));
  impl_->evaluate();
  impl_->check_params_used();
  lua::PlotScheduleCall call{impl_->chunk_name.c_str(), schedule::RunLength::uniform(static_cast<double>(steps), 1), nullptr};
  lua_State* L = impl_->L();
  lua_pushcfunction(L, message_handler);
  lua_pushcfunction(L, lua::plot_schedule_entry);
  lua_pushlightuserdata(L, &call);
  lua_pushvalue(L, -4);
  if (lua_pcall(L, 2, 0, -4) != LUA_OK) impl_->throw_lua_error();
  lua_settop(L, 0);
  return lua::reported(impl_->chunk_name, [&] { return lua::plan_one(impl_->chunk_name, call.schedule, call.run); });
}

RunResult Interpreter::run() {
  impl_->evaluate();
  auto recipe = impl_->resolve();
  if (!recipe) return {};
  return impl_->train(*recipe);
}

namespace {

// --json's last line: {"stop_reason": ..., "epochs": N, "steps": N, "test_loss": ..., ...,
// "confusion_matrix": {...}}; stop_reason is null when every epoch ran.
std::string run_summary_json(const RunResult& result, std::int64_t steps, const std::string& confusion_json) {
  std::string line = "{\"stop_reason\": " +
                     (result.stop_reason.empty() ? std::string("null") : train::json_string(result.stop_reason)) +
                     ", \"epochs\": " + std::to_string(result.history.size()) + ", \"steps\": " + std::to_string(steps);
  for (const auto& [name, value] : result.test) line += ", " + train::json_string(name) + ": " + train::json_number(value);
  // confusion_matrix_json is one object {"confusion_matrix": {...}}: its member joins this one.
  if (confusion_json.size() > 2) line += ", " + confusion_json.substr(1, confusion_json.size() - 2);
  line += ", \"diagnostics\": [";  // docs/diagnostics.md; [] for a healthy run
  for (std::size_t i = 0; i < result.diagnostics.size(); ++i) {
    const Diagnostic& d = result.diagnostics[i];
    line += std::string(i ? ", " : "") + "{\"kind\": " + train::json_string(d.kind) +
            ", \"epoch\": " + std::to_string(d.epoch + 1) + ", \"message\": " + train::json_string(d.message) +
            ", \"remedy\": " + train::json_string(d.remedy) + "}";
  }
  return line + "]}";
}

std::vector<MetricValue> to_values(const train::Metrics& metrics, const std::string& prefix = "") {
  std::vector<MetricValue> values;
  for (const auto& [name, value] : metrics.items()) values.emplace_back(prefix + name, value);
  return values;
}

// A host's model gets the trained weights (restore_best's, when it restored them).
void publish_external(const lua::Recipe& recipe) {
  if (const auto external = lua::external_layer_of(*recipe.model)) external->publish(recipe.model->arena());
}

// The best epoch by early stopping's monitor, else val_loss, else loss (both minimized).
void set_best_epoch(RunResult& result, const lua::Recipe& recipe) {
  bool maximize = false;
  if (recipe.early_stop) {
    const train::EarlyStopOptions& options = recipe.early_stop->options();
    result.monitor = options.monitor;
    maximize = train::resolve_maximize(options.monitor, options.mode);
  } else {
    result.monitor = recipe.validation ? "val_loss" : "loss";
  }
  for (std::size_t epoch = 0; epoch < result.history.size(); ++epoch) {
    for (const auto& [name, value] : result.history[epoch]) {
      if (name != result.monitor || !(value == value)) continue;
      const bool better = result.best_epoch < 0 || (maximize ? value > result.best_value : value < result.best_value);
      if (better) {
        result.best_epoch = static_cast<int>(epoch);
        result.best_value = value;
      }
    }
  }
}

}  // namespace

RunResult Interpreter::Impl::train(lua::Recipe& recipe) {
  const auto located = [&](const std::string& message) {
    return (recipe.where.empty() ? "" : recipe.where + ": ") + message;
  };
  for (const std::string& warning : recipe.warnings) err() << "warning: " << located(warning) << "\n";
  try {
    train::Trainer trainer(*recipe.model, *recipe.loss, *recipe.optimizer, recipe.config);
    trainer.set_progress(&lua::run_progress(L()));  // what Lua schedules' ctx reads
    if (recipe.regularizer) trainer.set_regularizer(recipe.regularizer);
    if (recipe.clip) trainer.set_gradient_clip(recipe.clip);
    std::optional<train::EpochPrinter> printer;
    std::optional<train::ProgressBar> progress;
    std::optional<train::JsonEpochPrinter> json;
    if (options.output == OutputMode::kLines) trainer.add_callback(printer.emplace(out(), *recipe.optimizer, recipe.config.epochs));
    if (options.output == OutputMode::kProgress)
      trainer.add_callback(progress.emplace(out(), *recipe.optimizer, recipe.config.epochs));
    if (options.output == OutputMode::kJson) trainer.add_callback(json.emplace(out(), *recipe.optimizer));
    train::LossTraceRecorder loss_trace(&err());  // for the diagnostics; warns once when the loss blows up
    trainer.add_callback(loss_trace);
    lua::RunOutput run_output(options, recipe, {chunk_name, source_file, context.params});
    run_output.attach(trainer);
    std::optional<train::EarlyStopCallback> early_stop;
    if (recipe.early_stop) trainer.add_callback(early_stop.emplace(*recipe.early_stop, *recipe.model));
    std::optional<train::StopRules> stop_rules;
    if (!recipe.stop_rules.empty()) trainer.add_callback(stop_rules.emplace(recipe.stop_rules, *recipe.model));
    std::optional<lua::StepHook> step_hook;
    if (recipe.hooks.on_step_end != LUA_NOREF)
      trainer.add_callback(step_hook.emplace(L(), recipe.hooks.on_step_end, *recipe.optimizer, recipe.config.epochs));
    std::optional<lua::EpochHook> hook;
    trainer.add_callback(hook.emplace(L(), recipe.hooks, *recipe.optimizer, recipe.config.epochs));
    std::optional<lua::HostEvents> host_events;
    if (options.on_epoch_end || options.on_step_end) trainer.add_callback(host_events.emplace(options, *recipe.optimizer));

    // Checkpoints go to the run directory: on the recipe's schedule, and on an interrupt.
    std::optional<train::Checkpointer> checkpointer;
    if (run_output.active() && (recipe.checkpoint || options.interrupt || options.resume)) {
      checkpointer.emplace((std::filesystem::path(run_output.path()) / "checkpoints").string(),
                           recipe.checkpoint.value_or(train::CheckpointPolicy{}),
                           lua::checkpoint_identity(source_text, lua::overrides_text(options, {chunk_name, source_file, context.params})));
      trainer.set_checkpointer(&*checkpointer);
      if (options.resume) lua::resume_newest(trainer, checkpointer->directory(), checkpointer->identity(), err());
    } else if (options.resume) {
      throw Error(Error::Kind::kRecipe, "--resume needs the run directory to continue in");
    }
    trainer.set_interrupt(options.interrupt);
    trainer.set_warnings(&err());  // on_nan's actions, one line each
    train::History history;
    try {
      history = trainer.fit(recipe.train, recipe.validation ? &*recipe.validation : nullptr);
      publish_external(recipe);
    } catch (const train::Interrupted& e) {
      publish_external(recipe);
      RunResult stopped;
      stopped.interrupted = true;
      stopped.interrupted_epoch = e.epoch;
      stopped.interrupted_step = e.step;
      stopped.checkpoint = e.checkpoint;
      stopped.run_dir = run_output.path();
      return stopped;
    }
    RunResult result;
    result.trained = true;
    result.stop_reason = history.stop_reason;
    run_output.finish(recipe);  // before evaluations below, which leave the weights as they are
    result.run_dir = run_output.path();
    for (const auto& epoch : history.epochs) result.history.push_back(to_values(epoch));
    set_best_epoch(result, recipe);
    const bool text = options.output == OutputMode::kLines || options.output == OutputMode::kProgress;
    if (text && !history.stop_reason.empty()) out() << "stopped: " << history.stop_reason << "\n";
    if (recipe.test) {
      result.test = to_values(trainer.evaluate(*recipe.test), "test_");
      if (options.output != OutputMode::kJson) {
        for (const auto& [name, value] : result.test) out() << name << " " << train::format_metric(value) << "  ";
        out() << "\n";
      }
    }
    std::string confusion_json;
    // A classification run ends with the confusion matrix of its test set, else of its validation
    // set, evaluated again: early stopping may have restored other weights since the last epoch.
    if ((recipe.test || recipe.validation) && recipe.loss->task() != loss::Task::kRegression) {
      if (!recipe.test) trainer.evaluate(*recipe.validation);
      if (const train::ConfusionMatrix* confusion = trainer.last_evaluation().confusion()) {
        result.confusion_split = recipe.test ? "test" : "validation";
        result.confusion = confusion->rows();
        if (text) out() << train::format_confusion_matrix(*confusion, result.confusion_split);
        confusion_json = train::confusion_matrix_json(*confusion, result.confusion_split);
      }
    }
    // Diagnoses follow the metrics: on stdout, on stderr with --quiet, in the summary with --json.
    for (const train::Finding& finding : train::diagnose(history.epochs, &loss_trace.trace())) {
      result.diagnostics.push_back({train::finding_name(finding.kind), finding.epoch, finding.message, finding.remedy});
      if (text) out() << train::format_finding(finding);
      if (options.output == OutputMode::kQuiet) err() << train::format_finding(finding);
    }
    if (options.output == OutputMode::kJson) out() << run_summary_json(result, history.steps, confusion_json) << "\n";
    if (text && run_output.active()) out() << "run directory: " << run_output.path() << "\n";
    out().flush();
    return result;
  } catch (const lua::CallbackError& e) {  // a Lua schedule failed; its message is located
    throw_limit_error(e.what());
    throw Error(Error::Kind::kRecipe, e.what());
  } catch (const lua::HookError& e) {
    throw_limit_error(e.what());
    throw Error(Error::Kind::kRecipe, e.what());
  } catch (const InvalidArgument& e) {
    throw Error(Error::Kind::kRecipe, located(e.what()));
  } catch (const Error&) {
    throw;
  } catch (const std::exception& e) {
    throw Error(Error::Kind::kRuntime, located(e.what()));
  }
}

}  // namespace regimen
