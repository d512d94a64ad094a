#include "runtime/parameter_arena.hpp"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <new>
#include <stdexcept>

namespace regimen {

std::size_t ParameterArena::declare(std::string name, std::string layer_type, Index rows, Index cols) {
  if (allocated_) throw std::logic_error("ParameterArena: declare after allocate");
  ParameterInfo info{std::move(name), std::move(layer_type), rows, cols, total_};
  const std::size_t padded = (info.size() + kAlignFloats - 1) / kAlignFloats * kAlignFloats;
  total_ += padded;
  infos_.push_back(std::move(info));
  return infos_.size() - 1;
}

void ParameterArena::allocate() {
  if (allocated_) throw std::logic_error("ParameterArena: allocated twice");
  values_ = allocate_zeroed(total_);
  grads_ = allocate_zeroed(total_);
  allocated_ = true;
}

std::size_t ParameterArena::count() const {
  std::size_t n = 0;
  for (const auto& info : infos_) n += info.size();
  return n;
}

MatrixMap ParameterArena::value(std::size_t handle) {
  const auto& info = infos_.at(handle);
  return MatrixMap(values_.data() + info.offset, info.rows, info.cols);
}

ConstMatrixMap ParameterArena::value(std::size_t handle) const {
  const auto& info = infos_.at(handle);
  return ConstMatrixMap(values_.data() + info.offset, info.rows, info.cols);
}

MatrixMap ParameterArena::grad(std::size_t handle) {
  const auto& info = infos_.at(handle);
  return MatrixMap(grads_.data() + info.offset, info.rows, info.cols);
}

void ParameterArena::zero_grads() {
  if (total_ > 0) std::memset(grads_.data(), 0, total_ * sizeof(float));
}

void ParameterArena::AlignedFloats::Free::operator()(float* p) const { std::free(p); }

ParameterArena::AlignedFloats ParameterArena::allocate_zeroed(std::size_t count) {
  const std::size_t bytes = std::max<std::size_t>(count, kAlignFloats) * sizeof(float);
  void* p = std::aligned_alloc(64, bytes);
  if (p == nullptr) throw std::bad_alloc();
  std::memset(p, 0, bytes);
  AlignedFloats buffer;
  buffer.ptr.reset(static_cast<float*>(p));
  return buffer;
}

}  // namespace regimen
