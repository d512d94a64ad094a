#pragma once
// All trainable parameters of a model live in one flat, aligned buffer, and their gradients in
// a second buffer of the same layout. Layers keep indices and read views; an optimizer step is
// then one pass over contiguous memory, whatever the number of layers.
#include <cstddef>
#include <memory>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "runtime/tensor.hpp"

namespace regimen {

/// Where one named tensor sits in the arena.
struct ParameterInfo {
  std::string name;        ///< "fc1.weight": layer name, dot, parameter name
  std::string layer_type;  ///< "linear"
  Index rows = 0;
  Index cols = 0;
  std::size_t offset = 0;  ///< in floats, from the arena's start; a multiple of kAlignFloats
  int ndim = 2;            ///< the tensor's rank as the layer sees it (a bias is 1 though stored 1 x n)
  std::size_t size() const { return static_cast<std::size_t>(rows * cols); }
};

/// The flat parameter and gradient buffers of one model.
class ParameterArena {
 public:
  /// Every tensor starts on a 64-byte boundary (one cache line, one AVX-512 register).
  static constexpr std::size_t kAlignFloats = 16;

  /// Reserves a tensor before allocate(); returns its handle. `ndim` is the rank parameter
  /// groups select by (optim/grouped_optimizer.hpp).
  std::size_t declare(std::string name, std::string layer_type, Index rows, Index cols, int ndim = 2);
  /// Allocates both buffers, zero-filled. Declaring after this is an error.
  void allocate();
  bool allocated() const { return allocated_; }

  /// The tensors, in declaration order.
  const std::vector<ParameterInfo>& parameters() const { return infos_; }
  /// Number of trainable scalars (padding excluded).
  std::size_t count() const;

  MatrixMap value(std::size_t handle);
  ConstMatrixMap value(std::size_t handle) const;
  MatrixMap grad(std::size_t handle);

  /// The whole buffers, padding included (padding values and gradients stay zero).
  std::span<float> values() { return {values_.data(), total_}; }
  std::span<const float> values() const { return {values_.data(), total_}; }
  std::span<float> grads() { return {grads_.data(), total_}; }
  std::span<const float> grads() const { return {grads_.data(), total_}; }
  /// Sets every gradient to zero before a backward pass.
  void zero_grads();

  /// Moves the tensors so that those of group 0 come first, then group 1's, and so on (in
  /// declaration order within a group), keeping every value; handles stay valid. `group` has
  /// one entry per tensor. Returns each group's [begin, end) range in floats, padding included
  /// (an empty group has begin == end). Call before anything keeps offsets of its own (an
  /// optimizer's state, a weight average).
  std::vector<std::pair<std::size_t, std::size_t>> group_by(const std::vector<int>& group);

 private:
  struct AlignedFloats {
    float* data() { return ptr.get(); }
    const float* data() const { return ptr.get(); }
    struct Free {
      void operator()(float* p) const;
    };
    std::unique_ptr<float[], Free> ptr;
  };
  static AlignedFloats allocate_zeroed(std::size_t count);

  std::vector<ParameterInfo> infos_;
  std::size_t total_ = 0;
  bool allocated_ = false;
  AlignedFloats values_;
  AlignedFloats grads_;
};

}  // namespace regimen
