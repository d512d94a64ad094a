-- sweep{...}: declares `regimen sweep`'s search over a recipe's param()s in a file, the same
-- settings the command line takes (docs/dsl.md). Checks the shape here, where the line is known;
-- the CLI checks what the command line would (ranges, the recipe's param names).
local internal = require "regimen.internal"

local known = {
  "recipe", "grid", "random", "range", "seed", "metric", "mode", "prune", "warmup", "jobs", "threads", "ranks_per_trial", "set",
  "out",
}

local function is_value(v)
  return type(v) == "number" or type(v) == "string" or type(v) == "boolean"
end

-- A table keyed by parameter names, each entry checked by `check(name, entry)`.
local function check_named(spec, key, example, check)
  local t = spec[key]
  if t == nil then return end
  if type(t) ~= "table" then
    internal.fail(("sweep: '%s' must be a table such as %s, got %s"):format(key, example, type(t)))
  end
  if next(t) == nil then internal.fail(("sweep: '%s' is empty; give %s"):format(key, example)) end
  for name, entry in pairs(t) do
    if type(name) ~= "string" then
      internal.fail(("sweep: '%s' must be keyed by parameter names, as in %s"):format(key, example))
    end
    check(name, entry)
  end
end

local function check_grid_values(name, values)
  local where = "sweep: grid." .. name
  if type(values) ~= "table" or #values == 0 then
    internal.fail(("%s must be a non-empty list of values such as {1e-3, 1e-2}, got %s"):format(where, type(values)))
  end
  local count = 0
  for _ in pairs(values) do count = count + 1 end
  if count ~= #values then internal.fail(where .. " must be a list (no holes, no named entries)") end
  for i, v in ipairs(values) do
    if not is_value(v) then internal.fail(("%s: value %d must be a number, string or boolean, got %s"):format(where, i, type(v))) end
    if type(v) == "string" and (v == "" or v:find(",", 1, true)) then
      internal.fail(("%s: value %d must be a non-empty string without ','"):format(where, i))
    end
  end
end

local function check_range(name, range)
  local where = "sweep: range." .. name
  if type(range) ~= "table" or type(range[1]) ~= "number" or type(range[2]) ~= "number" then
    internal.fail(where .. ' must be {LOW, HIGH} or {LOW, HIGH, "lin"|"log"|"int"}')
  end
  if range[3] ~= nil and type(range[3]) ~= "string" then
    internal.fail(("%s: the scale must be \"lin\", \"log\" or \"int\", got %s"):format(where, type(range[3])))
  end
end

local function check_set(name, value)
  if not is_value(value) then
    internal.fail(("sweep: set.%s must be a number, string or boolean, got %s"):format(name, type(value)))
  end
end

local function expect(spec, key, kind)
  if spec[key] ~= nil and math.type(spec[key]) ~= kind and type(spec[key]) ~= kind then
    internal.fail(("sweep: '%s' must be %s, got %s"):format(key, kind == "integer" and "an integer" or "a " .. kind,
      math.type(spec[key]) or type(spec[key])))
  end
end

local function sweep(spec)
  if type(spec) ~= "table" then internal.fail("sweep expects a table: sweep{recipe = \"r.lua\", grid = {lr = {1e-3, 1e-2}}}") end
  internal.check_options(spec, "sweep", known)
  if type(spec.recipe) ~= "string" or spec.recipe == "" then
    internal.fail('sweep: \'recipe\' must name the recipe file, such as recipe = "mlp.lua" (relative to this file)')
  end
  for _, key in ipairs { "metric", "mode", "prune", "out" } do expect(spec, key, "string") end
  for _, key in ipairs { "random", "seed", "warmup", "jobs", "threads", "ranks_per_trial" } do expect(spec, key, "integer") end
  check_named(spec, "grid", "{lr = {1e-3, 1e-2}}", check_grid_values)
  check_named(spec, "range", '{lr = {1e-4, 1e-1, "log"}}', check_range)
  check_named(spec, "set", "{epochs = 3}", check_set)
  if spec.grid ~= nil and spec.random ~= nil then internal.fail("sweep: 'grid' and 'random' exclude each other") end
  if spec.grid == nil and spec.random == nil then
    internal.fail('sweep: give grid = {name = {values...}}, or random = N with range = {name = {low, high}}')
  end
  if spec.random ~= nil and spec.range == nil then internal.fail("sweep: random = N draws from 'range'; give range = {name = {low, high}}") end
  if spec.range ~= nil and spec.random == nil then internal.fail("sweep: 'range' needs random = N, the number of trials") end
  local copy = {}
  for key, value in pairs(spec) do copy[key] = value end
  return internal.mark_sweep(copy)
end

return sweep
