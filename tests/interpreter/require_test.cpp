#include <catch2/catch.hpp>

#include <sstream>

#include "lua_test_support.hpp"
#include "support/temp_dir.hpp"

namespace {

std::string run_file(const std::string& path) {
  std::ostringstream sink;
  regimen::InterpreterOptions options;
  options.out = &sink;
  try {
    regimen::Interpreter interpreter(options);
    interpreter.load_file(path);
    interpreter.run();
  } catch (const regimen::Error& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("require: stdlib modules and the regimen module", "[lua]") {
  using regimen::testing::eval;
  CHECK(eval("require('regimen').schedule == schedule") == "true");
  CHECK(eval("require('regimen').recipe == recipe") == "true");
  CHECK(eval("type(require('regimen.recipe'))") == "function");
}

TEST_CASE("require: .lua files beside the recipe, and below it", "[lua]") {
  regimen::testing::TempDir dir;
  dir.write("helpers.lua", "return {answer = 42}");
  dir.write("lib/more.lua", "return {value = 7}");
  const std::string main = dir.write(
      "main.lua", "assert(require('helpers').answer == 42)\nassert(require('lib.more').value == 7)\n"
                  "assert(require('helpers') == require('helpers'))\n");
  CHECK(run_file(main) == "");
}

TEST_CASE("require: no escape from the recipe's folder", "[lua]") {
  regimen::testing::TempDir dir;
  const std::string main = dir.write("main.lua", "local x = require('../secret')\n");
  CHECK_THAT(run_file(main), Catch::EndsWith("main.lua:1: require: bad module name '../secret' (use dotted names of "
                                             ".lua files beside the recipe)"));
  const std::string absolute = dir.write("abs.lua", "local x = require('/etc/passwd')\n");
  CHECK_THAT(run_file(absolute), Catch::Contains("bad module name '/etc/passwd'"));
  const std::string missing = dir.write("missing.lua", "local x = require('nothere')\n");
  CHECK_THAT(run_file(missing), Catch::Contains("missing.lua:1: module 'nothere' not found"));
}
