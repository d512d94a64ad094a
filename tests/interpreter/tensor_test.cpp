// tensor.*: constructors, shapes, round trips through plain tables (float32 rounding included),
// element access, and the exact message of every malformed input.
#include <catch2/catch.hpp>

#include "lua_test_support.hpp"

using regimen::testing::error_of;
using regimen::testing::eval;
using regimen::testing::run_lua;

namespace {

// A Lua expression joining the values of a flat list with spaces, each as %.17g.
std::string joined(const std::string& list) {
  return "(function(t) local s = {} for i, v in ipairs(t) do s[i] = string.format('%.17g', v) end "
         "return table.concat(s, ' ') end)(" + list + ")";
}

}  // namespace

TEST_CASE("Tensor: a 1-D table is a vector of shape {n}, a 2-D table a matrix of shape {rows, cols}", "[lua]") {
  CHECK(eval("table.concat(tensor.from{1, 2, 3}:shape(), ',')") == "3");
  CHECK(eval("table.concat(tensor.from{{1, 2, 3}, {4, 5, 6}}:shape(), ',')") == "2,3");
  CHECK(eval("table.concat(tensor.from{{1, 2, 3}}:shape(), ',')") == "1,3");
  CHECK(eval("#tensor.from{1, 2, 3}") == "3");
  CHECK(eval("#tensor.from{{1, 2, 3}, {4, 5, 6}}") == "2");
}

TEST_CASE("Tensor: dtype is float32 by default, float64 on request", "[lua]") {
  CHECK(eval("tensor.from{1}.dtype") == "float32");
  CHECK(eval("tensor.from({1}, 'float32').dtype") == "float32");
  CHECK(eval("tensor.from({1}, 'float64').dtype") == "float64");
  CHECK(eval("tensor.zeros(2, 3, 'float64').dtype") == "float64");
  CHECK(eval("tensor.from(tensor.from{0.1}, 'float64').dtype") == "float64");
}

TEST_CASE("Tensor: totable returns the values, float32 rounded to the nearest float", "[lua]") {
  // 0.1 as a float is 13421773 * 2^-27 = 0.100000001490116119384765625 (IEEE 754 round to nearest).
  CHECK(eval(joined("tensor.from{0.1, -2, 3.5}:totable()")) == "0.10000000149011612 -2 3.5");
  CHECK(eval(joined("tensor.from({0.1, -2, 3.5}, 'float64'):totable()")) == "0.10000000000000001 -2 3.5");
  // 2^24 + 1 is the first integer a float cannot hold; it rounds to even, 2^24.
  CHECK(eval(joined("tensor.from{16777217}:totable()")) == "16777216");
  CHECK(eval(joined("tensor.from{{1, 2}, {3, 4}}:totable()[2]")) == "3 4");
  CHECK(eval(joined("tensor.from{{1, 2}, {3, 4}}:totable()[1]")) == "1 2");
  // A float32 copy of a float64 tensor rounds; a float64 copy of a float32 one is exact.
  CHECK(eval(joined("tensor.from(tensor.from({0.1}, 'float64')):totable()")) == "0.10000000149011612");
}

TEST_CASE("Tensor: zeros makes a vector from one size and a matrix from two", "[lua]") {
  CHECK(eval("table.concat(tensor.zeros(4):shape(), ',')") == "4");
  CHECK(eval("table.concat(tensor.zeros(2, 3):shape(), ',')") == "2,3");
  CHECK(eval(joined("tensor.zeros(2, 3):totable()[2]")) == "0 0 0");
  CHECK(eval("table.concat(tensor.zeros(0, 3):shape(), ',')") == "0,3");
}

