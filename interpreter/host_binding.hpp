#pragma once
// Checks on what a host hands to Interpreter::bind_dataset and register_function, done once at
// binding time so that recipes only ever see valid data.
#include <memory>
#include <string>

#include "regimen/interpreter.hpp"
#include "runtime/data/dataset.hpp"

namespace regimen::lua {

/// A table over the host's buffers (not copied). Throws Error (kind kRecipe) naming the dataset
/// for sizes that disagree with the spans, a non-finite feature or target, or class targets that
/// are not integers in [0, classes).
std::shared_ptr<const data::Table> borrow_host_dataset(const std::string& name, const HostDataset& host);

/// Throws Error (kind kRecipe) unless `name` is a Lua identifier other than "dataset" and "model".
void check_host_function_name(const std::string& name);

}  // namespace regimen::lua
