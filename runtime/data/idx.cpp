#include "runtime/data/idx.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>

#include "runtime/error.hpp"

namespace regimen::data {
namespace {

// Large enough that the per-call overhead of zlib vanishes, small enough to stay in L2.
constexpr std::size_t kChunkBytes = std::size_t{1} << 20;
// Deflate cannot compress better than about 1032:1, which bounds a gzip file's contents.
constexpr std::uint64_t kMaxDeflateRatio = 1032;

std::string hex32(std::uint32_t value) {
  char text[16];
  std::snprintf(text, sizeof text, "0x%08x", value);
  return text;
}

std::uint32_t big_endian32(const unsigned char* bytes) {
  return (std::uint32_t{bytes[0]} << 24) | (std::uint32_t{bytes[1]} << 16) |
         (std::uint32_t{bytes[2]} << 8) | std::uint32_t{bytes[3]};
}

/// A file read front to back, decompressed when it starts with the gzip magic bytes.
class ByteStream {
 public:
  explicit ByteStream(const std::string& path) : path_(path) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) fail(std::string("cannot open: ") + std::strerror(errno));
    struct stat info {};
    if (::fstat(fd, &info) != 0 || !S_ISREG(info.st_mode)) {
      ::close(fd);
      fail(S_ISDIR(info.st_mode) ? "cannot open: is a directory"
                                 : "cannot open: not a regular file");
    }
    file_size_ = static_cast<std::uint64_t>(info.st_size);
    unsigned char magic[2] = {0, 0};
    gzip_ = ::pread(fd, magic, 2, 0) == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
    file_ = ::gzdopen(fd, "rb");  // takes the descriptor; reads plain files transparently
    if (file_ == nullptr) {
      ::close(fd);
      fail("cannot open: out of memory");
    }
    ::gzbuffer(file_, 1u << 17);
  }
  ~ByteStream() { ::gzclose(file_); }
  ByteStream(const ByteStream&) = delete;
  ByteStream& operator=(const ByteStream&) = delete;

  /// Reads up to n bytes; fewer only at the end of the data. Throws on corrupt gzip data.
  std::size_t read(void* destination, std::size_t n) {
    auto* out = static_cast<unsigned char*>(destination);
    std::size_t done = 0;
    while (done < n) {
      const auto want = static_cast<unsigned>(std::min<std::size_t>(n - done, kChunkBytes));
      const int got = ::gzread(file_, out + done, want);
      if (got < 0) corrupt();
      done += static_cast<std::size_t>(got);
      if (static_cast<unsigned>(got) < want) break;
    }
    offset_ += done;
    return done;
  }

  /// Reads and discards everything left, returning the offset of the end of the data.
  std::uint64_t skip_to_end() {
    std::vector<unsigned char> sink(kChunkBytes);
    while (read(sink.data(), sink.size()) == sink.size()) {
    }
    return offset_;
  }

  std::uint64_t offset() const { return offset_; }
  /// An upper bound on the bytes this stream can still deliver, without reading them.
  std::uint64_t max_remaining() const {
    const std::uint64_t total = gzip_ ? file_size_ * kMaxDeflateRatio + 1024 : file_size_;
    return total > offset_ ? total - offset_ : 0;
  }
  [[noreturn]] void fail(const std::string& what) const { throw DataError(path_ + ": " + what); }

 private:
  [[noreturn]] void corrupt() const {
    int code = Z_OK;
    const char* message = ::gzerror(file_, &code);
    fail("corrupt gzip data after decompressed byte offset " + std::to_string(::gztell(file_)) +
         ": " + (message ? message : "unknown zlib error"));
  }

  std::string path_;
  gzFile file_ = nullptr;
  bool gzip_ = false;
  std::uint64_t file_size_ = 0;
  std::uint64_t offset_ = 0;
};

const char* kind_of(int rank) {
  if (rank == 3) return "IDX images";
  if (rank == 1) return "IDX labels";
  return "IDX unsigned bytes";
}

const char* body_of(int rank) {
  if (rank == 3) return "pixel data";
  if (rank == 1) return "label data";
  return "element data";
}

std::uint32_t read_u32(ByteStream& in, const std::string& what) {
  unsigned char bytes[4];
  const std::uint64_t at = in.offset();
  if (in.read(bytes, 4) != 4) {
    in.fail("truncated at byte offset " + std::to_string(in.offset()) + ": expected 4 bytes of " +
            what + " at offset " + std::to_string(at));
  }
  return big_endian32(bytes);
}

