#include <catch2/catch.hpp>

#include "lua_test_support.hpp"

using regimen::testing::error_of;
using regimen::testing::run_lua;

TEST_CASE("Errors: an unknown option names file, line, key and suggestion", "[lua]") {
  const auto outcome = run_lua("local a = 1\nlocal o = optim.adam{learning_rate = 1e-3}\n");
  CHECK(outcome.exit_code == 2);
  CHECK(outcome.message == "test.lua:2: optim.adam: unknown option 'learning_rate' (did you mean 'lr'?)");
  CHECK(error_of("schedule.cosine{lr = 1, tmax = 3}") ==
        "test.lua:1: schedule.cosine: unknown option 'tmax' (did you mean 'T_max'?)");
  CHECK(error_of("optim.sgd{lr = 1, momentun = 0.9}") ==
        "test.lua:1: optim.sgd: unknown option 'momentun' (did you mean 'momentum'?)");
  CHECK(error_of("optim.sgd{lr = 1, zzz = 0.9}") == "test.lua:1: optim.sgd: unknown option 'zzz'");
}

TEST_CASE("Errors: a syntax error is a recipe error with file:line", "[lua]") {
  const auto outcome = run_lua("local x = 1\nlocal y = = 2\n");
  CHECK(outcome.exit_code == 2);
  CHECK(outcome.message == "test.lua:2: unexpected symbol near '='");
}

TEST_CASE("Errors: wrong option types and values", "[lua]") {
  CHECK(error_of("optim.adam{lr = 'fast'}") ==
        "test.lua:1: optim.adam: bad option 'lr' (number or schedule expected, got string)");
  CHECK(error_of("optim.sgd{momentum = 0.9}") == "test.lua:1: optim.sgd: option 'lr' is required");
  CHECK(error_of("optim.sgd{lr = -1}") == "test.lua:1: optim.sgd: lr must be >= 0, got -1");
  CHECK(error_of("optim.adam{betas = {0.9}}") ==
        "test.lua:1: optim.adam: option 'betas' must hold two numbers, like {0.9, 0.999}");
  CHECK(error_of("nn.dropout(1)") == "test.lua:1: nn.dropout: dropout: p must be in [0, 1), got 1");
  CHECK(error_of("optim.adam(3)") == "test.lua:1: optim.adam: expected a table of options, got number");
  CHECK(error_of("schedule.step{lr = 1, 10}") == "test.lua:1: schedule.step: options must be named (write {name = value})");
}

TEST_CASE("Errors: a stdlib frame is never blamed", "[lua]") {
  CHECK(error_of("local r = recipe{modle = 1}") ==
        "test.lua:1: recipe: unknown option 'modle' (did you mean 'model'?)");
  CHECK(error_of("local r = recipe{model = 1}") == "test.lua:1: recipe: 'data' is required");
  CHECK(error_of("local r = recipe{data = 1, model = 1, loss = 1, optimizer = 1, epochs = -1}") ==
        "test.lua:1: recipe: 'epochs' must be >= 0, got -1");
}

TEST_CASE("Errors: a file returning something other than a recipe", "[lua]") {
  const auto outcome = run_lua("return {epochs = 3}");
  CHECK(outcome.exit_code == 2);
  CHECK(outcome.message ==
        "test.lua: the file returned a table; return recipe{...} to train, or nothing to run it as a script");
}

TEST_CASE("Errors: a missing data file is a runtime failure (exit 1)", "[lua]") {
  const auto outcome = run_lua("local d = data.csv{path = '/nonexistent/x.csv'}");
  CHECK(outcome.exit_code == 1);
  CHECK_THAT(outcome.message, Catch::StartsWith("test.lua:1: data.csv: /nonexistent/x.csv"));
}
