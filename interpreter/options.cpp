#include "interpreter/options.hpp"

#include <cmath>

#include "interpreter/lua_error.hpp"
#include "interpreter/suggest.hpp"

namespace regimen::lua {

Options::Options(lua_State* L, int index, const char* function, std::initializer_list<const char*> known,
                 bool may_be_absent, bool positional)
    : L_(L), index_(lua_absindex(L, index)), function_(function) {
  if (may_be_absent && lua_isnoneornil(L, index)) {
    index_ = 0;
    return;
  }
  if (!lua_istable(L, index)) {
    raise(L, std::string(function) + ": expected a table of options, got " + luaL_typename(L, index));
  }
  lua_pushnil(L);
  while (lua_next(L, index_) != 0) {
    lua_pop(L, 1);
    if (lua_type(L, -1) != LUA_TSTRING) {
      if (positional && lua_isinteger(L, -1)) continue;
      lua_pop(L, 1);
      raise(L, std::string(function) + ": options must be named (write {name = value})");
    }
    const std::string key = lua_tostring(L, -1);
    bool found = false;
    for (const char* name : known) found = found || key == name;
    if (!found) {
      lua_pop(L, 1);
      const std::vector<std::string> names(known.begin(), known.end());
      raise(L, std::string(function) + ": unknown option '" + key + "'" + did_you_mean(key, names));
    }
  }
}

int Options::push(const char* key) const {
  if (index_ == 0) {
    lua_pushnil(L_);
    return LUA_TNIL;
  }
  return lua_getfield(L_, index_, key);
}

bool Options::has(const char* key) const {
  const bool present = push(key) != LUA_TNIL;
  lua_pop(L_, 1);
  return present;
}

void Options::type_error(const char* key, const char* expected) const {
  const std::string got = luaL_typename(L_, -1);
  lua_pop(L_, 1);
  raise(L_, std::string(function_) + ": bad option '" + key + "' (" + expected + " expected, got " + got + ")");
}

void Options::missing(const char* key) const {
  raise(L_, std::string(function_) + ": option '" + key + "' is required");
}

std::optional<double> Options::number(const char* key) const {
  const int type = push(key);
  if (type == LUA_TNIL) {
    lua_pop(L_, 1);
    return std::nullopt;
  }
  if (type != LUA_TNUMBER) type_error(key, "number");
  const double value = lua_tonumber(L_, -1);
  lua_pop(L_, 1);
  if (!std::isfinite(value)) raise(L_, std::string(function_) + ": option '" + key + "' must be finite");
  return value;
}

double Options::required_number(const char* key) const {
  auto value = number(key);
  if (!value) missing(key);
  return *value;
}

std::optional<std::int64_t> Options::integer(const char* key) const {
  const int type = push(key);
  if (type == LUA_TNIL) {
    lua_pop(L_, 1);
    return std::nullopt;
  }
  if (type != LUA_TNUMBER) type_error(key, "integer");
  lua_Integer value = 0;
  if (lua_isinteger(L_, -1)) {
    value = lua_tointeger(L_, -1);
  } else {
    const double d = lua_tonumber(L_, -1);
    if (!lua_numbertointeger(std::floor(d), &value) || std::floor(d) != d) type_error(key, "integer");
  }
  lua_pop(L_, 1);
  return value;
}

std::int64_t Options::required_integer(const char* key) const {
  auto value = integer(key);
  if (!value) missing(key);
  return *value;
}

bool Options::boolean(const char* key, bool fallback) const {
  const int type = push(key);
  if (type == LUA_TNIL) {
    lua_pop(L_, 1);
    return fallback;
  }
  if (type != LUA_TBOOLEAN) type_error(key, "boolean");
  const bool value = lua_toboolean(L_, -1);
  lua_pop(L_, 1);
  return value;
}

std::optional<std::string> Options::string(const char* key) const {
  const int type = push(key);
  if (type == LUA_TNIL) {
    lua_pop(L_, 1);
    return std::nullopt;
  }
  if (type != LUA_TSTRING) type_error(key, "string");
  std::string value = lua_tostring(L_, -1);
  lua_pop(L_, 1);
  return value;
}

std::string Options::required_string(const char* key) const {
  auto value = string(key);
  if (!value) missing(key);
  return *value;
}

std::optional<std::vector<double>> Options::numbers(const char* key) const {
  const int type = push(key);
  if (type == LUA_TNIL) {
    lua_pop(L_, 1);
    return std::nullopt;
  }
  if (type != LUA_TTABLE) type_error(key, "list of numbers");
  std::vector<double> values;
  const lua_Integer n = luaL_len(L_, -1);
  for (lua_Integer i = 1; i <= n; ++i) {
    if (lua_geti(L_, -1, i) != LUA_TNUMBER) {
      lua_pop(L_, 2);
      raise(L_, std::string(function_) + ": option '" + key + "' must be a list of numbers");
    }
    values.push_back(lua_tonumber(L_, -1));
    lua_pop(L_, 1);
  }
  lua_pop(L_, 1);
  return values;
}

}  // namespace regimen::lua
