#include "runtime/io/checkpoint_file.hpp"

#include <zlib.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <string_view>

#include "runtime/error.hpp"
#include "runtime/io/atomic_file.hpp"
#include "runtime/io/byte_stream.hpp"

namespace regimen::io {
namespace {

constexpr char kMagic[8] = {'R', 'G', 'M', 'N', 'C', 'K', 'P', 'T'};
constexpr std::size_t kMaxName = 255;

std::uint32_t crc_of(std::span<const std::byte> bytes) {
  uLong crc = crc32(0L, Z_NULL, 0);
  // zlib takes uInt lengths: feed large buffers in pieces.
  for (std::size_t done = 0; done < bytes.size();) {
    const std::size_t piece = std::min<std::size_t>(bytes.size() - done, 1u << 30);
    crc = crc32(crc, reinterpret_cast<const Bytef*>(bytes.data() + done), static_cast<uInt>(piece));
    done += piece;
  }
  return static_cast<std::uint32_t>(crc);
}

std::string hex(std::uint32_t value) {
  char text[11];
  std::snprintf(text, sizeof text, "0x%08x", value);
  return text;
}

}  // namespace

std::vector<std::byte> encode_checkpoint(const CheckpointSections& sections) {
  ByteWriter out;
  out.raw(std::as_bytes(std::span(kMagic)));
  out.u32(kCheckpointVersion);
  out.u32(static_cast<std::uint32_t>(sections.size()));
  for (const CheckpointSection& section : sections) {
    if (section.name.empty() || section.name.size() > kMaxName)
      throw std::logic_error("checkpoint section name must have 1..255 bytes: '" + section.name + "'");
    out.u32(static_cast<std::uint32_t>(section.name.size()));
    out.raw(std::as_bytes(std::span(section.name.data(), section.name.size())));
    out.bytes(section.bytes);
  }
  out.u32(crc_of(out.data()));
  return out.take();
}

CheckpointSections decode_checkpoint(std::span<const std::byte> bytes, const std::string& source) {
  ByteReader in(bytes, source);
  if (bytes.size() < sizeof kMagic || std::memcmp(bytes.data(), kMagic, sizeof kMagic) != 0)
    in.fail("not a checkpoint (bad magic)");
  in.raw(sizeof kMagic, "the magic");
  const std::size_t version_at = in.offset();
  const std::uint32_t version = in.u32();
  if (version != kCheckpointVersion) {
    ByteReader(bytes.subspan(version_at), source, version_at)
        .fail("format version " + std::to_string(version) + ", this build reads " + std::to_string(kCheckpointVersion));
  }
  const std::uint32_t count = in.u32();
  // Each section takes at least 13 bytes: a count beyond that is damage, not a reason to reserve.
  if (count > in.remaining() / 13) in.fail("truncated: " + std::to_string(count) + " sections cannot fit");
  CheckpointSections sections;
  sections.reserve(count);
  for (std::uint32_t i = 0; i < count; ++i) {
    const std::uint32_t length = in.u32();
    if (length == 0 || length > kMaxName) in.fail("section name of " + std::to_string(length) + " bytes");
    const auto name = in.raw(length, "a section name");
    CheckpointSection section;
    section.name.assign(reinterpret_cast<const char*>(name.data()), name.size());
    section.bytes = in.bytes();
    sections.push_back(std::move(section));
  }
  const std::size_t body = in.offset();
  const std::uint32_t stored = in.u32();
  in.finish();
  const std::uint32_t computed = crc_of(bytes.first(body));
  if (stored != computed) {
    ByteReader(bytes.subspan(body), source, body)
        .fail("checksum mismatch (stored " + hex(stored) + ", computed " + hex(computed) + ")");
  }
  return sections;
}

void write_checkpoint(const std::string& path, const CheckpointSections& sections,
                      const std::function<void()>& before_rename) {
  const std::vector<std::byte> bytes = encode_checkpoint(sections);
  write_file_durably(path, std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()), before_rename);
}

CheckpointSections read_checkpoint(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw DataError("cannot read " + path);
  std::vector<char> text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) throw DataError("cannot read " + path);
  return decode_checkpoint(std::as_bytes(std::span(text)), path);
}

const CheckpointSection& find_section(const CheckpointSections& sections, const std::string& name,
                                      const std::string& source) {
  for (const CheckpointSection& section : sections)
    if (section.name == name) return section;
  throw DataError(source + ": no section '" + name + "'");
}

}  // namespace regimen::io
