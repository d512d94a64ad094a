// Lua 5.4's contract (manual §6.7): random() is a float in [0, 1); random(m) an integer in
// [1, m]; random(m, n) one in [m, n]; random(0) a whole random integer; randomseed(x) restarts
// the stream. The generator lives in a userdata upvalue shared by both functions.
#include "interpreter/seeded_random.hpp"

#include "interpreter/lua_error.hpp"
#include "interpreter/userdata.hpp"
#include "runtime/random.hpp"

namespace regimen::lua {
namespace {

constexpr const char* kRandomType = "regimen.Random";

Random& generator(lua_State* L) { return *static_cast<Random*>(lua_touserdata(L, lua_upvalueindex(1))); }

int random(lua_State* L) {
  Random& r = generator(L);
  lua_Integer low = 1, high = 0;
  switch (lua_gettop(L)) {
    case 0:
      lua_pushnumber(L, r.uniform());
      return 1;
    case 1:
      high = luaL_checkinteger(L, 1);
      if (high == 0) {
        lua_pushinteger(L, static_cast<lua_Integer>(r.next_u64()));
        return 1;
      }
      break;
    case 2:
      low = luaL_checkinteger(L, 1);
      high = luaL_checkinteger(L, 2);
      break;
    default:
      return luaL_error(L, "wrong number of arguments");
  }
  luaL_argcheck(L, low <= high, lua_gettop(L), "interval is empty");
  // The span as unsigned: high - low may overflow a signed integer (m = minint, n = maxint).
  const std::uint64_t span = static_cast<std::uint64_t>(high) - static_cast<std::uint64_t>(low);
  const std::uint64_t offset = span == UINT64_MAX ? r.next_u64() : r.below(span + 1);
  lua_pushinteger(L, static_cast<lua_Integer>(static_cast<std::uint64_t>(low) + offset));
  return 1;
}

int randomseed(lua_State* L) {
  const auto seed = static_cast<std::uint64_t>(luaL_checkinteger(L, 1));
  generator(L) = Random(seed);
  return 0;
}

}  // namespace

void install_seeded_random(lua_State* L, std::uint64_t seed) {
  define_type<Random>(L, kRandomType, nullptr);
  if (lua_getglobal(L, "math") != LUA_TTABLE) {
    lua_pop(L, 1);
    return;
  }
  push_object<Random>(L, kRandomType, seed);
  const int state = lua_gettop(L);
  lua_pushvalue(L, state);
  lua_pushcclosure(L, random, 1);
  lua_setfield(L, -3, "random");
  lua_pushvalue(L, state);
  lua_pushcclosure(L, randomseed, 1);
  lua_setfield(L, -3, "randomseed");
  lua_pop(L, 2);
}

}  // namespace regimen::lua
