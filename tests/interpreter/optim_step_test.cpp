// opt:step(params, grads) from Lua: PyTorch's trajectories (tests/fixtures/optim, written by
// tools/make_optim_fixtures.py) replayed through tensors, lr changed between steps, state saved
// and restored bit-identically, and the exact message of every misuse.
#include <sstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "lua_test_support.hpp"
#include "runtime/optim/optim_fixture.hpp"

using regimen::testing::error_of;
using regimen::testing::eval;
using regimen::testing::run_lua;

namespace {

std::string number(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.17g", value);
  return text;
}

// A fixture's option value as Lua source.
std::string lua_value(const nlohmann::json& v) {
  if (v.is_boolean()) return v.get<bool>() ? "true" : "false";
  if (v.is_number()) return number(v.get<double>());
  if (v.is_string()) return "'" + v.get<std::string>() + "'";
  std::string text = "{";
  for (const auto& item : v) text += (text.size() > 1 ? ", " : "") + lua_value(item);
  return text + "}";
}

std::string lua_list(const std::vector<double>& values) {
  std::string text = "{";
  for (double v : values) text += (text.size() > 1 ? ", " : "") + number(v);
  return text + "}";
}

// The numbers a script raised as its error message ("1.5 2 -3").
std::vector<double> numbers_of(const std::string& message) {
  std::istringstream in(message);
  std::vector<double> values;
  for (double v = 0; in >> v;) values.push_back(v);
  return values;
}

// Replays fixture `name` through optim.<optimizer>{options}:step in `dtype`, with the six
// parameters split into a vector {2} and a matrix {2, 2}, so the step gathers and scatters a
// list. Returns the parameters after each step, as the script read them back with totable().
std::vector<std::vector<double>> replay_in_lua(const std::string& optimizer, const regimen::test::OptimFixture& f,
                                               const std::string& dtype) {
  REQUIRE(f.initial.size() == 6);
  std::string script = "local opt = optim." + optimizer + "{";
  for (const auto& [key, value] : f.options.items()) script += key + " = " + lua_value(value) + ", ";
  script += "}\nlocal dtype = '" + dtype + "'\nlocal p = " + lua_list(f.initial) + "\nlocal grads = {\n";
  for (const auto& g : f.grads) script += "  " + lua_list(g) + ",\n";
  script += R"(}
local a = tensor.from({p[1], p[2]}, dtype)
local b = tensor.from({{p[3], p[4]}, {p[5], p[6]}}, dtype)
local out = {}
for _, g in ipairs(grads) do
  opt:step({a, b}, {tensor.from({g[1], g[2]}, dtype), tensor.from({{g[3], g[4]}, {g[5], g[6]}}, dtype)})
  local ta, tb = a:totable(), b:totable()
  for _, v in ipairs({ta[1], ta[2], tb[1][1], tb[1][2], tb[2][1], tb[2][2]}) do
    out[#out + 1] = string.format('%.17g', v)
  end
end
error(table.concat(out, ' '), 0)
)";
  const std::vector<double> values = numbers_of(error_of(script));
  REQUIRE(values.size() == 6 * f.grads.size());
  std::vector<std::vector<double>> steps;
  for (std::size_t k = 0; k < f.grads.size(); ++k) {
    steps.emplace_back(values.begin() + 6 * k, values.begin() + 6 * (k + 1));
  }
  return steps;
}

void check_trajectory(const std::string& optimizer, const std::string& fixture, const std::string& dtype, double rel,
                      double abs) {
  INFO("fixture " << fixture << ", " << dtype);
  const regimen::test::OptimFixture f = regimen::test::load_optim_fixture(fixture);
  const auto steps = replay_in_lua(optimizer, f, dtype);
  for (std::size_t k = 0; k < steps.size(); ++k) {
    INFO("after step " << k + 1);
    regimen::test::check_close(std::span<const double>(steps[k]), f.params[k], rel, abs);
  }
}

}  // namespace