TEST_CASE("Tensor: t[i] reads an element of a vector or a copy of a row, and writes them", "[lua]") {
  CHECK(eval("tensor.from{5, 6, 7}[2]") == "6.0");
  CHECK(eval("tensor.from{5, 6, 7}[4]") == "nil");
  CHECK(eval(joined("tensor.from{{1, 2}, {3, 4}}[2]")) == "3 4");
  CHECK(eval("(function() local t = tensor.from{1, 2} t[1] = 0.1 return string.format('%.17g', t[1]) end)()") ==
        "0.10000000149011612");
  CHECK(eval(joined("(function() local t = tensor.zeros(2, 2) t[2] = {7, 8} return t[2] end)()")) == "7 8");
  CHECK(error_of("local t = tensor.from{1, 2}\nt[3] = 1") == "test.lua:2: tensor: index 3 is out of range (1 to 2)");
  CHECK(error_of("local t = tensor.from{1, 2}\nt[1] = 'x'") ==
        "test.lua:2: tensor: element [1] must be a number, got a string");
  CHECK(error_of("local t = tensor.zeros(2, 2)\nt[1] = {1}") ==
        "test.lua:2: tensor: row 1 must be a table of 2 numbers");
  CHECK(error_of("local t = tensor.zeros(2, 2)\nt[1] = {1, true}") ==
        "test.lua:2: tensor: element [1][2] must be a number, got a boolean");
  CHECK(error_of("local t = tensor.zeros(2)\nt.x = 1") == "test.lua:2: tensor: only t[i] can be set (i an integer)");
}

TEST_CASE("Tensor: tostring shows dtype, shape and values, eliding long rows", "[lua]") {
  CHECK(eval("tensor.from{{1, 2.5}, {3, 0.1}}") == "tensor(float32, {2, 2}): {{1, 2.5}, {3, 0.1}}");
  CHECK(eval("tensor.from({1, 0.1}, 'float64')") == "tensor(float64, {2}): {1, 0.1}");
  CHECK(eval("tensor.zeros(1, 10)") == "tensor(float32, {1, 10}): {{0, 0, 0, ..., 0, 0, 0}}");
  CHECK(eval("tensor.zeros(9, 1)") ==
        "tensor(float32, {9, 1}): {{0}, {0}, {0}, ..., {0}, {0}, {0}}");
}

TEST_CASE("Tensor: malformed input is refused with the position of the first bad entry", "[lua]") {
  CHECK(error_of("tensor.from{{1, 2}, {3, 4, 5}}") == "test.lua:1: tensor.from: row 2 has 3 values, row 1 has 2");
  CHECK(error_of("tensor.from{{1, 2, 3}, {4, 5, 'x'}}") == "test.lua:1: tensor.from: element [2][3] is a string");
  CHECK(error_of("tensor.from{1, 2, false}") == "test.lua:1: tensor.from: element [3] is a boolean");
  CHECK(error_of("tensor.from{1, {2}}") == "test.lua:1: tensor.from: element [2] is a table");
  CHECK(error_of("tensor.from{{1}, 2}") == "test.lua:1: tensor.from: row 2 is a number, expected a table like row 1");
  CHECK(error_of("tensor.from{{1}, {}}") == "test.lua:1: tensor.from: row 2 is empty");
  CHECK(error_of("tensor.from{{}}") == "test.lua:1: tensor.from: row 1 is empty");
  CHECK(error_of("tensor.from{{{1}}}") ==
        "test.lua:1: tensor.from: element [1][1] is a table (a tensor has 1 or 2 dimensions)");
  CHECK(error_of("tensor.from{}") == "test.lua:1: tensor.from: empty table (a tensor needs at least one value)");
  CHECK(error_of("tensor.from('1, 2')") ==
        "test.lua:1: tensor.from: expected a table of numbers or of rows, got a string");
  CHECK(error_of("tensor.from({1}, 'float')") ==
        "test.lua:1: tensor.from: unknown dtype 'float' (did you mean 'float32'?)");
  CHECK(error_of("tensor.from({1}, 'int8')") ==
        "test.lua:1: tensor.from: unknown dtype 'int8' (expected \"float32\" or \"float64\")");
  CHECK(error_of("tensor.from({1}, 64)") ==
        "test.lua:1: tensor.from: dtype must be \"float32\" or \"float64\", got a number");
  CHECK(error_of("tensor.zeros(2, -3)") == "test.lua:1: tensor.zeros: sizes must be >= 0, got -3");
  CHECK(error_of("tensor.zeros(-1)") == "test.lua:1: tensor.zeros: sizes must be >= 0, got -1");
  CHECK(error_of("tensor.zeros(2, 3, 'float6')") ==
        "test.lua:1: tensor.zeros: unknown dtype 'float6' (did you mean 'float64'?)");
  CHECK(error_of("tensor.zeros('a')") == "test.lua:1: bad argument #1 to 'zeros' (number expected, got string)");
}

TEST_CASE("Tensor: is a field of require \"regimen\" too", "[lua]") {
  CHECK(run_lua("local r = require 'regimen'\nassert(r.tensor == tensor)").exit_code == 0);
}
