#include "runtime/io/byte_stream.hpp"

#include <cstring>

#include "runtime/error.hpp"

namespace regimen::io {

void ByteWriter::put(const void* data, std::size_t size) {
  const auto* first = static_cast<const std::byte*>(data);
  bytes_.insert(bytes_.end(), first, first + size);
}

void ByteWriter::string(std::string_view text) {
  u64(text.size());
  put(text.data(), text.size());
}

void ByteWriter::bytes(std::span<const std::byte> data) {
  u64(data.size());
  put(data.data(), data.size());
}

void ByteWriter::floats(std::span<const float> values) {
  u64(values.size());
  put(values.data(), values.size_bytes());
}

void ByteWriter::doubles(std::span<const double> values) {
  u64(values.size());
  put(values.data(), values.size_bytes());
}

void ByteWriter::int64s(std::span<const std::int64_t> values) {
  u64(values.size());
  put(values.data(), values.size_bytes());
}

ByteReader::ByteReader(std::span<const std::byte> bytes, std::string source, std::size_t base)
    : bytes_(bytes), source_(std::move(source)), base_(base) {}

void ByteReader::fail(const std::string& what) const {
  throw DataError(source_ + ": " + what + " at byte " + std::to_string(offset()));
}

void ByteReader::get(void* data, std::size_t size, std::string_view what) {
  if (size > remaining()) {
    fail("truncated: " + std::string(what) + " needs " + std::to_string(size) + " bytes, " +
         std::to_string(remaining()) + " left");
  }
  if (size > 0) std::memcpy(data, bytes_.data() + offset_, size);
  offset_ += size;
}

std::size_t ByteReader::count(std::size_t element, std::string_view what) {
  const std::uint64_t n = u64();
  if (n > remaining() / element) {
    offset_ -= sizeof n;  // blame the length, not what follows it
    fail("truncated: " + std::string(what) + " of " + std::to_string(n) + " items needs " +
         (n > SIZE_MAX / element ? std::string("more") : std::to_string(n * element)) + " bytes, " +
         std::to_string(remaining() - sizeof n) + " left");
  }
  return static_cast<std::size_t>(n);
}

std::uint8_t ByteReader::u8() {
  std::uint8_t value;
  get(&value, sizeof value, "a u8");
  return value;
}

std::uint32_t ByteReader::u32() {
  std::uint32_t value;
  get(&value, sizeof value, "a u32");
  return value;
}

std::uint64_t ByteReader::u64() {
  std::uint64_t value;
  get(&value, sizeof value, "a u64");
  return value;
}

std::int64_t ByteReader::i64() {
  std::int64_t value;
  get(&value, sizeof value, "an i64");
  return value;
}

double ByteReader::f64() {
  double value;
  get(&value, sizeof value, "an f64");
  return value;
}

std::string ByteReader::string() {
  std::string text(count(1, "a string"), '\0');
  get(text.data(), text.size(), "a string");
  return text;
}

std::vector<std::byte> ByteReader::bytes() {
  std::vector<std::byte> data(count(1, "a byte array"));
  get(data.data(), data.size(), "a byte array");
  return data;
}

std::vector<float> ByteReader::floats() {
  std::vector<float> values(count(sizeof(float), "a float array"));
  get(values.data(), values.size() * sizeof(float), "a float array");
  return values;
}

std::vector<double> ByteReader::doubles() {
  std::vector<double> values(count(sizeof(double), "a double array"));
  get(values.data(), values.size() * sizeof(double), "a double array");
  return values;
}

std::vector<std::int64_t> ByteReader::int64s() {
  std::vector<std::int64_t> values(count(sizeof(std::int64_t), "an integer array"));
  get(values.data(), values.size() * sizeof(std::int64_t), "an integer array");
  return values;
}

void ByteReader::floats_into(std::span<float> target, std::string_view what) {
  const std::size_t start = offset_;
  const std::uint64_t n = u64();
  if (n != target.size()) {
    offset_ = start;
    fail(std::string(what) + ": " + std::to_string(n) + " values, the run has " + std::to_string(target.size()));
  }
  get(target.data(), target.size_bytes(), what);
}

std::span<const std::byte> ByteReader::raw(std::size_t size, std::string_view what) {
  if (size > remaining()) {
    fail("truncated: " + std::string(what) + " needs " + std::to_string(size) + " bytes, " +
         std::to_string(remaining()) + " left");
  }
  const auto piece = bytes_.subspan(offset_, size);
  offset_ += size;
  return piece;
}

void ByteReader::finish() const {
  if (remaining() != 0) fail(std::to_string(remaining()) + " unexpected bytes");
}

}  // namespace regimen::io
