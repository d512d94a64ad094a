// Limits and the sandbox's reproducible extras: limits reset for every run, trusted recipes keep
// them only when asked, math.random follows the seed.
#include <catch2/catch.hpp>

#include "lua_test_support.hpp"

using regimen::testing::error_of;
using regimen::testing::eval;
using regimen::testing::run_lua;

TEST_CASE("Limits: each run gets the whole budget", "[lua]") {
  regimen::InterpreterOptions options;
  options.max_instructions = 1'000'000;
  regimen::Interpreter interpreter(options);
  // ~300k instructions each: three runs exceed the budget together, never alone.
  for (int run = 0; run < 3; ++run) {
    interpreter.load_string("local x = 0 for i = 1, 100000 do x = x + i end", "test.lua");
    CHECK_NOTHROW(interpreter.run());
  }
  interpreter.load_string("while true do end", "test.lua");
  CHECK_THROWS_WITH(interpreter.run(), "test.lua:1: instruction limit of 1000000 exceeded");
  interpreter.load_string("local x = 1", "test.lua");
  CHECK_NOTHROW(interpreter.run());
}

TEST_CASE("Limits: trusted recipes have the limits they are given", "[lua]") {
  regimen::InterpreterOptions options;
  options.trusted = true;
  options.max_instructions = 1'000'000;
  CHECK(run_lua("while true do end", options).message == "test.lua:1: instruction limit of 1000000 exceeded");
  options.max_instructions = 0;
  CHECK(run_lua("local t = {} for i = 1, 2e6 do t[i] = i end", options).exit_code == 0);
}

TEST_CASE("Sandbox: os offers time and clock only", "[lua]") {
  CHECK(run_lua("assert(os.time() > 1.7e9); assert(os.clock() >= 0)").exit_code == 0);
  CHECK(error_of("os.exit(0)") == "test.lua:1: 'os.exit' is not available in the sandbox (only os.time and os.clock; "
                                  "run with --trusted to allow it)");
}

TEST_CASE("Sandbox: math.random follows the seed, not the clock", "[lua]") {
  regimen::InterpreterOptions seeded;
  seeded.seed = 7;
  const std::string draw = "tostring(math.random()) .. ' ' .. math.random(6) .. ' ' .. math.random(-3, 3)";
  CHECK(eval(draw) == eval(draw));  // two interpreters, the same default seed
  regimen::Interpreter a(seeded), b(seeded);
  const auto first_of = [&](regimen::Interpreter& interpreter) {
    interpreter.load_string("error(" + draw + ", 0)", "test.lua");
    try {
      interpreter.run();
    } catch (const regimen::Error& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  CHECK(first_of(a) == first_of(b));
  CHECK(first_of(a) != eval(draw));  // seed 7 differs from seed 0
  CHECK(eval("(function() math.randomseed(3); local x = math.random(1000); math.randomseed(3); "
             "return x == math.random(1000) end)()") == "true");
  CHECK(run_lua("for i = 1, 1000 do local x = math.random(2, 4); assert(x >= 2 and x <= 4 and x % 1 == 0) end "
                "for i = 1, 1000 do local u = math.random(); assert(u >= 0 and u < 1) end")
            .exit_code == 0);
  CHECK_THAT(error_of("math.random(3, 1)"), Catch::Contains("interval is empty"));
}

TEST_CASE("Sandbox: DSL and library tables still read and iterate", "[lua]") {
  CHECK(eval("(function() local n = 0 for k in pairs(optim) do n = n + 1 end return n end)()") == "11");
  CHECK(eval("require('regimen').optim == optim") == "true");
  CHECK(eval("('a=b'):match('(%w)=(%w)')") == "a");
  CHECK(eval("#table.pack(1, 2, 3)") == "3");
  CHECK(eval("getmetatable('')") == "locked");
}

TEST_CASE("Limits: tensors count against the memory limit, and dead ones are given back", "[lua]") {
  regimen::InterpreterOptions options;
  options.max_memory_mb = 64;
  // 10000 x 10000 float32 = 400000000 bytes = 381.4697 MiB.
  CHECK(run_lua("local t = tensor.zeros(10000, 10000)", options).message ==
        "test.lua:1: memory limit of 64 MB exceeded (a tensor of 381.47 MB)");
  CHECK(run_lua("pcall(tensor.zeros, 10000, 10000); local x = 1 for i = 1, 1e5 do x = x + 1 end", options).exit_code ==
        1);
  // 100 tensors of 4 MB, each dropped at once: 400 MB made, never more than a few alive.
  CHECK(run_lua("for i = 1, 100 do local t = tensor.zeros(1000, 1000) end", options).exit_code == 0);
  CHECK(run_lua("local keep = {} for i = 1, 100 do keep[i] = tensor.zeros(1000, 1000) end", options).message ==
        "test.lua:1: memory limit of 64 MB exceeded (a tensor of 3.8147 MB)");
}
