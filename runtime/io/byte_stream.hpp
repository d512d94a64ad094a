#pragma once
// Little-endian binary encoding of the values a checkpoint holds: fixed-width integers,
// doubles, length-prefixed strings and arrays. The reader trusts nothing it reads: every length
// is checked against the bytes that are left before anything is allocated or copied, and a
// failure is a DataError naming the source and the byte offset.
#include <bit>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace regimen::io {

static_assert(std::endian::native == std::endian::little, "the byte formats assume a little-endian machine");

/// Appends encoded values to a growing buffer.
class ByteWriter {
 public:
  void u8(std::uint8_t value) { put(&value, sizeof value); }
  void u32(std::uint32_t value) { put(&value, sizeof value); }
  void u64(std::uint64_t value) { put(&value, sizeof value); }
  void i64(std::int64_t value) { put(&value, sizeof value); }
  void f64(double value) { put(&value, sizeof value); }
  /// u64 length, then the characters.
  void string(std::string_view text);
  /// u64 length, then the bytes.
  void bytes(std::span<const std::byte> data);
  /// u64 count, then the values.
  void floats(std::span<const float> values);
  void doubles(std::span<const double> values);
  void int64s(std::span<const std::int64_t> values);
  /// The bytes without a length (the caller knows it).
  void raw(std::span<const std::byte> data) { put(data.data(), data.size()); }

  const std::vector<std::byte>& data() const { return bytes_; }
  std::vector<std::byte> take() { return std::move(bytes_); }

 private:
  void put(const void* data, std::size_t size);

  std::vector<std::byte> bytes_;
};

/// Reads what a ByteWriter wrote, in the same order.
class ByteReader {
 public:
  /// `source` names the data in messages ("runs/x/checkpoints/step-0000000040.ckpt, section
  /// 'optimizer'"); `base` is the offset of bytes[0] in that source.
  ByteReader(std::span<const std::byte> bytes, std::string source, std::size_t base = 0);

  std::uint8_t u8();
  std::uint32_t u32();
  std::uint64_t u64();
  std::int64_t i64();
  double f64();
  std::string string();
  std::vector<std::byte> bytes();
  std::vector<float> floats();
  std::vector<double> doubles();
  std::vector<std::int64_t> int64s();
  /// Reads a float array that must have exactly target.size() values, into target.
  void floats_into(std::span<float> target, std::string_view what);
  /// The next `size` bytes, without a length.
  std::span<const std::byte> raw(std::size_t size, std::string_view what);

  std::size_t remaining() const { return bytes_.size() - offset_; }
  /// The offset of the next byte in the source.
  std::size_t offset() const { return base_ + offset_; }
  /// Throws DataError unless every byte was read.
  void finish() const;
  /// Throws DataError: "<source>: <what> at byte <offset>".
  [[noreturn]] void fail(const std::string& what) const;

 private:
  void get(void* data, std::size_t size, std::string_view what);
  /// Reads a u64 count of `element`-byte items and checks that they are all there.
  std::size_t count(std::size_t element, std::string_view what);

  std::span<const std::byte> bytes_;
  std::string source_;
  std::size_t base_;
  std::size_t offset_ = 0;
};

}  // namespace regimen::io