TEST_CASE("Optim step: float64 tensors follow PyTorch's float64 trajectories to 1e-9", "[lua][optim]") {
  const std::pair<const char*, const char*> cases[] = {
      {"adam", "adam_default"},         {"adam", "adam_amsgrad"},       {"sgd", "sgd_momentum"},
      {"sgd", "sgd_nesterov"},          {"rmsprop", "rmsprop_centered"}, {"nadam", "nadam_default"},
      {"lion", "lion_default"},         {"adamw", "adamw_default"},
      {"schedule_free_adamw", "schedule_free_adamw_default"},
  };
  for (const auto& [optimizer, fixture] : cases) check_trajectory(optimizer, fixture, "float64", 1e-9, 1e-12);
}

TEST_CASE("Optim step: float32 tensors follow the same trajectories to 1e-5", "[lua][optim]") {
  check_trajectory("adam", "adam_default", "float32", 1e-5, 1e-5);
  check_trajectory("sgd", "sgd_nesterov", "float32", 1e-5, 1e-5);
}

TEST_CASE("Optim step: a single tensor is accepted for params and grads", "[lua][optim]") {
  // SGD without momentum: p - lr * g = 1 - 0.5 * 2 = 0, 2 - 0.5 * 4 = 0.
  CHECK(eval("(function() local p = tensor.from{1, 2} optim.sgd{lr = 0.5}:step(p, tensor.from{2, 4}) "
             "return table.concat(p:totable(), ' ') end)()") == "0.0 0.0");
}

