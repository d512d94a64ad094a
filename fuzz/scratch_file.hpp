#pragma once
// The readers under test take paths: each input is written to one scratch file per process.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <fstream>
#include <string>

namespace regimen::fuzz {

/// Writes `size` bytes to this process's scratch file (suffix `extension`) and returns its path.
inline std::string scratch_file(const std::uint8_t* data, std::size_t size, const char* extension) {
  const std::string path = "/tmp/regimen-fuzz-" + std::to_string(::getpid()) + extension;
  std::ofstream(path, std::ios::binary | std::ios::trunc).write(reinterpret_cast<const char*>(data),
                                                                 static_cast<std::streamsize>(size));
  return path;
}

}  // namespace regimen::fuzz
