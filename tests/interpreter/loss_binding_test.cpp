#include <catch2/catch.hpp>

#include "lua_test_support.hpp"

using regimen::testing::error_of;
using regimen::testing::eval;

TEST_CASE("Loss bindings: every loss is built and describes itself", "[lua][loss]") {
  CHECK(eval("loss.mse()") == "loss.mse (mean squared error)");
  CHECK(eval("loss.mae()") == "loss.mae (mean absolute error)");
  CHECK(eval("loss.huber()") == "loss.huber(delta=1)");
  CHECK(eval("loss.huber{delta = 0.25}") == "loss.huber(delta=0.25)");
  CHECK(eval("loss.bce()") == "loss.bce (binary cross-entropy from logits)");
  CHECK(eval("loss.cross_entropy{label_smoothing = 0.1}") == "loss.cross_entropy(label_smoothing=0.1)");
}

TEST_CASE("Loss bindings: bad options are reported at the recipe line", "[lua][loss]") {
  CHECK(error_of("local l = loss.huber{delta = 0}") == "test.lua:1: loss.huber: delta must be > 0, got 0");
  CHECK(error_of("local l = loss.huber{delta = -2}") == "test.lua:1: loss.huber: delta must be > 0, got -2");
  CHECK(error_of("local l = loss.huber{delt = 1}") == "test.lua:1: loss.huber: unknown option 'delt' (did you mean 'delta'?)");
  CHECK(error_of("local l = loss.huber{delta = 'big'}") ==
        "test.lua:1: loss.huber: bad option 'delta' (number expected, got string)");
  CHECK(error_of("local l = loss.bce{pos_weight = 2}") == "test.lua:1: loss.bce: unknown option 'pos_weight'");
  CHECK(error_of("local l = loss.mae{reduction = 'sum'}") == "test.lua:1: loss.mae: unknown option 'reduction'");
  CHECK(error_of("local l = loss.cross_entropy{label_smoothing = 1}") ==
        "test.lua:1: loss.cross_entropy: cross_entropy: label_smoothing must be in [0, 1), got 1");
  CHECK(error_of("local l = loss.hubber()") ==
        "test.lua:1: attempt to call a nil value (field 'hubber')");
}
