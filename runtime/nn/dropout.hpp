#pragma once
// Inverted dropout (Srivastava et al., 2014): in training each element is zeroed with
// probability p and the survivors are scaled up, so that evaluation needs no rescaling:
//
//   y = x * m,     m = 1/(1-p) with probability 1-p, else 0      (kTrain, drawn per element)
//   dy/dx = m                                                     (the same mask)
//
//   y = x,         dy/dx = 1                                      (kEval, or p = 0)
//
// The mask comes from the layer's own random stream, seeded in initialize(), so a run is
// reproducible from the model's seed whatever else draws random numbers. Each element is
// decided by 32 bits of that stream (two elements per 64-bit draw, low half first): it is kept
// when those bits, read as an unsigned number, are at least round(p * 2^32).
//
// p may follow a schedule (set_schedule): the trainer sets p to its value at the optimizer's
// step counter before every training step.
#include <cstdint>
#include <string>
#include <vector>

#include "runtime/nn/layer.hpp"
#include "runtime/schedule/schedule.hpp"

namespace regimen::nn {

/// Inverted dropout with drop probability p in [0, 1).
class Dropout : public Layer {
 public:
  /// Throws InvalidArgument unless 0 <= p < 1.
  explicit Dropout(double p);

  double p() const { return p_; }
  /// Changes p between batches (a scheduled dropout rate); validated as in the constructor.
  void set_p(double p);
  /// Makes p follow `p` (null: p stays fixed). The trainer calls set_p(p(t)) before each
  /// training step t; p keeps its current value until then.
  void set_schedule(schedule::SchedulePtr p) { schedule_ = std::move(p); }
  const schedule::SchedulePtr& schedule() const { return schedule_; }
  /// The last training forward's mask: 0 for dropped elements, 1/(1-p) for kept ones.
  const Matrix& mask() const { return mask_; }

  std::string type() const override { return "dropout"; }
  /// "dropout(p=0.5)", or "dropout(p=linear(from=0.5, to=0, steps=100))" when scheduled.
  std::string describe() const override;
  /// Keeps the width; dropout takes any.
  Index output_features(Index input_features) const override { return input_features; }

  /// Seeds the mask stream from one draw of `rng`.
  void initialize(ParameterArena& arena, Random& rng) override;

  const Matrix& forward(const ParameterArena& arena, const Matrix& input, Mode mode) override;
  const Matrix& backward(ParameterArena& arena, const Matrix& grad_output) override;
  std::size_t bytes_per_sample(const Shape& input) const override;
  std::vector<Random*> random_streams() override { return {&rng_}; }

 private:
  void draw_mask(Index rows, Index cols);

  double p_;
  schedule::SchedulePtr schedule_;
  Random rng_;
  bool masked_ = false;  // whether the last forward applied the mask (else it was the identity)
  std::vector<std::uint32_t> bits_;  // the last mask's random draws, one per element (+1 if odd)
  Matrix mask_;
  Matrix output_;
  Matrix grad_input_;
};

}  // namespace regimen::nn
