-- recipe{...}: declares a training run. Checks the shape of the declaration here, where the
-- recipe's line is still known; the interpreter builds and trains it once the file returns.
local internal = require "regimen.internal"

local known = {
  "name", "seed", "data", "model", "loss", "metrics", "optimizer", "schedule", "regularize",
  "batch_size", "epochs", "max_steps", "early_stop", "on_epoch_end", "on_step_end", "on_train_end",
  "clip", "accumulate", "ema", "augment", "checkpoint", "memory_budget", "on_nan", "loss_spike",
}

-- checkpoint = {every = N} (epochs) and/or {every_steps = N}, keep = K (default 3).
local function check_checkpoint(value)
  if value == nil then return end
  if type(value) ~= "table" then
    internal.fail("recipe: 'checkpoint' must be a table such as {every = 1, keep = 3}, got " .. type(value))
  end
  internal.check_options(value, "recipe: checkpoint", { "every", "every_steps", "keep" })
  for _, key in ipairs { "every", "every_steps", "keep" } do
    local n = value[key]
    if n ~= nil and (type(n) ~= "number" or n ~= math.floor(n) or n < 1 or n > 2147483647) then
      internal.fail(("recipe: checkpoint: '%s' must be an integer >= 1, got %s"):format(key, tostring(n)))
    end
  end
  if value.every == nil and value.every_steps == nil then
    internal.fail("recipe: checkpoint: give every = N (epochs) or every_steps = N (optimizer steps)")
  end
end

-- on_nan = {"skip", "halve_lr", "rollback", "stop"}: any of the actions, each once, in this
-- order (a ladder climbs); loss_spike = k (> 1) makes a loss spike climb it too.
local nan_actions = { "skip", "halve_lr", "rollback", "stop" }
local function check_on_nan(spec)
  local ladder = spec.on_nan
  if ladder == nil then
    if spec.loss_spike ~= nil then
      internal.fail('recipe: \'loss_spike\' needs on_nan, the ladder a spike climbs (e.g. on_nan = {"skip", "stop"})')
    end
    return
  end
  local listed = table.concat(nan_actions, ", ")
  if type(ladder) ~= "table" then
    internal.fail('recipe: \'on_nan\' must be a list such as {"skip", "halve_lr", "rollback", "stop"}, got ' .. type(ladder))
  end
  local count = 0
  for _ in pairs(ladder) do count = count + 1 end
  if count == 0 or count ~= #ladder then
    internal.fail("recipe: on_nan: give a list of actions, in order, among " .. listed)
  end
  local rank = {}
  for i, name in ipairs(nan_actions) do rank[name] = i end
  local last = 0
  for i, action in ipairs(ladder) do
    if type(action) ~= "string" then
      internal.fail(("recipe: on_nan: action %d must be a string, got %s"):format(i, type(action)))
    end
    if rank[action] == nil then
      internal.fail(("recipe: on_nan: unknown action '%s'%s; the actions are %s"):format(
        action, internal.suggest(action, nan_actions), listed))
    end
    if rank[action] == last then internal.fail(("recipe: on_nan: '%s' is given twice"):format(action)) end
    if rank[action] < last then
      internal.fail(("recipe: on_nan: '%s' cannot follow '%s': the ladder climbs in the order %s"):format(
        action, ladder[i - 1], listed))
    end
    last = rank[action]
  end
  local k = spec.loss_spike
  if k ~= nil and (type(k) ~= "number" or not (k > 1) or k == math.huge) then
    internal.fail("recipe: 'loss_spike' must be a number > 1 (a step loss over k times the running median), got " .. tostring(k))
  end
end

local function expect_integer(spec, key, minimum)
  local value = spec[key]
  if value == nil then return end
  if math.type(value) ~= "integer" and not (type(value) == "number" and value == math.floor(value)) then
    internal.fail(("recipe: '%s' must be an integer, got %s"):format(key, tostring(value)))
  end
  if value < minimum then
    internal.fail(("recipe: '%s' must be >= %d, got %d"):format(key, minimum, value))
  end
end

local function recipe(spec)
  if type(spec) ~= "table" then
    internal.fail("recipe: expected a table, got " .. type(spec))
  end
  internal.check_options(spec, "recipe", known)
  -- A host's model brings its own loss and may be an objective without data.
  local external = internal.is_external_model(spec.model)
  for _, required in ipairs(external and { "model", "optimizer" } or { "data", "model", "loss", "optimizer" }) do
    if spec[required] == nil then
      internal.fail(("recipe: '%s' is required"):format(required))
    end
  end
  if external and spec.loss ~= nil then
    internal.fail("recipe: a host model computes its own loss; remove 'loss'")
  end
  if spec.name ~= nil and type(spec.name) ~= "string" then
    internal.fail("recipe: 'name' must be a string, got " .. type(spec.name))
  end
  expect_integer(spec, "seed", 0)
  expect_integer(spec, "epochs", 0)
  expect_integer(spec, "max_steps", 1)
  -- A schedule (or function) of the epoch is checked when the recipe is resolved.
  if spec.batch_size == "auto" then
    if spec.memory_budget ~= nil and type(spec.memory_budget) ~= "string" and type(spec.memory_budget) ~= "number" then
      internal.fail("recipe: 'memory_budget' must be a size such as \"256MB\", got " .. type(spec.memory_budget))
    end
  elseif spec.memory_budget ~= nil then
    internal.fail("recipe: 'memory_budget' sizes batch_size = \"auto\"; this recipe's batch_size is " .. tostring(spec.batch_size or 32))
  elseif type(spec.batch_size) == "string" then
    internal.fail(("recipe: 'batch_size' must be an integer, a schedule or \"auto\", got \"%s\""):format(spec.batch_size))
  elseif type(spec.batch_size) ~= "function" and type(spec.batch_size) ~= "userdata" then
    expect_integer(spec, "batch_size", 1)
  end
  expect_integer(spec, "accumulate", 1)
  if spec.ema ~= nil then
    if type(spec.ema) ~= "number" then
      internal.fail("recipe: 'ema' must be a number, got " .. type(spec.ema))
    end
    if not (spec.ema >= 0 and spec.ema < 1) then
      internal.fail(("recipe: 'ema' must be in [0, 1), got %s"):format(tostring(spec.ema)))
    end
  end
  check_checkpoint(spec.checkpoint)
  check_on_nan(spec)
  for _, hook in ipairs { "on_epoch_end", "on_step_end", "on_train_end" } do
    if spec[hook] ~= nil and type(spec[hook]) ~= "function" then
      internal.fail(("recipe: '%s' must be a function, got %s"):format(hook, type(spec[hook])))
    end
  end
  local copy = {}
  for key, value in pairs(spec) do copy[key] = value end
  -- A list of stop rules is checked here, where the recipe's line is known.
  if type(copy.early_stop) == "table" then copy.early_stop = internal.stop_rules(copy.early_stop) end
  return internal.mark_recipe(copy)
end

return recipe
