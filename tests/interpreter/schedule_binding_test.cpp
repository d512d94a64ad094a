// schedule.* in Lua: every schedule replays its PyTorch/Keras fixture through s(t), the
// combinators and operators compose, plateau and hypergradient learn through their methods,
// and bad options fail with exact messages.
#include <cstdio>
#include <filesystem>
#include <string>

#include <catch2/catch.hpp>

#include "lua_test_support.hpp"
#include "runtime/schedule/schedule_fixture.hpp"

using regimen::testing::error_of;
using regimen::testing::eval;

namespace {

std::string lua_number(double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.17g", value);
  return buffer;
}

// A JSON value as a Lua literal; objects become option tables, a piece {"schedule": name, ...}
// becomes schedule.name{...}.
std::string lua_value(const nlohmann::json& j) {
  if (j.is_boolean()) return j.get<bool>() ? "true" : "false";
  if (j.is_number()) return lua_number(j.get<double>());
  if (j.is_string()) return "'" + j.get<std::string>() + "'";
  std::string text = "{";
  if (j.is_array()) {
    for (const auto& item : j) text += lua_value(item) + ", ";
    return text + "}";
  }
  for (const auto& [key, value] : j.items())
    if (key != "schedule") text += key + " = " + lua_value(value) + ", ";
  text += "}";
  return j.contains("schedule") ? "schedule." + j.at("schedule").get<std::string>() + text : text;
}

std::string lua_list(const std::vector<double>& values) {
  std::string text = "{";
  for (double v : values) text += lua_number(v) + ", ";
  return text + "}";
}

// Lua that errors with the first step where s(t) (after `before_each(t)`) leaves the fixture's
// tolerance: 1e-9 relative, 1e-15 absolute near zero.
std::string replay(const std::string& make, const regimen::test::ScheduleFixture& f,
                   const std::string& before_each = "") {
  return "local s = " + make + "\nlocal expected = " + lua_list(f.values) +
         "\nfor i, want in ipairs(expected) do\n  local t = i - 1\n  " + before_each +
         "\n  local got = s(t)\n"
         "  local tol = math.abs(want) < 1e-12 and 1e-15 or 1e-9 * math.abs(want)\n"
         "  if not (math.abs(got - want) <= tol) then\n"
         "    error(string.format('t=%d: got %.17g, want %.17g', t, got, want), 0)\n  end\nend\n";
}

}  // namespace

TEST_CASE("Schedule bindings: s(t) replays every PyTorch and Keras fixture", "[lua][schedule]") {
  const std::filesystem::path dir = std::filesystem::path(REGIMEN_SOURCE_DIR) / "tests/fixtures/schedule";
  int replayed = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    const std::string name = entry.path().stem().string();
    const auto f = regimen::test::load_schedule_fixture(name);
    const std::string kind = f.raw.at("schedule");
    std::string chunk;
    if (kind == "join" || kind == "product") {
      std::string pieces;
      const auto& p = f.options.at("pieces");
      for (std::size_t i = 0; i < p.size(); ++i) {
        pieces += lua_value(p[i]) + ", ";
        if (kind == "join" && i + 1 < p.size()) pieces += lua_value(f.options.at("boundaries")[i]) + ", ";
      }
      chunk = replay("schedule." + kind + "{" + pieces + "}", f);
    } else if (kind == "plateau") {
      // values[i] is the rate after i epochs: observe metric i before reading step i + 1.
      chunk = "local metrics = " + lua_list(f.raw.at("metrics").get<std::vector<double>>()) + "\n" +
              replay("schedule.plateau" + lua_value(f.options), f, "if t > 0 then s:observe(metrics[t]) end");
    } else {
      chunk = replay("schedule." + kind + lua_value(f.options), f);
    }
    INFO(name << "\n" << chunk.substr(0, 300));
    CHECK(error_of(chunk) == "");
    ++replayed;
  }
  CHECK(replayed >= 39);
}

