#include "runtime/byte_size.hpp"

#include <array>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <utility>

namespace regimen {
namespace {

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::optional<double> unit_bytes(std::string_view unit) {
  static const std::array<std::pair<const char*, double>, 8> kUnits{{{"", 1.0},
                                                                     {"b", 1.0},
                                                                     {"kb", 1024.0},
                                                                     {"kib", 1024.0},
                                                                     {"mb", 1048576.0},
                                                                     {"mib", 1048576.0},
                                                                     {"gb", 1073741824.0},
                                                                     {"gib", 1073741824.0}}};
  const std::string name = lower(unit);
  for (const auto& [known, bytes] : kUnits)
    if (name == known) return bytes;
  return std::nullopt;
}

}  // namespace

std::optional<std::uint64_t> parse_byte_size(std::string_view text) {
  double number = 0.0;
  const char* end = text.data() + text.size();
  const auto [rest, error] = std::from_chars(text.data(), end, number);
  if (error != std::errc() || !(number >= 0.0) || !std::isfinite(number)) return std::nullopt;
  std::string_view unit(rest, static_cast<std::size_t>(end - rest));
  while (!unit.empty() && unit.front() == ' ') unit.remove_prefix(1);
  const auto scale = unit_bytes(unit);
  if (!scale) return std::nullopt;
  const double bytes = std::floor(number * *scale);
  if (bytes >= 9.0e18) return std::nullopt;
  return static_cast<std::uint64_t>(bytes);
}

std::string format_byte_size(std::uint64_t bytes) {
  static const std::array<const char*, 4> kNames{"B", "KB", "MB", "GB"};
  double value = static_cast<double>(bytes);
  std::size_t unit = 0;
  while (value >= 1024.0 && unit + 1 < kNames.size()) {
    value /= 1024.0;
    ++unit;
  }
  char text[32];
  std::snprintf(text, sizeof text, unit == 0 ? "%.0f %s" : "%.3g %s", value, kNames[unit]);
  return text;
}

}  // namespace regimen
