#include "runtime/train/auto_batch_size.hpp"

#include <algorithm>

#include "runtime/byte_size.hpp"
#include "runtime/error.hpp"

namespace regimen::train {

std::string AutoBatchSize::describe() const {
  return std::to_string(batch_size) + " (memory_budget " + format_byte_size(budget) + ": " +
         format_byte_size(bytes_per_sample) + " per sample, " + format_byte_size(fixed_bytes) + " for the parameters)";
}

AutoBatchSize pick_batch_size(const nn::Model& model, Index target_columns, Index train_rows, std::size_t budget) {
  if (!model.built()) throw InvalidArgument("batch_size \"auto\": the model must be built first");
  AutoBatchSize pick;
  pick.budget = budget;
  const auto input = static_cast<std::size_t>(model.input_shape().features());
  const auto output = static_cast<std::size_t>(model.output_features());
  pick.bytes_per_sample = model.bytes_per_sample() + sizeof(float) * (input + static_cast<std::size_t>(target_columns) + output);
  pick.fixed_bytes = 4 * sizeof(float) * model.arena().values().size();
  if (budget < pick.fixed_bytes + pick.bytes_per_sample) {
    throw InvalidArgument("memory_budget " + format_byte_size(budget) + " is too small: the parameters need " +
                          format_byte_size(pick.fixed_bytes) + " and every sample " +
                          format_byte_size(pick.bytes_per_sample));
  }
  const std::size_t fits = (budget - pick.fixed_bytes) / pick.bytes_per_sample;
  std::size_t power = 1;
  while (power * 2 <= fits) power *= 2;
  pick.batch_size = std::min(static_cast<Index>(power), std::max<Index>(train_rows, 1));
  return pick;
}

}  // namespace regimen::train