TEST_CASE("Optim step: lr set between steps to a number, a schedule or a function", "[lua][optim]") {
  // SGD, g = 1 always, float64: p falls by lr at each step. schedule.step{lr = 0.1, step_size = 2,
  // gamma = 0.5} is 0.1 for t in {0, 1}, 0.05 for {2, 3}, 0.025 for {4, 5}, evaluated at the
  // optimizer's own step count t; the function gives 0.01 * t.
  const std::string script = R"(
local opt = optim.sgd{lr = 0.1}
local p = tensor.from({1}, 'float64')
local g = tensor.from({1}, 'float64')
local seen = {}
opt:step(p, g)
opt.lr = schedule.step{lr = 0.1, step_size = 2, gamma = 0.5}
for _ = 1, 3 do opt:step(p, g) end
seen[#seen + 1] = opt.lr
opt.lr = function(t) return 0.01 * t end
seen[#seen + 1] = opt.lr
opt:step(p, g)
opt.lr = 0.2
opt:step(p, g)
error(string.format('%.17g %.17g %.17g', seen[1], seen[2], p[1]), 0)
)";
  const std::vector<double> values = numbers_of(error_of(script));
  REQUIRE(values.size() == 3);
  CHECK(values[0] == 0.025);
  CHECK(values[1] == 0.04);
  double p = 1.0;
  for (double lr : {0.1, 0.1, 0.05, 0.05, 0.04, 0.2}) p -= lr;
  CHECK_THAT(values[2], Catch::Matchers::WithinRel(p, 1e-15));
}

TEST_CASE("Optim step: save_state and load_state resume bit-identically", "[lua][optim]") {
  // The same 10 steps, once straight and once as 5 steps, a save, a fresh optimizer that loads
  // the state, and 5 more; the gradient depends on the parameters and the step, as a real one does.
  for (const char* dtype : {"float32", "float64"}) {
    INFO(dtype);
    const std::string script = std::string("local dtype = '") + dtype + R"('
local function make() return optim.adam{lr = schedule.cosine{lr = 0.1, T_max = 10}, amsgrad = true} end
local function grads(a, b, k)
  local ga, gb = {}, {}
  for i, v in ipairs(a:totable()) do ga[i] = 2 * v + math.sin(k + i) end
  for i, row in ipairs(b:totable()) do
    gb[i] = {}
    for j, v in ipairs(row) do gb[i][j] = v * v - math.cos(k * j) end
  end
  return {tensor.from(ga, dtype), tensor.from(gb, dtype)}
end
local function text(a, b)
  local s = {}
  for _, v in ipairs(a:totable()) do s[#s + 1] = string.format('%a', v) end
  for _, row in ipairs(b:totable()) do for _, v in ipairs(row) do s[#s + 1] = string.format('%a', v) end end
  return table.concat(s, ' ')
end
local function run(opt, a, b, from, to) for k = from, to do opt:step({a, b}, grads(a, b, k)) end end

local a, b = tensor.from({0.5, -1.5, 2}, dtype), tensor.from({{1, 2}, {-3, 0.25}}, dtype)
local straight = make()
run(straight, a, b, 1, 10)

local a2, b2 = tensor.from({0.5, -1.5, 2}, dtype), tensor.from({{1, 2}, {-3, 0.25}}, dtype)
local first = make()
run(first, a2, b2, 1, 5)
local saved = first:save_state()
assert(type(saved) == 'string')
local resumed = make()
resumed:load_state(saved)
assert(resumed.steps == 5)
run(resumed, a2, b2, 6, 10)
error(text(a, b) .. '|' .. text(a2, b2), 0)
)";
    const std::string message = error_of(script);
    const auto bar = message.find('|');
    REQUIRE(bar != std::string::npos);
    CHECK(message.substr(0, bar) == message.substr(bar + 1));
    CHECK(message.find("0x") != std::string::npos);
  }
}

TEST_CASE("Optim step: a float64 state loads into a fresh optimizer, which then steps float64", "[lua][optim]") {
  CHECK(run_lua(R"(
local p, g = tensor.from({1, 2}, 'float64'), tensor.from({0.5, 0.5}, 'float64')
local first = optim.adam{}
first:step(p, g)
local resumed = optim.adam{}
resumed:load_state(first:save_state())
resumed:step(p, g)
)").exit_code == 0);
  CHECK(error_of(R"(
local first = optim.adam{}
first:step(tensor.from({1, 2}, 'float64'), tensor.from({0.5, 0.5}, 'float64'))
local resumed = optim.adam{}
resumed:load_state(first:save_state())
resumed:step(tensor.from{1, 2}, tensor.from{0.5, 0.5})
)") == "test.lua:6: optimizer:step: adam has stepped float64 parameters and cannot step float32 ones "
       "(use one optimizer per dtype)");
}

TEST_CASE("Optim step: a layout other than the first step's is refused", "[lua][optim]") {
  const std::string setup = "local opt = optim.adam{}\n"
                            "local a, b = tensor.from{1, 2, 3}, tensor.from{{1, 2}, {3, 4}}\n"
                            "opt:step({a, b}, {tensor.zeros(3), tensor.zeros(2, 2)})\n";
  CHECK(error_of(setup + "opt:step({a}, {tensor.zeros(3)})") ==
        "test.lua:4: optimizer:step: params has 1 tensor but the first step had 2 tensors (an optimizer's state is "
        "laid out by its first step; use another optimizer for other parameters)");
  CHECK(error_of(setup + "opt:step({b, a}, {tensor.zeros(2, 2), tensor.zeros(3)})") ==
        "test.lua:4: optimizer:step: params[1] has shape {2, 2} but had {3} on the first step (an optimizer's state "
        "is laid out by its first step; use another optimizer for other parameters)");
  // A vector {3} and a matrix {1, 3} hold as many values but are different layouts.
  CHECK(error_of(setup + "opt:step({tensor.from{{1, 2, 3}}, b}, {tensor.zeros(1, 3), tensor.zeros(2, 2)})") ==
        "test.lua:4: optimizer:step: params[1] has shape {1, 3} but had {3} on the first step (an optimizer's state "
        "is laid out by its first step; use another optimizer for other parameters)");
}

TEST_CASE("Optim step: mixing float32 and float64 is refused", "[lua][optim]") {
  CHECK(error_of("optim.sgd{lr = 0.1}:step({tensor.from{1}, tensor.from({1}, 'float64')}, "
                 "{tensor.from{1}, tensor.from({1}, 'float64')})") ==
        "test.lua:1: optimizer:step: params[2] is float64 but params[1] is float32 (the tensors of one step share a "
        "dtype)");
  CHECK(error_of("optim.sgd{lr = 0.1}:step(tensor.from{1}, tensor.from({1}, 'float64'))") ==
        "test.lua:1: optimizer:step: grads[1] is float64 but params[1] is float32 (the tensors of one step share a "
        "dtype)");
  CHECK(error_of("local opt = optim.adam{}\nopt:step(tensor.from{1}, tensor.from{1})\n"
                 "opt:step(tensor.from({1}, 'float64'), tensor.from({1}, 'float64'))") ==
        "test.lua:3: optimizer:step: adam has stepped float32 parameters and cannot step float64 ones (use one "
        "optimizer per dtype)");
}

TEST_CASE("Optim step: arguments that are not matching tensors are refused", "[lua][optim]") {
  const std::string opt = "local opt = optim.sgd{lr = 0.1}\n";
  CHECK(error_of(opt + "opt:step(1, tensor.from{1})") ==
        "test.lua:2: optimizer:step: params must be a tensor or a list of tensors, got number");
  CHECK(error_of(opt + "opt:step({tensor.from{1}, {1}}, {tensor.from{1}, tensor.from{1}})") ==
        "test.lua:2: optimizer:step: params[2] must be a tensor, got table");
  CHECK(error_of(opt + "opt:step(tensor.from{1})") ==
        "test.lua:2: optimizer:step: grads must be a tensor or a list of tensors, got no value");
  CHECK(error_of(opt + "opt:step({}, {})") == "test.lua:2: optimizer:step: params is an empty list");
  CHECK(error_of(opt + "opt:step({tensor.from{1}, tensor.from{2}}, {tensor.from{1}})") ==
        "test.lua:2: optimizer:step: params has 2 tensors but grads has 1 tensor");
  CHECK(error_of(opt + "opt:step(tensor.from{1, 2, 3}, tensor.from{1, 2})") ==
        "test.lua:2: optimizer:step: grads[1] has shape {2} but params[1] has {3}");
}

TEST_CASE("Optim step: load_state refuses bytes that are not this optimizer's state", "[lua][optim]") {
  const auto garbage = run_lua("optim.adam{}:load_state('not a state at all')");
  CHECK(garbage.message ==
        "test.lua:1: optimizer:load_state: optimizer state: not a Regimen optimizer state (bad magic)");
  CHECK(garbage.exit_code == 1);
  const auto other = run_lua("local sgd = optim.sgd{lr = 0.1, momentum = 0.9}\n"
                             "sgd:step(tensor.from{1}, tensor.from{1})\n"
                             "optim.adam{}:load_state(sgd:save_state())");
  CHECK(other.message ==
        "test.lua:3: optimizer:load_state: optimizer state was saved by 'sgd', cannot load it into 'adam'");
  CHECK(other.exit_code == 2);
  // The state of one adam step on one float: header, "step", and three buffers of one float
  // (exp_avg, exp_avg_sq, max_exp_avg_sq, the last empty); cutting the last byte truncates it.
  CHECK_THAT(error_of("local a = optim.adam{}\na:step(tensor.from{1}, tensor.from{1})\n"
                      "optim.adam{}:load_state(a:save_state():sub(1, -2))"),
             Catch::StartsWith("test.lua:3: optimizer:load_state: optimizer state: truncated at byte "));
  CHECK(error_of("optim.adam{}:load_state(nil)") ==
        "test.lua:1: optimizer:load_state: expected the string opt:save_state() returned, got nil");
  // A failed load changes nothing: the optimizer still steps from scratch.
  CHECK(run_lua("local opt = optim.adam{}\npcall(opt.load_state, opt, 'junk')\nassert(opt.steps == 0)\n"
                "opt:step(tensor.from{1}, tensor.from{1})\nassert(opt.steps == 1)")
            .exit_code == 0);
}
