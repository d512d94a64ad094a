// on_nan through the CLI: runs built to blow up (an lr of 1e6 on a linear regression; a Lua
// schedule that returns 1e30 at one step), the ladder's messages on stderr, the final weights
// (the test set's loss is finite only if they are), and the exit code of a stop.
#include <cmath>
#include <cstdint>
#include <fstream>
#include <string>

#include <catch2/catch.hpp>

#include "support/run_command.hpp"
#include "support/temp_dir.hpp"

using regimen::testing::regimen_command;
using regimen::testing::run_command;
using regimen::testing::TempDir;

namespace {

// 80 rows in batches of 16: 5 steps an epoch. `extra` adds or overrides recipe keys.
std::string recipe_text(const std::string& lr, const std::string& extra) {
  return "local d = data.synthetic.linear{n = 80, w = {1, 2}, b = 0.5}\n"
         "return recipe{\n"
         "  data = {train = d, test = d},\n"
         "  model = nn.sequential{nn.linear(2, 1)}, loss = loss.mse(),\n"
         "  optimizer = optim.sgd{lr = " + lr + "},\n"
         "  epochs = 10, batch_size = 16,\n" + extra + "}\n";
}

}  // namespace

TEST_CASE("on_nan CLI: skip and halve_lr keep the weights finite and the run going", "[cli]") {
  TempDir dir;
  const std::string recipe = dir.write("r.lua", recipe_text("1e6", "  on_nan = {\"skip\", \"halve_lr\"},\n"));
  const auto result = run_command(regimen_command("run --quiet " + recipe + " --out " + (dir.path() / "run").string()));
  INFO(result.output);
  CHECK(result.exit_code == 0);
  // Steps 1..6 multiply the error by about 1e6 each; the 7th update would overflow fc1.weight.
  CHECK_THAT(result.output,
             Catch::Contains("on_nan: step 7: the update made fc1.weight inf (undone); skipped the update (1 of 2 "
                             "actions)\n"
                             "on_nan: step 7: the update made fc1.weight inf (undone); skipped the update and halved "
                             "the learning rate (x0.5 from now on) (2 of 2 actions)\n"));
  // Reported once per rung although every later update overflows too.
  CHECK(result.output.find("on_nan:", result.output.find("(2 of 2 actions)")) == std::string::npos);
  // The saved weights (safetensors: u64 header length, the JSON header, then 3 float32s) are finite.
  std::ifstream in(dir.path() / "run" / "model.safetensors", std::ios::binary);
  std::uint64_t header = 0;
  in.read(reinterpret_cast<char*>(&header), sizeof header);
  in.seekg(static_cast<std::streamoff>(8 + header));
  float weights[3] = {};
  in.read(reinterpret_cast<char*>(weights), sizeof weights);
  REQUIRE(in.gcount() == sizeof weights);
  for (const float w : weights) CHECK(std::isfinite(w));
}

TEST_CASE("on_nan CLI: stop ends the run with exit 1, naming the step and the tensor", "[cli]") {
  TempDir dir;
  const std::string recipe = dir.write("r.lua", recipe_text("1e6", "  on_nan = {\"stop\"},\n"));
  const auto result = run_command(regimen_command("run --no-out --quiet " + recipe));
  CHECK(result.exit_code == 1);
  // After the learning-rate warning of the trainer's loss trace.
  CHECK_THAT(result.output, Catch::EndsWith("\n" + recipe + ":2: on_nan: step 7: the update made fc1.weight inf "
                                                            "(undone); stopped the run (1 of 1 actions)\n"));
}

TEST_CASE("on_nan CLI: a Lua schedule's spike climbs skip, rollback, stop", "[cli]") {
  TempDir dir;
  // t = 25 is the first step of epoch 6. Its lr of 1e30 makes the next loss ~1e58, over 10 x the
  // running median of the last 25 losses: skipped, then rolled back to the state at the start of
  // epoch 6 (after step 25, the optimizer's step count too, so the lr function meets t = 25
  // again), then stopped with every parameter finite (1e30 fits a float).
  const std::string recipe = dir.write(
      "r.lua", recipe_text("0.05", "  schedule = function(t) if t == 25 then return 1e30 end return 0.05 end,\n"
                                   "  loss_spike = 10, on_nan = {\"skip\", \"rollback\", \"stop\"},\n"));
  const auto result = run_command(regimen_command("run --no-out --quiet " + recipe));
  INFO(result.output);
  CHECK(result.exit_code == 1);
  CHECK_THAT(result.output, Catch::StartsWith("on_nan: step 27: loss "));
  CHECK_THAT(result.output, Catch::Contains(" is over 10 times the running median 0.2409; skipped the update (1 of 3 "
                                            "actions)\non_nan: step 27: loss "));
  CHECK_THAT(result.output, Catch::Contains("; rolled back to the weights, buffers and optimizer state after step 25 "
                                            "(2 of 3 actions)\n" + recipe + ":2: on_nan: step 28: loss "));
  CHECK_THAT(result.output,
             Catch::EndsWith(" (every parameter is finite); stopped the run (3 of 3 actions)\n"));
}

TEST_CASE("on_nan CLI: regimen check shows the ladder", "[cli]") {
  TempDir dir;
  const std::string recipe =
      dir.write("r.lua", recipe_text("0.1", "  on_nan = {\"skip\", \"stop\"}, loss_spike = 10,\n"));
  const auto result = run_command(regimen_command("check " + recipe));
  CHECK(result.exit_code == 0);
  CHECK_THAT(result.output, Catch::Contains("  on_nan      skip, stop; a loss over 10 x its running median too\n"));
}
