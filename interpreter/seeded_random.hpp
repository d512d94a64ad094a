#pragma once
// math.random and math.randomseed over the runtime's generator (runtime/random.hpp). Lua 5.4
// seeds its own from the clock and an address, so two runs of one recipe would differ; here the
// stream starts from the run's seed and is the same on every platform.
#include <cstdint>

#include <lua.hpp>

namespace regimen::lua {

/// Replaces math.random / math.randomseed; the stream starts from `seed`.
void install_seeded_random(lua_State* L, std::uint64_t seed);

}  // namespace regimen::lua
