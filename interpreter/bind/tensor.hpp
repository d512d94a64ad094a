#pragma once
// The tensor userdata (bind/tensor.cpp), shared with the bindings that take tensors (opt:step).
#include <lua.hpp>

#include "runtime/dense_tensor.hpp"

namespace regimen::lua {

inline constexpr const char* kTensorType = "regimen.Tensor";

/// A tensor held by Lua: owned by its userdata, collected with it.
using TensorBox = DenseTensor;

}  // namespace regimen::lua
