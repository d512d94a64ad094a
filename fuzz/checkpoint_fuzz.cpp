// The checkpoint reader on arbitrary bytes: io::decode_checkpoint, then Trainer::resume of a
// small run (every section's reader). Each must succeed or throw DataError (InvalidArgument
// from a state of other options), never crash, hang or allocate from an unchecked length.
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

#include "fuzz/checkpoint_setup.hpp"
#include "runtime/error.hpp"
#include "runtime/io/checkpoint_file.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::span<const std::byte> bytes(reinterpret_cast<const std::byte*>(data), size);
  regimen::io::CheckpointSections sections;
  try {
    sections = regimen::io::decode_checkpoint(bytes, "fuzz.ckpt");
  } catch (const regimen::DataError&) {
    return 0;
  }
  static regimen::fuzz::CheckpointSetup setup(2);
  try {
    setup.trainer->resume(sections, "fuzz.ckpt");
  } catch (const regimen::DataError&) {
  } catch (const regimen::InvalidArgument&) {
  }
  return 0;
}
