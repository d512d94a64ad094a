// GroupedOptimizer: each group's tensors get its options; the others the default's; the lr of a
// group without its own follows the optimizer's. Oracle: SGD's update written out by hand,
//   p <- p - lr * (g + weight_decay * p)      (torch.optim.SGD without momentum)
#include <catch2/catch.hpp>

#include <cstring>
#include <memory>

#include "runtime/error.hpp"
#include "runtime/optim/adam.hpp"
#include "runtime/optim/grouped_optimizer.hpp"
#include "runtime/optim/sgd.hpp"
#include "runtime/parameter_arena.hpp"
#include "runtime/schedule/constant.hpp"

using namespace regimen;
using namespace regimen::optim;
using Catch::Matchers::WithinRel;

namespace {

// fc1.weight 2x2 = {1, 2, 3, 4}, fc1.bias = {0.5, -0.5}, fc2.weight 2x1 = {1, -1}; gradients 0.1.
ParameterArena make_arena() {
  ParameterArena arena;
  arena.declare("fc1.weight", "linear", 2, 2);
  arena.declare("fc1.bias", "linear", 1, 2, 1);
  arena.declare("fc2.weight", "linear", 2, 1);
  arena.allocate();
  const float values[3][4] = {{1, 2, 3, 4}, {0.5f, -0.5f, 0, 0}, {1, -1, 0, 0}};
  for (std::size_t h = 0; h < 3; ++h) std::memcpy(arena.value(h).data(), values[h], arena.value(h).size() * 4);
  return arena;
}

void set_gradients(ParameterArena& arena, float g) {
  for (std::size_t h = 0; h < arena.parameters().size(); ++h) arena.grad(h).setConstant(g);
}

std::shared_ptr<Sgd> sgd(double lr, double weight_decay) {
  SgdOptions o;
  o.weight_decay = weight_decay;
  return std::make_shared<Sgd>(schedule::constant(lr), o);
}

float sgd_step(float p, double lr, double wd) { return static_cast<float>(p - lr * (0.1 + wd * p)); }

GroupedOptimizer three_groups() {
  return GroupedOptimizer(sgd(0.1, 0.01), {{{"*.bias", "", 0}, sgd(0.1, 0.0), false},
                                           {{"fc2.*", "", 2}, sgd(0.5, 0.01), true}});
}

}  // namespace

TEST_CASE("GroupedOptimizer: each group steps with its own options", "[optim]") {
  ParameterArena arena = make_arena();
  GroupedOptimizer optimizer = three_groups();
  optimizer.prepare(arena);
  set_gradients(arena, 0.1f);
  optimizer.step(arena.values(), arena.grads());
  const float w1[4] = {1, 2, 3, 4};
  for (int i = 0; i < 4; ++i) CHECK_THAT(arena.value(0).data()[i], WithinRel(sgd_step(w1[i], 0.1, 0.01), 1e-6f));
  CHECK_THAT(arena.value(1)(0, 0), WithinRel(0.5f - 0.01f, 1e-6f));
  CHECK_THAT(arena.value(1)(0, 1), WithinRel(-0.5f - 0.01f, 1e-6f));
  CHECK_THAT(arena.value(2)(0, 0), WithinRel(sgd_step(1, 0.5, 0.01), 1e-6f));
  CHECK_THAT(arena.value(2)(1, 0), WithinRel(sgd_step(-1, 0.5, 0.01), 1e-6f));
  CHECK(optimizer.members() ==
        std::vector<std::vector<std::string>>{{"fc1.weight"}, {"fc1.bias"}, {"fc2.weight"}});
  CHECK(optimizer.unmatched().empty());
  CHECK(optimizer.steps() == 1);
  for (const Optimizer* part : optimizer.parts()) CHECK(part->steps() == 1);
}

TEST_CASE("GroupedOptimizer: groups without their own lr follow the optimizer's", "[optim]") {
  ParameterArena arena = make_arena();
  GroupedOptimizer optimizer = three_groups();
  optimizer.prepare(arena);
  optimizer.set_lr(schedule::constant(0.2));
  set_gradients(arena, 0.1f);
  optimizer.step(arena.values(), arena.grads());
  CHECK_THAT(arena.value(0)(0, 0), WithinRel(sgd_step(1, 0.2, 0.01), 1e-6f));
  CHECK_THAT(arena.value(1)(0, 0), WithinRel(0.5f - 0.02f, 1e-6f));
  CHECK_THAT(arena.value(2)(0, 0), WithinRel(sgd_step(1, 0.5, 0.01), 1e-6f));  // its own 0.5
  CHECK(optimizer.schedules().size() == 2);  // 0.2 for the default group and the biases, 0.5
}

