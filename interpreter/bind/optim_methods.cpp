// Imperative use of an optimizer: opt:step(params, grads) updates tensors in place (one tensor
// or a list), opt:save_state() returns the state as a string of bytes and
// opt:load_state(bytes) restores it (runtime/optim/state_io.hpp has the format).
//
// The layout of the steps (runtime/optim/list_stepper.hpp) and its reused buffers live in a
// userdata in the optimizer object's user value, created by the first step and collected with
// the optimizer.
#include <cstdio>
#include <span>
#include <vector>

#include "interpreter/bind/optim_methods.hpp"
#include "interpreter/bind/tensor.hpp"
#include "interpreter/bind/types.hpp"
#include "interpreter/lua_error.hpp"
#include "interpreter/userdata.hpp"
#include "runtime/optim/list_stepper.hpp"

namespace regimen::lua {
namespace {

constexpr const char* kStepperType = "regimen.OptimizerStepper";

struct StepperBox {
  optim::ListStepper stepper;
  std::vector<DenseTensor*> params;  // this step's tensors; reused so that a step does not allocate
  std::vector<const DenseTensor*> grads;
};

// The stepper of the optimizer at index 1, or nullptr before its first step.
StepperBox* existing_stepper(lua_State* L) {
  lua_getiuservalue(L, 1, 1);
  StepperBox* box = test_object<StepperBox>(L, -1, kStepperType);
  lua_pop(L, 1);  // the user value keeps it alive
  return box;
}

StepperBox& stepper_of(lua_State* L) {
  if (StepperBox* box = existing_stepper(L)) return *box;
  define_type<StepperBox>(L, kStepperType, nullptr);
  StepperBox& box = push_object<StepperBox>(L, kStepperType);
  lua_setiuservalue(L, 1, 1);
  return box;
}

// Checks that argument `index` is a tensor or a non-empty list of tensors: 0 for one tensor,
// else the list's length.
lua_Integer check_tensors(lua_State* L, int index, const char* what) {
  char message[200];
  if (test_object<TensorBox>(L, index, kTensorType)) return 0;
  if (lua_type(L, index) != LUA_TTABLE) {
    std::snprintf(message, sizeof message, "optimizer:step: %s must be a tensor or a list of tensors, got %s", what,
                  luaL_typename(L, index));
    raise(L, message);
  }
  const auto n = static_cast<lua_Integer>(lua_rawlen(L, index));
  if (n == 0) {
    std::snprintf(message, sizeof message, "optimizer:step: %s is an empty list", what);
    raise(L, message);
  }
  for (lua_Integer i = 1; i <= n; ++i) {
    lua_rawgeti(L, index, i);
    if (!test_object<TensorBox>(L, -1, kTensorType)) {
      std::snprintf(message, sizeof message, "optimizer:step: %s[%lld] must be a tensor, got %s", what,
                    static_cast<long long>(i), luaL_typename(L, -1));
      raise(L, message);
    }
    lua_pop(L, 1);
  }
  return n;
}

// The tensors checked by check_tensors; raises nothing. The pointers stay valid for the call:
// the arguments hold the tensors.
template <typename Pointer>
void collect(lua_State* L, int index, lua_Integer n, std::vector<Pointer>& out) {
  out.clear();
  if (n == 0) {
    out.push_back(test_object<TensorBox>(L, index, kTensorType));
    return;
  }
  for (lua_Integer i = 1; i <= n; ++i) {
    lua_rawgeti(L, index, i);
    out.push_back(test_object<TensorBox>(L, -1, kTensorType));
    lua_pop(L, 1);
  }
}

int step(lua_State* L) {
  OptimizerBox& optimizer = check_object<OptimizerBox>(L, 1, kOptimizerType);
  const lua_Integer params = check_tensors(L, 2, "params");
  const lua_Integer grads = check_tensors(L, 3, "grads");
  StepperBox& box = stepper_of(L);
  guarded(L, "optimizer:step", [&] {
    collect(L, 2, params, box.params);
    collect(L, 3, grads, box.grads);
    box.stepper.step(*optimizer, box.params, box.grads);
    return 0;
  });
  return 0;
}

int save_state(lua_State* L) {
  const OptimizerBox& optimizer = check_object<OptimizerBox>(L, 1, kOptimizerType);
  std::vector<std::byte> bytes;
  guarded(L, "optimizer:save_state", [&] {
    bytes = optimizer->save_state();
    return 0;
  });
  lua_pushlstring(L, reinterpret_cast<const char*>(bytes.data()), bytes.size());
  return 1;
}

int load_state(lua_State* L) {
  OptimizerBox& optimizer = check_object<OptimizerBox>(L, 1, kOptimizerType);
  if (lua_type(L, 2) != LUA_TSTRING) {
    char message[160];
    std::snprintf(message, sizeof message,
                  "optimizer:load_state: expected the string opt:save_state() returned, got %s", luaL_typename(L, 2));
    raise(L, message);
  }
  std::size_t size = 0;
  const char* text = lua_tolstring(L, 2, &size);
  StepperBox* box = existing_stepper(L);
  guarded(L, "optimizer:load_state", [&] {
    optimizer->load_state(std::as_bytes(std::span<const char>(text, size)));
    // The loaded state was laid out by another run's first step; the next step lays it out again.
    if (box) box->stepper.reset();
    return 0;
  });
  return 0;
}

}  // namespace

bool push_optimizer_method(lua_State* L, std::string_view key) {
  if (key == "step") {
    lua_pushcfunction(L, step);
  } else if (key == "save_state") {
    lua_pushcfunction(L, save_state);
  } else if (key == "load_state") {
    lua_pushcfunction(L, load_state);
  } else {
    return false;
  }
  return true;
}

}  // namespace regimen::lua
