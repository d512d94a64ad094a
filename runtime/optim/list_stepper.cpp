#include "runtime/optim/list_stepper.hpp"

#include <algorithm>
#include <string>
#include <utility>

#include "runtime/error.hpp"

namespace regimen::optim {
namespace {


// "params[2]", counted from 1 as a Lua list is.
std::string item(const char* list, std::size_t i) { return std::string(list) + "[" + std::to_string(i + 1) + "]"; }

std::string tensors(std::size_t n) { return std::to_string(n) + (n == 1 ? " tensor" : " tensors"); }

}  // namespace

void ListStepper::check(std::span<DenseTensor* const> params, std::span<const DenseTensor* const> grads) const {
  if (params.empty()) throw InvalidArgument("params is an empty list");
  if (grads.size() != params.size()) {
    throw InvalidArgument("params has " + tensors(params.size()) + " but grads has " + tensors(grads.size()));
  }
  const DType dtype = params[0]->dtype();
  for (std::size_t i = 0; i < params.size(); ++i) {
    const auto dtype_check = [&](const DenseTensor& t, const char* list) {
      if (t.dtype() != dtype) {
        throw InvalidArgument(item(list, i) + " is " + to_string(t.dtype()) + " but params[1] is " + to_string(dtype) +
                              " (the tensors of one step share a dtype)");
      }
    };
    dtype_check(*params[i], "params");
    dtype_check(*grads[i], "grads");
    if (!grads[i]->same_shape(*params[i])) {
      throw InvalidArgument(item("grads", i) + " has shape " + grads[i]->shape_text() + " but " + item("params", i) +
                            " has " + params[i]->shape_text());
    }
  }
  if (layout_.empty()) return;
  const std::string why = " (an optimizer's state is laid out by its first step; use another optimizer for other "
                          "parameters)";
  if (params.size() != layout_.size()) {
    throw InvalidArgument("params has " + tensors(params.size()) + " but the first step had " +
                          tensors(layout_.size()) + why);
  }
  for (std::size_t i = 0; i < params.size(); ++i) {
    const Shape& s = layout_[i];
    const DenseTensor& p = *params[i];
    if (p.rank() != s.rank || p.rows() != s.rows || p.cols() != s.cols) {
      throw InvalidArgument(item("params", i) + " has shape " + p.shape_text() + " but had " +
                            shape_text(s.rank, s.rows, s.cols) +
                            " on the first step" + why);
    }
  }
}

template <typename T>
void ListStepper::step_flat(Optimizer& optimizer, std::span<DenseTensor* const> params,
                            std::span<const DenseTensor* const> grads, std::vector<T>& flat_params,
                            std::vector<T>& flat_grads) {
  if (params.size() == 1 && params[0] != grads[0]) {  // already flat: no copies (kernels assume no aliasing)
    optimizer.step(params[0]->data<T>(), grads[0]->data<T>());
    return;
  }
  std::size_t total = 0;
  for (const DenseTensor* p : params) total += static_cast<std::size_t>(p->size());
  flat_params.resize(total);  // reuses the capacity of earlier steps
  flat_grads.resize(total);
  std::size_t at = 0;
  for (std::size_t i = 0; i < params.size(); ++i) {
    const std::span<const T> p = std::as_const(*params[i]).template data<T>();
    const std::span<const T> g = grads[i]->template data<T>();
    std::copy(p.begin(), p.end(), flat_params.begin() + static_cast<std::ptrdiff_t>(at));
    std::copy(g.begin(), g.end(), flat_grads.begin() + static_cast<std::ptrdiff_t>(at));
    at += p.size();
  }
  optimizer.step(std::span<T>(flat_params), std::span<const T>(flat_grads));
  at = 0;
  for (DenseTensor* param : params) {
    const std::span<T> p = param->template data<T>();
    std::copy_n(flat_params.begin() + static_cast<std::ptrdiff_t>(at), p.size(), p.begin());
    at += p.size();
  }
}

void ListStepper::step(Optimizer& optimizer, std::span<DenseTensor* const> params,
                       std::span<const DenseTensor* const> grads) {
  check(params, grads);
  if (params[0]->dtype() == DType::float32) {
    step_flat(optimizer, params, grads, params32_, grads32_);
  } else {
    step_flat(optimizer, params, grads, params64_, grads64_);
  }
  if (layout_.empty()) {
    for (const DenseTensor* p : params) layout_.push_back({p->rank(), p->rows(), p->cols()});
  }
}

}  // namespace regimen::optim
