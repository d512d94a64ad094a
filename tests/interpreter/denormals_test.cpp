// Training flushes denormals to zero (runtime/flush_denormals.hpp) and only while it trains:
// a Lua hook runs on the training thread, so its arithmetic shows the mode (DAZ/FTZ apply to
// double as well as float SSE arithmetic).
#include <catch2/catch.hpp>

#include "lua_test_support.hpp"

using regimen::testing::run_lua;

TEST_CASE("Denormals: flushed to zero during training, kept before and after", "[lua]") {
  const std::string recipe =
      "local tiny = tonumber('1e-310')  -- a denormal double\n"
      "assert(tiny * 1.5 ~= 0, 'denormals flushed before training')\n"
      "flushed = nil\n"
      "return recipe{\n"
      "  data = data.synthetic.linear{n = 16, w = {1, 2}, b = 0},\n"
      "  model = nn.sequential{nn.linear(2, 1)}, loss = loss.mse(), optimizer = optim.sgd{lr = 0.1},\n"
      "  on_epoch_end = function(ctx) flushed = (tiny * 1.5 == 0) end,\n"
      "  on_train_end = function() assert(flushed == true, 'denormals kept during training') end,\n"
      "}\n";
  const auto outcome = run_lua(recipe);
  CHECK(outcome.message == "");
  CHECK(outcome.exit_code == 0);
  CHECK(run_lua("local tiny = tonumber('1e-310'); assert(tiny * 1.5 ~= 0)").exit_code == 0);
}
