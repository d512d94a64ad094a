---@meta
-- LuaLS annotations for schedule.* (docs/dsl.md "Schedules", docs/schedules.md).

---A value as a function of t, the optimizer steps taken (from 0). Callable: `s(t)`.
---`k * s`, `s * k`, `s1 * s2` multiply; `s + c`, `s1 + s2` add.
---@class Schedule
---@operator call(number): number
---@operator mul(Schedule|number): Schedule
---@operator add(Schedule|number): Schedule
local Schedule = {}

---min(max(s(t), lo), hi); hi defaults to no upper bound.
---@param lo number
---@param hi? number
---@return Schedule
function Schedule:clamp(lo, hi) end

---Feeds a plateau the epoch's value of its monitored metric.
---@param metric number
function Schedule:observe(metric) end

---Feeds a hypergradient the last step's gradient, as a flat list of numbers.
---@param gradient number[]
function Schedule:observe_gradients(gradient) end

---What a schedule function receives: the run's progress.
---@class ScheduleContext
---@field epoch integer the epoch being trained, from 0
---@field step integer optimizer steps done
---@field epochs? integer the planned epochs (nil until a recipe has planned a run)
---@field steps_per_epoch? integer
---@field total_steps? integer
---@field metrics table<string, number> the last finished epoch's metrics

