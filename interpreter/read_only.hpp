#pragma once
// Read-only views of the tables a sandboxed recipe shares with the runtime and the stdlib: the
// DSL modules and the standard libraries. A recipe that writes `optim.adam = nil` or
// `string.format = f` would otherwise change what recipe{} and the stdlib modules call. Each
// table is replaced by an empty proxy whose metatable reads through to it, refuses writes
// naming the table, iterates it with pairs(), and hides itself from getmetatable/setmetatable.
#include <lua.hpp>

namespace regimen::lua {

/// Replaces the table held by global `name`, and every table reachable from it through string
/// keys, by read-only proxies. The same table always gets the same proxy.
void make_global_read_only(lua_State* L, const char* name);

/// The same for field `name` of the table at `table` (a require cache entry).
void make_field_read_only(lua_State* L, int table, const char* name);

/// Makes rawset() refuse the proxies (it would write into the proxy, shadowing the table).
void guard_rawset(lua_State* L);

/// Sets __metatable on the shared metatables (strings' and every regimen.* type's), so that
/// getmetatable() returns a string instead of the table and setmetatable() refuses.
void lock_metatables(lua_State* L);

}  // namespace regimen::lua
