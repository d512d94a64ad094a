#include "runtime/io/safetensors.hpp"

#include <algorithm>
#include <bit>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>
#include <limits>
#include <optional>
#include <set>

#include <nlohmann/json.hpp>

#include "runtime/error.hpp"
#include "runtime/io/atomic_file.hpp"

namespace regimen::io {
namespace {

using Json = nlohmann::json;

constexpr std::uint64_t kMaxHeaderBytes = 100'000'000;  // the reference implementation's limit
constexpr const char* kMetadata = "__metadata__";

void put_u64(std::string& out, std::uint64_t value) {
  for (int i = 0; i < 8; ++i) out.push_back(static_cast<char>((value >> (8 * i)) & 0xFF));
}

std::uint64_t get_u64(std::string_view bytes) {
  std::uint64_t value = 0;
  for (int i = 7; i >= 0; --i) value = (value << 8) | static_cast<unsigned char>(bytes[static_cast<std::size_t>(i)]);
  return value;
}

void put_floats(std::string& out, const std::vector<float>& values) {
  if constexpr (std::endian::native == std::endian::little) {
    out.append(reinterpret_cast<const char*>(values.data()), values.size() * sizeof(float));
  } else {
    for (const float v : values) {
      const auto bits = std::bit_cast<std::uint32_t>(v);
      for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>((bits >> (8 * i)) & 0xFF));
    }
  }
}

std::vector<float> get_floats(std::string_view bytes) {
  std::vector<float> values(bytes.size() / sizeof(float));
  if constexpr (std::endian::native == std::endian::little) {
    if (!values.empty()) std::memcpy(values.data(), bytes.data(), values.size() * sizeof(float));
  } else {
    for (std::size_t i = 0; i < values.size(); ++i) {
      std::uint32_t bits = 0;
      for (int b = 3; b >= 0; --b) bits = (bits << 8) | static_cast<unsigned char>(bytes[4 * i + static_cast<std::size_t>(b)]);
      values[i] = std::bit_cast<float>(bits);
    }
  }
  return values;
}

std::string shape_text(const std::vector<std::int64_t>& shape) {
  std::string text = "[";
  for (std::size_t i = 0; i < shape.size(); ++i) text += (i ? ", " : "") + std::to_string(shape[i]);
  return text + "]";
}

// The bytes a tensor's shape needs as float32; nullopt when that overflows 64 bits.
std::optional<std::uint64_t> byte_count(const std::vector<std::int64_t>& shape) {
  std::uint64_t count = sizeof(float);
  for (const std::int64_t dim : shape) {
    const auto d = static_cast<std::uint64_t>(dim);
    if (d != 0 && count > std::numeric_limits<std::uint64_t>::max() / d) return std::nullopt;
    count *= d;
  }
  return count;
}

// Throws the reader's DataError: "<where>: byte <offset>: <problem>".
struct Failure {
  const std::string& where;
  [[noreturn]] void operator()(std::uint64_t offset, const std::string& problem) const {
    throw DataError(where + ": byte " + std::to_string(offset) + ": " + problem);
  }
};

// One header entry, before the offsets are checked against each other.
struct Entry {
  std::string name;
  std::vector<std::int64_t> shape;
  std::uint64_t begin = 0;
  std::uint64_t end = 0;
};

Entry parse_entry(const std::string& name, const Json& info, const Failure& fail) {
  const std::string tensor = "tensor '" + name + "': ";
  if (!info.is_object()) fail(8, tensor + "expected an object with dtype, shape and data_offsets");
  for (const char* field : {"dtype", "shape", "data_offsets"})
    if (!info.contains(field)) fail(8, tensor + "missing \"" + field + "\"");
  const Json& dtype = info["dtype"];
  if (!dtype.is_string()) fail(8, tensor + "dtype must be a string");
  if (dtype.get<std::string>() != "F32")
    fail(8, tensor + "dtype '" + dtype.get<std::string>() + "' is not supported (only F32)");
  Entry entry{name, {}, 0, 0};
  const Json& shape = info["shape"];
  if (!shape.is_array()) fail(8, tensor + "shape must be an array of non-negative integers");
  for (const Json& dim : shape) {
    if (!dim.is_number_unsigned() || dim.get<std::uint64_t>() > static_cast<std::uint64_t>(INT64_MAX))
      fail(8, tensor + "shape must be an array of non-negative integers");
    entry.shape.push_back(dim.get<std::int64_t>());
  }
  const Json& offsets = info["data_offsets"];
  if (!offsets.is_array() || offsets.size() != 2 || !offsets[0].is_number_unsigned() || !offsets[1].is_number_unsigned())
    fail(8, tensor + "data_offsets must be [begin, end], two non-negative integers");
  entry.begin = offsets[0].get<std::uint64_t>();
  entry.end = offsets[1].get<std::uint64_t>();
  if (entry.end < entry.begin)
    fail(8, tensor + "data_offsets [" + std::to_string(entry.begin) + ", " + std::to_string(entry.end) + "] end before they begin");
  const auto needed = byte_count(entry.shape);
  if (!needed) fail(8, tensor + "shape " + shape_text(entry.shape) + " is too large");
  if (entry.end - entry.begin != *needed)
    fail(8, tensor + "data_offsets [" + std::to_string(entry.begin) + ", " + std::to_string(entry.end) + "] hold " +
                std::to_string(entry.end - entry.begin) + " bytes; shape " + shape_text(entry.shape) + " of F32 needs " +
                std::to_string(*needed));
  return entry;
}

}  // namespace

