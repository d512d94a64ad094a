// Optimizer::load_state on arbitrary bytes (the checkpoint's optimizer part): it must load or
// throw DataError / InvalidArgument, and leave the optimizer usable either way.
#include <vector>

#include "runtime/error.hpp"
#include "runtime/optim/adam.hpp"
#include "runtime/optim/sgd.hpp"
#include "runtime/schedule/constant.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::span<const std::byte> bytes(reinterpret_cast<const std::byte*>(data), size);
  regimen::optim::AdamOptions amsgrad;
  amsgrad.amsgrad = true;
  regimen::optim::Adam adam(regimen::schedule::constant(1e-3), amsgrad);
  regimen::optim::SgdOptions momentum;
  momentum.momentum = 0.9;
  regimen::optim::Sgd sgd(regimen::schedule::constant(0.1), momentum);
  for (regimen::optim::Optimizer* optimizer : {static_cast<regimen::optim::Optimizer*>(&adam),
                                               static_cast<regimen::optim::Optimizer*>(&sgd)}) {
    try {
      optimizer->load_state(bytes);
    } catch (const regimen::DataError&) {
    } catch (const regimen::InvalidArgument&) {
    }
  }
  // A loaded state must fit the parameters it claims, or the step must say it does not.
  std::vector<float> params(8, 1.0f), grads(8, 0.5f);
  for (regimen::optim::Optimizer* optimizer : {static_cast<regimen::optim::Optimizer*>(&adam),
                                               static_cast<regimen::optim::Optimizer*>(&sgd)}) {
    try {
      optimizer->step(params, grads);
    } catch (const regimen::InvalidArgument&) {
    }
  }
  return 0;
}
