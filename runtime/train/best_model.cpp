#include "runtime/train/best_model.hpp"

#include <algorithm>
#include <string>

namespace regimen::train {

void BestModel::capture(nn::Model& model) {
  const auto weights = model.arena().values();
  weights_.assign(weights.begin(), weights.end());
  model.read_buffers(buffers_);
}

void BestModel::restore(nn::Model& model) const {
  if (empty()) return;
  std::copy(weights_.begin(), weights_.end(), model.arena().values().begin());
  model.write_buffers(buffers_);
}

void BestModel::save(io::ByteWriter& out) const {
  out.floats(weights_);
  out.floats(buffers_);
}

void BestModel::load(io::ByteReader& in, nn::Model& model) {
  std::vector<float> weights = in.floats();
  if (!weights.empty() && weights.size() != model.arena().values().size())
    in.fail("early_stop: best weights have " + std::to_string(weights.size()) + " values, the model has " +
            std::to_string(model.arena().values().size()));
  std::vector<float> buffers = in.floats(), current;
  model.read_buffers(current);
  if (!weights.empty() && buffers.size() != current.size())
    in.fail("early_stop: best buffers have " + std::to_string(buffers.size()) + " values, the model has " +
            std::to_string(current.size()));
  weights_ = std::move(weights);
  buffers_ = std::move(buffers);
}

}  // namespace regimen::train