TEST_CASE("Schedule bindings: built-ins are callable closed forms", "[lua][schedule]") {
  CHECK(eval("schedule.multistep{lr = 1, milestones = {2, 4, 4}, gamma = 0.5}(4)") == "0.125");
  CHECK(eval("schedule.multistep{lr = 1, milestones = {2, 4, 4}, gamma = 0.5}(3.5)") == "0.5");
  CHECK(eval("schedule.exponential{lr = 2, gamma = 0.5}(3)") == "0.25");
  CHECK(eval("schedule.inverse_time{lr = 1, decay_rate = 0.5, decay_steps = 10}(20)") == "0.5");
  CHECK(eval("schedule.inverse_time{lr = 1, decay_rate = 1, decay_steps = 10, staircase = true}(19)") == "0.5");
  CHECK(eval("schedule.piecewise{boundaries = {10, 20}, values = {1, 0.5, 0.25}}(10)") == "1.0");
  CHECK(eval("schedule.piecewise{boundaries = {10, 20}, values = {1, 0.5, 0.25}}(11)") == "0.5");
  CHECK(eval("schedule.polynomial{lr = 1, total_steps = 10, power = 2}(5)") == "0.25");
  CHECK(eval("schedule.polynomial{lr = 1, total_steps = 10, end_lr = 0.5}(50)") == "0.5");
  CHECK(eval("schedule.polynomial{lr = 1, total_steps = 10, cycle = true}(15)") == "0.25");
  CHECK(eval("schedule.linear{from = 0, to = 1, steps = 4}(1)") == "0.25");
  CHECK(eval("schedule.linear{from = 0, to = 1, steps = 4}(40)") == "1.0");
  CHECK(eval("schedule.cosine_restarts{lr = 1, T_0 = 10, T_mult = 2}(30)") == "1.0");
  CHECK(eval("schedule.cosine_restarts{lr = 1, T_0 = 10, m_mul = 0.5}(10)") == "0.5");
  CHECK(eval("schedule.cosine_restarts{lr = 1, T_0 = 10, T_mult = 2}(20)") ==
        eval("0.5 * (1 + math.cos(math.pi * 10 / 20))"));
  CHECK(eval("schedule.one_cycle{max_lr = 1, total_steps = 100}(0)") == "0.04");
  CHECK(eval("schedule.one_cycle{max_lr = 1, total_steps = 101, pct_start = 0.5, anneal = 'linear'}(49.5)") ==
        "1.0");
  CHECK(eval("schedule.cyclic{base_lr = 0, max_lr = 1, step_size_up = 4}(6)") == "0.5");
  CHECK(eval("schedule.cyclic{base_lr = 0, max_lr = 1, step_size_up = 4, mode = 'triangular2'}(12)") == "0.5");
  CHECK(eval("schedule.cyclic{base_lr = 0, max_lr = 1, step_size_up = 2, step_size_down = 6}(5)") == "0.5");
  CHECK(eval("schedule.cyclic{base_lr = 0, max_lr = 1, step_size_up = 4, mode = 'exp_range', gamma = 0.5}(4)") ==
        "0.0625");
}

TEST_CASE("Schedule bindings: defaults follow DESIGN.md", "[lua][schedule]") {
  CHECK(eval("schedule.multistep{lr = 1, milestones = {3}}") == "schedule.multistep(lr=1, milestones={3}, gamma=0.1)");
  CHECK(eval("schedule.inverse_time{lr = 1, decay_rate = 1, decay_steps = 2}") ==
        "schedule.inverse_time(lr=1, decay_rate=1, decay_steps=2, staircase=false)");
  CHECK(eval("schedule.polynomial{lr = 1, total_steps = 10}") ==
        "schedule.polynomial(lr=1, total_steps=10, power=1, end_lr=0, cycle=false)");
  CHECK(eval("schedule.cosine_restarts{lr = 1, T_0 = 10}") ==
        "schedule.cosine_restarts(lr=1, T_0=10, T_mult=1, eta_min=0, m_mul=1)");
  CHECK(eval("schedule.one_cycle{max_lr = 0.1, total_steps = 100}") ==
        "schedule.one_cycle(max_lr=0.1, total_steps=100, pct_start=0.3, anneal=cos, div_factor=25, "
        "final_div_factor=10000, three_phase=false)");
  CHECK(eval("schedule.cyclic{base_lr = 0.001, max_lr = 0.1}") ==
        "schedule.cyclic(base_lr=0.001, max_lr=0.1, step_size_up=2000, step_size_down=2000, mode=triangular, "
        "gamma=1)");
  CHECK(eval("schedule.plateau{lr = 0.1}") ==
        "schedule.plateau(lr=0.1, mode=min, factor=0.1, patience=10, threshold=0.0001, threshold_mode=rel, "
        "cooldown=0, min_lr=0, eps=1e-08, monitor=val_loss)");
  CHECK(eval("schedule.warmup{steps = 5, into = 0.1}") == "schedule.warmup(steps=5, from=0, into=constant(lr=0.1))");
  CHECK(eval("schedule.hypergradient{lr = 0.01, beta = 1e-4}") == "schedule.hypergradient(lr=0.01, beta=0.0001)");
}

