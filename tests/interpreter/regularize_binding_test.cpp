// reg.*, clip.*, nn.linear's regularizer and constraint, and the recipe keys clip, accumulate
// and ema: each name reaches its runtime object, and each mistake is reported before training
// with its exact message. The numerics are tested in tests/runtime/regularize and train.
#include <algorithm>
#include <cmath>
#include <string>

#include <catch2/catch.hpp>

#include "lua_test_support.hpp"

using Catch::Matchers::WithinRel;
using regimen::testing::error_of;
using regimen::testing::eval;
using regimen::testing::run_lua;

namespace {

// A deterministic regression recipe (no dropout, plain SGD); `extra` is spliced into the table.
// `local r = recipe{...}` rather than `return recipe{...}` keeps the line in error messages.
std::string recipe_with(const std::string& extra, int batch_size = 16) {
  return "local d = data.synthetic.linear{n = 128, w = {2, -1}, b = 0.5, noise = 0.05, seed = 3}\n"
         "local train, validation = d:split{validation = 0.25}\n"
         "local r = recipe{\n"
         "  data = {train = train, validation = validation},\n"
         "  model = nn.sequential{nn.linear(2, 8), nn.relu(), nn.linear(8, 1)},\n"
         "  loss = loss.mse(), optimizer = optim.sgd{lr = 0.05},\n"
         "  batch_size = " +
         std::to_string(batch_size) + ", epochs = 4, seed = 11,\n" + extra +
         "}\n"
         "return r\n";
}

// The metric `name` of every epoch.
std::vector<double> series(const regimen::testing::Outcome& outcome, const std::string& name) {
  std::vector<double> values;
  for (const auto& epoch : outcome.result.history) {
    for (const auto& [key, value] : epoch)
      if (key == name) values.push_back(value);
  }
  return values;
}

std::string check_of(const std::string& text) {
  regimen::InterpreterOptions options;
  options.threads = 1;
  regimen::Interpreter interpreter(options);
  interpreter.load_string(text, "test.lua");
  return interpreter.check();
}

}  // namespace

TEST_CASE("Bindings: reg builds penalties and constraints", "[lua][regularize]") {
  CHECK(eval("reg.l1(1e-5)") == "reg.l1(1e-05)");
  CHECK(eval("reg.l2(1e-4)") == "reg.l2(0.0001)");
  CHECK(eval("reg.l1l2{l1 = 1e-5, l2 = 1e-4}") == "reg.l1l2(l1=1e-05, l2=0.0001)");
  CHECK(eval("reg.l1l2{l2 = 0.5}") == "reg.l1l2(l1=0, l2=0.5)");
  CHECK(eval("reg.max_norm(3)") == "reg.max_norm(3)");
  CHECK(eval("require('regimen').reg.max_norm == reg.max_norm") == "true");
  CHECK(error_of("reg.l1(-1)") == "test.lua:1: reg.l1: c must be >= 0, got -1");
  CHECK(error_of("reg.l1l2{l1 = -0.1}") == "test.lua:1: reg.l1l2: l1 must be >= 0, got -0.1");
  CHECK(error_of("reg.l1l2{l1 = 0.1, l2 = -2}") == "test.lua:1: reg.l1l2: l2 must be >= 0, got -2");
  CHECK(error_of("reg.l1l2{l3 = 1}") == "test.lua:1: reg.l1l2: unknown option 'l3' (did you mean 'l1'?)");
  CHECK(error_of("reg.l1l2{l1 = 'x'}") == "test.lua:1: reg.l1l2: bad option 'l1' (number expected, got string)");
  CHECK(error_of("reg.max_norm(0)") == "test.lua:1: reg.max_norm: c must be > 0, got 0");
  CHECK(error_of("reg.max_norm(-3)") == "test.lua:1: reg.max_norm: c must be > 0, got -3");
}

TEST_CASE("Bindings: clip.norm and clip.value", "[lua][regularize]") {
  CHECK(eval("clip.norm(1.0)") == "clip.norm(1)");
  CHECK(eval("clip.value(0.5)") == "clip.value(0.5)");
  CHECK(eval("require('regimen').clip.norm == clip.norm") == "true");
  CHECK(error_of("clip.norm(0)") == "test.lua:1: clip.norm: max must be > 0, got 0");
  CHECK(error_of("clip.norm(-1)") == "test.lua:1: clip.norm: max must be > 0, got -1");
  CHECK(error_of("clip.value(0)") == "test.lua:1: clip.value: v must be > 0, got 0");
  CHECK(error_of("clip.norm(math.huge)") == "test.lua:1: clip.norm: max must be finite, got inf");
}

TEST_CASE("Bindings: nn.linear takes a regularizer and a constraint for its weight", "[lua][nn][regularize]") {
  CHECK(eval("nn.linear(784, 256, {regularizer = reg.l2(1e-4)})") ==
        "linear(784 -> 256, init=he, regularizer=l2(0.0001))");
  CHECK(eval("nn.linear(784, 256, {regularizer = reg.l1l2{l1 = 1e-5}, constraint = reg.max_norm(3)})") ==
        "linear(784 -> 256, init=he, regularizer=l1l2(l1=1e-05, l2=0), constraint=max_norm(3))");
  CHECK(error_of("nn.linear(2, 3, {regularizer = reg.max_norm(3)})") ==
        "test.lua:1: nn.linear: option 'regularizer' takes a penalty (reg.l1, reg.l2, reg.l1l2); "
        "pass reg.max_norm as 'constraint'");
  CHECK(error_of("nn.linear(2, 3, {constraint = reg.l2(1)})") ==
        "test.lua:1: nn.linear: option 'constraint' takes a constraint (reg.max_norm); pass a penalty as 'regularizer'");
  CHECK(error_of("nn.linear(2, 3, {regularizer = 0.1})") ==
        "test.lua:1: nn.linear: bad option 'regularizer' (regularizer expected, got number)");
  CHECK(error_of("nn.linear(2, 3, {regulariser = reg.l2(1)})") ==
        "test.lua:1: nn.linear: unknown option 'regulariser' (did you mean 'regularizer'?)");
}

