// Scheduled momentum, betas and weight_decay from Lua, for the rules beyond sgd/adam/adamw: a
// number, a schedule object or a Lua function, replayed against the *_scheduled_* fixtures of
// tools/make_optim_fixtures.py (options set before each step in torch.optim or the script's
// references), and read back as the value of the last step.
#include <sstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "lua_test_support.hpp"
#include "runtime/optim/optim_fixture.hpp"

using regimen::testing::error_of;
using regimen::testing::eval;

namespace {

std::string lua_list(const std::vector<double>& values) {
  std::string text = "{";
  char number[32];
  for (double v : values) {
    std::snprintf(number, sizeof number, "%.17g", v);
    text += (text.size() > 1 ? ", " : "") + std::string(number);
  }
  return text + "}";
}

// Steps optim.<constructor> over fixture `name`'s gradients on one float64 2x3 tensor; checks
// every step against the fixture and returns what `read_back` (Lua, of `opt`) gave at the end.
std::string replay(const std::string& name, const std::string& constructor, const std::string& read_back) {
  INFO("fixture " << name << ": " << constructor);
  const regimen::test::OptimFixture f = regimen::test::load_optim_fixture(name);
  std::string script = "local opt = " + constructor + "\nlocal p = tensor.from({" +
                       lua_list({f.initial.begin(), f.initial.begin() + 3}) + ", " +
                       lua_list({f.initial.begin() + 3, f.initial.end()}) + "}, 'float64')\nlocal grads = {\n";
  for (const auto& g : f.grads) script += "  " + lua_list(g) + ",\n";
  script += R"(}
local out = {}
for _, g in ipairs(grads) do
  opt:step(p, tensor.from({{g[1], g[2], g[3]}, {g[4], g[5], g[6]}}, 'float64'))
  for _, row in ipairs(p:totable()) do
    for _, v in ipairs(row) do out[#out + 1] = string.format('%.17g', v) end
  end
end
error(table.concat(out, ' ') .. '|' .. tostring()" + read_back + R"(), 0)
)";
  const std::string message = error_of(script);
  const auto bar = message.find('|');
  REQUIRE(bar != std::string::npos);
  std::istringstream in(message.substr(0, bar));
  std::vector<double> values;
  for (double v = 0; in >> v;) values.push_back(v);
  REQUIRE(values.size() == 6 * f.grads.size());
  for (std::size_t k = 0; k < f.grads.size(); ++k) {
    INFO("after step " << k + 1);
    const std::vector<double> step(values.begin() + 6 * static_cast<long>(k),
                                   values.begin() + 6 * static_cast<long>(k + 1));
    regimen::test::check_close(std::span<const double>(step), f.params[k], 1e-9, 1e-12);
  }
  return message.substr(bar + 1);
}

// The fixtures' closed forms as Lua functions: linear{0.85, 0.95, 50} and step{0.1, 10, 0.5}.
const char* const kMomentum = "function(t) return t >= 50 and 0.95 or 0.85 + (0.95 - 0.85) * t / 50 end";
const char* const kDecay = "function(t) return 0.1 * 0.5 ^ (t // 10) end";

}  // namespace

TEST_CASE("Optim schedules: rmsprop's momentum and weight_decay as schedules or functions", "[lua][optim]") {
  // The value of step 49: 0.85 + 0.1 * 49 / 50 and 0.1 * 0.5^4.
  CHECK(replay("rmsprop_scheduled_momentum",
               "optim.rmsprop{lr = 0.005, momentum = schedule.linear{from = 0.85, to = 0.95, steps = 50}, "
               "weight_decay = " + std::string(kDecay) + "}",
               "string.format('%.17g %.17g', opt.momentum, opt.weight_decay)") == "0.94799999999999995 0.0062500000000000003");
  CHECK(replay("rmsprop_scheduled_momentum",
               "optim.rmsprop{lr = 0.005, momentum = " + std::string(kMomentum) +
                   ", weight_decay = schedule.step{lr = 0.1, step_size = 10, gamma = 0.5}}",
               "opt.weight_decay") == "0.00625");
  // A momentum that is 0 at step 0 (a function is built with 0 until the run) gets its buffer
  // at step 10, keeps it at 0 from step 30, as the fixture's PyTorch with the buffer up front.
  CHECK(replay("rmsprop_scheduled_momentum_from_zero",
               "optim.rmsprop{lr = 0.003, momentum = function(t) return (t <= 9 or t > 29) and 0 or 0.9 end}",
               "opt.momentum") == "0.0");
}

