#pragma once
// The checkpoint container (docs/reliability.md, "Checkpoint contract"): named sections of
// opaque bytes, guarded by a format version and a checksum. Little-endian:
//
//   "RGMNCKPT"                  8 bytes, magic
//   u32 version                 kCheckpointVersion
//   u32 count                   number of sections
//   count times:
//     u32 n, n bytes            the section's name (1..255 bytes)
//     u64 length, length bytes  its contents
//   u32 crc                     zlib's crc32 of every byte before it
//
// What the sections hold is the trainer's business (train/checkpoint.hpp); this file only
// guarantees that what is read is exactly what was written, or a DataError naming the file and
// the byte offset. Files are written durably: temporary file, fsync, rename, fsync of the folder.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <vector>

namespace regimen::io {

inline constexpr std::uint32_t kCheckpointVersion = 1;

/// One named part of a checkpoint.
struct CheckpointSection {
  std::string name;
  std::vector<std::byte> bytes;
};

using CheckpointSections = std::vector<CheckpointSection>;

/// The file's bytes: header, sections, checksum.
std::vector<std::byte> encode_checkpoint(const CheckpointSections& sections);
/// Parses encode_checkpoint's bytes; `source` names them in messages. Throws DataError:
/// "<source>: not a checkpoint (bad magic) at byte 0", "...: format version 7, this build
/// reads 1 at byte 8", "...: truncated: ...", "...: checksum mismatch ...".
CheckpointSections decode_checkpoint(std::span<const std::byte> bytes, const std::string& source);

/// Writes the sections to `path` durably (write_file_durably). `before_rename`, when set, runs
/// between writing the temporary file and renaming it (tests slow the writer down with it).
void write_checkpoint(const std::string& path, const CheckpointSections& sections,
                      const std::function<void()>& before_rename = {});
/// Reads and decodes `path`; DataError naming it when it cannot be read or is damaged.
CheckpointSections read_checkpoint(const std::string& path);

/// The section called `name`; throws DataError naming `source` when it is missing.
const CheckpointSection& find_section(const CheckpointSections& sections, const std::string& name,
                                      const std::string& source);

}  // namespace regimen::io
