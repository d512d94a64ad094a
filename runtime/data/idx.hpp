#pragma once
// IDX files, the format of MNIST and Fashion-MNIST (http://yann.lecun.com/exdb/mnist/): a
// big-endian magic number 0x0000TTRR (TT = element type, RR = rank), RR big-endian uint32
// dimension sizes, then the elements in row-major order. Only unsigned bytes (TT = 0x08) occur
// in practice, so only they are read. Files may be gzip-compressed; that is told from their
// first two bytes (1f 8b), never from their name, and byte offsets in messages then count
// decompressed bytes.
#include <cstdint>
#include <string>
#include <vector>

#include "runtime/data/dataset.hpp"
#include "runtime/tensor.hpp"

namespace regimen::data {

/// One IDX array of unsigned bytes.
struct IdxArray {
  std::vector<std::uint32_t> dims;  ///< dims[0] items, each of dims[1] x dims[2] x ... bytes
  ByteMatrix values;  ///< dims[0] rows; the product of the other dims (1 for rank 1) columns
};

/// Reads an IDX file of unsigned bytes with `rank` dimensions, plain or gzip. Throws DataError
/// naming the file and the byte offset: missing file, bad magic number, truncated header or
/// body, trailing data.
IdxArray read_idx_file(const std::string& path, int rank);

/// Reads an IDX image file (magic 0x00000803, N x rows x cols) and its label file (magic
/// 0x00000801, N) into a classification dataset: N rows of rows*cols features scaled to [0, 1]
/// (kept as bytes, byte b standing for b / 255.0f), one target column of class indices,
/// classes = largest label + 1.
Dataset read_idx(const std::string& images_path, const std::string& labels_path);

}  // namespace regimen::data
