#pragma once
// Which tensors a parameter group takes: `match` is a glob over "layer.param" names
// ("*.bias", "fc1.*"; `*` is any run of characters, dots included, `?` one character),
// `layer` a layer type ("linear", "batch_norm"), `ndim` a tensor rank (1 for biases). A tensor
// belongs to a group when it satisfies every criterion the group gives.
#include <string>
#include <string_view>

#include "runtime/parameter_arena.hpp"

namespace regimen::optim {

/// True when `text` matches the glob `pattern` as a whole.
bool glob_match(std::string_view pattern, std::string_view text);

/// The criteria of one parameter group; empty strings and ndim 0 select everything.
struct GroupSelector {
  std::string match;
  std::string layer;
  int ndim = 0;

  bool selects(const ParameterInfo& parameter) const;
  /// As a recipe writes it: `match = "*.bias", ndim = 1`.
  std::string describe() const;
};

}  // namespace regimen::optim
