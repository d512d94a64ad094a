#pragma once
// The safetensors format (huggingface/safetensors), the one PyTorch's `safetensors.torch`
// loaders read: an 8-byte little-endian header length N, N bytes of JSON
//
//   {"__metadata__": {"k": "v"}, "fc1.weight": {"dtype": "F32", "shape": [4, 3], "data_offsets": [0, 48]}, ...}
//
// (keys sorted, padded with spaces to a multiple of 8 so the data that follows is 8-aligned),
// then the tensors' raw little-endian bytes. data_offsets are [begin, end) within the data, which
// the tensors tile exactly: no overlap, no gap, nothing after the last one (the reference
// implementation rejects a file otherwise). Only F32 tensors are written and read here.
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace regimen::io {

/// One named float32 tensor, row-major (C order, as PyTorch stores it).
struct NamedTensor {
  std::string name;                 ///< "fc1.weight"; unique, not "__metadata__"
  std::vector<std::int64_t> shape;  ///< [] for a scalar
  std::vector<float> data;          ///< product(shape) values
};

/// The content of a safetensors file.
struct SafetensorsFile {
  std::vector<NamedTensor> tensors;             ///< in name order
  std::map<std::string, std::string> metadata;  ///< the header's "__metadata__" (string values only)
};

/// The bytes of a safetensors file holding `file`'s tensors (any order; written in name order)
/// and metadata. Throws InvalidArgument for a duplicate, empty or reserved name, a negative
/// dimension, data whose length is not the shape's product, or a name that is not UTF-8.
std::string encode_safetensors(const SafetensorsFile& file);

/// Writes encode_safetensors(file) to `path` atomically (write_file_atomically): a reader sees
/// the old file or the whole new one. Throws DataError when the file cannot be written.
void write_safetensors(const std::string& path, const SafetensorsFile& file);

/// Parses and validates the bytes of a safetensors file: the header length within the file
/// (and at most 100 MB), a JSON object, every entry an F32 tensor whose shape's product times
/// 4 is its byte count, offsets tiling the data exactly, metadata of strings. Throws DataError
/// "<where>: byte <offset>: <problem>", the offset counted from the file's start.
SafetensorsFile decode_safetensors(std::string_view bytes, const std::string& where);

/// Reads and decodes the file at `path` (DataError naming it when it cannot be read).
SafetensorsFile read_safetensors(const std::string& path);

}  // namespace regimen::io
