#pragma once
// Builds the pieces of a composite fixture ({"schedule": "linear", "from": ..., ...}).
#include <string>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "runtime/schedule/constant.hpp"
#include "runtime/schedule/cosine.hpp"
#include "runtime/schedule/exponential.hpp"
#include "runtime/schedule/linear.hpp"
#include "runtime/schedule/step.hpp"

namespace regimen::test {

inline schedule::SchedulePtr build_piece(const nlohmann::json& j) {
  const std::string kind = j.at("schedule");
  if (kind == "constant") return schedule::constant(j.at("lr"));
  if (kind == "linear") return schedule::linear(j.at("from"), j.at("to"), j.at("steps"));
  if (kind == "cosine") return schedule::cosine(j.at("lr"), j.at("T_max"), j.at("eta_min"));
  if (kind == "step") return schedule::step(j.at("lr"), j.at("step_size"), j.at("gamma"));
  if (kind == "exponential") return schedule::exponential(j.at("lr"), j.at("gamma"));
  FAIL("no builder for piece " << kind);
  return nullptr;
}

}  // namespace regimen::test