std::string encode_safetensors(const SafetensorsFile& file) {
  std::vector<const NamedTensor*> order;
  for (const NamedTensor& t : file.tensors) order.push_back(&t);
  std::sort(order.begin(), order.end(), [](const NamedTensor* a, const NamedTensor* b) { return a->name < b->name; });
  Json header = Json::object();
  if (!file.metadata.empty()) header[kMetadata] = file.metadata;
  std::uint64_t offset = 0;
  for (std::size_t i = 0; i < order.size(); ++i) {
    const NamedTensor& t = *order[i];
    if (t.name.empty() || t.name == kMetadata) throw InvalidArgument("safetensors: invalid tensor name '" + t.name + "'");
    if (i > 0 && order[i - 1]->name == t.name) throw InvalidArgument("safetensors: two tensors named '" + t.name + "'");
    for (const std::int64_t dim : t.shape)
      if (dim < 0) throw InvalidArgument("safetensors: tensor '" + t.name + "' has shape " + shape_text(t.shape));
    const auto bytes = byte_count(t.shape);
    if (!bytes || *bytes != t.data.size() * sizeof(float))
      throw InvalidArgument("safetensors: tensor '" + t.name + "' has shape " + shape_text(t.shape) + " but " +
                            std::to_string(t.data.size()) + " values");
    header[t.name] = {{"dtype", "F32"}, {"shape", t.shape}, {"data_offsets", {offset, offset + *bytes}}};
    offset += *bytes;
  }
  std::string json;
  try {
    json = header.dump();
  } catch (const Json::exception&) {
    throw InvalidArgument("safetensors: a tensor name or metadata entry is not valid UTF-8");
  }
  json.append((8 - json.size() % 8) % 8, ' ');
  std::string out;
  out.reserve(8 + json.size() + offset);
  put_u64(out, json.size());
  out += json;
  for (const NamedTensor* t : order) put_floats(out, t->data);
  return out;
}

void write_safetensors(const std::string& path, const SafetensorsFile& file) {
  write_file_atomically(path, encode_safetensors(file));
}

SafetensorsFile decode_safetensors(std::string_view bytes, const std::string& where) {
  const Failure fail{where};
  if (bytes.size() < 8)
    fail(0, "the file has " + std::to_string(bytes.size()) + " bytes; the header length alone takes 8");
  const std::uint64_t length = get_u64(bytes);
  if (length > kMaxHeaderBytes)
    fail(0, "header length " + std::to_string(length) + " exceeds the limit of " + std::to_string(kMaxHeaderBytes) + " bytes");
  if (length > bytes.size() - 8)
    fail(0, "header length " + std::to_string(length) + " runs past the end of the file (" + std::to_string(bytes.size()) +
                " bytes)");
  Json header;
  try {
    header = Json::parse(bytes.substr(8, length));
  } catch (const Json::parse_error& e) {
    fail(8 + (e.byte > 0 ? e.byte - 1 : 0), "the header is not valid JSON");
  }
  if (!header.is_object()) fail(8, "the header is not a JSON object");

  SafetensorsFile file;
  std::vector<Entry> entries;
  for (const auto& [name, info] : header.items()) {
    if (name != kMetadata) {
      entries.push_back(parse_entry(name, info, fail));
      continue;
    }
    if (!info.is_object()) fail(8, "__metadata__ must map names to strings");
    for (const auto& [key, value] : info.items()) {
      if (!value.is_string()) fail(8, "__metadata__ must map names to strings ('" + key + "' does not)");
      file.metadata[key] = value.get<std::string>();
    }
  }

  // The tensors must tile the data exactly, as the reference implementation requires.
  const std::uint64_t data_start = 8 + length;
  const std::uint64_t data_size = bytes.size() - data_start;
  std::vector<const Entry*> by_offset;
  for (const Entry& e : entries) by_offset.push_back(&e);
  std::sort(by_offset.begin(), by_offset.end(),
            [](const Entry* a, const Entry* b) { return a->begin != b->begin ? a->begin < b->begin : a->end < b->end; });
  std::uint64_t covered = 0;
  const Entry* previous = nullptr;
  for (const Entry* e : by_offset) {
    if (e->begin < covered)
      fail(data_start + e->begin, "tensor '" + e->name + "' (data bytes " + std::to_string(e->begin) + " to " +
                                      std::to_string(e->end) + ") overlaps tensor '" + previous->name + "'");
    if (e->begin > covered)
      fail(data_start + covered, "data bytes " + std::to_string(covered) + " to " + std::to_string(e->begin) +
                                     " belong to no tensor");
    if (e->end > data_size)
      fail(data_start + e->begin, "tensor '" + e->name + "' (data bytes " + std::to_string(e->begin) + " to " +
                                      std::to_string(e->end) + ") runs past the end of the file (the data holds " +
                                      std::to_string(data_size) + " bytes)");
    covered = e->end;
    previous = e;
  }
  if (covered != data_size)
    fail(data_start + covered, std::to_string(data_size - covered) + " bytes after the last tensor belong to no tensor");

  for (const Entry& e : entries)  // header.items() iterates in name order
    file.tensors.push_back({e.name, e.shape, get_floats(bytes.substr(data_start + e.begin, e.end - e.begin))});
  return file;
}

SafetensorsFile read_safetensors(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw DataError("cannot read " + path + ": " + std::strerror(errno));
  const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) throw DataError("cannot read " + path + ": " + std::strerror(errno));
  return decode_safetensors(bytes, path);
}

}  // namespace regimen::io
