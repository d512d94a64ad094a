// The augmentation strength in the training loop: evaluated before every training batch at the
// optimizer's step (or epoch, by_epoch), resolved with the run's other schedules, reported by
// run_schedules, and checked. Oracle: the counters the schedule is called with, counted by hand.
#include <memory>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "runtime/data/dataset.hpp"
#include "runtime/data/image_augment.hpp"
#include "runtime/error.hpp"
#include "runtime/loss/mse.hpp"
#include "runtime/nn/linear.hpp"
#include "runtime/optim/sgd.hpp"
#include "runtime/schedule/by_epoch.hpp"
#include "runtime/schedule/constant.hpp"
#include "runtime/schedule/deferred.hpp"
#include "runtime/schedule/linear.hpp"
#include "runtime/schedule/piecewise.hpp"
#include "runtime/train/schedule_driver.hpp"
#include "runtime/train/trainer.hpp"

namespace train = regimen::train;
namespace sched = regimen::schedule;
using regimen::Index;
using regimen::InvalidArgument;

namespace {

// n 4x4 images (16 features) with one regression target: their mean pixel.
regimen::data::Dataset images(Index n, bool with_shape = true) {
  auto table = std::make_shared<regimen::data::Table>();
  table->features.resize(n, 16);
  table->targets.resize(n, 1);
  for (Index i = 0; i < n; ++i) {
    for (Index j = 0; j < 16; ++j) table->features(i, j) = static_cast<float>((i * 5 + j * 3) % 11) / 11.0f;
    table->targets(i, 0) = table->features.row(i).mean();
  }
  if (with_shape) table->image = {1, 4, 4};
  table->source = "images";
  return regimen::data::Dataset(table);
}

std::shared_ptr<regimen::nn::Model> model() {
  auto m = std::make_shared<regimen::nn::Model>(
      std::vector<regimen::nn::NamedLayer>{{"", std::make_shared<regimen::nn::Linear>(16, 1)}});
  m->build(16, 3);
  return m;
}

// Returns `value(t)` and records every t it is asked for.
struct Recording final : sched::Schedule {
  explicit Recording(double (*value)(double) = [](double) { return 0.5; }) : value_(value) {}
  double operator()(double t) const override {
    calls->push_back(t);
    return value_(t);
  }
  std::string describe() const override { return "recording"; }
  std::shared_ptr<std::vector<double>> calls = std::make_shared<std::vector<double>>();

 private:
  double (*value_)(double);
};

train::TrainConfig augmented(int epochs, Index batch_size, sched::SchedulePtr strength, int accumulate = 1) {
  train::TrainConfig c;
  c.epochs = epochs;
  c.batch_size = batch_size;
  c.accumulate = accumulate;
  c.seed = 9;
  c.augment = std::make_shared<regimen::data::ImageAugment>(regimen::data::ImageAugmentOptions{.flip = 0.5, .shift = 1});
  c.augment_strength_schedule = std::move(strength);
  return c;
}

std::vector<double> fit_and_record(int epochs, Index batch_size, int accumulate, bool epochwise) {
  auto recording = std::make_shared<Recording>();
  // 64 samples in batches of 16: 4 batches per epoch.
  const sched::SchedulePtr strength =
      epochwise ? sched::by_epoch(recording, sched::RunLength::uniform(4.0 / accumulate, epochs)) : recording;
  auto m = model();
  regimen::optim::Sgd sgd(sched::constant(0.01));
  regimen::loss::MeanSquaredError mse;
  train::Trainer trainer(*m, mse, sgd, augmented(epochs, batch_size, strength, accumulate));
  trainer.fit(images(64), nullptr);
  return *recording->calls;
}

}  // namespace

TEST_CASE("Augment schedule: the strength is evaluated before every batch at the optimizer's step", "[train]") {
  CHECK(fit_and_record(2, 16, 1, false) == std::vector<double>{0, 1, 2, 3, 4, 5, 6, 7});
  // Accumulating 2 batches per update: both batches of an update see the same step.
  CHECK(fit_and_record(2, 16, 2, false) == std::vector<double>{0, 0, 1, 1, 2, 2, 3, 3});
}

TEST_CASE("Augment schedule: by epoch, the strength follows the epoch index", "[train]") {
  CHECK(fit_and_record(2, 16, 1, true) == std::vector<double>{0, 0, 0, 0, 1, 1, 1, 1});
  CHECK(fit_and_record(3, 16, 2, true) == std::vector<double>{0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2});
}

