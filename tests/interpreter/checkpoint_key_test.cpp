// recipe{checkpoint = {...}}: validated where the recipe is declared, and working through the
// Interpreter API (out_dir, resume, interrupt) as a host uses it.
#include <atomic>
#include <filesystem>
#include <string>

#include <catch2/catch.hpp>

#include "lua_test_support.hpp"
#include "support/temp_dir.hpp"

using regimen::testing::error_of;
using regimen::testing::run_lua;

namespace {

std::string recipe_with(const std::string& checkpoint) {
  return "local d = data.synthetic.linear{n = 64, w = {2, -1}, b = 0.5, noise = 0.05, seed = 3}\n"
         "return recipe{\n"
         "  data = d, model = nn.sequential{nn.linear(2, 4), nn.dropout(0.1), nn.linear(4, 1)},\n"
         "  loss = loss.mse(), optimizer = optim.adam{lr = 0.01}, batch_size = 16, epochs = 3, seed = 2,\n"
         "  checkpoint = " + checkpoint + ",\n"
         "}\n";
}

}  // namespace

TEST_CASE("Checkpoint key: bad shapes and values are recipe errors at the recipe's line", "[lua][recipe]") {
  CHECK(error_of(recipe_with("5")) ==
        "test.lua:2: recipe: 'checkpoint' must be a table such as {every = 1, keep = 3}, got number");
  CHECK(error_of(recipe_with("{evry = 1}")) == "test.lua:2: recipe: checkpoint: unknown option 'evry' (did you mean 'every'?)");
  CHECK(error_of(recipe_with("{every = 0}")) == "test.lua:2: recipe: checkpoint: 'every' must be an integer >= 1, got 0");
  CHECK(error_of(recipe_with("{every_steps = 2.5}")) ==
        "test.lua:2: recipe: checkpoint: 'every_steps' must be an integer >= 1, got 2.5");
  CHECK(error_of(recipe_with("{every = 1, keep = 0}")) == "test.lua:2: recipe: checkpoint: 'keep' must be an integer >= 1, got 0");
  CHECK(error_of(recipe_with("{keep = 2}")) ==
        "test.lua:2: recipe: checkpoint: give every = N (epochs) or every_steps = N (optimizer steps)");
  CHECK(run_lua(recipe_with("{every = 1}")).exit_code == 0);  // no run directory: nothing written
}

TEST_CASE("Checkpoint key: a host run writes, resumes and is interrupted through the API", "[lua][recipe]") {
  regimen::testing::TempDir folder;
  regimen::InterpreterOptions options;
  options.out_dir = (folder.path() / "run").string();
  const auto full = run_lua(recipe_with("{every_steps = 3, keep = 2}"), options);
  REQUIRE(full.exit_code == 0);
  REQUIRE(std::filesystem::exists(folder.path() / "run" / "checkpoints" / "step-0000000012.ckpt"));
  REQUIRE(std::filesystem::exists(folder.path() / "run" / "checkpoints" / "step-0000000009.ckpt"));
  REQUIRE(!std::filesystem::exists(folder.path() / "run" / "checkpoints" / "step-0000000006.ckpt"));

  // Raised before the first step: the run stops after it, with a checkpoint of it.
  std::atomic<bool> flag{true};
  options.out_dir = (folder.path() / "stopped").string();
  options.interrupt = &flag;
  const auto stopped = run_lua(recipe_with("{every = 1}"), options);
  REQUIRE(stopped.exit_code == 0);
  REQUIRE(stopped.result.interrupted);
  CHECK(stopped.result.interrupted_epoch == 1);
  CHECK(stopped.result.interrupted_step == 1);
  CHECK(stopped.result.checkpoint == (folder.path() / "stopped" / "checkpoints" / "step-0000000001.ckpt").string());

  options.interrupt = nullptr;
  options.resume = true;
  const auto resumed = run_lua(recipe_with("{every = 1}"), options);
  REQUIRE(resumed.exit_code == 0);
  REQUIRE(resumed.result.history == full.result.history);

  options.resume = true;
  options.out_dir = (folder.path() / "stopped").string();
  CHECK(error_of(recipe_with("{every = 2}"), options) ==
        (folder.path() / "stopped" / "checkpoints" / "step-0000000012.ckpt").string() +
            ": the checkpoint was written by another recipe text than this run's; resume it with the recipe and "
            "overrides it was written with");
}
