#pragma once
// A model's weights as named tensors in PyTorch's layouts, for model.safetensors: the names are
// ours ("fc1.weight", "bn1.running_mean"), the shapes and element orders PyTorch's, so that
// `safetensors.torch.load_file` yields tensors an equivalent torch module accepts as they are.
//
//   linear weight   stored in x out (y = x W)     -> [out, in], transposed (nn.Linear: y = x W^T)
//   conv2d weight   stored C_out x (C_in k k)     -> [C_out, C_in, k, k], same element order
//   bias, batch-norm weight/bias/running stats    -> [n]
// (BatchNorm's num_batches_tracked counter is not kept, so torch's load_state_dict needs
// strict=False for a model with batch_norm.)
#include <vector>

#include "runtime/io/safetensors.hpp"
#include "runtime/nn/model.hpp"

namespace regimen::train {

/// Every parameter, then every buffer, of a built model, in PyTorch's layouts.
std::vector<io::NamedTensor> export_tensors(nn::Model& model);

}  // namespace regimen::train
