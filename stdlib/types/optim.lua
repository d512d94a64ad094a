---@meta
-- LuaLS annotations for optim.* (docs/dsl.md "Optimizers", docs/optimizers.md).

---An optimizer: PyTorch's update rule and option names. `opt.lr = x` sets a number or a schedule.
---@class Optimizer
---@field lr number|Schedule the learning rate of the next step (settable)
---@field steps integer steps taken
---@field momentum? number the value of the last step (sgd, rmsprop)
---@field betas? number[] the values of the last step
---@field weight_decay? number the value of the last step
local Optimizer = {}

---Updates params in place from grads (a tensor or a list of tensors each, same shapes, one dtype).
---@param params Tensor|Tensor[]
---@param grads Tensor|Tensor[]
function Optimizer:step(params, grads) end

---The state (step count and moment buffers) as a string of bytes.
---@return string
function Optimizer:save_state() end

---Restores a state saved by save_state() of an optimizer of the same kind and options.
---@param bytes string
function Optimizer:load_state(bytes) end

---Per-group overrides of any option, selecting tensors by name glob, layer type and rank.
---@class OptimizerGroup
---@field match? string glob over "layer.param" names, e.g. "*.bias"
---@field layer? string a layer type, e.g. "linear"
---@field ndim? integer a tensor's rank: 1 for biases, 2 for weight matrices
---@field lr? Scheduled
---@field [string] any any other option of the optimizer

---@class OptimizerOptions
---@field lr? Scheduled
---@field weight_decay? Scheduled default 0 (adamw: 1e-2)
---@field groups? OptimizerGroup[] the first group that selects a tensor applies to it

---@class SgdOptions: OptimizerOptions
---@field momentum? Scheduled default 0
---@field dampening? number default 0
---@field nesterov? boolean default false
---@field maximize? boolean default false
---@field convention? "pytorch"|"keras" default "pytorch"

---@class AdamOptions: OptimizerOptions
---@field betas? Scheduled[] default {0.9, 0.999}
---@field eps? number default 1e-8
---@field amsgrad? boolean default false
---@field maximize? boolean default false
---@field convention? "pytorch"|"keras" default "pytorch"

---@class AdamWOptions: OptimizerOptions
---@field betas? Scheduled[] default {0.9, 0.999}
---@field eps? number default 1e-8
---@field amsgrad? boolean default false
---@field maximize? boolean default false

---@class RmspropOptions: OptimizerOptions
---@field alpha? number default 0.99
---@field eps? number default 1e-8
---@field momentum? Scheduled default 0
---@field centered? boolean default false
---@field maximize? boolean default false
---@field convention? "pytorch"|"keras" default "pytorch"

---@class AdagradOptions: OptimizerOptions
---@field lr_decay? number default 0
---@field initial_accumulator_value? number default 0
---@field eps? number default 1e-10
---@field maximize? boolean default false

---@class AdadeltaOptions: OptimizerOptions
---@field rho? number default 0.9
---@field eps? number default 1e-6
---@field maximize? boolean default false

---@class AdamaxOptions: OptimizerOptions
---@field betas? Scheduled[] default {0.9, 0.999}
---@field eps? number default 1e-8
---@field maximize? boolean default false

---@class NadamOptions: OptimizerOptions
---@field betas? Scheduled[] default {0.9, 0.999}
---@field eps? number default 1e-8
---@field momentum_decay? number default 4e-3

---@class RadamOptions: OptimizerOptions
---@field betas? Scheduled[] default {0.9, 0.999}
---@field eps? number default 1e-8

---@class LionOptions: OptimizerOptions
---@field betas? Scheduled[] default {0.9, 0.99}

---@class ScheduleFreeAdamWOptions: OptimizerOptions
---@field betas? Scheduled[] default {0.9, 0.999}
---@field eps? number default 1e-8
---@field warmup_steps? integer default 0
---@field r? number default 0
---@field weight_lr_power? number default 2

---Optimizers with PyTorch's option names and defaults.
---@class optimlib
optim = {}

---Stochastic gradient descent with momentum and Nesterov (PyTorch SGD; Keras' with convention = "keras").
---@param options? SgdOptions
---@return Optimizer
function optim.sgd(options) end

---Adam (PyTorch Adam, lr 1e-3; Keras' numerics with convention = "keras").
---@param options? AdamOptions
---@return Optimizer
function optim.adam(options) end

---AdamW: Adam with decoupled weight decay (PyTorch AdamW).
---@param options? AdamWOptions
---@return Optimizer
function optim.adamw(options) end

---RMSprop (PyTorch RMSprop, lr 1e-2; Keras' with convention = "keras").
---@param options? RmspropOptions
---@return Optimizer
function optim.rmsprop(options) end

---Adagrad (PyTorch Adagrad, lr 1e-2).
---@param options? AdagradOptions
---@return Optimizer
function optim.adagrad(options) end

---Adadelta (PyTorch Adadelta, lr 1).
---@param options? AdadeltaOptions
---@return Optimizer
function optim.adadelta(options) end

---Adamax (PyTorch Adamax, lr 2e-3).
---@param options? AdamaxOptions
---@return Optimizer
function optim.adamax(options) end

---NAdam (PyTorch NAdam, lr 2e-3).
---@param options? NadamOptions
---@return Optimizer
function optim.nadam(options) end

---RAdam (PyTorch RAdam, lr 1e-3).
---@param options? RadamOptions
---@return Optimizer
function optim.radam(options) end

---Lion (sign of an interpolated momentum, lr 1e-4).
---@param options? LionOptions
---@return Optimizer
function optim.lion(options) end

---Schedule-free AdamW (lr 2.5e-3).
---@param options? ScheduleFreeAdamWOptions
---@return Optimizer
function optim.schedule_free_adamw(options) end
