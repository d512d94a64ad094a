#include <catch2/catch.hpp>
#include <sstream>

#include "lua_test_support.hpp"
#include "regimen/interpreter.hpp"

using Catch::Contains;
using regimen::testing::error_of;

namespace {

// One linear(2, 1) layer on 1000 synthetic samples; the arithmetic of the pick is tested in the
// runtime (auto_batch_size_test), here the recipe's wiring and messages.
std::string recipe(const std::string& batch) {
  return "return recipe{data = data.synthetic.linear{n = 1000, w = {1, 2}, seed = 1},\n"
         "  model = nn.sequential{nn.linear(2, 1)}, loss = loss.mse(), optimizer = optim.sgd{lr = 0.1},\n" +
         batch + ", epochs = 1}";
}

std::string check(const std::string& text) {
  regimen::InterpreterOptions options;
  std::ostringstream sink;
  options.out = &sink;
  regimen::Interpreter interpreter(options);
  interpreter.load_string(text, "test.lua");
  return interpreter.check();
}

}  // namespace

TEST_CASE("Auto batch size run: the recipe picks from the budget and check says how", "[interpreter]") {
  // Per sample: linear (2 + 1) + 2 inputs + 1 target + 1 loss gradient = 7 floats = 28 bytes; the
  // parameters take 2 tensors padded to 16 floats, x 16 bytes = 512. 64 KB leaves room for 2322
  // samples (2048 as a power of two), more than the 1000 there are; 16 KB for 566 (512).
  CHECK_THAT(check(recipe("batch_size = 'auto', memory_budget = '64KB'")),
             Contains("batch_size  auto: 1000 (memory_budget 64 KB: 28 B per sample, 512 B for the parameters)"));
  CHECK_THAT(check(recipe("batch_size = 'auto', memory_budget = '16KB'")),
             Contains("batch_size  auto: 512 (memory_budget 16 KB: 28 B per sample"));
  CHECK_THAT(check(recipe("batch_size = 'auto'")), Contains("auto: 1000 (memory_budget 256 MB"));
}

TEST_CASE("Auto batch size run: wrong sizes and misplaced budgets are errors at the recipe line", "[interpreter]") {
  CHECK(error_of(recipe("batch_size = 'auto', memory_budget = 'plenty'")) ==
        "test.lua:1: recipe: memory_budget: cannot read 'plenty' as a size; write it as \"256MB\", \"1.5GB\" or \"512KB\"");
  CHECK(error_of(recipe("batch_size = 'auto', memory_budget = '0.5KB'")) ==
        "test.lua:1: recipe: batch_size \"auto\": memory_budget 512 B is too small: the parameters need 512 B and "
        "every sample 28 B");
  CHECK(error_of(recipe("batch_size = 64, memory_budget = '1GB'")) ==
        "test.lua:1: recipe: 'memory_budget' sizes batch_size = \"auto\"; this recipe's batch_size is 64");
  CHECK(error_of(recipe("batch_size = 'big'")) ==
        "test.lua:1: recipe: 'batch_size' must be an integer, a schedule or \"auto\", got \"big\"");
  CHECK(error_of(recipe("batch_size = 'auto', memory_budget = true")) ==
        "test.lua:1: recipe: 'memory_budget' must be a size such as \"256MB\", got boolean");
}