TEST_CASE("Augment schedule: the driver holds the strength of the current step", "[train]") {
  auto m = model();
  regimen::optim::Sgd sgd(sched::constant(0.01));
  train::TrainConfig c = augmented(1, 16, sched::linear(0.0, 1.0, 4));
  train::ScheduleDriver driver(*m, sgd, c);
  const auto running = driver.start();
  driver.start_epoch(0);
  std::vector<float> p(1, 0.0f), g(1, 0.0f);
  for (int step = 0; step < 3; ++step) {
    driver.before_batch();
    CHECK(driver.augment_strength() == 0.25 * step);
    sgd.step(p, g);
  }
  // Without a schedule the number stands.
  c.augment_strength_schedule = nullptr;
  c.augment_strength = 0.75;
  train::ScheduleDriver fixed(*m, sgd, c);
  fixed.before_batch();
  CHECK(fixed.augment_strength() == 0.75);
}

TEST_CASE("Augment schedule: a strength in epochs is resolved with the run and listed with its schedules", "[train]") {
  auto m = model();
  regimen::optim::Sgd sgd(sched::constant(0.01));
  const auto deferred = std::make_shared<sched::Deferred>(
      "linear(from=0, to=1, steps='2 epochs')", "pending", std::vector<sched::SchedulePtr>{},
      [](const sched::RunLength& run) { return sched::linear(0.0, 1.0, 2 * run.steps_per_epoch()); });
  train::TrainConfig c = augmented(3, 16, deferred);
  train::prepare_schedules(*m, sgd, c, 100);  // 7 batches per epoch
  CHECK(deferred->describe() == "linear(from=0, to=1, steps=14)");
  // lr, the strength, then the batch size's.
  c.batch_size_schedule = sched::piecewise({1}, {16, 32});
  const auto all = train::run_schedules(*m, sgd, c);
  REQUIRE(all.size() == 3);
  CHECK(all[1] == c.augment_strength_schedule);
  CHECK(all[2] == c.batch_size_schedule);
}

TEST_CASE("Augment schedule: a negative strength stops the run at its step", "[train]") {
  auto m = model();
  regimen::optim::Sgd sgd(sched::constant(0.01));
  regimen::loss::MeanSquaredError mse;
  auto negative = std::make_shared<Recording>([](double t) { return t < 3 ? 0.5 : -0.5; });
  train::Trainer trainer(*m, mse, sgd, augmented(1, 16, negative));
  CHECK_THROWS_MATCHES(trainer.fit(images(64), nullptr), InvalidArgument,
                       Catch::Message("augment: strength must be >= 0, got -0.5 at step 3"));
}

TEST_CASE("Augment schedule: augmenting data without an image shape is refused", "[train]") {
  auto m = model();
  regimen::optim::Sgd sgd(sched::constant(0.01));
  regimen::loss::MeanSquaredError mse;
  train::Trainer trainer(*m, mse, sgd, augmented(1, 16, nullptr));
  CHECK_THROWS_MATCHES(trainer.fit(images(64, false), nullptr), InvalidArgument,
                       Catch::Message("the training data 'images' holds no images (image augmentation needs "
                                      "data.idx or data.fashion_mnist)"));
}

TEST_CASE("Augment schedule: strength 0 trains exactly as no augmentation", "[train]") {
  const auto loss_of = [](std::shared_ptr<const regimen::data::ImageAugment> augment, double strength) {
    auto m = model();
    regimen::optim::Sgd sgd(sched::constant(0.05));
    regimen::loss::MeanSquaredError mse;
    train::TrainConfig c = augmented(2, 16, nullptr);
    c.augment = std::move(augment);
    c.augment_strength = strength;
    train::Trainer trainer(*m, mse, sgd, c);
    return *trainer.fit(images(64), nullptr).epochs.back().get("loss");
  };
  const auto policy =
      std::make_shared<regimen::data::ImageAugment>(regimen::data::ImageAugmentOptions{.flip = 1, .noise = 0.2});
  CHECK(loss_of(policy, 0.0) == loss_of(nullptr, 1.0));
  CHECK(loss_of(policy, 1.0) != loss_of(nullptr, 1.0));
}