TEST_CASE("GroupedOptimizer: a parameter goes to the first group that selects it", "[optim]") {
  ParameterArena arena = make_arena();
  GroupedOptimizer optimizer(sgd(0.1, 0.0), {{{"fc1.*", "", 0}, sgd(0.1, 0.0), false},
                                             {{"*.bias", "", 0}, sgd(0.1, 0.0), false},
                                             {{"", "batch_norm", 0}, sgd(0.1, 0.0), false}});
  optimizer.prepare(arena);
  CHECK(optimizer.members() ==
        std::vector<std::vector<std::string>>{{"fc2.weight"}, {"fc1.weight", "fc1.bias"}, {}, {}});
  CHECK(optimizer.unmatched() == std::vector<std::string>{"group 2 (match = \"*.bias\") selects no parameter",
                                                           "group 3 (layer = \"batch_norm\") selects no parameter"});
  set_gradients(arena, 0.1f);
  optimizer.step(arena.values(), arena.grads());  // empty groups step too, and change nothing
  CHECK_THAT(arena.value(2)(0, 0), WithinRel(1.0f - 0.01f, 1e-6f));
}

TEST_CASE("GroupedOptimizer: save_state and load_state resume bit-identically", "[optim]") {
  const auto make = [] {
    AdamOptions decay;
    decay.weight_decay = 0.1;
    return GroupedOptimizer(std::make_shared<Adam>(schedule::constant(0.01)),
                            {{{"*.bias", "", 0}, std::make_shared<Adam>(schedule::constant(0.05), decay), true}});
  };
  ParameterArena reference = make_arena();
  GroupedOptimizer uninterrupted = make();
  uninterrupted.prepare(reference);
  ParameterArena resumed = make_arena();
  GroupedOptimizer first = make();
  first.prepare(resumed);
  for (int step = 0; step < 3; ++step) {
    set_gradients(reference, 0.1f * static_cast<float>(step + 1));
    uninterrupted.step(reference.values(), reference.grads());
    set_gradients(resumed, 0.1f * static_cast<float>(step + 1));
    first.step(resumed.values(), resumed.grads());
  }
  const std::vector<std::byte> state = first.save_state();
  GroupedOptimizer second = make();
  second.prepare(resumed);
  second.load_state(state);
  CHECK(second.steps() == 3);
  for (int step = 3; step < 6; ++step) {
    set_gradients(reference, -0.05f * static_cast<float>(step));
    uninterrupted.step(reference.values(), reference.grads());
    set_gradients(resumed, -0.05f * static_cast<float>(step));
    second.step(resumed.values(), resumed.grads());
  }
  CHECK(std::memcmp(reference.values().data(), resumed.values().data(), reference.values().size() * 4) == 0);
}

TEST_CASE("GroupedOptimizer: a damaged group state changes nothing", "[optim]") {
  ParameterArena arena = make_arena();
  GroupedOptimizer optimizer = three_groups();
  optimizer.prepare(arena);
  set_gradients(arena, 0.1f);
  optimizer.step(arena.values(), arena.grads());
  std::vector<std::byte> state = optimizer.save_state();
  const std::vector<std::byte> plain = sgd(0.1, 0.0)->save_state();
  CHECK_THROWS_WITH(optimizer.load_state(plain),
                    Catch::Contains("expected field 'group.0' (bytes)"));
  state.resize(state.size() - 3);
  CHECK_THROWS_AS(optimizer.load_state(state), DataError);
  CHECK(optimizer.steps() == 1);
}

TEST_CASE("GroupedOptimizer: misuse is reported", "[optim]") {
  CHECK_THROWS_WITH(GroupedOptimizer(sgd(0.1, 0.0), {{{"*", "", 0}, std::make_shared<Adam>(schedule::constant(0.1)),
                                                      false}}),
                    "parameter group 1 is adam, expected sgd");
  GroupedOptimizer unprepared = three_groups();
  std::vector<float> p(4), g(4);
  CHECK_THROWS_WITH(unprepared.step(p, g), "sgd: parameter groups select tensors of a model by name; use this "
                                           "optimizer in a recipe (or prepare() it with the model's arena)");
  ParameterArena arena = make_arena();
  GroupedOptimizer optimizer = three_groups();
  optimizer.prepare(arena);
  optimizer.step(arena.values(), arena.grads());
  ParameterArena other;
  other.declare("conv1.weight", "conv2d", 2, 2);
  other.allocate();
  CHECK_THROWS_WITH(optimizer.prepare(other), "parameter groups cannot change after the first step");
}
