// Scheduled hyperparameters in real runs: Lua function schedules see the run through ctx,
// failures stop the run at the recipe's line, lengths in epochs and "10%" resolve for the
// planned run (accumulation counted), by = "epoch" holds a value per epoch, plateau follows
// val_loss, and a scheduled dropout p, batch size and momentum take effect.
//
// The run: 100 samples, 80 for training; batch 16 -> 5 steps per epoch; 4 epochs -> 20 steps.
#include <cmath>
#include <string>

#include <catch2/catch.hpp>

#include "lua_test_support.hpp"

using regimen::testing::error_of;
using regimen::testing::Outcome;
using regimen::testing::run_lua;

namespace {

// `before` runs ahead of the recipe (line 3 on); `fields` are spliced into recipe{...}.
std::string recipe(const std::string& before, const std::string& fields,
                   const std::string& model = "nn.sequential{nn.linear(2, 4), nn.relu(), nn.linear(4, 1)}") {
  return "local d = data.synthetic.linear{n = 100, w = {1, -2}, b = 1, noise = 0.1, seed = 3}\n"
         "local train, validation = d:split{validation = 0.2}\n" +
         before +
         "\nreturn recipe{\n"
         "  data = {train = train, validation = validation},\n"
         "  model = " +
         model +
         ",\n"
         "  loss = loss.mse(), batch_size = 16, epochs = 4, seed = 5,\n" +
         fields + "\n}\n";
}

void check_ok(const Outcome& outcome) {
  INFO(outcome.message);
  CHECK(outcome.exit_code == 0);
  CHECK(outcome.result.trained);
}

}  // namespace

TEST_CASE("Schedule runs: a Lua lr sees the run through ctx", "[lua][schedule][recipe]") {
  const auto outcome = run_lua(recipe(
      "local calls = {}\n"
      "local function lr(t, ctx)\n"
      "  calls[#calls + 1] = {t = t, step = ctx.step, epoch = ctx.epoch, spe = ctx.steps_per_epoch,\n"
      "                      total = ctx.total_steps, epochs = ctx.epochs, val = ctx.metrics.val_loss}\n"
      "  return 0.1 / (1 + t)\n"
      "end\n"
      "local last_val",
      "optimizer = optim.sgd{lr = lr},\n"
      "on_epoch_end = function(ctx)\n"
      "  assert(ctx.lr == 0.1 / (1 + 5 * (ctx.epoch + 1)), 'ctx.lr ' .. ctx.lr)\n"
      "  last_val = ctx.metrics.val_loss\n"
      "end,\n"
      "on_train_end = function(ctx)\n"
      "  local steps = 0\n"
      "  for _, c in ipairs(calls) do\n"
      "    assert(c.step == c.t and c.spe == 5 and c.total == 20 and c.epochs == 4, 'call at ' .. c.t)\n"
      "    if c.t % 5 ~= 0 then\n"
      "      steps = steps + 1\n"
      "      assert(c.epoch == c.t // 5, 'epoch at ' .. c.t)\n"
      "      assert((c.val == nil) == (c.t < 5), 'metrics at ' .. c.t)\n"
      "    end\n"
      "  end\n"
      "  assert(steps == 16, 'steps ' .. steps)\n"
      "  assert(calls[#calls].val == last_val)\n"
      "end,"));
  check_ok(outcome);
}

TEST_CASE("Schedule runs: a Lua error in a schedule stops the run at its line", "[lua][schedule][recipe]") {
  const auto error = run_lua(recipe("local function lr(t)\n  if t == 7 then error('no rate for step 7') end\n"
                                    "  return 0.1\nend",
                                    "optimizer = optim.sgd{lr = lr},"));
  CHECK(error.exit_code == 2);
  CHECK(error.message == "test.lua:4: no rate for step 7");

  const auto nil = run_lua(recipe("local function lr(t)\n  if t < 12 then return 0.1 end\nend",
                                  "optimizer = optim.sgd{lr = lr},"));
  CHECK(nil.exit_code == 2);
  CHECK(nil.message == "test.lua:3: schedule function returned nil at step 12");

  const auto nan = run_lua(recipe("", "optimizer = optim.sgd{lr = function(t) return t < 3 and 0.1 or 0 / 0 end},"));
  CHECK(nan.exit_code == 2);
  CHECK(nan.message == "test.lua:8: schedule function returned nan at step 3");

  // A negative rate is the optimizer's check, naming the step, located at the recipe (here a chunk
  // without a file, so no line).
  const auto negative =
      run_lua(recipe("", "optimizer = optim.sgd{lr = function(t) return t < 7 and 0.1 or -0.1 end},"));
  CHECK(negative.exit_code == 2);
  CHECK(negative.message == "test.lua:4: lr must be >= 0, got -0.1 at step 7");

  const auto momentum = run_lua(recipe(
      "", "optimizer = optim.sgd{lr = 0.1, momentum = function(t) return t < 9 and 0.9 or -1 end},"));
  CHECK(momentum.exit_code == 2);
  CHECK(momentum.message == "test.lua:4: momentum must be >= 0, got -1 at step 9");
}