TEST_CASE("Optim schedules: nadam's and radam's betas entries each a number, a schedule or a function",
          "[lua][optim]") {
  CHECK(replay("nadam_scheduled_betas",
               "optim.nadam{lr = 0.01, momentum_decay = 0.05, betas = {" + std::string(kMomentum) +
                   ", 0.999}, weight_decay = schedule.step{lr = 0.1, step_size = 10, gamma = 0.5}}",
               "string.format('%.17g %.17g %.17g', opt.betas[1], opt.betas[2], opt.weight_decay)") ==
        "0.94799999999999995 0.999 0.0062500000000000003");
  CHECK(replay("radam_scheduled_betas",
               "optim.radam{lr = 0.02, betas = {schedule.linear{from = 0.85, to = 0.95, steps = 50}, "
               "schedule.linear{from = 0.9, to = 0.99, steps = 50}}, weight_decay = " + std::string(kDecay) + "}",
               "string.format('%.17g', opt.betas[2])") == "0.98819999999999997");
}

TEST_CASE("Optim schedules: lion and schedule_free_adamw follow their scheduled references", "[lua][optim]") {
  CHECK(replay("lion_scheduled_betas",
               "optim.lion{lr = 0.005, betas = {schedule.linear{from = 0.85, to = 0.95, steps = 50}, "
               "function(t) return 0.95 + (0.99 - 0.95) * t / 50 end}, "
               "weight_decay = schedule.step{lr = 0.5, step_size = 10, gamma = 0.5}}",
               "opt.weight_decay") == "0.03125");
  CHECK(replay("schedule_free_adamw_scheduled_betas",
               "optim.schedule_free_adamw{lr = 0.05, warmup_steps = 5, "
               "betas = {schedule.linear{from = 0.5, to = 0.9, steps = 30}, "
               "schedule.linear{from = 0.95, to = 0.999, steps = 50}}, "
               "weight_decay = schedule.step{lr = 0.01, step_size = 10, gamma = 0.5}}",
               "opt.betas[1]") == "0.9");
}

TEST_CASE("Optim schedules: a scheduled option reads as step 0's value before any step", "[lua][optim]") {
  CHECK(eval("optim.adamax{betas = {schedule.linear{from = 0.8, to = 0.9, steps = 4}, 0.99}}.betas[1]") == "0.8");
  CHECK(eval("optim.adagrad{weight_decay = schedule.step{lr = 0.1, step_size = 2}}.weight_decay") == "0.1");
  CHECK(eval("optim.adadelta{weight_decay = 0.05}.weight_decay") == "0.05");
  CHECK(eval("optim.rmsprop{momentum = 0.5}.momentum") == "0.5");
  CHECK(eval("optim.lion{}.momentum") == "nil");
}

TEST_CASE("Optim schedules: a scheduled value out of range names the step", "[lua][optim]") {
  CHECK(error_of("local opt = optim.lion{lr = 0.01, betas = {schedule.linear{from = 0.9, to = 1.2, steps = 10}, 0.99}}\n"
                 "local p, g = tensor.from{1, 2}, tensor.from{0.5, -0.5}\n"
                 "for i = 1, 5 do opt:step(p, g) end") ==
        "test.lua:3: optimizer:step: betas[1] must be in [0, 1), got 1.02 at step 4");
  CHECK(error_of("local opt = optim.rmsprop{momentum = function(t) return 0.5 - 0.2 * t end}\n"
                 "local p, g = tensor.from{1, 2}, tensor.from{0.5, -0.5}\n"
                 "for i = 1, 5 do opt:step(p, g) end") ==
        "test.lua:3: optimizer:step: momentum must be >= 0, got -0.10000000000000009 at step 3");
  CHECK(error_of("optim.schedule_free_adamw{betas = {schedule.linear{from = 0, to = 0.9, steps = 4}, 0.99}}") ==
        "test.lua:1: optim.schedule_free_adamw: betas[1] must be in (0, 1), got 0");
  CHECK(error_of("optim.nadam{momentum_decay = schedule.constant{lr = 0.1}}") ==
        "test.lua:1: optim.nadam: bad option 'momentum_decay' (number expected, got userdata)");
}
