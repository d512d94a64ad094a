---@meta
-- LuaLS annotations for the recipe DSL (docs/dsl.md): recipe{}, sweep{}, param, early_stop, loss, reg,
-- clip, augment and host. schedule.lua, optim.lua, nn.lua and data.lua hold the other modules.
-- Point LuaLS at this folder ("workspace.library" in .luarc.json), see docs/embedding.md.

---A loss function.
---@class Loss

---@class HuberOptions
---@field delta? number default 1; must be > 0

---@class CrossEntropyOptions
---@field label_smoothing? number default 0

---Losses, as PyTorch defines them.
---@class losslib
loss = {}

---Mean of (prediction − target)² (PyTorch MSELoss).
---@param options? table
---@return Loss
function loss.mse(options) end

---Mean of |prediction − target| (PyTorch L1Loss).
---@param options? table
---@return Loss
function loss.mae(options) end

---PyTorch HuberLoss: d²/2 when |d| < delta, else delta·(|d| − delta/2); the mean.
---@param options? HuberOptions
---@return Loss
function loss.huber(options) end

---Binary cross-entropy from logits (PyTorch BCEWithLogitsLoss), one yes/no label per output column.
---@param options? table
---@return Loss
function loss.bce(options) end

---Cross-entropy from logits against class indices (PyTorch CrossEntropyLoss).
---@param options? CrossEntropyOptions
---@return Loss
function loss.cross_entropy(options) end

---A weight penalty added to the loss.
---@class Regularizer

---A projection of the weights after every optimizer step.
---@class Constraint

---@class L1L2Options
---@field l1? number default 0
---@field l2? number default 0

