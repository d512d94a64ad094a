// Optimizer::save_state / load_state for every update rule: a resumed run is bit-identical to
// an uninterrupted one, and every malformed or mismatched buffer is refused with a clear error.
#include <cmath>
#include <cstring>
#include <functional>
#include <memory>
#include <stdexcept>
#include <vector>

#include <catch2/catch.hpp>

#include "runtime/error.hpp"
#include "runtime/optim/adadelta.hpp"
#include "runtime/optim/adagrad.hpp"
#include "runtime/optim/adam.hpp"
#include "runtime/optim/adamax.hpp"
#include "runtime/optim/adamw.hpp"
#include "runtime/optim/lion.hpp"
#include "runtime/optim/nadam.hpp"
#include "runtime/optim/radam.hpp"
#include "runtime/optim/rmsprop.hpp"
#include "runtime/optim/schedule_free_adamw.hpp"
#include "runtime/optim/sgd.hpp"
#include "runtime/optim/state_io.hpp"
#include "runtime/schedule/constant.hpp"
#include "runtime/schedule/cosine.hpp"

using regimen::DataError;
using regimen::InvalidArgument;
using namespace regimen::optim;
using regimen::schedule::constant;

namespace {

using Make = std::function<std::unique_ptr<Optimizer>()>;

// Every optimizer with the options that give it the most state; lr a schedule, so that a
// resumed run must also pick the schedule up at the right step.
std::vector<std::pair<const char*, Make>> all_optimizers() {
  const auto lr = regimen::schedule::cosine(0.01, 40);
  return {
      {"sgd", [=] { return std::make_unique<Sgd>(lr, SgdOptions{0.9, 0.0, true, 0.01, false}); }},
      {"sgd keras", [=] {
         SgdOptions o{0.9, 0.0, true, 0.01, false, Convention::keras};
         return std::make_unique<Sgd>(lr, o);
       }},
      {"adam", [=] { return std::make_unique<Adam>(lr, AdamOptions{{0.8, 0.99}, 1e-8, 0.01, true, false}); }},
      {"adam keras", [=] {
         AdamOptions o = AdamOptions::keras();
         o.amsgrad = true;
         return std::make_unique<Adam>(lr, o);
       }},
      {"adamw", [=] { return std::make_unique<AdamW>(lr, AdamWOptions{{0.9, 0.999}, 1e-8, 0.1, true, false}); }},
      {"rmsprop", [=] { return std::make_unique<Rmsprop>(lr, RmspropOptions{0.9, 1e-8, 0.01, 0.5, true, false}); }},
      {"rmsprop keras", [=] {
         RmspropOptions o = RmspropOptions::keras();
         o.centered = true;
         o.momentum = 0.5;
         return std::make_unique<Rmsprop>(lr, o);
       }},
      {"adagrad", [=] { return std::make_unique<Adagrad>(lr, AdagradOptions{0.1, 0.01, 0.5, 1e-10, false}); }},
      {"adadelta", [=] { return std::make_unique<Adadelta>(lr, AdadeltaOptions{}); }},
      {"adamax", [=] { return std::make_unique<Adamax>(lr, AdamaxOptions{}); }},
      {"nadam", [=] { return std::make_unique<Nadam>(lr, NadamOptions{}); }},
      {"radam", [=] { return std::make_unique<Radam>(lr, RadamOptions{}); }},
      {"lion", [=] { return std::make_unique<Lion>(lr, LionOptions{{0.9, 0.99}, 0.1}); }},
      {"schedule_free_adamw", [=] {
         ScheduleFreeAdamWOptions o;
         o.warmup_steps = 5;
         o.weight_decay = 0.01;
         return std::make_unique<ScheduleFreeAdamW>(lr, o);
       }},
  };
}

constexpr std::size_t kSize = 37;

// A gradient that depends on the parameters and the step, as a real one does.
void run(Optimizer& optimizer, std::vector<float>& p, int from, int to) {
  std::vector<float> g(p.size());
  for (int t = from; t < to; ++t) {
    for (std::size_t i = 0; i < p.size(); ++i) {
      g[i] = static_cast<float>(std::sin(0.7 * static_cast<double>(i) + 1.3 * t) + 0.3 * p[i]);
    }
    optimizer.step(p, g);
  }
}

std::vector<float> start() {
  std::vector<float> p(kSize);
  for (std::size_t i = 0; i < kSize; ++i) p[i] = static_cast<float>(std::cos(static_cast<double>(i)));
  return p;
}

bool bitwise_equal(const std::vector<float>& a, const std::vector<float>& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0;
}

}  // namespace

