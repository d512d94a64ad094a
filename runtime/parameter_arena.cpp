#include "runtime/parameter_arena.hpp"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <new>
#include <stdexcept>

namespace regimen {

namespace {

std::size_t padded(std::size_t size) {
  return (size + ParameterArena::kAlignFloats - 1) / ParameterArena::kAlignFloats * ParameterArena::kAlignFloats;
}

}  // namespace

std::size_t ParameterArena::declare(std::string name, std::string layer_type, Index rows, Index cols, int ndim) {
  if (allocated_) throw std::logic_error("ParameterArena: declare after allocate");
  ParameterInfo info{std::move(name), std::move(layer_type), rows, cols, total_, ndim};
  total_ += padded(info.size());
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

std::vector<std::pair<std::size_t, std::size_t>> ParameterArena::group_by(const std::vector<int>& group) {
  if (group.size() != infos_.size()) throw std::logic_error("ParameterArena::group_by: one group per tensor");
  const int groups = group.empty() ? 0 : *std::max_element(group.begin(), group.end()) + 1;
  std::vector<std::pair<std::size_t, std::size_t>> ranges(static_cast<std::size_t>(std::max(groups, 0)));
  std::vector<std::size_t> offsets(infos_.size());
  std::size_t at = 0;
  for (int g = 0; g < groups; ++g) {
    ranges[static_cast<std::size_t>(g)].first = at;
    for (std::size_t i = 0; i < infos_.size(); ++i) {
      if (group[i] != g) continue;
      offsets[i] = at;
      at += padded(infos_[i].size());
    }
    ranges[static_cast<std::size_t>(g)].second = at;
  }
  bool moved = false;
  for (std::size_t i = 0; i < infos_.size(); ++i) moved = moved || offsets[i] != infos_[i].offset;
  if (moved && allocated_) {
    // Into a fresh buffer: tensors may swap places. Gradients are scratch; they start at zero.
    AlignedFloats values = allocate_zeroed(total_);
    for (std::size_t i = 0; i < infos_.size(); ++i)
      std::memcpy(values.data() + offsets[i], values_.data() + infos_[i].offset, infos_[i].size() * sizeof(float));
    values_ = std::move(values);
    zero_grads();
  }
  for (std::size_t i = 0; i < infos_.size(); ++i) infos_[i].offset = offsets[i];
  return ranges;
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
