#pragma once
// Checks on what a host hands to Interpreter::bind_dataset and register_function, done once at
// binding time so that recipes only ever see valid data.
#include <memory>
#include <string>

#include "regimen/interpreter.hpp"
#include "runtime/data/dataset.hpp"
#include "runtime/nn/model.hpp"
#include "runtime/train/external_model.hpp"

namespace regimen::lua {

/// A table over the host's buffers (not copied). Throws Error (kind kRecipe) naming the dataset
/// for sizes that disagree with the spans, a non-finite feature or target, or class targets that
/// are not integers in [0, classes).
std::shared_ptr<const data::Table> borrow_host_dataset(const std::string& name, const HostDataset& host);

/// Throws Error (kind kRecipe) naming the model for what ExternalLayer would refuse.
void check_host_model(const std::string& name, const HostModel& model);

/// The model host.model(name) returns: one external layer named `name` over the host's tensors.
std::shared_ptr<nn::Model> external_model_of(const std::string& name, const HostModel& model);

/// The external layer of a model host.model() made, or null for any other model.
std::shared_ptr<train::ExternalLayer> external_layer_of(const nn::Model& model);

/// What a recipe without data trains on: one placeholder sample, so that every epoch is one step
/// of the host's objective.
data::Dataset placeholder_dataset();
/// True for a dataset placeholder_dataset() made.
bool is_placeholder(const data::Dataset& dataset);

/// Throws Error (kind kRecipe) unless `name` is a Lua identifier other than "dataset" and "model".
void check_host_function_name(const std::string& name);

}  // namespace regimen::lua
