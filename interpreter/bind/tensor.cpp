// tensor.*: values a script holds and steps with opt:step. tensor.from{1, 2, 3} is a vector
// (shape {3}); tensor.from{{1, 2}, {3, 4}} a matrix (shape {2, 2}); dtype "float32" (default)
// or "float64". t:totable() and t:shape() give plain tables back; t[i] reads element i of a
// vector or a copy of row i of a matrix, and t[i] = v writes it.
//
// Reading a table has two passes: the first checks shape and types and raises with nothing
// C++ alive; the second, inside the guard, allocates and fills a tensor already owned by Lua.
#include <cstdarg>
#include <cstdio>
#include <string>

#include "interpreter/bind/tensor.hpp"
#include "interpreter/context.hpp"
#include "interpreter/limits.hpp"
#include "interpreter/lua_error.hpp"
#include "interpreter/suggest.hpp"
#include "interpreter/userdata.hpp"

namespace regimen::lua {
namespace {

[[noreturn]] __attribute__((format(printf, 2, 3))) void fail(lua_State* L, const char* format, ...) {
  char message[512];
  va_list args;
  va_start(args, format);
  std::vsnprintf(message, sizeof message, format, args);
  va_end(args);
  raise(L, message);
}

// "a string", "a table", "nil": how a message names what it found.
const char* a_type(int type) {
  switch (type) {
    case LUA_TNIL: return "nil";
    case LUA_TBOOLEAN: return "a boolean";
    case LUA_TNUMBER: return "a number";
    case LUA_TSTRING: return "a string";
    case LUA_TTABLE: return "a table";
    case LUA_TFUNCTION: return "a function";
    case LUA_TTHREAD: return "a coroutine";
    default: return "a userdata";
  }
}

// The dtype argument at `index`: float32 when absent.
DType check_dtype(lua_State* L, int index, const char* function) {
  if (lua_isnoneornil(L, index)) return DType::float32;
  if (lua_type(L, index) != LUA_TSTRING) {
    fail(L, "%s: dtype must be \"float32\" or \"float64\", got %s", function, a_type(lua_type(L, index)));
  }
  const char* text = lua_tostring(L, index);
  DType dtype = DType::float32;
  if (parse_dtype(text, dtype)) return dtype;
  char message[256];
  {
    static const std::string kKnown[] = {"float32", "float64"};
    const std::string hint = did_you_mean(text, kKnown);
    std::snprintf(message, sizeof message, "%s: unknown dtype '%.60s'%s", function, text,
                  hint.empty() ? " (expected \"float32\" or \"float64\")" : hint.c_str());
  }
  raise(L, message);
}

struct Shape {
  int rank;
  lua_Integer rows, cols;
};

// Pass one over the nested table at `index`: its shape, or an error naming the first bad entry.
Shape check_nested(lua_State* L, int index) {
  const auto n = static_cast<lua_Integer>(lua_rawlen(L, index));
  if (n == 0) fail(L, "tensor.from: empty table (a tensor needs at least one value)");
  const bool matrix = lua_rawgeti(L, index, 1) == LUA_TTABLE;
  lua_pop(L, 1);
  if (!matrix) {
    for (lua_Integer i = 1; i <= n; ++i) {
      const int type = lua_rawgeti(L, index, i);
      lua_pop(L, 1);
      if (type != LUA_TNUMBER) fail(L, "tensor.from: element [%lld] is %s", static_cast<long long>(i), a_type(type));
    }
    return {1, 1, n};
  }
  lua_Integer cols = 0;
  for (lua_Integer r = 1; r <= n; ++r) {
    const int type = lua_rawgeti(L, index, r);
    if (type != LUA_TTABLE) {
      fail(L, "tensor.from: row %lld is %s, expected a table like row 1", static_cast<long long>(r), a_type(type));
    }
    const auto len = static_cast<lua_Integer>(lua_rawlen(L, -1));
    if (len == 0) fail(L, "tensor.from: row %lld is empty", static_cast<long long>(r));
    if (r == 1) cols = len;
    if (len != cols) {
      fail(L, "tensor.from: row %lld has %lld values, row 1 has %lld", static_cast<long long>(r),
           static_cast<long long>(len), static_cast<long long>(cols));
    }
    for (lua_Integer c = 1; c <= cols; ++c) {
      const int element = lua_rawgeti(L, -1, c);
      lua_pop(L, 1);
      if (element == LUA_TTABLE) {
        fail(L, "tensor.from: element [%lld][%lld] is a table (a tensor has 1 or 2 dimensions)",
             static_cast<long long>(r), static_cast<long long>(c));
      }
      if (element != LUA_TNUMBER) {
        fail(L, "tensor.from: element [%lld][%lld] is %s", static_cast<long long>(r), static_cast<long long>(c),
             a_type(element));
      }
    }
    lua_pop(L, 1);
  }
  return {2, n, cols};
}

// Pass two: fills `t` (already shaped) from the checked table at `index`.
void fill(lua_State* L, int index, const Shape& shape, DenseTensor& t) {
  Eigen::Index i = 0;
  if (shape.rank == 1) {
    for (lua_Integer c = 1; c <= shape.cols; ++c, lua_pop(L, 1)) {
      lua_rawgeti(L, index, c);
      t.set(i++, lua_tonumber(L, -1));
    }
    return;
  }
  for (lua_Integer r = 1; r <= shape.rows; ++r, lua_pop(L, 1)) {
    lua_rawgeti(L, index, r);
    for (lua_Integer c = 1; c <= shape.cols; ++c, lua_pop(L, 1)) {
      lua_rawgeti(L, -1, c);
      t.set(i++, lua_tonumber(L, -1));
    }
  }
}

std::size_t bytes_of(Eigen::Index elements, DType dtype) {
  return static_cast<std::size_t>(elements) * (dtype == DType::float32 ? sizeof(float) : sizeof(double));
}
std::size_t bytes_of(const DenseTensor& t) { return bytes_of(t.size(), t.dtype()); }

int collect(lua_State* L) {
  if (const auto* t = static_cast<const TensorBox*>(lua_touserdata(L, 1)); t != nullptr && lua_getmetatable(L, 1)) {
    lua_pop(L, 1);
    release_tensor_bytes(L, bytes_of(*t));
  }
  return destroy<TensorBox>(L);
}

DenseTensor shaped(int rank, Eigen::Index rows, Eigen::Index cols, DType dtype) {
  return rank == 1 ? DenseTensor::vector(cols, dtype) : DenseTensor::matrix(rows, cols, dtype);
}

// tensor.from(nested_table_or_tensor[, dtype])
int from(lua_State* L) {
  const DType dtype = check_dtype(L, 2, "tensor.from");
  if (const TensorBox* source = test_object<TensorBox>(L, 1, kTensorType)) {
    check_tensor_bytes(L, bytes_of(source->size(), dtype));
    TensorBox& copy = push_object<TensorBox>(L, kTensorType, DenseTensor::vector(0, dtype));
    guarded(L, "tensor.from", [&] {
      copy = shaped(source->rank(), source->rows(), source->cols(), dtype);
      for (Eigen::Index i = 0; i < source->size(); ++i) copy.set(i, source->get(i));
      return 0;
    });
    count_tensor_bytes(L, bytes_of(copy));
    return 1;
  }
  if (lua_type(L, 1) != LUA_TTABLE) {
    fail(L, "tensor.from: expected a table of numbers or of rows, got %s", a_type(lua_type(L, 1)));
  }
  const Shape shape = check_nested(L, 1);
  check_tensor_bytes(L, bytes_of(shape.rows * shape.cols, dtype));
  TensorBox& t = push_object<TensorBox>(L, kTensorType, DenseTensor::vector(0, dtype));
  guarded(L, "tensor.from", [&] {
    t = shaped(shape.rank, shape.rows, shape.cols, dtype);
    fill(L, 1, shape, t);
    return 0;
  });
  count_tensor_bytes(L, bytes_of(t));
  return 1;
}

// tensor.zeros(n[, dtype]) is a vector; tensor.zeros(rows, cols[, dtype]) a matrix.
int zeros(lua_State* L) {
  const lua_Integer first = luaL_checkinteger(L, 1);
  const bool matrix = lua_type(L, 2) == LUA_TNUMBER;
  const lua_Integer second = matrix ? luaL_checkinteger(L, 2) : 0;
  const DType dtype = check_dtype(L, matrix ? 3 : 2, "tensor.zeros");
  if (first < 0 || second < 0) {
    fail(L, "tensor.zeros: sizes must be >= 0, got %lld", static_cast<long long>(first < 0 ? first : second));
  }
  // Counted before the allocation: a tensor larger than the memory left never gets made.
  const double elements = static_cast<double>(first) * static_cast<double>(matrix ? second : 1);
  check_tensor_bytes(L, elements * static_cast<double>(bytes_of(1, dtype)) > 1e18
                              ? static_cast<std::size_t>(1e18)
                              : bytes_of(static_cast<Eigen::Index>(elements), dtype));
  TensorBox& t = push_object<TensorBox>(L, kTensorType, DenseTensor::vector(0, dtype));
  guarded(L, "tensor.zeros", [&] {
    t = matrix ? DenseTensor::matrix(first, second, dtype) : DenseTensor::vector(first, dtype);
    return 0;
  });
  count_tensor_bytes(L, bytes_of(t));
  return 1;
}

// Pushes row r (0-based) of `t` as a list of numbers.
void push_row(lua_State* L, const DenseTensor& t, Eigen::Index r) {
  lua_createtable(L, static_cast<int>(t.cols()), 0);
  for (Eigen::Index c = 0; c < t.cols(); ++c) {
    lua_pushnumber(L, t.get(r * t.cols() + c));
    lua_rawseti(L, -2, c + 1);
  }
}

int totable(lua_State* L) {
  const TensorBox& t = check_object<TensorBox>(L, 1, kTensorType);
  if (t.rank() == 1) {
    push_row(L, t, 0);
    return 1;
  }
  lua_createtable(L, static_cast<int>(t.rows()), 0);
  for (Eigen::Index r = 0; r < t.rows(); ++r) {
    push_row(L, t, r);
    lua_rawseti(L, -2, r + 1);
  }
  return 1;
}

int shape(lua_State* L) {
  const TensorBox& t = check_object<TensorBox>(L, 1, kTensorType);
  lua_createtable(L, t.rank(), 0);
  if (t.rank() == 2) {
    lua_pushinteger(L, t.rows());
    lua_rawseti(L, -2, 1);
  }
  lua_pushinteger(L, t.cols());
  lua_rawseti(L, -2, t.rank());
  return 1;
}

// The number of elements of a vector, of rows of a matrix: what t[i] ranges over.
Eigen::Index length(const DenseTensor& t) { return t.rank() == 1 ? t.cols() : t.rows(); }

int index(lua_State* L) {
  const TensorBox& t = check_object<TensorBox>(L, 1, kTensorType);
  if (lua_isinteger(L, 2)) {
    const lua_Integer i = lua_tointeger(L, 2);
    if (i < 1 || i > length(t)) {
      lua_pushnil(L);
    } else if (t.rank() == 1) {
      lua_pushnumber(L, t.get(i - 1));
    } else {
      push_row(L, t, i - 1);
    }
    return 1;
  }
  const char* key = lua_type(L, 2) == LUA_TSTRING ? lua_tostring(L, 2) : "";
  const std::string_view name = key;
  if (name == "totable") {
    lua_pushcfunction(L, totable);
  } else if (name == "shape") {
    lua_pushcfunction(L, shape);
  } else if (name == "dtype") {
    lua_pushstring(L, to_string(t.dtype()));
  } else {
    lua_pushnil(L);
  }
  return 1;
}

// t[i] = number (vector) or t[i] = {numbers} (matrix row); float32 rounds.
int new_index(lua_State* L) {
  TensorBox& t = check_object<TensorBox>(L, 1, kTensorType);
  if (!lua_isinteger(L, 2)) fail(L, "tensor: only t[i] can be set (i an integer)");
  const lua_Integer i = lua_tointeger(L, 2);
  const auto n = static_cast<lua_Integer>(length(t));
  if (i < 1 || i > n) {
    fail(L, "tensor: index %lld is out of range (1 to %lld)", static_cast<long long>(i), static_cast<long long>(n));
  }
  if (t.rank() == 1) {
    if (lua_type(L, 3) != LUA_TNUMBER) {
      fail(L, "tensor: element [%lld] must be a number, got %s", static_cast<long long>(i), a_type(lua_type(L, 3)));
    }
    t.set(i - 1, lua_tonumber(L, 3));
    return 0;
  }
  const auto cols = static_cast<lua_Integer>(t.cols());
  if (lua_type(L, 3) != LUA_TTABLE || static_cast<lua_Integer>(lua_rawlen(L, 3)) != cols) {
    fail(L, "tensor: row %lld must be a table of %lld numbers", static_cast<long long>(i),
         static_cast<long long>(cols));
  }
  for (lua_Integer c = 1; c <= cols; ++c) {
    const int type = lua_rawgeti(L, 3, c);
    lua_pop(L, 1);
    if (type != LUA_TNUMBER) {
      fail(L, "tensor: element [%lld][%lld] must be a number, got %s", static_cast<long long>(i),
           static_cast<long long>(c), a_type(type));
    }
  }
  for (lua_Integer c = 1; c <= cols; ++c, lua_pop(L, 1)) {
    lua_rawgeti(L, 3, c);
    t.set((i - 1) * cols + c - 1, lua_tonumber(L, -1));
  }
  return 0;
}

int len(lua_State* L) {
  lua_pushinteger(L, length(check_object<TensorBox>(L, 1, kTensorType)));
  return 1;
}

int to_string(lua_State* L) {
  const TensorBox& t = check_object<TensorBox>(L, 1, kTensorType);
  char text[4096];
  guarded(L, "tostring", [&] {
    std::snprintf(text, sizeof text, "%s", t.describe().c_str());
    return 0;
  });
  lua_pushstring(L, text);
  return 1;
}

const luaL_Reg kFunctions[] = {{"from", from}, {"zeros", zeros}, {nullptr, nullptr}};
const luaL_Reg kMeta[] = {{"__index", index},
                          {"__newindex", new_index},
                          {"__len", len},
                          {"__tostring", to_string},
                          {nullptr, nullptr}};

}  // namespace

int open_tensor(lua_State* L, Context& context) {
  define_type<TensorBox>(L, kTensorType, nullptr, kMeta);
  luaL_getmetatable(L, kTensorType);  // __gc also gives the bytes back to the memory limit
  lua_pushcfunction(L, collect);
  lua_setfield(L, -2, "__gc");
  lua_pop(L, 1);
  luaL_newlibtable(L, kFunctions);
  set_functions(L, context, kFunctions);
  return 1;
}

}  // namespace regimen::lua
