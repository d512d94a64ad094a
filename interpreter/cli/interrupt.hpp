#pragma once
// SIGINT and SIGTERM during `regimen run`: the handler only raises a flag; the trainer sees it
// after the current step, writes a checkpoint and stops (exit code 130). Further signals while
// it does so raise the flag again and change nothing.
#include <atomic>

namespace regimen::cli {

/// Installs the handlers (once) and returns the flag they raise.
const std::atomic<bool>* install_interrupt_handlers();

}  // namespace regimen::cli