TEST_CASE("Schedule bindings: combinators compose schedules and numbers", "[lua][schedule]") {
  const std::string cos = "schedule.cosine{lr = 1, T_max = 100}";
  CHECK(eval("schedule.warmup{steps = 10, into = " + cos + "}(5)") == "0.5");
  CHECK(eval("schedule.warmup{steps = 10, from = 0.2, into = " + cos + "}(0)") == "0.2");
  CHECK(eval("schedule.warmup{steps = 10, into = " + cos + "}(60)") == eval(cos + "(50)"));
  const std::string join = "schedule.join{schedule.linear{from = 0, to = 10, steps = 10}, 5, 0.5, 8, " + cos + "}";
  CHECK(eval(join + "(4)") == "4.0");
  CHECK(eval(join + "(6)") == "0.5");
  CHECK(eval(join + "(8)") == "1.0");
  CHECK(eval(join + "(58)") == eval(cos + "(50)"));
  CHECK(eval("schedule.join{0.3}(7)") == "0.3");
  CHECK(eval("schedule.product{" + cos + ", 0.5}(50)") == "0.25");
  CHECK(eval("schedule.join{1, 10, 2}") == "schedule.join(constant(lr=1), 10, constant(lr=2))");
  // The caller's table is not rewritten.
  CHECK(eval("(function() local t = {1, 10, 2}; schedule.join(t); return type(t[1]) end)()") == "number");
}

TEST_CASE("Schedule bindings: arithmetic and clamp", "[lua][schedule]") {
  const std::string lin = "schedule.linear{from = 0, to = 1, steps = 10}";
  CHECK(eval("(0.5 * " + lin + ")(4)") == "0.2");
  CHECK(eval("(" + lin + " * 0.5)(4)") == "0.2");
  CHECK(eval("(" + lin + " * " + lin + ")(5)") == "0.25");
  CHECK(eval("(" + lin + " + 0.25)(2)") == eval("0.2 + 0.25"));
  CHECK(eval("(0.25 + " + lin + ")(2)") == eval("0.2 + 0.25"));
  CHECK(eval("(" + lin + " + " + lin + ")(5)") == "1.0");
  CHECK(eval(lin + ":clamp(0.2, 0.7)(0)") == "0.2");
  CHECK(eval(lin + ":clamp(0.2, 0.7)(5)") == "0.5");
  CHECK(eval(lin + ":clamp(0.2, 0.7)(9)") == "0.7");
  CHECK(eval(lin + ":clamp(0.2)(10)") == "1.0");
  CHECK(eval("0.5 * " + lin) == "schedule.scaled(linear(from=0, to=1, steps=10), 0.5)");
  CHECK(eval(lin + ":clamp(0, 1)") == "schedule.clamp(linear(from=0, to=1, steps=10), lo=0, hi=1)");
}

TEST_CASE("Schedule bindings: a plateau learns from p:observe, also inside a product", "[lua][schedule]") {
  CHECK(eval("(function() local p = schedule.plateau{lr = 1, patience = 1, factor = 0.5}\n"
             "for _, m in ipairs{1, 1, 1} do p:observe(m) end return p(0) end)()") == "0.5");
  // cosine * plateau factor: observing through the product reaches the plateau.
  CHECK(eval("(function() local s = schedule.product{schedule.cosine{lr = 0.1, T_max = 100},\n"
             "  schedule.plateau{lr = 1, patience = 0, mode = 'max'}}\n"
             "s:observe(0.9); s:observe(0.8); return s(50) end)()") == eval("0.05 * 0.1"));
  // The same plateau object seen twice is fed once.
  CHECK(eval("(function() local p = schedule.plateau{lr = 1, patience = 0}\n"
             "local s = p * p; s:observe(1); s:observe(2); return p(0) end)()") == "0.1");
}

