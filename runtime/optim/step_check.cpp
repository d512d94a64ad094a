#include "runtime/optim/step_check.hpp"

#include <string>

#include "runtime/error.hpp"
#include "runtime/option_check.hpp"
#include "runtime/schedule/deferred.hpp"

namespace regimen::optim {

void check_step(std::size_t params_size, std::size_t grads_size, std::size_t state_size, double lr) {
  if (grads_size != params_size) {
    throw InvalidArgument("grads has " + std::to_string(grads_size) + " elements but params has " +
                          std::to_string(params_size));
  }
  if (state_size != 0 && state_size != params_size) {
    throw InvalidArgument("params has " + std::to_string(params_size) +
                          " elements but the optimizer's state was sized for " +
                          std::to_string(state_size) + " on its first step");
  }
  require_non_negative("lr", lr);
}

void check_lr_schedule(const schedule::SchedulePtr& lr) {
  if (!lr) throw InvalidArgument("lr must be a number or a schedule, got nothing");
  // A schedule that needs the run (lengths in epochs, a Lua function) is checked at every step.
  if (schedule::depends_on_run(lr)) return;
  require_non_negative("lr", (*lr)(0.0));
}

}  // namespace regimen::optim
