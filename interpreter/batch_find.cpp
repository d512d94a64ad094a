#include "interpreter/batch_find.hpp"

#include "interpreter/probe_training.hpp"
#include "interpreter/recipe_batch_size.hpp"
#include "runtime/byte_size.hpp"
#include "runtime/train/auto_batch_size.hpp"
#include "runtime/train/throughput_probe.hpp"

namespace regimen::lua {
namespace {

constexpr std::int64_t kWarmupSteps = 2;

double throughput(Recipe& recipe, Index batch, const BatchFindOptions& options) {
  train::TrainConfig config = probe_config(recipe, std::nullopt);  // the probe stops the run
  config.batch_size = batch;
  config.batch_size_schedule = nullptr;
  const auto trainer = probe_trainer(recipe, config);
  train::ThroughputProbe probe(kWarmupSteps, options.min_steps, options.seconds);
  trainer->add_callback(probe);
  trainer->fit(recipe.train, nullptr);
  return probe.samples_per_second();
}

}  // namespace

BatchFindResult find_batch_size(Recipe& recipe, const BatchFindOptions& options) {
  const std::uint64_t budget = options.memory_budget > 0 ? options.memory_budget
                               : recipe.auto_batch_size ? recipe.auto_batch_size->budget
                                                        : *parse_byte_size(kDefaultMemoryBudget);
  const train::AutoBatchSize pick = train::pick_batch_size(*recipe.model, recipe.train.target_columns(),
                                                           recipe.train.size(), static_cast<std::size_t>(budget));
  BatchFindResult result{budget, pick.bytes_per_sample, pick.fixed_bytes, pick.batch_size, {}};
  for (Index batch = 1;; batch *= 2) {
    const Index size = std::min(batch, pick.batch_size);
    result.rows.push_back({size, pick.fixed_bytes + static_cast<std::uint64_t>(size) * pick.bytes_per_sample,
                           throughput(recipe, size, options)});
    if (size == pick.batch_size) break;
  }
  return result;
}

}  // namespace regimen::lua
