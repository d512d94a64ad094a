#pragma once
// Limits on what Lua code may spend: bytes of Lua heap, instructions, wall-clock time. As in
// Redis's scripting engine, a count hook checks them every few thousand instructions and, once
// one is exceeded, fires on every instruction, so no loop (nor a recipe's pcall) outlives it:
// pcall, xpcall and coroutine.resume re-raise a limit error instead of returning it.
//
// The memory limit covers the Lua heap and the tensors Lua code makes. The heap's part is the
// state's allocator: over the limit an allocation fails, which Lua reports as "not enough
// memory"; the interpreter then reports the limit instead.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>

#include <lua.hpp>

namespace regimen::lua {

/// One state's limits and what it has used. Lives as long as the state (it is the allocator's
/// user data, which is how the hook finds it).
struct LuaLimits {
  enum class Exceeded { kNone, kMemory, kInstructions, kTime };

  std::size_t max_bytes = 0;              ///< Lua heap; 0 = unlimited
  std::uint64_t max_instructions = 0;     ///< 0 = unlimited
  double timeout_seconds = 0;             ///< 0 = unlimited; counted from start_clock()
  std::size_t bytes = 0;                  ///< Lua heap in use now
  std::size_t tensor_bytes = 0;           ///< held by tensors Lua created (tensor.from, tensor.zeros)
  std::uint64_t instructions = 0;         ///< executed so far (in steps of the hook's period)
  std::chrono::steady_clock::time_point deadline{};
  Exceeded exceeded = Exceeded::kNone;

  /// Starts the time limit from now.
  void start_clock();
  /// "memory limit of 64 MB exceeded", or "" while none is.
  std::string message() const;
};

/// lua_Alloc over malloc that counts into the LuaLimits `ud` and refuses growth past max_bytes.
void* limited_alloc(void* ud, void* block, std::size_t old_size, std::size_t new_size);

/// Before Lua code makes a tensor of `bytes`: raises the memory limit's error (located,
/// uncatchable like the others) when they do not fit.
void check_tensor_bytes(lua_State* L, std::size_t bytes);
/// Once the tensor exists, counts its bytes; release_tensor_bytes when it is collected.
void count_tensor_bytes(lua_State* L, std::size_t bytes);
void release_tensor_bytes(lua_State* L, std::size_t bytes);

/// Installs the count hook on `L` (threads created later inherit it) and replaces pcall, xpcall
/// and coroutine.resume/wrap with versions that let a limit error through.
void install_limits(lua_State* L);

/// The LuaLimits of a state made with limited_alloc, else nullptr.
LuaLimits* limits_of(lua_State* L);

}  // namespace regimen::lua
