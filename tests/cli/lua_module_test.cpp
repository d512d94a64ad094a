// regimen.so from stock Lua 5.4 (Debian's lua5.4, a C build): `require "regimen"` gives the DSL
// as a table and regimen.run(recipe) trains it; mistakes come back as ordinary Lua errors that
// pcall catches. Built (and tested) only when REGIMEN_LUA_MODULE is on.
#ifdef REGIMEN_LUA_MODULE_PATH
#include <catch2/catch.hpp>
#include <filesystem>

#include "support/run_command.hpp"
#include "support/temp_dir.hpp"

using Catch::Contains;
using regimen::testing::run_command;
using regimen::testing::TempDir;

namespace {

std::string module_dir() { return std::filesystem::path(REGIMEN_LUA_MODULE_PATH).parent_path().string(); }

// Lines of `body` count from 3: two lines of set-up come first, and the raw strings below start
// with a newline.
regimen::testing::CommandResult run_lua(const TempDir& dir, const std::string& body) {
  const std::string script = dir.write("script.lua", "package.cpath = '" + module_dir() + "/?.so;' .. package.cpath\n" +
                                                         "local regimen = require 'regimen'\n" + body);
  return run_command("lua5.4 " + script + " 2>&1");
}

}  // namespace

TEST_CASE("Lua module: stock lua5.4 trains a recipe through require 'regimen'", "[cli]") {
  TempDir dir;
  // y = 2 x1 - x2 + 0.5 + 0.01 noise: a linear layer gets the validation loss near the noise
  // variance, 1e-4; 0.01 leaves room for 30 epochs of Adam.
  const auto result = run_lua(dir, R"(
local d = regimen.data.synthetic.linear{n = 200, w = {2, -1}, b = 0.5, noise = 0.01, seed = 1}
local train, validation = d:split{validation = 0.2, seed = 1}
local r = regimen.run(regimen.recipe{
  data = {train = train, validation = validation},
  model = regimen.nn.sequential{regimen.nn.linear(2, 1)},
  loss = regimen.loss.mse(), optimizer = regimen.optim.adam{lr = 0.05}, epochs = 30, batch_size = 16,
}, {threads = 1, quiet = true})
print("epochs", #r.history, "monitor", r.monitor)
print("converged", r.history[#r.history].val_loss < 0.01)
print("cosine", regimen.schedule.cosine{lr = 0.1, T_max = 10}(5))
)");
  INFO(result.output);
  REQUIRE(result.exit_code == 0);
  CHECK_THAT(result.output, Contains("epochs\t30\tmonitor\tval_loss"));
  CHECK_THAT(result.output, Contains("converged\ttrue"));
  CHECK_THAT(result.output, Contains("cosine\t0.05"));
}

TEST_CASE("Lua module: recipe and option mistakes are Lua errors with the script's line", "[cli]") {
  TempDir dir;
  const auto result = run_lua(dir, R"(
local ok, err = pcall(regimen.optim.adam, {learning_rate = 1})
print(err)
local d = regimen.data.synthetic.linear{n = 20, w = {1, 2}}
ok, err = pcall(regimen.run, regimen.recipe{data = d, model = regimen.nn.sequential{regimen.nn.linear(3, 1)},
  loss = regimen.loss.mse(), optimizer = regimen.optim.sgd{lr = 0.1}})
print(ok, err)
print(pcall(regimen.run, nil))
)");
  INFO(result.output);
  REQUIRE(result.exit_code == 0);
  CHECK_THAT(result.output, Contains("script.lua:4: optim.adam: unknown option 'learning_rate' (did you mean 'lr'?)"));
  CHECK_THAT(result.output, Contains("false\t" + dir.path().string() +
                                     "/script.lua:7: recipe: model: layer 'fc1' (linear) expects 3 inputs, but the data has 2 features"));
  CHECK_THAT(result.output, Contains("false\tregimen.run: expected a recipe{...}, got nil"));
}
#endif
