#pragma once
// The public face of Regimen for host applications and the CLI: load a recipe, set its
// parameters, validate it, run it. No Lua type appears here.
#include <atomic>
#include <cstdint>
#include <functional>
#include <iosfwd>
#include <memory>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace regimen {

/// A failure of a recipe or a run. The message starts with the recipe location when known
/// ("recipe.lua:12: optim.adam: unknown option 'learning_rate' (did you mean 'lr'?)").
class Error : public std::runtime_error {
 public:
  /// A recipe mistake (exit code 2) or a failure while running (exit code 1).
  enum class Kind { kRecipe, kRuntime };
  Error(Kind kind, const std::string& message) : std::runtime_error(message), kind_(kind) {}
  Kind kind() const { return kind_; }
  /// The CLI's exit code for this failure: 2 for a recipe mistake, 1 for a runtime failure.
  int exit_code() const { return kind_ == Kind::kRecipe ? 2 : 1; }

 private:
  Kind kind_;
};

/// What run() writes on InterpreterOptions::out while it trains (docs/cli.md).
enum class OutputMode {
  kLines,     ///< one line per epoch, then "stopped: ...", the test metrics and the confusion matrix
  kProgress,  ///< as kLines, plus a progress line redrawn with '\r' while each epoch runs (terminals)
  kQuiet,     ///< only the final test metrics line
  kJson,      ///< one JSON object per epoch, then one with the stop reason, test metrics and confusion matrix
};

/// One named metric value.
using MetricValue = std::pair<std::string, double>;

/// The end of an epoch, as a host's on_epoch_end sees it.
struct EpochEvent {
  int epoch = 0;                     ///< 0-based
  std::vector<MetricValue> metrics;  ///< loss, metrics, val_ metrics, in report order
  double lr = 0.0;                   ///< the learning rate now
};

/// The end of an optimizer step, as a host's on_step_end sees it.
struct StepEvent {
  int epoch = 0;          ///< 0-based
  std::int64_t step = 0;  ///< optimizer steps done in the run, this one included
  double loss = 0.0;      ///< this step's loss
  double lr = 0.0;        ///< the learning rate now
};

namespace train {
class Communicator;  // runtime/train/communicator.hpp
}  // namespace train

/// How an Interpreter runs recipes.
struct InterpreterOptions {
  bool trusted = false;                ///< lift the sandbox (io, os, debug, package)
  std::optional<std::uint64_t> seed;   ///< overrides the recipe's seed
  int threads = 0;                     ///< compute threads; 0 = every core
  std::optional<int> epochs;           ///< overrides the recipe's epochs
  /// The run directory (docs/cli.md): metrics.jsonl, metrics.csv, recipe.txt, model.safetensors,
  /// curves.svg. Empty: a new folder runs_dir/<recipe file stem>-<YYYYmmdd-HHMMSS> ("-2", "-3"
  /// when taken), or nowhere when runs_dir is empty too.
  std::string out_dir;
  std::string runs_dir;                ///< see out_dir; the CLI sets "runs", a host app opts in
  /// Continue the run in out_dir from its newest valid checkpoint (docs/cli.md, --resume)
  /// instead of starting afresh; the recipe and overrides must be the ones it was written with.
  bool resume = false;
  /// When set and it becomes true (a signal handler's flag), training stops after the current
  /// step, writes a checkpoint when there is a run directory, and run() returns with
  /// RunResult::interrupted.
  const std::atomic<bool>* interrupt = nullptr;
  std::ostream* out = nullptr;         ///< training progress; null = std::cout
  OutputMode output = OutputMode::kLines;  ///< what goes to `out` while training
  std::ostream* err = nullptr;         ///< warnings ("warning: recipe.lua:3: ..."); null = std::cerr
  /// Limits on Lua code (docs/reliability.md), each 0 for none. Exceeding one stops the run with
  /// a runtime failure (exit code 1) that a recipe's pcall cannot catch.
  double max_memory_mb = 0;            ///< Lua heap, in MiB
  double timeout_seconds = 0;          ///< wall-clock time of each run() or check(), for Lua code
  std::uint64_t max_instructions = 0;  ///< Lua instructions per run() or check()
  /// Host callbacks, called after the recipe's own hooks; returning true stops the run (after
  /// this epoch; a step's stop cuts the epoch short) with the stop reason "host: on_epoch_end".
  /// An exception they throw ends run() as an Error of kind kRuntime.
  /// Data-parallel training with these ranks (not owned; null for one process): each trains its
  /// shard of every batch, rank 0 decides stops (docs/scaling.md). Give ranks other than 0 no
  /// run directory and a quiet output: rank 0 reports for all.
  train::Communicator* ranks = nullptr;
  std::function<bool(const EpochEvent&)> on_epoch_end;
  std::function<bool(const StepEvent&)> on_step_end;
};

