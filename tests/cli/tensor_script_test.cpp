// `regimen run` of a plain script that drives an optimizer over tensors, without a recipe.
#include <catch2/catch.hpp>

#include "support/run_command.hpp"
#include "support/temp_dir.hpp"

using regimen::testing::regimen_command;
using regimen::testing::run_command;
using regimen::testing::TempDir;

TEST_CASE("CLI: a plain script steps tensors with opt:step and prints the result", "[cli]") {
  // Minimizes (w1 - 3)^2 + (w2 + 1)^2 with SGD, lr 0.1: each step maps w - a to 0.8 (w - a), so
  // after 100 steps w = a - 0.8^100 a, within 1e-9 of (3, -1). State saved and restored halfway.
  TempDir dir;
  const std::string path = dir.write("quadratic.lua", R"(local opt = optim.sgd{lr = 0.1}
local w = tensor.from({0, 0}, "float64")
local function grad()
  local v = w:totable()
  return tensor.from({2 * (v[1] - 3), 2 * (v[2] + 1)}, "float64")
end
for _ = 1, 50 do opt:step({w}, {grad()}) end
local resumed = optim.sgd{lr = 0.1}
resumed:load_state(opt:save_state())
for _ = 1, 50 do resumed:step(w, grad()) end
print(string.format("w = %.6f %.6f after %d steps", w[1], w[2], resumed.steps))
print(tostring(tensor.from{{1, 2}, {3, 4}}))
)");
  auto result = run_command(regimen_command("run " + path));
  CHECK(result.exit_code == 0);
  CHECK(result.output == "w = 3.000000 -1.000000 after 100 steps\ntensor(float32, {2, 2}): {{1, 2}, {3, 4}}\n");
}

TEST_CASE("CLI: a script whose step changes layout exits 2 naming its line", "[cli]") {
  TempDir dir;
  const std::string path = dir.write("layout.lua", "local opt = optim.adam{}\n"
                                                   "opt:step(tensor.zeros(3), tensor.zeros(3))\n"
                                                   "opt:step(tensor.zeros(4), tensor.zeros(4))\n");
  auto result = run_command(regimen_command("run " + path));
  CHECK(result.exit_code == 2);
  CHECK(result.output == path + ":3: optimizer:step: params[1] has shape {4} but had {3} on the first step (an "
                                "optimizer's state is laid out by its first step; use another optimizer for other "
                                "parameters)\n");
}
