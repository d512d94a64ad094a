#include "runtime/optim/optimizer.hpp"

#include <stdexcept>

#include "runtime/error.hpp"
#include "runtime/optim/state_io.hpp"

namespace regimen::optim {

std::vector<std::byte> Optimizer::save_state() const {
  StateWriter out(name(), steps_);
  write_state(out);
  return out.take();
}

void Optimizer::load_state(std::span<const std::byte> bytes) {
  StateReader in(bytes, name());
  const std::int64_t steps = in.steps();
  read_state(in);
  if (!in.finished()) throw std::logic_error(name() + ": read_state must call finish() before committing");
  steps_ = steps;
}

void Optimizer::update_float64(std::span<double>, std::span<const double>, double) {
  throw InvalidArgument(name() + " cannot step float64 parameters");
}

void Optimizer::write_state(StateWriter&) const {
  throw std::logic_error(name() + " cannot save its state");
}

void Optimizer::read_state(StateReader&) {
  throw std::logic_error(name() + " cannot load a state");
}

}  // namespace regimen::optim