/// A diagnosis of a finished run from its loss curves (docs/diagnostics.md).
struct Diagnostic {
  std::string kind;     ///< "lr_too_large", "lr_too_small" or "overfitting"
  int epoch = 0;        ///< 0-based epoch where it began (overfitting: the first epoch after the best val_loss)
  std::string message;  ///< what the curves show, in plain words
  std::string remedy;   ///< what to try
};

/// What run() produced.
struct RunResult {
  bool trained = false;                              ///< false for a plain script
  std::vector<std::vector<MetricValue>> history;     ///< per epoch
  std::vector<MetricValue> test;                     ///< test_loss, test_accuracy, when a test set exists
  std::string stop_reason;                           ///< empty when every epoch ran
  /// The best epoch (0-based) by `monitor`: early stopping's monitor when the recipe has one,
  /// else val_loss with validation data, else loss; -1 when no epoch ran.
  int best_epoch = -1;
  double best_value = 0.0;
  std::string monitor;
  std::string run_dir;                               ///< the run directory written, or empty
  /// A classification run's confusion matrix on its test set, else its validation set: rows are
  /// true classes, columns predicted ones. Empty for regression or without either set.
  std::vector<std::vector<std::int64_t>> confusion;
  std::string confusion_split;                       ///< "test" or "validation"
  /// What the loss curves say about the learning rate and overfitting; empty for a healthy run.
  std::vector<Diagnostic> diagnostics;
  /// InterpreterOptions::interrupt stopped the run: at 1-based epoch interrupted_epoch after
  /// interrupted_step optimizer steps, with `checkpoint` written (empty without a run directory).
  bool interrupted = false;
  int interrupted_epoch = 0;
  std::int64_t interrupted_step = 0;
  std::string checkpoint;
};

/// One scheduled value over a planned run, as `regimen plot` draws it (docs/cli.md).
struct PlannedSeries {
  std::string name;             ///< "lr", "momentum", "dropout1.p", "batch_size (by epoch)"; a stateful
                                ///< schedule says how it is shown: "lr (plateau: without metrics)"
  std::string schedule;         ///< the schedule as `regimen check` describes it
  std::vector<double> steps;    ///< the optimizer step of each point
  std::vector<double> values;   ///< the value at each point
};

/// A planned run and the values its schedules take over it, computed without training.
struct SchedulePlan {
  std::string name;                  ///< the recipe's name (or the plotted expression)
  double total_steps = 0.0;          ///< optimizer steps of the whole run
  std::vector<double> epoch_starts;  ///< the first step of each epoch, then total_steps
  std::vector<PlannedSeries> series;
};

/// A host's samples for `host.dataset(name)`, borrowed, not copied: both buffers must stay valid
/// and unchanged while the Interpreter that binds them lives.
struct HostDataset {
  std::span<const float> features;  ///< rows x cols, row-major (sample after sample)
  std::int64_t rows = 0;
  std::int64_t cols = 0;
  std::span<const float> targets;   ///< rows x target_cols, row-major
  std::int64_t target_cols = 1;
  int classes = 0;                  ///< > 0: targets are class indices 0..classes-1 (one column)
};