TEST_CASE("Schedule runs: by = 'epoch' holds each epoch's value", "[lua][schedule][recipe]") {
  const auto outcome = run_lua(recipe(
      "local s = schedule.step{lr = 0.1, step_size = 2, gamma = 0.5, by = 'epoch'}\n"
      "local seen = {}\n"
      "local m = schedule.lambda(function(e, ctx) seen[#seen + 1] = e .. ':' .. ctx.epoch; return 0.9 end,\n"
      "                          {by = 'epoch'})",
      "optimizer = optim.sgd{lr = s, momentum = m},\n"
      "on_epoch_end = function(ctx)\n"
      "  -- ctx.lr is the rate of the next step, the first of epoch ctx.epoch + 1\n"
      "  assert(ctx.lr == 0.1 * 0.5 ^ ((ctx.epoch + 1) // 2), 'lr ' .. ctx.lr)\n"
      "  assert(s(5 * ctx.epoch + 4) == 0.1 * 0.5 ^ (ctx.epoch // 2))\n"
      "end,\n"
      "on_train_end = function()\n"
      "  assert(tostring(s) == 'schedule.by_epoch(step(lr=0.1, step_size=2, gamma=0.5), steps_per_epoch=5)',\n"
      "         tostring(s))\n"
      "  assert(seen[1] == '0:0' and seen[5] == '0:0' and seen[6] == '1:1' and seen[#seen] == '3:3',\n"
      "         table.concat(seen, ' '))\n"
      "end,"));
  check_ok(outcome);
}

TEST_CASE("Schedule runs: durations resolve for the planned run", "[lua][schedule][recipe]") {
  // 5 steps per epoch, 20 in all; with accumulate = 2, 3 updates per epoch, 12 in all.
  const auto [accumulate, spe] = GENERATE(table<int, int>({{1, 5}, {2, 3}}));
  const std::string total = std::to_string(4 * spe);
  const auto outcome = run_lua(recipe(
      "local spe, total = " + std::to_string(spe) + ", " + total +
          "\n"
          "local lr = schedule.warmup{steps = '1 epoch', into = schedule.cosine{lr = 0.1, T_max = '75%'}}\n"
          "local mom = schedule.multistep{lr = 0.9, milestones = {2, '1 epoch', '50%'}, gamma = 0.5}\n"
          "local wd = schedule.join{0, '2 epochs', schedule.linear{from = 0, to = 0.01, steps = '10%'}}",
      "accumulate = " + std::to_string(accumulate) +
          ",\n"
          "optimizer = optim.sgd{lr = lr, momentum = mom, weight_decay = wd},\n"
          "on_train_end = function()\n"
          "  local cos = 'cosine(lr=0.1, T_max=' .. math.floor(0.75 * total + 0.5) .. ', eta_min=0)'\n"
          "  assert(tostring(lr) == 'schedule.warmup(steps=' .. spe .. ', from=0, into=' .. cos .. ')', tostring(lr))\n"
          "  assert(lr(spe) == 0.1 and lr(0) == 0 and lr(spe - 1) == 0.1 * (spe - 1) / spe)\n"
          "  assert(tostring(mom) == 'schedule.multistep(lr=0.9, milestones={2, ' .. spe .. ', ' .. total // 2 ..\n"
          "         '}, gamma=0.5)', tostring(mom))\n"
          "  assert(wd(2 * spe - 1) == 0 and wd(2 * spe) == 0)\n"
          "  local tenth = math.floor(0.1 * total + 0.5)\n"
          "  assert(math.abs(wd(2 * spe + tenth) - 0.01) < 1e-15 and wd(2 * spe + 100) == 0.01)\n"
          "end,"));
  INFO("accumulate " << accumulate);
  check_ok(outcome);
}

