#include <catch2/catch.hpp>

#include <sstream>

#include "lua_test_support.hpp"

namespace {

// Runs `text` with --set assignments; returns the error message or "".
std::string run_with(const std::string& text, const std::vector<std::pair<std::string, std::string>>& sets) {
  std::ostringstream sink;
  regimen::InterpreterOptions options;
  options.out = &sink;
  try {
    regimen::Interpreter interpreter(options);
    for (const auto& [name, value] : sets) interpreter.set_param(name, value);
    interpreter.load_string(text, "test.lua");
    interpreter.run();
  } catch (const regimen::Error& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("param: returns the default without --set", "[lua]") {
  CHECK(run_with("assert(param('lr', 0.1) == 0.1); assert(param('name', 'x') == 'x')", {}) == "");
}

TEST_CASE("param: --set values take the default's type", "[lua]") {
  CHECK(run_with("assert(param('lr', 0.1) == 0.003)", {{"lr", "3e-3"}}) == "");
  CHECK(run_with("assert(math.type(param('epochs', 10)) == 'integer' and param('epochs', 10) == 4)",
                 {{"epochs", "4"}}) == "");
  CHECK(run_with("assert(param('augment', false) == true)", {{"augment", "true"}}) == "");
  CHECK(run_with("assert(param('name', 'a') == '42')", {{"name", "42"}}) == "");
  CHECK(run_with("assert(param('anything') == 'word')", {{"anything", "word"}}) == "");
}

TEST_CASE("param: a --set of the wrong type is an error", "[lua]") {
  CHECK(run_with("local lr = param('lr', 0.1)", {{"lr", "fast"}}) ==
        "test.lua:1: param 'lr': --set lr=fast is not a number");
  CHECK(run_with("local a = param('augment', false)", {{"augment", "yes"}}) ==
        "test.lua:1: param 'augment': --set augment=yes is not a boolean (true or false)");
}

TEST_CASE("param: a --set the recipe never reads is an error with a suggestion", "[lua]") {
  CHECK(run_with("local lr = param('lr', 0.1)", {{"lrr", "1"}}) ==
        "--set lrr=1: test.lua has no param 'lrr' (did you mean 'lr'?) (it reads lr)");
  CHECK(run_with("local x = 1", {{"lr", "1"}}) == "--set lr=1: test.lua has no param 'lr' (it reads none)");
}