/// One tensor of a host's model: values the optimizer updates and the gradient the host's loss
/// writes, both the host's memory (equal lengths), valid while the Interpreter lives.
struct HostTensor {
  std::string name;  ///< "gain", "layer1.weight": in messages, parameter groups and saved files
  std::span<float> values;
  std::span<float> gradient;
};

/// A batch handed to a host's loss, row-major, valid during the call; empty (rows = 0) when the
/// recipe has no data and the loss is an objective of the parameters alone.
struct HostBatch {
  std::span<const float> features;
  std::int64_t rows = 0;
  std::int64_t cols = 0;
  std::span<const float> targets;
  std::int64_t target_cols = 0;
};

/// A host's model for `host.model(name)`: its tensors and its loss.
struct HostModel {
  std::vector<HostTensor> tensors;
  /// The mean loss on `batch`, after writing every tensor's gradient (overwritten, not added).
  /// When it runs, the tensors' values are the ones to evaluate. An exception it throws ends
  /// the run as an Error of kind kRuntime.
  std::function<double(const HostBatch&)> loss_and_gradient;
};

/// A host function a recipe calls as `host.<name>(...)`: numbers in, one number out. An exception
/// it throws becomes a recipe error at the calling line.
using HostFunction = std::function<double(std::span<const double>)>;

/// How `regimen lr-find` sweeps the learning rate (docs/cli.md).
struct LrFindOptions {
  double from = 1e-7;  ///< the first step's rate
  double to = 10.0;    ///< the last step's rate
  int steps = 100;     ///< mini-batches, the rate growing exponentially from `from` to `to`
};

/// The learning-rate range test's curve and suggestions.
struct LrFindResult {
  std::vector<double> lrs;       ///< per step, up to where the loss diverged
  std::vector<double> losses;    ///< each step's training loss
  std::vector<double> smoothed;  ///< its debiased moving average (beta 0.98)
  double steepest_lr = 0.0;      ///< where the smoothed loss falls fastest against log(lr): the suggestion
  double min_lr = 0.0;           ///< where the smoothed loss is lowest; min_lr / 10 is the cautious choice
  bool diverged = false;         ///< the test stopped early: the smoothed loss passed 4x its minimum
};

/// How `regimen batch-find` searches (docs/cli.md).
struct BatchFindOptions {
  std::uint64_t memory_budget = 0;  ///< bytes; 0: the recipe's memory_budget, else 256 MB
  double seconds = 0.5;             ///< time each batch size at least this long ...
  int min_steps = 5;                ///< ... and for at least this many steps, after 2 warm-up steps
};

/// One batch size's memory and speed.
struct BatchSizeRow {
  std::int64_t batch_size = 0;
  std::uint64_t bytes = 0;           ///< the batch's memory: parameters plus batch x per-sample bytes
  double samples_per_second = 0.0;  ///< training throughput
};

/// What batch-find found: every power of two up to the largest batch that fits.
struct BatchFindResult {
  std::uint64_t memory_budget = 0;
  std::uint64_t bytes_per_sample = 0;
  std::uint64_t fixed_bytes = 0;
  std::int64_t largest = 0;          ///< the largest batch that fits (batch_size = "auto"'s pick)
  std::vector<BatchSizeRow> rows;    ///< 1, 2, 4, ..., largest
};

/// A `sweep{...}` declaration (docs/dsl.md): `regimen sweep`'s settings, written in a file.
/// Values are the text the command line would carry (`--grid lr=0.001,0.01`); maps are in name
/// order, so the last grid name varies fastest.
struct SweepDeclaration {
  std::string where;   ///< "sweep.lua:3", for messages
  std::string recipe;  ///< the recipe file, resolved against the declaring file's folder
  std::vector<std::pair<std::string, std::vector<std::string>>> grid;  ///< name -> values
  std::vector<std::pair<std::string, std::string>> ranges;  ///< name -> "LOW:HIGH[:SCALE]"
  std::vector<std::pair<std::string, std::string>> sets;    ///< fixed param values
  /// The other settings given (random, seed, metric, mode, prune, warmup, jobs, threads,
  /// ranks-per-trial, out), as the command line's option name -> value text.
  std::vector<std::pair<std::string, std::string>> options;
};

