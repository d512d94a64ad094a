#include "runtime/train/trainer.hpp"

#include <cmath>
#include <numeric>
#include <sstream>

#include "runtime/data/batcher.hpp"
#include "runtime/error.hpp"
#include "runtime/loss/accuracy.hpp"

namespace regimen::train {
namespace {

bool is_weight_matrix(const ParameterInfo& info) {
  const std::string suffix = ".weight";
  return info.name.size() > suffix.size() &&
         info.name.compare(info.name.size() - suffix.size(), suffix.size(), suffix) == 0;
}

}  // namespace

Trainer::Trainer(nn::Model& model, const loss::Loss& loss, optim::Optimizer& optimizer, TrainConfig config)
    : model_(model), loss_(loss), optimizer_(optimizer), config_(config) {
  if (!model_.built()) throw std::logic_error("Trainer: model not built");
  if (config_.epochs < 0) throw InvalidArgument("epochs must be >= 0, got " + std::to_string(config_.epochs));
  if (config_.batch_size <= 0)
    throw InvalidArgument("batch_size must be positive, got " + std::to_string(config_.batch_size));
}

void Trainer::set_regularizer(std::shared_ptr<const regularize::Regularizer> regularizer) {
  regularizer_ = std::move(regularizer);
  penalized_.clear();
  const auto& params = model_.arena().parameters();
  for (std::size_t i = 0; i < params.size(); ++i)
    if (is_weight_matrix(params[i])) penalized_.push_back(i);
}

void Trainer::add_callback(Callback& callback) { callbacks_.push_back(&callback); }

void Trainer::check_compatible(const data::Dataset& dataset) const {
  if (dataset.size() == 0) throw InvalidArgument("dataset '" + dataset.source() + "' is empty");
  if (loss_.classification()) {
    if (dataset.classes() <= 0)
      throw InvalidArgument("loss " + loss_.name() + " needs class labels, but the data has numeric targets");
    if (dataset.classes() > model_.output_features())
      throw InvalidArgument("the data has " + std::to_string(dataset.classes()) + " classes, but the model emits " +
                            std::to_string(model_.output_features()) + " outputs");
  } else if (dataset.target_columns() != model_.output_features()) {
    throw InvalidArgument("the data has " + std::to_string(dataset.target_columns()) +
                          " target columns, but the model emits " + std::to_string(model_.output_features()) +
                          " outputs");
  }
}

double Trainer::add_penalty() {
  if (!regularizer_) return 0.0;
  auto& arena = model_.arena();
  double penalty = 0.0;
  for (std::size_t handle : penalized_) {
    const auto& info = arena.parameters()[handle];
    std::span<const float> w(arena.values().data() + info.offset, info.size());
    std::span<float> g(arena.grads().data() + info.offset, info.size());
    penalty += regularizer_->penalty(w);
    regularizer_->add_gradient(w, g);
  }
  return penalty;
}

Metrics Trainer::train_epoch(const data::Dataset& train, int epoch) {
  data::Batcher batcher(train, config_.batch_size, config_.shuffle, config_.seed);
  batcher.start_epoch(epoch);
  double loss_sum = 0.0;
  Index correct = 0;
  Index seen = 0;
  auto& arena = model_.arena();
  while (batcher.next(x_, y_)) {
    const Matrix& out = model_.forward(x_, nn::Mode::kTrain);
    const double batch_loss = loss_.value_and_gradient(out, y_, grad_);
    if (loss_.classification()) correct += loss::count_correct(out, y_);
    arena.zero_grads();
    model_.backward(grad_);
    const double penalty = add_penalty();
    optimizer_.step(arena.values(), arena.grads());
    loss_sum += (batch_loss + penalty) * static_cast<double>(x_.rows());
    seen += x_.rows();
  }
  Metrics metrics;
  metrics.set("loss", loss_sum / static_cast<double>(seen));
  if (loss_.classification()) metrics.set("accuracy", static_cast<double>(correct) / static_cast<double>(seen));
  return metrics;
}

Metrics Trainer::evaluate(const data::Dataset& dataset) {
  check_compatible(dataset);
  data::Batcher batcher(dataset, config_.batch_size, false, 0);
  batcher.start_epoch(0);
  double loss_sum = 0.0;
  Index correct = 0;
  while (batcher.next(x_, y_)) {
    const Matrix& out = model_.forward(x_, nn::Mode::kEval);
    loss_sum += loss_.value(out, y_) * static_cast<double>(x_.rows());
    if (loss_.classification()) correct += loss::count_correct(out, y_);
  }
  Metrics metrics;
  metrics.set("loss", loss_sum / static_cast<double>(dataset.size()));
  if (loss_.classification())
    metrics.set("accuracy", static_cast<double>(correct) / static_cast<double>(dataset.size()));
  return metrics;
}

History Trainer::fit(const data::Dataset& train, const data::Dataset* validation) {
  check_compatible(train);
  if (validation) check_compatible(*validation);
  History history;
  for (int epoch = 0; epoch < config_.epochs; ++epoch) {
    Metrics metrics = train_epoch(train, epoch);
    if (validation) metrics.merge(evaluate(*validation), "val_");
    history.epochs.push_back(metrics);
    bool stop = false;
    for (Callback* callback : callbacks_) {
      if (callback->on_epoch_end(epoch, metrics) && !stop) {
        stop = true;
        history.stop_reason = callback->stop_reason();
      }
    }
    if (stop) break;
  }
  for (Callback* callback : callbacks_) callback->on_train_end(history.stop_reason);
  return history;
}

}  // namespace regimen::train
