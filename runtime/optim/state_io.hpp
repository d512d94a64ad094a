#pragma once
// The byte format of Optimizer::save_state(), version 1. Little-endian, no padding:
//
//   "RGMNOPTS"                8 bytes, magic
//   u32 version               1
//   u32 n, n bytes            the optimizer's DSL name ("adam")
//   i64 steps                 Optimizer::steps()
//   fields, in the order the optimizer visits them, each
//     u8 kind                 1 = i64, 2 = f64, 3 = f32 buffer, 4 = bytes, 5 = f64 buffer
//     u32 n, n bytes          the field's name, as PyTorch's state dict names it ("exp_avg")
//     value                   i64 | f64 | u64 count + count f32 | u64 count + count bytes
//                             | u64 count + count f64
//
// Kind 4 nests whole states: a grouped optimizer saves each group's state as one field.
// Kind 5 holds the state of an optimizer that steps float64 parameters (kernel_optimizer.hpp).
//
// Named, typed fields make a mismatch readable ("expected field 'exp_avg', found
// 'momentum_buffer'") instead of silently misread. Reading never trusts a length: every read
// is bounds-checked against the buffer first.
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <Eigen/Core>

namespace regimen::optim {

inline constexpr std::uint32_t kStateVersion = 1;

/// Builds a state buffer. Visitors call it as f(name, scalar) and f(name, buffer, present).
class StateWriter {
 public:
  StateWriter(std::string_view optimizer, std::int64_t steps);

  void operator()(std::string_view name, std::int64_t value);
  void operator()(std::string_view name, double value);
  void operator()(std::string_view name, bool value) { (*this)(name, std::int64_t{value ? 1 : 0}); }
  /// `present` is unused here; the reader checks it.
  void operator()(std::string_view name, const Eigen::ArrayXf& buffer, bool present);
  void operator()(std::string_view name, const Eigen::ArrayXd& buffer, bool present);
  void operator()(std::string_view name, std::span<const std::byte> bytes);

  std::vector<std::byte> take() { return std::move(bytes_); }

 private:
  void put(const void* data, std::size_t size);
  void field(std::uint8_t kind, std::string_view name);

  std::vector<std::byte> bytes_;
};

/// Parses a state buffer field by field, into the caller's (fresh) state.
class StateReader {
 public:
  /// Checks the magic and version (DataError) and that the state was saved by an optimizer
  /// named `optimizer` (InvalidArgument).
  StateReader(std::span<const std::byte> bytes, std::string_view optimizer);

  std::int64_t steps() const { return steps_; }

  void operator()(std::string_view name, std::int64_t& value);
  void operator()(std::string_view name, double& value);
  void operator()(std::string_view name, bool& value);
  /// `present`: whether this optimizer's options use the buffer at all (amsgrad's vmax,...).
  void operator()(std::string_view name, Eigen::ArrayXf& buffer, bool present);
  void operator()(std::string_view name, Eigen::ArrayXd& buffer, bool present);
  void operator()(std::string_view name, std::vector<std::byte>& bytes);

  /// Whether the fields still to read hold a float64 buffer: the state of an optimizer that
  /// stepped float64 parameters. Reads nothing; a malformed field is left for the read to report.
  bool float64() const;

  /// Throws DataError if bytes are left over, InvalidArgument unless the present buffers all
  /// have one size and the absent ones are empty (a state saved under other options).
  void finish();
  bool finished() const { return finished_; }

 private:
  void need(std::size_t size, std::string_view what) const;
  void get(void* data, std::size_t size, std::string_view what);
  void field(std::uint8_t kind, std::string_view name);
  template <typename Array>
  void read_buffer(std::string_view name, Array& buffer, bool present, std::uint8_t kind);

  std::span<const std::byte> bytes_;
  std::size_t offset_ = 0;
  std::int64_t steps_ = 0;
  std::string optimizer_;
  struct Buffer {
    std::string name;
    Eigen::Index size;
    bool present;
  };
  std::vector<Buffer> buffers_;
  bool finished_ = false;
};

}  // namespace regimen::optim