TEST_CASE("Schedule bindings: a hypergradient learns from observe_gradients", "[lua][schedule]") {
  CHECK(eval("(function() local h = schedule.hypergradient{lr = 0.1, beta = 0.01}\n"
             "h:observe_gradients{1, 2}; h:observe_gradients{3, -1}; return h(0) end)()") == eval("0.1 + 0.01"));
  CHECK(eval("(function() local h = schedule.hypergradient{lr = 0.1, beta = 1}\n"
             "local s = h:clamp(0, 1); s:observe_gradients{1}; s:observe_gradients{-1}; return s(0) end)()") ==
        "0.0");
}

TEST_CASE("Schedule bindings: bad options fail with exact messages", "[lua][schedule]") {
  const auto [chunk, message] = GENERATE(table<std::string, std::string>({
      {"schedule.cosine{lr = 0.1, T_max = 0}", "schedule.cosine: T_max must be > 0, got 0"},
      {"schedule.multistep{lr = 0.1, milestones = {30, 10}}",
       "schedule.multistep: milestones must not decrease, got 10 after 30"},
      {"schedule.multistep{lr = 0.1}", "schedule.multistep: option 'milestones' is required"},
      {"schedule.multistep{lr = 0.1, milestones = {1, true}}",
       "schedule.multistep: option 'milestones' must be a list of numbers"},
      {"schedule.multistep{lr = 0.1, milestones = {1, 'x'}}",
       "schedule.multistep: bad duration 'x' for milestones (write a number of steps, or a string such as "
       "'5 epochs', '200 steps' or '10%')"},
      {"schedule.multistep{lr = 0.1, milestones = 5}",
       "schedule.multistep: bad option 'milestones' (list of numbers expected, got number)"},
      {"schedule.exponential{lr = 0.1, gamma = 0}", "schedule.exponential: gamma must be > 0, got 0"},
      {"schedule.inverse_time{lr = 0.1, decay_rate = 1, decay_steps = 0}",
       "schedule.inverse_time: decay_steps must be > 0, got 0"},
      {"schedule.piecewise{boundaries = {10, 20}, values = {1, 0.5}}",
       "schedule.piecewise: values must have one entry more than boundaries, got 2 values for 2 boundaries"},
      {"schedule.piecewise{boundaries = {20, 10}, values = {1, 0.5, 0.1}}",
       "schedule.piecewise: boundaries must be increasing, got 10 after 20"},
      {"schedule.piecewise{values = {1}}", "schedule.piecewise: option 'boundaries' is required"},
      {"schedule.polynomial{lr = 0.1, total_steps = -5}", "schedule.polynomial: total_steps must be > 0, got -5"},
      {"schedule.linear{from = 0, to = 1, steps = 0}", "schedule.linear: steps must be > 0, got 0"},
      {"schedule.linear{from = 0, to = 1}", "schedule.linear: option 'steps' is required"},
      {"schedule.cosine_restarts{lr = 0.1, T_0 = 0}", "schedule.cosine_restarts: T_0 must be > 0, got 0"},
      {"schedule.cosine_restarts{lr = 0.1, T_0 = 10, T_mult = 0.5}",
       "schedule.cosine_restarts: T_mult must be >= 1, got 0.5"},
      {"schedule.one_cycle{max_lr = 0.1, total_steps = 100, anneal = 'cosine'}",
       "schedule.one_cycle: anneal must be one of 'cos', 'linear', got 'cosine'"},
      {"schedule.one_cycle{max_lr = 0.1, total_steps = 100, anneal_strategy = 'cos'}",
       "schedule.one_cycle: unknown option 'anneal_strategy' (did you mean 'anneal'?)"},
      {"schedule.one_cycle{total_steps = 100}", "schedule.one_cycle: option 'max_lr' is required"},
      {"schedule.one_cycle{max_lr = 0.1, total_steps = 100, anneal = 1}",
       "schedule.one_cycle: bad option 'anneal' (string expected, got number)"},
      {"schedule.cyclic{base_lr = 0.01, max_lr = 0.1, mode = 'triangle'}",
       "schedule.cyclic: mode must be one of 'triangular', 'triangular2', 'exp_range', got 'triangle'"},
      {"schedule.cyclic{base_lr = 0.01, max_lr = 0.1, step_size_down = 0}",
       "schedule.cyclic: step_size_down must be > 0, got 0"},
      {"schedule.warmup{steps = 10}", "schedule.warmup: option 'into' is required"},
      {"schedule.warmup{steps = 10, into = 'cosine'}",
       "schedule.warmup: bad option 'into' (schedule or number expected, got string)"},
      {"schedule.warmup{steps = -1, into = 0.1}", "schedule.warmup: steps must be >= 0, got -1"},
      {"schedule.join{schedule.constant{lr = 1}, 10}",
       "schedule.join: expected {s1, b1, s2, ...}: schedules with boundaries between them, got 2 entries"},
      {"schedule.join{1, true, 2}", "schedule.join: entry 2 must be a boundary (a number of steps), got boolean"},
      {"schedule.join{1, '2 epoch s', 2}",
       "schedule.join: bad duration '2 epoch s' for boundaries (write a number of steps, or a string such as "
       "'5 epochs', '200 steps' or '10%')"},
      {"schedule.join{1, 10, {}}", "schedule.join: entry 3 must be a schedule or a number, got table"},
      {"schedule.join{1, 10, 2, 5, 3}", "schedule.join: boundaries must be increasing, got 5 after 10"},
      {"schedule.join{1, 10, -2}", "schedule.join: lr must be >= 0, got -2"},
      {"schedule.product{}", "schedule.product: expected at least one schedule, as in {s1, s2}"},
      {"schedule.product{0.5, true}", "schedule.product: entry 2 must be a schedule or a number, got boolean"},
      {"schedule.plateau{lr = 0.1, mode = 'auto'}", "schedule.plateau: mode must be one of 'min', 'max', got 'auto'"},
      {"schedule.plateau{lr = 0.1, threshold_mode = 'relative'}",
       "schedule.plateau: threshold_mode must be one of 'rel', 'abs', got 'relative'"},
      {"schedule.plateau{lr = 0.1, patience = 1.5}",
       "schedule.plateau: bad option 'patience' (integer expected, got number)"},
      {"schedule.plateau{lr = 0.1, patience = 1e12}", "schedule.plateau: option 'patience' is out of range"},
      {"schedule.plateau{lr = 0.1, factor = 1}", "schedule.plateau: factor must be in [0, 1), got 1"},
      {"schedule.plateau{lr = 0.1, cooldown = -1}", "schedule.plateau: cooldown must be >= 0, got -1"},
      {"schedule.plateau{mode = 'min'}", "schedule.plateau: option 'lr' is required"},
      {"schedule.plateau{lr = 0.1, patiance = 3}",
       "schedule.plateau: unknown option 'patiance' (did you mean 'patience'?)"},
      {"schedule.hypergradient{lr = 0.1}", "schedule.hypergradient: option 'beta' is required"},
      {"schedule.hypergradient{lr = 0.1, beta = -1}", "schedule.hypergradient: beta must be >= 0, got -1"},
      {"local s = -1 * schedule.constant{lr = 1}", "schedule: factor must be >= 0, got -1"},
      {"local s = schedule.constant{lr = 1} * 'x'", "schedule: cannot multiply a schedule by a string"},
      {"local s = schedule.constant{lr = 1} + -1", "schedule: can only add a number >= 0 to a schedule, got -1"},
      {"local s = schedule.constant{lr = 1} + {}", "schedule: cannot add a schedule and a table"},
      {"local s = schedule.constant{lr = 1}:clamp(0.5, 0.1)", "schedule:clamp: hi must be >= lo (0.5), got 0.1"},
      {"schedule.cosine{lr = 1, T_max = 10}:observe(1)",
       "schedule:observe: schedule.cosine(lr=1, T_max=10, eta_min=0) follows no metric (a plateau does)"},
      {"schedule.plateau{lr = 1}:observe_gradients{1}",
       "schedule:observe_gradients: schedule.plateau(lr=1, mode=min, factor=0.1, patience=10, threshold=0.0001, "
       "threshold_mode=rel, cooldown=0, min_lr=0, eps=1e-08, monitor=val_loss) takes no gradients (a hypergradient "
       "does)"},
      {"local h = schedule.hypergradient{lr = 1, beta = 1}; h:observe_gradients{1, 2}; h:observe_gradients{1}",
       "schedule:observe_gradients: hypergradient: the gradient has 1 elements but the previous one had 2"},
      {"schedule.hypergradient{lr = 1, beta = 1}:observe_gradients{1, 'x'}",
       "schedule:observe_gradients: entry 2 must be a number, got string"},
  }));
  INFO(chunk);
  CHECK(error_of(chunk) == "test.lua:1: " + message);
}