TEST_CASE("Optimizer state: a resumed run is bit-identical to an uninterrupted one", "[optim]") {
  for (const auto& [name, make] : all_optimizers()) {
    const int k = GENERATE(0, 1, 7);
    INFO(name << ", saved after " << k << " steps");
    auto uninterrupted = make();
    std::vector<float> p1 = start();
    run(*uninterrupted, p1, 0, 20);

    auto first = make();
    std::vector<float> p2 = start();
    run(*first, p2, 0, k);
    const std::vector<std::byte> bytes = first->save_state();
    auto resumed = make();
    resumed->load_state(bytes);
    CHECK(resumed->steps() == k);
    CHECK(resumed->save_state() == bytes);
    run(*resumed, p2, k, 20);
    CHECK(bitwise_equal(p1, p2));
    CHECK(resumed->save_state() == uninterrupted->save_state());
  }
}

TEST_CASE("Optimizer state: every truncation is a DataError and leaves the optimizer unchanged", "[optim]") {
  for (const auto& [name, make] : all_optimizers()) {
    INFO(name);
    auto saved = make();
    std::vector<float> p = start();
    run(*saved, p, 0, 3);
    const std::vector<std::byte> bytes = saved->save_state();
    auto target = make();
    run(*target, p, 0, 1);
    const std::vector<std::byte> before = target->save_state();
    for (std::size_t n = 0; n < bytes.size(); ++n) {
      INFO("first " << n << " bytes");
      CHECK_THROWS_AS(target->load_state(std::span(bytes.data(), n)), DataError);
    }
    CHECK(target->save_state() == before);
  }
}

TEST_CASE("Optimizer state: names what does not match", "[optim]") {
  Adam adam(constant(0.1), AdamOptions{{0.9, 0.999}, 1e-8, 0.0, true, false});
  std::vector<float> p = start();
  run(adam, p, 0, 2);
  std::vector<std::byte> bytes = adam.save_state();

  Sgd sgd(constant(0.1));
  CHECK_THROWS_MATCHES(sgd.load_state(bytes), InvalidArgument,
                       Catch::Message("optimizer state was saved by 'adam', cannot load it into 'sgd'"));
  Adam plain(constant(0.1));
  CHECK_THROWS_MATCHES(plain.load_state(bytes), InvalidArgument,
                       Catch::Message("optimizer state for 'adam': buffer 'max_exp_avg_sq' has 37 elements, "
                                      "expected 0 (was it saved with other options?)"));
  CHECK(plain.steps() == 0);

  std::vector<std::byte> longer = bytes;
  longer.push_back(std::byte{0});
  CHECK_THROWS_MATCHES(adam.load_state(longer), DataError,
                       Catch::Message("optimizer state: 1 unexpected byte after the last field"));

  std::vector<std::byte> renamed = bytes;
  std::vector<std::byte>::iterator at = renamed.begin() + 8 + 4 + 4 + 4 + 8 + 1 + 4;  // the first field's name
  *at = std::byte{'S'};
  CHECK_THROWS_MATCHES(adam.load_state(renamed), DataError,
                       Catch::Message("optimizer state: expected field 'step' (integer), found 'Step' (integer)"));

  std::vector<std::byte> newer = bytes;
  newer[8] = std::byte{2};
  CHECK_THROWS_MATCHES(adam.load_state(newer), DataError,
                       Catch::Message("optimizer state: version 2 is not supported (this build reads version 1)"));
  CHECK_THROWS_MATCHES(adam.load_state(std::vector<std::byte>(20, std::byte{'x'})), DataError,
                       Catch::Message("optimizer state: not a Regimen optimizer state (bad magic)"));
}

