#pragma once
// "Did you mean" for misspelled names: the known name closest to what was typed, or the
// PyTorch name for a Keras-style alias (learning_rate -> lr).
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace regimen::lua {

/// The best suggestion for `typed` among `known`, if one is close enough to help.
std::optional<std::string> suggest(std::string_view typed, std::span<const std::string> known);

/// " (did you mean 'x'?)" or "" — ready to append to a message.
std::string did_you_mean(std::string_view typed, std::span<const std::string> known);

}  // namespace regimen::lua