TEST_CASE("Schedule runs: a bad resolved length names the schedule's line", "[lua][schedule][recipe]") {
  CHECK(error_of(recipe("local s = schedule.cosine{lr = 0.1, T_max = '1%'}", "optimizer = optim.sgd{lr = s},")) ==
        "test.lua:3: schedule.cosine: T_max must be > 0, got 0");
  CHECK(error_of(recipe("local s = schedule.multistep{lr = 0.1, milestones = {'2 epochs', 5}}",
                        "optimizer = optim.sgd{lr = s},")) ==
        "test.lua:3: schedule.multistep: milestones must not decrease, got 5 after 10");
}

TEST_CASE("Schedule runs: one_cycle without total_steps spans the run", "[lua][schedule][recipe]") {
  const auto outcome = run_lua(recipe(
      "local s = schedule.one_cycle{max_lr = 0.1}",
      "optimizer = optim.sgd{lr = s},\n"
      "on_train_end = function(ctx)\n"
      "  assert(tostring(s) == 'schedule.one_cycle(max_lr=0.1, total_steps=20, pct_start=0.3, anneal=cos, ' ..\n"
      "         'div_factor=25, final_div_factor=10000, three_phase=false)', tostring(s))\n"
      "  local function near(a, b) return math.abs(a - b) <= 1e-12 * b end\n"
      "  assert(near(s(0), 0.004) and near(s(5), 0.1) and near(s(19), 0.004 / 1e4) and s(40) == s(19))\n"
      "  assert(ctx.lr == s(19))\n"
      "end,"));
  check_ok(outcome);
}

TEST_CASE("Schedule runs: a plateau lowers the rate from val_loss", "[lua][schedule][recipe]") {
  const auto outcome = run_lua(recipe(
      "local p = schedule.plateau{lr = 0.05, patience = 0, factor = 0.5, threshold = 0.5}\n"
      "local oracle = schedule.plateau{lr = 0.05, patience = 0, factor = 0.5, threshold = 0.5}\n"
      "local lowered = false",
      "optimizer = optim.sgd{lr = p},\n"
      "on_epoch_end = function(ctx)\n"
      "  oracle:observe(ctx.metrics.val_loss)\n"
      "  assert(ctx.lr == oracle(0), ctx.lr .. ' vs ' .. oracle(0))\n"
      "  lowered = lowered or ctx.lr < 0.05\n"
      "end,\n"
      "on_train_end = function() assert(lowered, 'never lowered') end,"));
  check_ok(outcome);
  // A plateau inside a product, following a metric the run does not report.
  CHECK(error_of(recipe("local p = schedule.plateau{lr = 1, monitor = 'val_los'}",
                        "optimizer = optim.sgd{lr = schedule.product{0.1, p}},")) ==
        "test.lua:4: recipe: schedule.plateau: monitor 'val_los' is not a metric of this run "
        "(did you mean 'val_loss'?); it has loss, val_loss");
  CHECK(error_of("local d = data.synthetic.linear{n = 20, w = {1}}\n"
                 "return recipe{data = d, model = nn.sequential{nn.linear(1, 1)}, loss = loss.mse(),\n"
                 "  optimizer = optim.sgd{lr = 0.1, momentum = schedule.plateau{lr = 0.9}}}") ==
        "test.lua:2: recipe: schedule.plateau: monitor 'val_loss' is not a metric of this run; it has loss");
}

TEST_CASE("Schedule runs: a hypergradient rate adapts during the run", "[lua][schedule][recipe]") {
  const auto outcome = run_lua(recipe(
      "local h = schedule.hypergradient{lr = 0.01, beta = 1e-3}",
      "optimizer = optim.sgd{lr = h:clamp(0, 1)},\n"
      "on_train_end = function(ctx) assert(ctx.lr ~= 0.01, 'unchanged') end,"));
  check_ok(outcome);
}

