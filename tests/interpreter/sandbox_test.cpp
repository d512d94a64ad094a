#include <catch2/catch.hpp>

#include "lua_test_support.hpp"

using regimen::testing::error_of;
using regimen::testing::eval;
using regimen::testing::run_lua;

TEST_CASE("Sandbox: io, os, debug and package are refused with a hint", "[lua]") {
  CHECK(error_of("os.execute('true')") == "test.lua:1: 'os.execute' is not available in the sandbox (only os.time "
                                         "and os.clock; run with --trusted to allow it)");
  CHECK(error_of("local f = io.open('/etc/passwd')") ==
        "test.lua:1: 'io' is not available in the sandbox (run with --trusted to allow it)");
  CHECK(error_of("\nlocal d = debug") ==
        "test.lua:2: 'debug' is not available in the sandbox (run with --trusted to allow it)");
  CHECK(error_of("local p = package") ==
        "test.lua:1: 'package' is not available in the sandbox (run with --trusted to allow it)");
  CHECK(error_of("dofile('x.lua')") ==
        "test.lua:1: 'dofile' is not available in the sandbox (run with --trusted to allow it)");
  CHECK(run_lua("os.execute('true')").exit_code == 2);
}

TEST_CASE("Sandbox: --trusted gives the full standard library", "[lua]") {
  regimen::InterpreterOptions trusted;
  trusted.trusted = true;
  CHECK(run_lua("assert(os.time() > 0); assert(io.open ~= nil); assert(debug.traceback)", trusted).exit_code == 0);
}

TEST_CASE("Sandbox: binary chunks and string.dump are unavailable", "[lua]") {
  CHECK(eval("string.dump") == "nil");
  const std::string message = error_of("local f, err = load('\\27Lua'); error(err, 0)");
  CHECK_THAT(message, Catch::Contains("attempt to load a binary chunk"));
  CHECK(eval("load('return 1 + 1')()") == "2");
}

TEST_CASE("Sandbox: collectgarbage only answers 'count'", "[lua]") {
  CHECK(run_lua("assert(collectgarbage('count') > 0)").exit_code == 0);
  CHECK(error_of("collectgarbage('stop')") ==
        "test.lua:1: collectgarbage: option 'stop' is not available in the sandbox (only 'count')");
}

TEST_CASE("Sandbox: reading an undefined global is an error naming it", "[lua]") {
  CHECK(error_of("local s = lr_shedule") == "test.lua:1: undefined global 'lr_shedule'");
  CHECK(error_of("local s = schedul.cosine") == "test.lua:1: undefined global 'schedul' (did you mean 'schedule'?)");
  CHECK(run_lua("my_value = 3; assert(my_value == 3)").exit_code == 0);
}
