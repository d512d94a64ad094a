// Hostile recipes: escape attempts and resource bombs. Each must fail cleanly, with its message
// and exit code (2: the recipe is refused; 1: a limit stopped it), and none may hang or crash.
#include <catch2/catch.hpp>

#include <filesystem>

#include "lua_test_support.hpp"
#include "support/temp_dir.hpp"

using regimen::testing::run_lua;

namespace {

struct Hostile {
  const char* what;
  const char* code;
  const char* message;  ///< the whole message, or with a leading '~' a part of it
  int exit_code;
};

// Limits small enough to trip fast, large enough for every DSL call.
regimen::InterpreterOptions limited() {
  regimen::InterpreterOptions options;
  options.max_memory_mb = 64;
  options.max_instructions = 20'000'000;
  options.timeout_seconds = 20;
  return options;
}

const Hostile kHostile[] = {
    {"run a command", "os.execute('rm -rf /tmp/x')",
     "test.lua:1: 'os.execute' is not available in the sandbox (only os.time and os.clock; run with --trusted to "
     "allow it)", 2},
    {"remove a file", "os.remove('x')",
     "test.lua:1: 'os.remove' is not available in the sandbox (only os.time and os.clock; run with --trusted to "
     "allow it)", 2},
    {"read the environment", "local home = os.getenv('HOME')",
     "test.lua:1: 'os.getenv' is not available in the sandbox (only os.time and os.clock; run with --trusted to "
     "allow it)", 2},
    {"open a file", "io.open('/etc/passwd')",
     "test.lua:1: 'io' is not available in the sandbox (run with --trusted to allow it)", 2},
    {"open a pipe", "io.popen('id')", "test.lua:1: 'io' is not available in the sandbox (run with --trusted to allow it)",
     2},
    {"use the debug library", "debug.sethook()",
     "test.lua:1: 'debug' is not available in the sandbox (run with --trusted to allow it)", 2},
    {"load a C library", "package.loadlib('libc.so.6', 'system')",
     "test.lua:1: 'package' is not available in the sandbox (run with --trusted to allow it)", 2},
    {"run another file", "dofile('/etc/passwd')",
     "test.lua:1: 'dofile' is not available in the sandbox (run with --trusted to allow it)", 2},
    {"load another file", "loadfile('/etc/passwd')",
     "test.lua:1: 'loadfile' is not available in the sandbox (run with --trusted to allow it)", 2},
    {"load bytecode", "local f, e = load('\\27Lua\\84\\0'); error(e, 0)", "~attempt to load a binary chunk", 2},
    {"dump bytecode", "string.dump(print)", "test.lua:1: attempt to call a nil value (field 'dump')", 2},
    {"reach io through load's env", "load('return io', 'x', 't', _G)()",
     "[string \"x\"]:1: 'io' is not available in the sandbox (run with --trusted to allow it)", 2},
    {"stop the collector", "collectgarbage('stop')",
     "test.lua:1: collectgarbage: option 'stop' is not available in the sandbox (only 'count')", 2},
    {"require outside the folder", "require('..secret')",
     "test.lua:1: require: bad module name '..secret' (use dotted names of .lua files beside the recipe)", 2},
    {"require an absolute path", "require('/etc/passwd')",
     "test.lua:1: require: bad module name '/etc/passwd' (use dotted names of .lua files beside the recipe)", 2},
    {"replace an optimizer", "optim.adam = function() end",
     "test.lua:1: 'optim' is read-only: cannot set field 'adam'", 2},
    {"replace a nested DSL function", "data.synthetic.linear = nil",
     "test.lua:1: 'data.synthetic' is read-only: cannot set field 'linear'", 2},
    {"replace a library function", "string.format = nil", "test.lua:1: 'string' is read-only: cannot set field 'format'",
     2},
    {"replace a function of require 'regimen'", "require('regimen').schedule.cosine = nil",
     "test.lua:1: 'schedule' is read-only: cannot set field 'cosine'", 2},
    {"rawset into a DSL table", "rawset(optim, 'adam', 1)", "test.lua:1: rawset: the table is read-only", 2},
    {"change the strings' metatable", "getmetatable('').__index = {}", "test.lua:1: attempt to index a string value",
     2},
    {"change a userdata metatable", "getmetatable(nn.relu()).__gc = nil", "test.lua:1: attempt to index a string value",
     2},
    {"remove the undefined-global guard", "setmetatable(_G, nil)", "test.lua:1: cannot change a protected metatable", 2},
    {"replace a library's metatable", "setmetatable(math, {})", "test.lua:1: cannot change a protected metatable", 2},
    {"loop forever", "while true do end", "test.lua:1: instruction limit of 20000000 exceeded", 1},
    {"loop forever under pcall", "for i = 1, 3 do pcall(function() while true do end end) end",
     "test.lua:1: instruction limit of 20000000 exceeded", 1},
    {"loop forever under xpcall with a handler",
     "xpcall(function() while true do end end, function() return 'swallowed' end)",
     "test.lua: instruction limit of 20000000 exceeded", 1},
    {"loop forever in a coroutine", "coroutine.resume(coroutine.create(function() while true do end end))",
     "test.lua:1: instruction limit of 20000000 exceeded", 1},
    {"loop forever in a wrapped coroutine", "pcall(coroutine.wrap(function() while true do end end))",
     "test.lua:1: instruction limit of 20000000 exceeded", 1},
    {"grow a table without end", "local t = {} for i = 1, 1e9 do t[i] = i end",
     "test.lua: memory limit of 64 MB exceeded", 1},
    {"build a huge string", "local s = string.rep('x', 2^30)", "test.lua: memory limit of 64 MB exceeded",
     1},
    {"build a huge string under pcall", "pcall(string.rep, 'x', 2^30); local t = {} for i = 1, 100 do t[i] = i end",
     "~memory limit of 64 MB exceeded", 1},
    {"concatenate without end", "local s = 'x' while true do s = s .. s end", "~memory limit of 64 MB exceeded", 1},
    {"recurse without end", "local function f() return f() + 1 end f()", "~test.lua", 1},
    {"match a pathological pattern", "string.rep('a', 300):find(string.rep('.-', 8) .. 'b')",
     "test.lua:1: string.find: a pattern with 8 repetitions over 300 characters may take 2e+22 steps, more than the "
     "sandbox allows (1e+12); shorten the subject or simplify the pattern", 1},
    {"gsub a pathological pattern", "string.rep('x', 100):gsub(string.rep('x-', 6) .. 'y', '')",
     "~string.gsub: a pattern with 6 repetitions over 100 characters", 1},
    {"raise a table", "error({})", "(error object is a table value)", 2},
};

}  // namespace

