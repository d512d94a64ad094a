// param(name, default): a recipe's tunable value, overridden by `--set name=value`.
#include <charconv>
#include <string>

#include "interpreter/context.hpp"
#include "interpreter/lua_error.hpp"

namespace regimen::lua {
namespace {

bool parse_number(const std::string& text, double& value) {
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, value);
  return ec == std::errc() && ptr == end && !text.empty();
}

// Pushes the --set text converted to the type of the default (or inferred when there is none).
void push_override(lua_State* L, const std::string& name, const std::string& text, int default_type) {
  double number = 0;
  const bool is_number = parse_number(text, number);
  const bool is_boolean = text == "true" || text == "false";
  if (default_type == LUA_TNUMBER && !is_number)
    raise(L, "param '" + name + "': --set " + name + "=" + text + " is not a number");
  if (default_type == LUA_TBOOLEAN && !is_boolean)
    raise(L, "param '" + name + "': --set " + name + "=" + text + " is not a boolean (true or false)");
  if (default_type == LUA_TSTRING) {
    lua_pushlstring(L, text.data(), text.size());
  } else if (is_boolean) {
    lua_pushboolean(L, text == "true");
  } else if (is_number) {
    lua_Integer integer = 0;
    if (lua_numbertointeger(number, &integer) && static_cast<double>(integer) == number &&
        text.find_first_of(".eE") == std::string::npos) {
      lua_pushinteger(L, integer);
    } else {
      lua_pushnumber(L, number);
    }
  } else {
    lua_pushlstring(L, text.data(), text.size());
  }
}

int param(lua_State* L) {
  const std::string name = luaL_checkstring(L, 1);
  Context& context = context_of(L);
  context.params_read.insert(name);
  const auto found = context.params.find(name);
  if (found == context.params.end()) {
    lua_settop(L, 2);
    return 1;
  }
  push_override(L, name, found->second, lua_type(L, 2));
  return 1;
}

}  // namespace

int open_param(lua_State* L, Context& context) {
  lua_pushlightuserdata(L, &context);
  lua_pushcclosure(L, param, 1);
  return 1;
}

}  // namespace regimen::lua
