// A momentum buffer whose existence is history (a scheduled momentum reached 0, or turned
// positive late): saved and loaded by optimizers built with the options of step 0, a resumed
// run is bit-identical to an uninterrupted one.
#include "runtime/optim/held_buffer.hpp"

#include <cmath>
#include <functional>
#include <memory>
#include <vector>

#include <catch2/catch.hpp>

#include "runtime/optim/rmsprop.hpp"
#include "runtime/optim/sgd.hpp"
#include "runtime/schedule/constant.hpp"
#include "runtime/schedule/linear.hpp"
#include "runtime/schedule/piecewise.hpp"

using namespace regimen::optim;
namespace sched = regimen::schedule;

namespace {

using Make = std::function<std::unique_ptr<Optimizer>()>;

// A gradient that depends on the parameters and the step, as a real one does.
void run(Optimizer& optimizer, std::vector<float>& p, int from, int to) {
  std::vector<float> g(p.size());
  for (int t = from; t < to; ++t) {
    for (std::size_t i = 0; i < p.size(); ++i) g[i] = std::sin(p[i] * 3.0f + static_cast<float>(t + i));
    optimizer.step(p, g);
  }
}

// Saves after `at` steps, loads into a fresh optimizer, and checks that the rest of a 10-step
// run gives the same bits as an uninterrupted one.
void check_resume(const Make& make, int at) {
  INFO("saved after step " << at);
  std::vector<float> straight{0.3f, -1.2f, 0.7f, 2.0f, -0.4f};
  auto uninterrupted = make();
  run(*uninterrupted, straight, 0, 10);

  std::vector<float> resumed{0.3f, -1.2f, 0.7f, 2.0f, -0.4f};
  auto first = make();
  run(*first, resumed, 0, at);
  const std::vector<std::byte> bytes = first->save_state();
  auto second = make();
  second->load_state(bytes);
  CHECK(second->save_state() == bytes);
  run(*second, resumed, at, 10);
  CHECK(resumed == straight);
}

}  // namespace

TEST_CASE("held_buffer: RMSprop's buffer survives a scheduled momentum that reaches 0", "[optim]") {
  const auto make = [] {
    auto r = std::make_unique<Rmsprop>(sched::constant(0.01), RmspropOptions{.centered = true});
    r->schedule_option("momentum", sched::linear(0.9, 0.0, 4));  // 0 from step 4 on
    return r;
  };
  check_resume(make, GENERATE(2, 6));
  auto r = make();
  std::vector<float> p{0.3f, -1.2f};
  run(*r, p, 0, 6);
  CHECK(r->state().momentum_buffer.size() == 2);  // kept, unused
}

TEST_CASE("held_buffer: RMSprop's buffer starts at the first step with momentum", "[optim]") {
  const auto make = [] {
    auto r = std::make_unique<Rmsprop>(sched::constant(0.01));
    r->schedule_option("momentum", sched::piecewise({2}, {0.0, 0.9}));  // 0.9 from step 3 on
    return r;
  };
  check_resume(make, GENERATE(2, 5));
  auto r = make();
  std::vector<float> p{0.3f, -1.2f};
  run(*r, p, 0, 3);
  CHECK(r->state().momentum_buffer.size() == 0);
  run(*r, p, 3, 4);
  CHECK(r->state().momentum_buffer.size() == 2);
}

TEST_CASE("held_buffer: a state with the buffer loads into an optimizer built with momentum 0", "[optim]") {
  // What a Lua function momentum is built with until the run evaluates it.
  Rmsprop saved(sched::constant(0.01), RmspropOptions{.momentum = 0.5});
  std::vector<float> p{0.3f, -1.2f};
  run(saved, p, 0, 3);
  Rmsprop loaded(sched::constant(0.01));
  loaded.load_state(saved.save_state());
  CHECK(loaded.state().momentum_buffer.size() == 2);
  CHECK(loaded.save_state() == saved.save_state());
}

TEST_CASE("held_buffer: SGD's buffer survives a scheduled momentum that reaches 0", "[optim]") {
  const Make make = [] {
    auto s = std::make_unique<Sgd>(sched::constant(0.01));
    s->schedule_option("momentum", sched::linear(0.9, 0.0, 4));
    return s;
  };
  check_resume(make, GENERATE(2, 6));
}