namespace detail {
struct LuaModule;
}  // namespace detail

/// One Lua state with the Regimen DSL; not shared between threads.
class Interpreter {
 public:
  explicit Interpreter(InterpreterOptions options = {});
  ~Interpreter();
  Interpreter(const Interpreter&) = delete;
  Interpreter& operator=(const Interpreter&) = delete;

  /// Sets what param(name, default) returns; `value` is parsed as on the command line
  /// ("true"/"false" booleans, numbers, else a string).
  void set_param(const std::string& name, const std::string& value);
  /// Makes `data` available to recipes as host.dataset(name), without copying it. Throws Error
  /// (kind kRecipe) for sizes that do not match the spans, a non-finite value, or class
  /// targets that are not integers in [0, classes); binding a name again replaces it.
  void bind_dataset(const std::string& name, HostDataset data);
  /// Makes `model` trainable by recipes as host.model(name) (no loss key: the model brings its
  /// own; data optional). After run() the tensors' values hold the trained (or, with
  /// restore_best, the best) weights. Throws Error (kind kRecipe) for no tensor, an empty or
  /// mismatched span, a repeated tensor name, or no loss function.
  void bind_model(const std::string& name, HostModel model);
  /// Makes `function` callable from recipes as host.<name>(...). The name must be a Lua
  /// identifier other than "dataset" and "model"; registering it again replaces it.
  void register_function(const std::string& name, HostFunction function);
  /// Compiles a recipe file (text only); throws Error on a syntax error. When `origin` is given,
  /// the file is a copy of it (a run directory's recipe.lua, for --resume): relative data paths
  /// and require()s resolve against origin's folder, and the recipe's default name is its stem.
  void load_file(const std::string& path, const std::string& origin = "");
  /// Compiles recipe text; `chunk_name` appears in messages.
  void load_string(const std::string& text, const std::string& chunk_name);
  /// Runs the loaded chunk; when it returns recipe{...}, trains it.
  RunResult run();
  /// Runs the loaded chunk and, instead of its training, the learning-rate range test on its model,
  /// loss, optimizer and training data (lr_range_test.hpp); nothing is written. Throws Error for a
  /// plain script or bad options.
  LrFindResult find_lr(const LrFindOptions& options);
  /// Runs the loaded chunk and, instead of its training, measures the training throughput of every
  /// power-of-two batch size up to the largest that fits the memory budget (auto_batch_size.hpp).
  /// Nothing is written. Throws Error for a plain script or a budget without room for one sample.
  BatchFindResult find_batch_size(const BatchFindOptions& options);
  /// Runs the loaded chunk and validates the recipe without training; returns its description.
  std::string check();
  /// Runs the loaded chunk, validates the recipe and evaluates every scheduled value (lr, the
  /// optimizer's scheduled options, scheduled dropout rates, the batch size) over the planned
  /// run, without training: one point per optimizer step 0..total_steps (at most 20001 points,
  /// spread evenly beyond), two per epoch for the batch size. Stateful schedules get no
  /// metrics. Throws Error (kind kRecipe) for a plain script.
  SchedulePlan plan();
  /// Runs the loaded chunk, whose value must be a schedule, a number or a function(t, ctx), and
  /// evaluates it over a run of one epoch of `steps` (> 0) optimizer steps, as plan() does.
  SchedulePlan plan_schedule(std::int64_t steps);
  /// Runs the loaded chunk; when it returns sweep{...}, that declaration, else nullopt (a recipe
  /// or a plain script, not run).
  std::optional<SweepDeclaration> declared_sweep();

 private:
  friend struct detail::LuaModule;  // `require "regimen"` from stock Lua drives an Impl directly
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// The version string ("0.1.0").
const char* version();

}  // namespace regimen