void check_magic(ByteStream& in, int rank) {
  const std::uint32_t expected = 0x0800u | static_cast<std::uint32_t>(rank);
  const std::uint32_t magic = read_u32(in, "magic number");
  if (magic == expected) return;
  std::string message = "bad magic number " + hex32(magic) + " at offset 0, expected " +
                        hex32(expected) + " (" + kind_of(rank) + ")";
  // The common mistake is swapping the images and the labels file; say so.
  if ((magic & 0xffffff00u) == 0x0800u) {
    message += "; this looks like a rank-" + std::to_string(magic & 0xffu) + " IDX file";
    if (magic == 0x0801u || magic == 0x0803u) {
      message += std::string(" (") + kind_of(static_cast<int>(magic & 0xffu)) + ")";
    }
  }
  in.fail(message);
}

std::vector<std::uint32_t> read_dims(ByteStream& in, int rank) {
  std::vector<std::uint32_t> dims;
  for (int i = 0; i < rank; ++i) {
    dims.push_back(read_u32(in, "the size of dimension " + std::to_string(i)));
  }
  return dims;
}

/// Bytes in the body: the product of the dimensions.
std::uint64_t body_bytes(const ByteStream& in, const std::vector<std::uint32_t>& dims) {
  std::uint64_t total = 1;
  for (const std::uint32_t d : dims) {
    if (__builtin_mul_overflow(total, std::uint64_t{d}, &total)) {
      std::string shape;
      for (const std::uint32_t each : dims)
        shape += (shape.empty() ? "" : " x ") + std::to_string(each);
      in.fail("bad header at byte offset 4: dimensions " + shape + " exceed 2^64 bytes");
    }
  }
  return total;
}

[[noreturn]] void truncated(ByteStream& in, std::uint64_t expected, int rank) {
  in.fail("truncated at byte offset " + std::to_string(in.offset()) + ": expected " +
          std::to_string(expected) + " bytes of " + body_of(rank));
}

/// Converts the body chunk by chunk straight into `values`, so the raw bytes never need a buffer
/// of their own (fresh pages are expensive; a chunk-sized buffer stays in cache).
void read_body(ByteStream& in, ByteMatrix& values, std::uint64_t expected, int rank) {
  std::uint8_t* out = values.data();
  std::uint64_t left = expected;
  while (left > 0) {
    const std::size_t want = static_cast<std::size_t>(std::min<std::uint64_t>(left, kChunkBytes));
    const std::size_t got = in.read(out, want);
    if (got < want) truncated(in, expected, rank);
    out += got;
    left -= got;
  }
}

}  // namespace

IdxArray read_idx_file(const std::string& path, int rank) {
  if (rank < 1 || rank > 255) {
    throw InvalidArgument("read_idx_file: rank must be in [1, 255], got " + std::to_string(rank));
  }
  ByteStream in(path);
  check_magic(in, rank);
  IdxArray array;
  array.dims = read_dims(in, rank);
  const std::uint64_t expected = body_bytes(in, array.dims);
  // A corrupt header can claim terabytes; find where the data really ends instead of allocating.
  if (expected > in.max_remaining()) {
    in.skip_to_end();
    truncated(in, expected, rank);
  }
  array.values.resize(static_cast<Index>(array.dims[0]),
                      array.dims[0] == 0 ? 0 : static_cast<Index>(expected / array.dims[0]));
  read_body(in, array.values, expected, rank);
  unsigned char extra = 0;
  if (in.read(&extra, 1) != 0) {
    in.fail("unexpected trailing data at byte offset " + std::to_string(in.offset() - 1) +
            " after " + std::to_string(expected) + " bytes of " + body_of(rank));
  }
  return array;
}

Dataset read_idx(const std::string& images_path, const std::string& labels_path) {
  IdxArray images = read_idx_file(images_path, 3);
  IdxArray labels = read_idx_file(labels_path, 1);
  if (images.dims[0] != labels.dims[0]) {
    throw DataError("count mismatch: " + images_path + " holds " + std::to_string(images.dims[0]) +
                    " images but " + labels_path + " holds " + std::to_string(labels.dims[0]) +
                    " labels");
  }
  if (images.dims[0] == 0) throw DataError(images_path + ": holds no images");
  auto table = std::make_shared<Table>();
  // Not maxCoeff(): with AVX-512, GCC 12 raises a false -Wmaybe-uninitialized inside Eigen's
  // reduction.
  const std::uint8_t* first = labels.values.data();
  table->classes = static_cast<int>(*std::max_element(first, first + labels.values.size())) + 1;
  table->byte_features = std::move(images.values);
  for (int b = 0; b < 256; ++b) table->byte_values[static_cast<std::size_t>(b)] = static_cast<float>(b) / 255.0f;
  table->targets = labels.values.cast<float>();
  table->source = images_path;
  table->image = {1, static_cast<Index>(images.dims[1]), static_cast<Index>(images.dims[2])};
  return Dataset(std::move(table));
}

}  // namespace regimen::data
