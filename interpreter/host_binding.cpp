#include "interpreter/host_binding.hpp"

#include <cctype>
#include <cmath>
#include <exception>

#include "runtime/error.hpp"
#include "runtime/train/external_model.hpp"

namespace regimen::lua {
namespace {

[[noreturn]] void fail(const std::string& name, const std::string& message) {
  throw Error(Error::Kind::kRecipe, "bind_dataset '" + name + "': " + message);
}

// The first non-finite value of a row-major rows x cols buffer, as "row r, column c".
void check_finite(const std::string& name, const char* what, std::span<const float> values, std::int64_t cols) {
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (!std::isfinite(values[i])) {
      const auto row = static_cast<std::int64_t>(i) / cols, col = static_cast<std::int64_t>(i) % cols;
      fail(name, std::string(what) + " at row " + std::to_string(row) + ", column " + std::to_string(col) + " is " +
                     std::to_string(values[i]));
    }
  }
}

void check_classes(const std::string& name, const HostDataset& host) {
  if (host.target_cols != 1) fail(name, "class targets take one column, got " + std::to_string(host.target_cols));
  for (std::size_t i = 0; i < host.targets.size(); ++i) {
    const float label = host.targets[i];
    if (label != std::floor(label) || label < 0.0f || label >= static_cast<float>(host.classes)) {
      fail(name, "target at row " + std::to_string(i) + " is " + std::to_string(label) + ", not a class index in [0, " +
                     std::to_string(host.classes) + ")");
    }
  }
}

}  // namespace

std::shared_ptr<const data::Table> borrow_host_dataset(const std::string& name, const HostDataset& host) {
  if (host.rows <= 0 || host.cols <= 0 || host.target_cols <= 0) {
    fail(name, "rows, cols and target_cols must be positive, got " + std::to_string(host.rows) + ", " +
                   std::to_string(host.cols) + ", " + std::to_string(host.target_cols));
  }
  if (host.features.size() != static_cast<std::size_t>(host.rows * host.cols)) {
    fail(name, "features hold " + std::to_string(host.features.size()) + " values, but " + std::to_string(host.rows) +
                   " x " + std::to_string(host.cols) + " were announced");
  }
  if (host.targets.size() != static_cast<std::size_t>(host.rows * host.target_cols)) {
    fail(name, "targets hold " + std::to_string(host.targets.size()) + " values, but " + std::to_string(host.rows) +
                   " x " + std::to_string(host.target_cols) + " were announced");
  }
  if (host.classes < 0) fail(name, "classes must be >= 0, got " + std::to_string(host.classes));
  check_finite(name, "feature", host.features, host.cols);
  check_finite(name, "target", host.targets, host.target_cols);
  if (host.classes > 0) check_classes(name, host);
  auto table = std::make_shared<data::Table>();
  table->borrowed_features.emplace(host.features.data(), host.rows, host.cols);
  table->borrowed_targets.emplace(host.targets.data(), host.rows, host.target_cols);
  table->classes = host.classes;
  table->source = "host dataset '" + name + "'";
  return table;
}

namespace {

std::vector<train::ExternalTensor> external_tensors(const HostModel& model) {
  std::vector<train::ExternalTensor> tensors;
  for (const HostTensor& t : model.tensors) tensors.push_back({t.name, t.values, t.gradient});
  return tensors;
}

// The host's loss behind the runtime's objective: matrices to spans, and no batch at all for
// a run without data.
train::ExternalObjective objective_of(const HostModel& model) {
  return [loss = model.loss_and_gradient](const Matrix* inputs, const Matrix* targets) {
    HostBatch batch;
    if (inputs != nullptr) {
      batch.features = {inputs->data(), static_cast<std::size_t>(inputs->size())};
      batch.rows = inputs->rows();
      batch.cols = inputs->cols();
      batch.targets = {targets->data(), static_cast<std::size_t>(targets->size())};
      batch.target_cols = targets->cols();
    }
    return loss(batch);
  };
}

}  // namespace

void check_host_model(const std::string& name, const HostModel& model) {
  try {
    if (!model.loss_and_gradient) throw InvalidArgument("an external model needs its loss function");
    train::ExternalLayer check(external_tensors(model), objective_of(model));
  } catch (const std::exception& e) {
    throw Error(Error::Kind::kRecipe, "bind_model '" + name + "': " + e.what());
  }
}

std::shared_ptr<nn::Model> external_model_of(const std::string& name, const HostModel& model) {
  auto layer = std::make_shared<train::ExternalLayer>(external_tensors(model), objective_of(model));
  return std::make_shared<nn::Model>(std::vector<nn::NamedLayer>{{name, std::move(layer)}});
}

std::shared_ptr<train::ExternalLayer> external_layer_of(const nn::Model& model) {
  if (model.layers().size() != 1) return nullptr;
  return std::dynamic_pointer_cast<train::ExternalLayer>(model.layers()[0].layer);
}

namespace {

const char* const kPlaceholderSource = "no data (the host model's objective)";

}  // namespace

data::Dataset placeholder_dataset() {
  auto table = std::make_shared<data::Table>();
  table->features = Matrix::Zero(1, 1);
  table->targets = Matrix::Zero(1, 1);
  table->source = kPlaceholderSource;
  return data::Dataset(std::move(table));
}

bool is_placeholder(const data::Dataset& dataset) { return dataset.source() == kPlaceholderSource; }

void check_host_function_name(const std::string& name) {
  bool identifier = !name.empty() && !std::isdigit(static_cast<unsigned char>(name[0]));
  for (const char c : name) identifier = identifier && (std::isalnum(static_cast<unsigned char>(c)) || c == '_');
  if (!identifier) throw Error(Error::Kind::kRecipe, "register_function: '" + name + "' is not a Lua identifier");
  if (name == "dataset" || name == "model") {
    throw Error(Error::Kind::kRecipe, "register_function: '" + name + "' is reserved (host." + name + ")");
  }
}

}  // namespace regimen::lua
