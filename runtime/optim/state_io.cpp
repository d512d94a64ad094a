#include "runtime/optim/state_io.hpp"

#include <bit>
#include <cstring>

#include "runtime/error.hpp"

namespace regimen::optim {
namespace {

static_assert(std::endian::native == std::endian::little,
              "the optimizer state format is little-endian; add byte swapping for this host");

constexpr char kMagic[8] = {'R', 'G', 'M', 'N', 'O', 'P', 'T', 'S'};
constexpr std::uint8_t kInteger = 1, kReal = 2, kFloatBuffer = 3, kBytes = 4, kDoubleBuffer = 5;

const char* kind_name(std::uint8_t kind) {
  switch (kind) {
    case kInteger: return "integer";
    case kReal: return "number";
    case kFloatBuffer: return "float32 buffer";
    case kBytes: return "bytes";
    case kDoubleBuffer: return "float64 buffer";
    default: return "unknown kind";
  }
}

[[noreturn]] void corrupt(const std::string& what) { throw DataError("optimizer state: " + what); }

}  // namespace

StateWriter::StateWriter(std::string_view optimizer, std::int64_t steps) {
  put(kMagic, sizeof kMagic);
  put(&kStateVersion, sizeof kStateVersion);
  const auto n = static_cast<std::uint32_t>(optimizer.size());
  put(&n, sizeof n);
  put(optimizer.data(), optimizer.size());
  put(&steps, sizeof steps);
}

void StateWriter::put(const void* data, std::size_t size) {
  if (size == 0) return;
  const std::size_t at = bytes_.size();
  bytes_.resize(at + size);
  std::memcpy(bytes_.data() + at, data, size);
}

void StateWriter::field(std::uint8_t kind, std::string_view name) {
  put(&kind, 1);
  const auto n = static_cast<std::uint32_t>(name.size());
  put(&n, sizeof n);
  put(name.data(), name.size());
}

void StateWriter::operator()(std::string_view name, std::int64_t value) {
  field(kInteger, name);
  put(&value, sizeof value);
}

void StateWriter::operator()(std::string_view name, double value) {
  field(kReal, name);
  put(&value, sizeof value);
}

void StateWriter::operator()(std::string_view name, const Eigen::ArrayXf& buffer, bool) {
  field(kFloatBuffer, name);
  const auto count = static_cast<std::uint64_t>(buffer.size());
  put(&count, sizeof count);
  put(buffer.data(), static_cast<std::size_t>(buffer.size()) * sizeof(float));
}

void StateWriter::operator()(std::string_view name, const Eigen::ArrayXd& buffer, bool) {
  field(kDoubleBuffer, name);
  const auto count = static_cast<std::uint64_t>(buffer.size());
  put(&count, sizeof count);
  put(buffer.data(), static_cast<std::size_t>(buffer.size()) * sizeof(double));
}

void StateWriter::operator()(std::string_view name, std::span<const std::byte> bytes) {
  field(kBytes, name);
  const auto count = static_cast<std::uint64_t>(bytes.size());
  put(&count, sizeof count);
  put(bytes.data(), bytes.size());
}

StateReader::StateReader(std::span<const std::byte> bytes, std::string_view optimizer)
    : bytes_(bytes), optimizer_(optimizer) {
  char magic[sizeof kMagic];
  if (bytes_.size() < sizeof magic || std::memcmp(bytes_.data(), kMagic, sizeof magic) != 0) {
    corrupt("not a Regimen optimizer state (bad magic)");
  }
  offset_ = sizeof magic;
  std::uint32_t version = 0;
  get(&version, sizeof version, "the version");
  if (version != kStateVersion) {
    corrupt("version " + std::to_string(version) + " is not supported (this build reads version " +
            std::to_string(kStateVersion) + ")");
  }
  std::uint32_t n = 0;
  get(&n, sizeof n, "the optimizer's name");
  need(n, "the optimizer's name");
  const std::string saved(reinterpret_cast<const char*>(bytes_.data() + offset_), n);
  offset_ += n;
  if (saved != optimizer) {
    throw InvalidArgument("optimizer state was saved by '" + saved + "', cannot load it into '" +
                          std::string(optimizer) + "'");
  }
  get(&steps_, sizeof steps_, "the step count");
  if (steps_ < 0) corrupt("negative step count " + std::to_string(steps_));
}

void StateReader::need(std::size_t size, std::string_view what) const {
  if (size > bytes_.size() - offset_) {
    corrupt("truncated at byte " + std::to_string(bytes_.size()) + " while reading " + std::string(what) +
            " (" + std::to_string(size) + " bytes needed at offset " + std::to_string(offset_) + ")");
  }
}

void StateReader::get(void* data, std::size_t size, std::string_view what) {
  need(size, what);
  if (size != 0) std::memcpy(data, bytes_.data() + offset_, size);
  offset_ += size;
}

void StateReader::field(std::uint8_t kind, std::string_view name) {
  const std::string what = "field '" + std::string(name) + "'";
  std::uint8_t saved_kind = 0;
  get(&saved_kind, 1, what);
  std::uint32_t n = 0;
  get(&n, sizeof n, what);
  need(n, what);
  const std::string saved(reinterpret_cast<const char*>(bytes_.data() + offset_), n);
  offset_ += n;
  if (saved != name || saved_kind != kind) {
    corrupt("expected field '" + std::string(name) + "' (" + kind_name(kind) + "), found '" + saved + "' (" +
            kind_name(saved_kind) + ")");
  }
}

void StateReader::operator()(std::string_view name, std::int64_t& value) {
  field(kInteger, name);
  get(&value, sizeof value, "field '" + std::string(name) + "'");
}

void StateReader::operator()(std::string_view name, double& value) {
  field(kReal, name);
  get(&value, sizeof value, "field '" + std::string(name) + "'");
}

void StateReader::operator()(std::string_view name, bool& value) {
  std::int64_t v = 0;
  (*this)(name, v);
  if (v != 0 && v != 1) corrupt("field '" + std::string(name) + "' must be 0 or 1, got " + std::to_string(v));
  value = v == 1;
}

void StateReader::operator()(std::string_view name, Eigen::ArrayXf& buffer, bool present) {
  read_buffer(name, buffer, present, kFloatBuffer);
}

void StateReader::operator()(std::string_view name, Eigen::ArrayXd& buffer, bool present) {
  read_buffer(name, buffer, present, kDoubleBuffer);
}

template <typename Array>
void StateReader::read_buffer(std::string_view name, Array& buffer, bool present, std::uint8_t kind) {
  using Scalar = typename Array::Scalar;
  const std::string what = "field '" + std::string(name) + "'";
  field(kind, name);
  std::uint64_t count = 0;
  get(&count, sizeof count, what);
  // Compared in elements: count * sizeof(Scalar) could overflow for a corrupt count.
  if (count > (bytes_.size() - offset_) / sizeof(Scalar)) {
    corrupt("truncated at byte " + std::to_string(bytes_.size()) + " while reading " + what + " (" +
            std::to_string(count) + (kind == kFloatBuffer ? " floats" : " doubles") + " announced at offset " +
            std::to_string(offset_) + ")");
  }
  buffer.resize(static_cast<Eigen::Index>(count));
  get(buffer.data(), count * sizeof(Scalar), what);
  buffers_.push_back({std::string(name), buffer.size(), present});
}

bool StateReader::float64() const {
  // Walks the fields without reading them; a malformed one is left for the real read to report
  // with its name, except that a walk must never step past the end.
  std::size_t at = offset_;
  const auto fits = [&](std::size_t size) { return size <= bytes_.size() - at; };
  while (at < bytes_.size()) {
    std::uint8_t kind = 0;
    std::uint32_t n = 0;
    if (!fits(1 + sizeof n)) return false;
    std::memcpy(&kind, bytes_.data() + at, 1);
    std::memcpy(&n, bytes_.data() + at + 1, sizeof n);
    at += 1 + sizeof n;
    if (!fits(n)) return false;
    at += n;
    if (kind == kDoubleBuffer) return true;
    if (kind == kInteger || kind == kReal) {
      if (!fits(8)) return false;
      at += 8;
      continue;
    }
    std::uint64_t count = 0;
    if (!fits(sizeof count)) return false;
    std::memcpy(&count, bytes_.data() + at, sizeof count);
    at += sizeof count;
    const std::uint64_t width = kind == kFloatBuffer ? sizeof(float) : kind == kBytes ? 1 : 0;
    if (width == 0 || count > (bytes_.size() - at) / width) return false;
    at += static_cast<std::size_t>(count * width);
  }
  return false;
}

void StateReader::operator()(std::string_view name, std::vector<std::byte>& bytes) {
  const std::string what = "field '" + std::string(name) + "'";
  field(kBytes, name);
  std::uint64_t count = 0;
  get(&count, sizeof count, what);
  if (count > bytes_.size() - offset_) {
    corrupt("truncated at byte " + std::to_string(bytes_.size()) + " while reading " + what + " (" +
            std::to_string(count) + " bytes announced at offset " + std::to_string(offset_) + ")");
  }
  bytes.assign(bytes_.begin() + static_cast<std::ptrdiff_t>(offset_),
               bytes_.begin() + static_cast<std::ptrdiff_t>(offset_ + count));
  offset_ += count;
}

void StateReader::finish() {
  if (offset_ != bytes_.size()) {
    const std::size_t extra = bytes_.size() - offset_;
    corrupt(std::to_string(extra) + (extra == 1 ? " unexpected byte" : " unexpected bytes") +
            " after the last field");
  }
  Eigen::Index size = 0;
  for (const Buffer& b : buffers_) {
    if (b.present && b.size > size) size = b.size;
  }
  for (const Buffer& b : buffers_) {
    const Eigen::Index expected = b.present ? size : 0;
    if (b.size != expected) {
      throw InvalidArgument("optimizer state for '" + optimizer_ + "': buffer '" + b.name + "' has " +
                            std::to_string(b.size) + " elements, expected " + std::to_string(expected) +
                            " (was it saved with other options?)");
    }
  }
  finished_ = true;
}

}  // namespace regimen::optim