TEST_CASE("Schedule runs: a scheduled dropout p takes effect at every step", "[lua][schedule][recipe]") {
  const auto model = [](const std::string& p) {
    return "nn.sequential{nn.linear(2, 16), nn.relu(), nn.dropout(" + p + "), nn.linear(16, 1)}";
  };
  const std::string sgd = "optimizer = optim.sgd{lr = 0.05},";
  const auto fixed = run_lua(recipe("", sgd, model("0.5")));
  const auto none = run_lua(recipe("", sgd, model("0")));
  const auto function = run_lua(recipe("", sgd, model("function(t) return 0.5 end")));
  const auto schedule = run_lua(recipe("", sgd, model("schedule.constant{lr = 0.5}")));
  check_ok(function);
  CHECK(function.result.history == fixed.result.history);
  CHECK(schedule.result.history == fixed.result.history);
  CHECK(function.result.history != none.result.history);
  // Called once per batch, at the optimizer's step.
  const auto steps = run_lua(recipe("local ts = {}",
                                    sgd + "\non_train_end = function()\n"
                                          "  assert(#ts == 20, #ts)\n"
                                          "  for i, t in ipairs(ts) do assert(t == i - 1) end\n"
                                          "end,",
                                    model("function(t) ts[#ts + 1] = t; return 0.1 end")));
  check_ok(steps);
  CHECK(error_of(recipe("", sgd, model("schedule.linear{from = 0.5, to = 1.5, steps = '1 epoch'}"))) ==
        "test.lua:4: dropout: p must be in [0, 1), got 1.1 at step 3");
}

TEST_CASE("Schedule runs: a scheduled batch size sets each epoch's batches", "[lua][schedule][recipe]") {
  const std::string check_steps =
      "on_epoch_end = function(ctx) steps[#steps + 1] = opt.steps end,\n"
      "on_train_end = function() assert(table.concat(steps, ' ') == expected, table.concat(steps, ' ')) end,";
  // 16 (5 batches) for epochs 0-1, then 40 (2 batches).
  const auto piecewise = run_lua(
      "local d = data.synthetic.linear{n = 100, w = {1, -2}, b = 1, noise = 0.1, seed = 3}\n"
      "local train, validation = d:split{validation = 0.2}\n"
      "local steps, expected = {}, '5 10 12 14'\nlocal opt = optim.sgd{lr = 0.05}\n"
      "return recipe{data = {train = train, validation = validation},\n"
      "  model = nn.sequential{nn.linear(2, 1)}, loss = loss.mse(), epochs = 4, optimizer = opt,\n"
      "  batch_size = schedule.piecewise{boundaries = {1}, values = {16, 40}},\n" +
      check_steps + "}\n");
  check_ok(piecewise);
  const auto function = run_lua(
      "local d = data.synthetic.linear{n = 100, w = {1, -2}, b = 1, noise = 0.1, seed = 3}\n"
      "local steps, expected = {}, '1 6 11 16'\nlocal opt = optim.sgd{lr = 0.05}\n"
      "local total\n"
      "return recipe{data = d:take(80), model = nn.sequential{nn.linear(2, 1)}, loss = loss.mse(), epochs = 4,\n"
      "  optimizer = optim.sgd{lr = function(t, ctx) total = ctx.total_steps; return 0.05 end},\n"
      "  batch_size = function(e, ctx) return e == 0 and 80 or 16 end,\n"
      "  on_train_end = function() assert(total == 4, total) end,\n"  // planned from epoch 0's batch size
      "}\n");
  check_ok(function);
  CHECK(error_of("local d = data.synthetic.linear{n = 20, w = {1}}\n"
                 "return recipe{data = d, model = nn.sequential{nn.linear(1, 1)}, loss = loss.mse(), epochs = 3,\n"
                 "  optimizer = optim.sgd{lr = 0.1}, batch_size = schedule.linear{from = 4, to = 0, steps = 2}}") ==
        "test.lua:2: recipe: batch_size must be >= 1, got 0 at epoch 2");
}

TEST_CASE("Schedule runs: a scheduled momentum and betas follow the step", "[lua][schedule][recipe]") {
  check_ok(run_lua(recipe(
      "local opt = optim.sgd{lr = 0.01, momentum = schedule.linear{from = 0.5, to = 0.9, steps = '2 epochs'}}",
      "optimizer = opt,\n"
      "on_epoch_end = function(ctx)\n"
      "  local t = 5 * ctx.epoch + 4  -- the last step taken\n"
      "  assert(math.abs(opt.momentum - (0.5 + 0.4 * math.min(t, 10) / 10)) < 1e-12, opt.momentum)\n"
      "end,")));
  check_ok(run_lua(recipe(
      "local opt = optim.adam{lr = 0.01, betas = {function(t) return 0.9 - 0.01 * t end, 0.99}}",
      "optimizer = opt,\n"
      "on_epoch_end = function(ctx)\n"
      "  local t = 5 * ctx.epoch + 4\n"
      "  assert(math.abs(opt.betas[1] - (0.9 - 0.01 * t)) < 1e-12 and opt.betas[2] == 0.99)\n"
      "end,")));
}