TEST_CASE("Hostile recipes: every escape and bomb fails cleanly with its message", "[lua]") {
  for (const Hostile& h : kHostile) {
    INFO(h.what << ": " << h.code);
    const auto outcome = run_lua(h.code, limited());
    const std::string expected = h.message;
    if (expected.front() == '~') {
      CHECK_THAT(outcome.message, Catch::Contains(expected.substr(1)));
    } else {
      CHECK(outcome.message == expected);
    }
    CHECK(outcome.exit_code == h.exit_code);
  }
}

TEST_CASE("Hostile recipes: a symbolic link cannot lead require out of the folder", "[lua]") {
  regimen::testing::TempDir dir;
  const std::string secret = dir.write("outside/secret.lua", "return 'secret'");
  std::filesystem::create_directories(dir.path() / "recipes");
  std::filesystem::create_symlink(secret, dir.path() / "recipes" / "link.lua");
  const std::string recipe = dir.write("recipes/r.lua", "return require('link')");
  regimen::Interpreter interpreter(regimen::InterpreterOptions{});
  interpreter.load_file(recipe);
  try {
    interpreter.run();
    FAIL("require followed the link");
  } catch (const regimen::Error& e) {
    CHECK(std::string(e.what()) == recipe + ":1: module 'link': '" + (dir.path() / "recipes" / "link.lua").string() +
                                       "' leads outside the recipe's folder");
  }
}

TEST_CASE("Hostile recipes: a time limit stops a loop", "[lua]") {
  regimen::InterpreterOptions options;
  options.timeout_seconds = 0.3;
  const auto outcome = run_lua("while true do end", options);
  CHECK(outcome.message == "test.lua:1: time limit of 0.3 s exceeded");
  CHECK(outcome.exit_code == 1);
}
