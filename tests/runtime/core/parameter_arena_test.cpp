// ParameterArena::group_by: tensors move so that each group is contiguous, values and handles kept.
#include <catch2/catch.hpp>

#include "runtime/parameter_arena.hpp"

using regimen::ParameterArena;

TEST_CASE("ParameterArena: group_by keeps every value and makes each group contiguous", "[core]") {
  ParameterArena arena;
  const auto a = arena.declare("fc1.weight", "linear", 3, 2);     // 6 floats, padded to 16
  const auto b = arena.declare("fc1.bias", "linear", 1, 2, 1);    // 2 -> 16
  const auto c = arena.declare("fc2.weight", "linear", 2, 20);    // 40 -> 48
  arena.allocate();
  for (auto h : {a, b, c}) {
    auto v = arena.value(h);
    for (Eigen::Index i = 0; i < v.size(); ++i) v.data()[i] = static_cast<float>(100 * h + i);
  }
  const auto ranges = arena.group_by({0, 1, 0});
  REQUIRE(ranges.size() == 2);
  CHECK(ranges[0] == std::pair<std::size_t, std::size_t>{0, 16 + 48});
  CHECK(ranges[1] == std::pair<std::size_t, std::size_t>{64, 80});
  CHECK(arena.parameters()[a].offset == 0);
  CHECK(arena.parameters()[c].offset == 16);
  CHECK(arena.parameters()[b].offset == 64);
  CHECK(arena.parameters()[b].ndim == 1);
  for (auto h : {a, b, c}) {
    auto v = arena.value(h);
    for (Eigen::Index i = 0; i < v.size(); ++i) CHECK(v.data()[i] == static_cast<float>(100 * h + i));
  }
  // Padding stays zero, so a pass over a whole range never touches stray values.
  CHECK(arena.values()[6] == 0.0f);
  CHECK(arena.values()[66] == 0.0f);
}

TEST_CASE("ParameterArena: group_by in declaration order moves nothing", "[core]") {
  ParameterArena arena;
  arena.declare("w", "linear", 2, 2);
  arena.declare("b", "linear", 1, 2, 1);
  arena.allocate();
  const float* before = arena.values().data();
  const auto ranges = arena.group_by({0, 0});
  CHECK(arena.values().data() == before);
  CHECK(ranges == std::vector<std::pair<std::size_t, std::size_t>>{{0, 32}});
}
