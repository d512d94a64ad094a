#pragma once
// Steps an Optimizer over a list of separately stored tensors, as a script calls
// opt:step(params, grads). An update rule's state is one flat buffer, so the first step fixes
// the layout (how many tensors, each one's shape) and every later step must match it. The
// tensors are gathered into flat buffers owned here, stepped, and scattered back; the buffers
// are reused, so a step allocates only the first time (a single tensor is stepped in place).
#include <span>
#include <vector>

#include <Eigen/Core>

#include "runtime/dense_tensor.hpp"
#include "runtime/optim/optimizer.hpp"

namespace regimen::optim {

/// The layout of an optimizer's imperative steps and the buffers that flatten them.
class ListStepper {
 public:
  /// Updates params in place from grads with one optimizer.step(). Throws InvalidArgument
  /// (changing nothing) when the lists differ in length, a grad's shape differs from its
  /// param's, the tensors do not all share one dtype, or the layout differs from the first
  /// step's; optimizer.step's own errors (a dtype other than earlier steps', a bad lr) pass
  /// through.
  void step(Optimizer& optimizer, std::span<DenseTensor* const> params, std::span<const DenseTensor* const> grads);

  /// Forgets the layout, so that the next step fixes it again (after load_state).
  void reset() { layout_.clear(); }
  /// Whether a step has fixed the layout.
  bool laid_out() const { return !layout_.empty(); }

 private:
  void check(std::span<DenseTensor* const> params, std::span<const DenseTensor* const> grads) const;
  template <typename T>
  void step_flat(Optimizer& optimizer, std::span<DenseTensor* const> params, std::span<const DenseTensor* const> grads,
                 std::vector<T>& flat_params, std::vector<T>& flat_grads);

  // The shapes of the first step's tensors.
  struct Shape {
    int rank;
    Eigen::Index rows, cols;
  };
  std::vector<Shape> layout_;
  std::vector<float> params32_, grads32_;
  std::vector<double> params64_, grads64_;
};

}  // namespace regimen::optim
