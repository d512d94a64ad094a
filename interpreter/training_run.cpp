// Interpreter::Impl::train: a resolved recipe trained with its printers, run directory, stop
// rules, hooks and checkpoints, then tested, diagnosed and summed up in a RunResult.
#include <filesystem>
#include <optional>

#include "interpreter/epoch_hook.hpp"
#include "interpreter/host_binding.hpp"
#include "interpreter/host_events.hpp"
#include "interpreter/interpreter_impl.hpp"
#include "interpreter/run_checkpoints.hpp"
#include "interpreter/run_output.hpp"
#include "interpreter/step_hook.hpp"
#include "interpreter/bind/lua_schedule.hpp"
#include "runtime/error.hpp"
#include "runtime/train/confusion_matrix.hpp"
#include "runtime/train/diagnostics.hpp"
#include "runtime/train/early_stop_callback.hpp"
#include "runtime/train/epoch_printer.hpp"
#include "runtime/train/json_epoch_printer.hpp"
#include "runtime/train/loss_trace.hpp"
#include "runtime/train/metrics_log.hpp"
#include "runtime/train/progress_bar.hpp"
#include "runtime/train/stop_rules.hpp"

namespace regimen {

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

    trainer.set_communicator(options.ranks);  // before a resume: rank 0 hands on what it read
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