---Weight penalties (Keras' formulas) and constraints.
---@class reglib
reg = {}

---c · Σ |w|.
---@param c number
---@return Regularizer
function reg.l1(c) end

---c · Σ w² (Keras: no ½ in front).
---@param c number
---@return Regularizer
function reg.l2(c) end

---l1 · Σ |w| + l2 · Σ w².
---@param options L1L2Options
---@return Regularizer
function reg.l1l2(options) end

---Keras' MaxNorm(c): each output unit's incoming weights rescaled to L2 norm at most c.
---@param c number
---@return Constraint
function reg.max_norm(c) end

---Gradient clipping before every step.
---@class Clip

---Gradient clipping.
---@class cliplib
clip = {}

---Scales all gradients together to L2 norm at most max (PyTorch clip_grad_norm_).
---@param max number
---@return Clip
function clip.norm(max) end

---Clamps every gradient element to [−v, v] (PyTorch clip_grad_value_).
---@param v number
---@return Clip
function clip.value(v) end

---Random augmentation of the training batches.
---@class Augment

---@class AugmentImageOptions
---@field flip? number default 0; probability of a left-right mirror
---@field shift? integer default 0; largest shift in whole pixels
---@field noise? number default 0; standard deviation of Gaussian noise
---@field erase? number default 0; probability of random erasing
---@field strength? Scheduled default 1; multiplies every other option

---Data augmentation.
---@class augmentlib
augment = {}

---Randomly transforms every training image, batch by batch (flip, shift, noise, erase).
---@param options? AugmentImageOptions
---@return Augment
function augment.image(options) end

---Keras' EarlyStopping; imperatively, es:observe(value) feeds one epoch.
---@class EarlyStop
---@field best_epoch integer the best epoch so far (0-based)
---@field best_value number the best value so far
---@field stopped_epoch integer
---@field wait integer epochs since the last improvement
local EarlyStop = {}

---Feeds one epoch's value; true when training should stop.
---@param value number
---@return boolean
function EarlyStop:observe(value) end

---@alias StopMode "auto"|"min"|"max"

---@class EarlyStopOptions
---@field monitor? string default "val_loss"
---@field mode? StopMode default "auto"
---@field min_delta? number default 0
---@field patience? integer default 0
---@field baseline? number
---@field restore_best? boolean default false; put back the best epoch's weights at the end
---@field start_from_epoch? integer default 0

---An item of a list of stop rules: patience (early_stop's options), target, divergence or max_time.
---@class StopRule
---@field monitor? string
---@field mode? StopMode
---@field min_delta? number
---@field patience? integer
---@field baseline? number
---@field restore_best? boolean
---@field start_from_epoch? integer
---@field target? number stop once the metric reaches it
---@field divergence? number stop when the metric exceeds k times its lowest value, or is not finite
---@field smoothing? integer the rule sees the mean of the last n epochs' values
---@field max_time? number|string wall clock: "90s", "20m", "2h", or seconds

---Keras 3's EarlyStopping: stops once `patience` epochs in a row have not improved.
---@param options? EarlyStopOptions
---@return EarlyStop
function early_stop(options) end

---Returns default unless the command line says --set name=value (converted to the default's type).
---@generic T: number|boolean|string
---@param name string
---@param default T
---@return T
function param(name, default) end

---What the embedding application bound: host.dataset, host.model and its registered functions.
---@class hostlib
---@field [string] fun(...: number): number a function the host registered
host = {}

---A dataset over the host's buffers (Interpreter::bind_dataset).
---@param name string
---@return Dataset
function host.dataset(name) end

---A model over the host's tensors, computing its own loss (Interpreter::bind_model).
---@param name string
---@return Model
function host.model(name) end

---@class EpochContext
---@field epoch integer the epoch just finished, from 0
---@field epochs integer
---@field metrics table<string, number>
---@field lr number
---@field stop_reason? string on_train_end only
local EpochContext = {}

---Stops training after this epoch.
function EpochContext:stop() end

---@class StepContext
---@field epoch integer from 0
---@field epochs integer
---@field step integer optimizer steps done
---@field lr number
---@field loss number that step's loss
local StepContext = {}

---Stops training at once (the cut epoch is still reported).
function StepContext:stop() end

---@class DataSplits
---@field train Dataset
---@field validation? Dataset
---@field test? Dataset

---@class CheckpointOptions
---@field every? integer write a checkpoint every N epochs
---@field every_steps? integer write a checkpoint every N optimizer steps
---@field keep? integer default 3; the newest K are kept

---@alias NanAction "skip"|"halve_lr"|"rollback"|"stop"

---Every key recipe{} accepts (docs/dsl.md "recipe{...}").
---@class RecipeSpec
---@field data? Dataset|DataSplits required (except with a host model)
---@field model Model nn.sequential{...} or host.model(name)
---@field loss? Loss required (except with a host model)
---@field optimizer Optimizer
---@field schedule? Scheduled becomes the optimizer's learning rate
---@field regularize? Regularizer penalty on every weight matrix (*.weight)
---@field clip? Clip
---@field accumulate? integer default 1; sum the gradients of k batches into one update
---@field ema? number in [0, 1): evaluate and finish with a moving average of the weights
---@field augment? Augment
---@field batch_size? integer|"auto"|Schedule|(fun(epoch: integer): integer) default 32
---@field memory_budget? string|number with batch_size = "auto"; default "256MB"
---@field epochs? integer default 1
---@field seed? integer default 0
---@field max_steps? integer stop after this many optimizer steps
---@field early_stop? EarlyStop|(EarlyStop|StopRule)[]
---@field checkpoint? CheckpointOptions
---@field on_nan? NanAction[] a ladder of actions for non-finite steps
---@field loss_spike? number k > 1, with on_nan: a loss over k times the running median climbs the ladder
---@field on_epoch_end? fun(ctx: EpochContext)
---@field on_step_end? fun(ctx: StepContext)
---@field on_train_end? fun(ctx: EpochContext)
---@field metrics? string[] e.g. {"accuracy", "top_5_accuracy", "f1"}
---@field name? string default the file's name

---A checked training run, for the file to return.
---@class Recipe

---Declares a training run: `return recipe{...}`.
---@param spec RecipeSpec
---@return Recipe
function recipe(spec) end

---Every key sweep{} accepts (docs/dsl.md "sweep{...}"): `regimen sweep`'s options, in a file.
---@class SweepSpec
---@field recipe string the recipe file, relative to this file
---@field grid? table<string, (number|string|boolean)[]> every combination; names in alphabetical order, the last varying fastest
---@field random? integer draw this many trials from `range`
---@field range? table<string, [number, number, ("lin"|"log"|"int")?]> where `random` draws each name
---@field seed? integer seeds the random draws (default 0)
---@field metric? string default "val_loss"
---@field mode? "min"|"max" default "min"
---@field prune? "median" stop a trial worse than the finished trials' median at an epoch
---@field warmup? integer default 1; prune from this epoch on
---@field jobs? integer default 1; trials at once, each its own process
---@field threads? integer default 1; compute threads of each trial
---@field ranks_per_trial? integer default 1; under mpirun, groups of this many ranks train each trial together
---@field set? table<string, number|string|boolean> fixed param values of every trial
---@field out? string the sweep directory (default runs/<recipe>-sweep)

---A checked sweep declaration, for the file to return.
---@class Sweep

---Declares a search over a recipe's param()s: `return sweep{...}`, run by `regimen sweep FILE`.
---@param spec SweepSpec
---@return Sweep
function sweep(spec) end

---`require "regimen"`: every DSL table as a field.
---@class regimenmodule
---@field schedule schedulelib
---@field optim optimlib
---@field nn nnlib
---@field loss losslib
---@field reg reglib
---@field clip cliplib
---@field data datalib
---@field tensor tensorlib
---@field augment augmentlib
---@field host hostlib
---@field early_stop fun(options?: EarlyStopOptions): EarlyStop
---@field param fun(name: string, default: any): any
---@field recipe fun(spec: RecipeSpec): Recipe
---@field sweep fun(spec: SweepSpec): Sweep
return {}
