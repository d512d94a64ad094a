#include "runtime/train/model_tensors.hpp"

#include <string>

#include "runtime/nn/conv2d.hpp"

namespace regimen::train {
namespace {

std::string layer_of(const std::string& parameter) { return parameter.substr(0, parameter.rfind('.')); }

const nn::Conv2d* find_conv2d(const nn::Model& model, const std::string& layer) {
  for (const nn::NamedLayer& named : model.layers())
    if (named.name == layer) return dynamic_cast<const nn::Conv2d*>(named.layer.get());
  return nullptr;
}

bool is_weight(const std::string& name) { return name.size() > 7 && name.ends_with(".weight"); }

}  // namespace

std::vector<io::NamedTensor> export_tensors(nn::Model& model) {
  std::vector<io::NamedTensor> tensors;
  const ParameterArena& arena = model.arena();
  for (std::size_t handle = 0; handle < arena.parameters().size(); ++handle) {
    const ParameterInfo& info = arena.parameters()[handle];
    const ConstMatrixMap value = arena.value(handle);
    io::NamedTensor tensor{info.name, {}, {}};
    if (info.layer_type == "linear" && is_weight(info.name)) {
      tensor.shape = {info.cols, info.rows};
      const Matrix transposed = value.transpose();  // row-major: the elements in [out, in] order
      tensor.data.assign(transposed.data(), transposed.data() + transposed.size());
    } else {
      tensor.data.assign(value.data(), value.data() + value.size());
      const nn::Conv2d* conv = info.ndim == 4 ? find_conv2d(model, layer_of(info.name)) : nullptr;
      if (conv) {
        tensor.shape = {conv->out_channels(), conv->in_channels(), conv->kernel_size(), conv->kernel_size()};
      } else if (info.ndim == 1) {
        tensor.shape = {info.rows * info.cols};
      } else {
        tensor.shape = {info.rows, info.cols};
      }
    }
    tensors.push_back(std::move(tensor));
  }
  for (const nn::Buffer& buffer : model.buffers()) {
    const Matrix& value = *buffer.value;
    tensors.push_back({buffer.name, {value.rows() == 1 ? value.cols() : value.rows()}, {}});
    if (value.rows() != 1 && value.cols() != 1) tensors.back().shape = {value.rows(), value.cols()};
    tensors.back().data.assign(value.data(), value.data() + value.size());
  }
  return tensors;
}

}  // namespace regimen::train
