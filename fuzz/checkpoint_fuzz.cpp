// The checkpoint reader on arbitrary bytes: io::decode_checkpoint, then Trainer::resume of a
// small run (every section's reader). Each must succeed or throw DataError (InvalidArgument
// from a state of other options), never crash, hang or allocate from an unchecked length.
// Each input is tried twice: as it is, and with its last 4 bytes replaced by the right CRC-32,
// so that mutations reach the section readers instead of stopping at the checksum.
#include <zlib.h>

#include <cstddef>
#include <cstring>
#include <vector>
#include <cstdint>
#include <span>
#include <string>

#include "fuzz/checkpoint_setup.hpp"
#include "runtime/error.hpp"
#include "runtime/io/checkpoint_file.hpp"

namespace {

void resume(std::span<const std::byte> bytes) {
  regimen::io::CheckpointSections sections;
  try {
    sections = regimen::io::decode_checkpoint(bytes, "fuzz.ckpt");
  } catch (const regimen::DataError&) {
    return;
  }
  static regimen::fuzz::CheckpointSetup setup(2);
  try {
    setup.trainer->resume(sections, "fuzz.ckpt");
  } catch (const regimen::DataError&) {
  } catch (const regimen::InvalidArgument&) {
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  resume(std::span<const std::byte>(reinterpret_cast<const std::byte*>(data), size));
  if (size >= 4) {
    std::vector<std::uint8_t> fixed(data, data + size);
    const std::uint32_t crc = static_cast<std::uint32_t>(crc32(crc32(0L, Z_NULL, 0), fixed.data(), static_cast<uInt>(size - 4)));
    std::memcpy(fixed.data() + size - 4, &crc, 4);
    resume(std::span<const std::byte>(reinterpret_cast<const std::byte*>(fixed.data()), size));
  }
  return 0;
}
