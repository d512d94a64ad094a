#include "interpreter/cli/interrupt.hpp"

#include <csignal>

namespace regimen::cli {
namespace {

std::atomic<bool> interrupted{false};
static_assert(std::atomic<bool>::is_always_lock_free, "a signal handler may only touch lock-free atomics");

void raise_flag(int) { interrupted.store(true); }

}  // namespace

const std::atomic<bool>* install_interrupt_handlers() {
  struct sigaction action {};
  action.sa_handler = raise_flag;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESTART;
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);
  return &interrupted;
}

}  // namespace regimen::cli