TEST_CASE("Optimizer state: a corrupt buffer length cannot make the reader allocate or overrun", "[optim]") {
  Lion lion(constant(0.1));
  std::vector<float> p = start();
  run(lion, p, 0, 1);
  std::vector<std::byte> bytes = lion.save_state();
  // Header 8 + 4 + 4 + "lion" + 8, then kind 1 + name length 4 + "exp_avg" 7: the count follows.
  const std::size_t count_at = 8 + 4 + 4 + 4 + 8 + 1 + 4 + 7;
  const std::uint64_t huge = std::uint64_t{1} << 62;
  std::memcpy(bytes.data() + count_at, &huge, sizeof huge);
  CHECK_THROWS_AS(lion.load_state(bytes), DataError);
}

TEST_CASE("Optimizer state: a resumed optimizer still checks the parameter count", "[optim]") {
  Adam adam(constant(0.1));
  std::vector<float> p = start();
  run(adam, p, 0, 2);
  Adam resumed(constant(0.1));
  resumed.load_state(adam.save_state());
  std::vector<float> q(5, 1.0f), g(5, 1.0f);
  CHECK_THROWS_MATCHES(resumed.step(q, g), InvalidArgument,
                       Catch::Message("params has 5 elements but the optimizer's state was sized for 37 on its "
                                      "first step"));
}

TEST_CASE("Optimizer state: schedule-free saves whether the parameters hold x or y", "[optim]") {
  ScheduleFreeAdamW sf(constant(0.01));
  std::vector<float> p = start();
  run(sf, p, 0, 3);
  sf.eval_params(p);
  ScheduleFreeAdamW resumed(constant(0.01));
  resumed.load_state(sf.save_state());
  CHECK_FALSE(resumed.train_mode());
}

namespace {

// run() over float64 parameters: the optimizer steps them through its double kernel.
void run64(Optimizer& optimizer, std::vector<double>& p, int from, int to) {
  std::vector<double> g(p.size());
  for (int t = from; t < to; ++t) {
    for (std::size_t i = 0; i < p.size(); ++i) g[i] = std::sin(0.7 * static_cast<double>(i) + 1.3 * t) + 0.3 * p[i];
    optimizer.step(std::span<double>(p), std::span<const double>(g));
  }
}

std::vector<double> start64() {
  std::vector<double> p(kSize);
  for (std::size_t i = 0; i < kSize; ++i) p[i] = std::cos(static_cast<double>(i));
  return p;
}

}  // namespace

TEST_CASE("Optimizer state: a float64 run resumes bit-identically, into a fresh optimizer", "[optim]") {
  for (const auto& [name, make] : all_optimizers()) {
    INFO(name);
    auto uninterrupted = make();
    std::vector<double> p1 = start64();
    run64(*uninterrupted, p1, 0, 20);

    auto first = make();
    std::vector<double> p2 = start64();
    run64(*first, p2, 0, 7);
    const std::vector<std::byte> bytes = first->save_state();
    auto resumed = make();
    resumed->load_state(bytes);  // a float64 state: resumed now steps float64
    CHECK(resumed->save_state() == bytes);
    run64(*resumed, p2, 7, 20);
    CHECK(std::memcmp(p1.data(), p2.data(), p1.size() * sizeof(double)) == 0);
    CHECK(resumed->save_state() == uninterrupted->save_state());
    std::vector<float> p32(kSize, 1.0f);
    CHECK_THROWS_MATCHES(run(*resumed, p32, 20, 21), InvalidArgument,
                         Catch::Message(resumed->name() +
                                        " has stepped float64 parameters and cannot step float32 ones (use one "
                                        "optimizer per dtype)"));
  }
}

TEST_CASE("Optimizer state: every truncation of a float64 state is a DataError", "[optim]") {
  for (const auto& [name, make] : all_optimizers()) {
    INFO(name);
    auto saved = make();
    std::vector<double> p = start64();
    run64(*saved, p, 0, 3);
    const std::vector<std::byte> bytes = saved->save_state();
    auto target = make();
    for (std::size_t n = 0; n < bytes.size(); ++n) {
      INFO("first " << n << " bytes");
      CHECK_THROWS_AS(target->load_state(std::span(bytes.data(), n)), DataError);
    }
    CHECK(target->steps() == 0);
  }
}
