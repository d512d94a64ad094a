#pragma once
// Whose numerics an update rule reproduces. PyTorch and Keras disagree silently on three
// things: whether lr sits inside SGD's momentum buffer, whether RMSprop's eps goes inside the
// square root, and whether Adam's eps is added before or after bias correction. PyTorch's is
// the default; docs/optimizers.md lists each difference.
#include <string>
#include <string_view>

#include "runtime/error.hpp"

namespace regimen::optim {

enum class Convention {
  pytorch,  ///< torch.optim 1.13
  keras,    ///< keras.optimizers (Keras 3): decoupled weight_decay, Keras' own update forms
};

/// "pytorch" or "keras".
inline const char* to_string(Convention convention) {
  return convention == Convention::keras ? "keras" : "pytorch";
}

/// Parses a recipe's `convention = "..."`; throws InvalidArgument for anything else.
inline Convention parse_convention(std::string_view text) {
  if (text == "pytorch") return Convention::pytorch;
  if (text == "keras") return Convention::keras;
  throw InvalidArgument("convention must be \"pytorch\" or \"keras\", got \"" + std::string(text) + "\"");
}

}  // namespace regimen::optim
