#include "runtime/optim/parameter_group.hpp"

namespace regimen::optim {

bool glob_match(std::string_view pattern, std::string_view text) {
  // Greedy with one backtrack point: the last `*` seen absorbs one more character whenever the
  // rest fails to match. Linear in practice, and never recursive.
  std::size_t p = 0, t = 0, star = std::string_view::npos, resume = 0;
  while (t < text.size()) {
    if (p < pattern.size() && (pattern[p] == '?' || pattern[p] == text[t])) {
      ++p;
      ++t;
    } else if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      resume = t;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      t = ++resume;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

bool GroupSelector::selects(const ParameterInfo& parameter) const {
  if (!match.empty() && !glob_match(match, parameter.name)) return false;
  if (!layer.empty() && layer != parameter.layer_type) return false;
  return ndim == 0 || ndim == parameter.ndim;
}

std::string GroupSelector::describe() const {
  std::string text;
  const auto add = [&](const std::string& part) { text += (text.empty() ? "" : ", ") + part; };
  if (!match.empty()) add("match = \"" + match + "\"");
  if (!layer.empty()) add("layer = \"" + layer + "\"");
  if (ndim != 0) add("ndim = " + std::to_string(ndim));
  return text;
}

}  // namespace regimen::optim