TEST_CASE("Recipe: clip, accumulate and ema are checked before training", "[lua][recipe][regularize]") {
  CHECK(error_of(recipe_with("accumulate = 0,")) == "test.lua:3: recipe: 'accumulate' must be >= 1, got 0");
  CHECK(error_of(recipe_with("accumulate = 1.5,")) == "test.lua:3: recipe: 'accumulate' must be an integer, got 1.5");
  CHECK(error_of(recipe_with("ema = 1,")) == "test.lua:3: recipe: 'ema' must be in [0, 1), got 1");
  CHECK(error_of(recipe_with("ema = -0.5,")) == "test.lua:3: recipe: 'ema' must be in [0, 1), got -0.5");
  CHECK(error_of(recipe_with("ema = '0.99',")) == "test.lua:3: recipe: 'ema' must be a number, got string");
  CHECK(error_of(recipe_with("clip = 1,")) ==
        "test.lua:3: recipe: 'clip' must be a gradient clip (clip.norm(max), clip.value(v)), got number");
  CHECK(error_of(recipe_with("regularize = reg.max_norm(3),")) ==
        "test.lua:3: recipe: 'regularize' must be a regularizer (reg.l1, reg.l2, reg.l1l2), got userdata");
  CHECK(error_of(recipe_with("accumulat = 2,")) ==
        "test.lua:3: recipe: unknown option 'accumulat' (did you mean 'accumulate'?)");
}

TEST_CASE("Recipe: regimen check shows clip, accumulate, ema and per-layer rules", "[lua][recipe][regularize]") {
  const std::string text = check_of(recipe_with(
      "clip = clip.norm(1), accumulate = 4, ema = 0.999, regularize = reg.l1l2{l1 = 1e-5, l2 = 1e-4},"));
  CHECK_THAT(text, Catch::Contains("  regularize  l1l2(l1=1e-05, l2=0.0001)\n"));
  CHECK_THAT(text, Catch::Contains("  clip        norm(1)\n"));
  CHECK_THAT(text, Catch::Contains("  accumulate  4 batches per update\n"));
  CHECK_THAT(text, Catch::Contains("  ema         0.999\n"));
  const std::string plain = check_of(recipe_with(""));
  CHECK_THAT(plain, !Catch::Contains("accumulate") && !Catch::Contains("ema") && !Catch::Contains("clip"));
  CHECK_THAT(check_of("local d = data.synthetic.linear{n = 16, w = {1, 2}}\n"
                      "return recipe{data = d, loss = loss.mse(), optimizer = optim.sgd{lr = 0.1},\n"
                      "  model = nn.sequential{nn.linear(2, 1, {constraint = reg.max_norm(2)})}}\n"),
             Catch::Contains("linear(2 -> 1, init=he, constraint=max_norm(2))"));
}

TEST_CASE("Recipe: accumulate = 2 over batches of 8 trains like batches of 16", "[lua][recipe][regularize]") {
  const auto big = run_lua(recipe_with("", 16));
  const auto accumulated = run_lua(recipe_with("accumulate = 2,", 8));
  REQUIRE(big.exit_code == 0);
  REQUIRE(accumulated.exit_code == 0);
  const auto a = series(accumulated, "val_loss");
  const auto b = series(big, "val_loss");
  REQUIRE(a.size() == 4);
  REQUIRE(b.size() == 4);
  for (std::size_t e = 0; e < a.size(); ++e) CHECK_THAT(a[e], WithinRel(b[e], 1e-4));
  CHECK(series(run_lua(recipe_with("", 8)), "val_loss") != a);
}

TEST_CASE("Recipe: ema changes what is evaluated, not how training goes", "[lua][recipe][regularize]") {
  const auto plain = run_lua(recipe_with(""));
  const auto averaged = run_lua(recipe_with("ema = 0.9,"));
  REQUIRE(averaged.exit_code == 0);
  CHECK(series(averaged, "loss") == series(plain, "loss"));
  CHECK(series(averaged, "val_loss") != series(plain, "val_loss"));
}

TEST_CASE("Recipe: clip and per-layer penalties reach the training loop", "[lua][recipe][regularize]") {
  // A tiny global norm leaves almost no room to move: the loss barely changes over the epochs.
  const auto clipped = series(run_lua(recipe_with("clip = clip.norm(1e-6),")), "loss");
  REQUIRE(clipped.size() == 4);
  CHECK(std::abs(clipped.back() - clipped.front()) < 1e-4 * clipped.front());
  const auto plain = series(run_lua(recipe_with("")), "loss");
  CHECK(plain.back() < 0.9 * plain.front());
  // A layer's penalty is part of the reported training loss.
  std::string text = recipe_with("");
  const std::string layer = "nn.linear(2, 8)";
  text.replace(text.find(layer), layer.size(), "nn.linear(2, 8, {regularizer = reg.l2(1)})");
  const auto penalized = series(run_lua(text), "loss");
  REQUIRE(penalized.size() == 4);
  CHECK(penalized.front() > plain.front());
  // clip.value runs too.
  CHECK(run_lua(recipe_with("clip = clip.value(0.01),")).exit_code == 0);
}
