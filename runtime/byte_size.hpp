#pragma once
// Memory sizes as people write them: "256MB", "1.5 GB", "512KiB", "4096". Units are binary
// (1 KB = 1024 bytes), as memory is sized; KiB, MiB, GiB are accepted as the same units.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace regimen {

/// The byte count `text` names (a non-negative number, optional spaces, an optional unit B, KB,
/// MB, GB, KiB, MiB, GiB in any case), or nullopt when it names none or is out of range.
std::optional<std::uint64_t> parse_byte_size(std::string_view text);

/// "256 MB", "1.5 GB", "512 KB", "100 B": the largest unit that keeps the number at least 1.
std::string format_byte_size(std::uint64_t bytes);

}  // namespace regimen