---A Lua function of the step (and the run's progress) returning the value.
---@alias ScheduleFunction fun(t: number, ctx: ScheduleContext): number

---A value that may change over the run: a number (constant), a schedule or a Lua function.
---@alias Scheduled number|Schedule|ScheduleFunction

---A length: a number of steps, or a string such as "5 epochs", "200 steps", "10%" of the run.
---@alias Length number|string

---`"epoch"` evaluates the schedule at the epoch index: one value per epoch.
---@alias ScheduleBy "step"|"epoch"

---@class ScheduleConstantOptions
---@field lr number

---@class ScheduleStepOptions
---@field lr number
---@field step_size Length
---@field gamma? number default 0.1
---@field by? ScheduleBy

---@class ScheduleMultistepOptions
---@field lr number
---@field milestones Length[]
---@field gamma? number default 0.1
---@field by? ScheduleBy

---@class ScheduleExponentialOptions
---@field lr number
---@field gamma number
---@field by? ScheduleBy

---@class ScheduleDecayOptions
---@field lr number
---@field decay_rate number
---@field decay_steps Length
---@field staircase? boolean default false
---@field by? ScheduleBy

---@class SchedulePiecewiseOptions
---@field boundaries Length[]
---@field values number[] one more value than boundaries
---@field by? ScheduleBy

---@class SchedulePolynomialOptions
---@field lr number
---@field total_steps Length
---@field power? number default 1
---@field end_lr? number default 0
---@field cycle? boolean default false
---@field by? ScheduleBy

---@class ScheduleLinearOptions
---@field from number
---@field to number
---@field steps Length
---@field by? ScheduleBy

---@class ScheduleCosineOptions
---@field lr number
---@field T_max Length
---@field eta_min? number default 0
---@field by? ScheduleBy

---@class ScheduleCosineRestartsOptions
---@field lr number
---@field T_0 Length
---@field T_mult? number default 1
---@field eta_min? number default 0
---@field m_mul? number default 1
---@field by? ScheduleBy

---@class ScheduleOneCycleOptions
---@field max_lr number
---@field total_steps? Length default: the whole run
---@field pct_start? number default 0.3
---@field anneal? "cos"|"linear" default "cos"
---@field div_factor? number default 25
---@field final_div_factor? number default 1e4
---@field three_phase? boolean default false
---@field by? ScheduleBy

---@class ScheduleCyclicOptions
---@field base_lr number
---@field max_lr number
---@field step_size_up? Length default 2000
---@field step_size_down? Length default step_size_up
---@field mode? "triangular"|"triangular2"|"exp_range" default "triangular"
---@field gamma? number default 1
---@field by? ScheduleBy

---@class ScheduleWarmupOptions
---@field steps Length
---@field from? number default 0
---@field into Scheduled the schedule that follows the warmup
---@field by? ScheduleBy

---@class SchedulePlateauOptions
---@field lr number
---@field monitor? string the metric it follows, default "val_loss"
---@field mode? "min"|"max" default "min"
---@field factor? number default 0.1
---@field patience? integer default 10
---@field threshold? number default 1e-4
---@field threshold_mode? "rel"|"abs" default "rel"
---@field cooldown? integer default 0
---@field min_lr? number default 0
---@field eps? number default 1e-8

---@class ScheduleHypergradientOptions
---@field lr number
---@field beta number

---@class ScheduleLambdaOptions
---@field by? ScheduleBy

---Schedules of the step: built-ins, combinators, metric- and gradient-driven schedules.
---@class schedulelib
schedule = {}

---lr at every step.
---@param options ScheduleConstantOptions
---@return Schedule
function schedule.constant(options) end

---lr · gamma^⌊t / step_size⌋ (PyTorch StepLR).
---@param options ScheduleStepOptions
---@return Schedule
function schedule.step(options) end

---lr · gamma^(number of milestones ≤ t) (PyTorch MultiStepLR).
---@param options ScheduleMultistepOptions
---@return Schedule
function schedule.multistep(options) end

---lr · gamma^t (PyTorch ExponentialLR).
---@param options ScheduleExponentialOptions
---@return Schedule
function schedule.exponential(options) end

---lr · decay_rate^(t / decay_steps), floored when staircase (Keras ExponentialDecay).
---@param options ScheduleDecayOptions
---@return Schedule
function schedule.exponential_decay(options) end

---lr / (1 + decay_rate · t / decay_steps), floored when staircase (Keras InverseTimeDecay).
---@param options ScheduleDecayOptions
---@return Schedule
function schedule.inverse_time(options) end

---values[i] between boundaries (Keras PiecewiseConstantDecay).
---@param options SchedulePiecewiseOptions
---@return Schedule
function schedule.piecewise(options) end

---(lr − end_lr)(1 − t/T)^power + end_lr (Keras PolynomialDecay).
---@param options SchedulePolynomialOptions
---@return Schedule
function schedule.polynomial(options) end

---from + (to − from) · min(t, steps) / steps (PyTorch LinearLR).
---@param options ScheduleLinearOptions
---@return Schedule
function schedule.linear(options) end

---Cosine from lr down to eta_min over T_max, then eta_min (PyTorch CosineAnnealingLR).
---@param options ScheduleCosineOptions
---@return Schedule
function schedule.cosine(options) end

---Cosine annealing with warm restarts (PyTorch CosineAnnealingWarmRestarts, Keras CosineDecayRestarts).
---@param options ScheduleCosineRestartsOptions
---@return Schedule
function schedule.cosine_restarts(options) end

---PyTorch OneCycleLR (learning rate only); spans the whole run without total_steps.
---@param options ScheduleOneCycleOptions
---@return Schedule
function schedule.one_cycle(options) end

---PyTorch CyclicLR (learning rate only).
---@param options ScheduleCyclicOptions
---@return Schedule
function schedule.cyclic(options) end

---from + (into(0) − from) · t / steps for t < steps, then into(t − steps).
---@param options ScheduleWarmupOptions
---@return Schedule
function schedule.warmup(options) end

---{s1, b1, s2, b2, s3}: s1(t) for t < b1, s2(t − b1) until b2, s3(t − b2) after; `by` as a field.
---@param parts (Scheduled|Length)[]|{by?: ScheduleBy}
---@return Schedule
function schedule.join(parts) end

---{s1, s2, ...}: s1(t) · s2(t) · ...; `by` as a field.
---@param factors Scheduled[]|{by?: ScheduleBy}
---@return Schedule
function schedule.product(factors) end

---Multiplies lr by factor when the monitored metric stops improving (PyTorch ReduceLROnPlateau).
---@param options SchedulePlateauOptions
---@return Schedule
function schedule.plateau(options) end

---Learns the learning rate from successive gradients (hypergradient descent, beta its rate).
---@param options ScheduleHypergradientOptions
---@return Schedule
function schedule.hypergradient(options) end

---A Lua function `function(t, ctx)` as a schedule.
---@param fn ScheduleFunction
---@param options? ScheduleLambdaOptions
---@return Schedule
function schedule.lambda(fn, options) end
