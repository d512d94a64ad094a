// regimen: run, check and inspect training recipes from the shell.
// Exit codes: 0 ok, 1 runtime failure, 2 recipe or usage error, 130 interrupted (after a checkpoint).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <thread>
#include <string>
#include <vector>

#include <unistd.h>

#include <boost/program_options.hpp>

#include "interpreter/cli/interrupt.hpp"
#include "interpreter/cli/batch_find.hpp"
#include "interpreter/cli/lr_find.hpp"
#include "interpreter/cli/mpi/mpi_communicator.hpp"
#include "interpreter/cli/plot.hpp"
#include "interpreter/cli/resume.hpp"
#include "interpreter/cli/sets.hpp"
#include "interpreter/cli/sweep.hpp"
#include "regimen/interpreter.hpp"

namespace po = boost::program_options;

namespace {

// Idle OpenMP threads spin by default; on a machine with more runnable threads than cores the
// spinning thread starves the one it waits for, and an epoch takes 10x longer. A short spin
// keeps most of the quiet-machine speed. libgomp reads its settings in a constructor that runs
// before main(), so this runs earlier still, from .preinit_array; the user's own settings win.
void bound_openmp_spinning(int, char**, char**) {
  if (std::getenv("OMP_WAIT_POLICY") == nullptr) setenv("GOMP_SPINCOUNT", "10000", 0);
}
__attribute__((section(".preinit_array"), used)) void (*const kBoundOpenmpSpinning)(int, char**, char**) =
    bound_openmp_spinning;

constexpr int kOk = 0;
constexpr int kRuntimeFailure = 1;
constexpr int kUsageError = 2;
constexpr int kInterrupted = 130;  // 128 + SIGINT, as shells report it

const char* const kUsage =
    "usage: regimen <command> [options]\n"
    "\n"
    "commands:\n"
    "  run FILE     train the recipe in FILE (or run it as a script)\n"
    "  run --resume DIR   continue the run in DIR from its newest checkpoint\n"
    "  check FILE   validate FILE and print the resolved recipe, without training\n"
    "  plot FILE    draw the recipe's schedules over its planned run (SVG and terminal)\n"
    "  plot -e EXPR --steps N   draw one schedule\n"
    "  lr-find FILE the learning-rate range test: sweep the lr, chart the loss, suggest a rate\n"
    "  batch-find FILE  the largest batch that fits a memory budget, and the speed of each size\n"
    "  sweep FILE   train once per point of a grid or random search over param()s, rank the trials\n"
    "\n"
    "  regimen <command> --help   options of a command\n"
    "  regimen --version          the version\n";

struct CommandLine {
  std::string file;
  std::vector<std::string> sets;
  regimen::InterpreterOptions options;
  bool help = false;
  bool no_out = false;
  std::string origin;  ///< with --resume: the recipe file DIR/recipe.lua is a copy of
  bool quiet = false;
  bool json = false;
};

// The Lua hook enforces --timeout in Lua code; this enforces it everywhere else (a long epoch,
// a C function that does not return), a grace period later.
void start_watchdog(double seconds) {
  if (seconds <= 0) return;
  const double grace = std::max(1.0, 0.1 * seconds);
  std::thread([seconds, grace] {
    std::this_thread::sleep_for(std::chrono::duration<double>(seconds + grace));
    std::fprintf(stderr, "regimen: time limit of %g s exceeded\n", seconds);
    std::fflush(stderr);
    std::_Exit(kRuntimeFailure);
  }).detach();
}

po::options_description recipe_options(CommandLine& cl) {
  po::options_description description("options");
  description.add_options()
      ("help,h", po::bool_switch(&cl.help), "show this help")
      ("set", po::value(&cl.sets)->composing(), "NAME=VALUE: override param(NAME, default) in the recipe (repeatable)")
      ("trusted", po::bool_switch(&cl.options.trusted), "lift the sandbox: give the recipe io, os, debug and package")
      ("max-memory", po::value(&cl.options.max_memory_mb), "MB: limit the Lua heap (default 1024 in the sandbox, none with --trusted)")
      ("timeout", po::value(&cl.options.timeout_seconds), "S: stop with an error after S seconds of wall-clock time")
      ("max-instructions", po::value(&cl.options.max_instructions), "N: stop Lua code after N instructions");
  return description;
}

po::options_description run_options(CommandLine& cl) {
  po::options_description description = recipe_options(cl);
  description.add_options()
      ("seed", po::value<std::uint64_t>(), "N: seed for initialization, shuffling and dropout (overrides the recipe's)")
      ("threads", po::value(&cl.options.threads), "N: compute threads (default: every core)")
      ("epochs", po::value<int>(), "N: number of epochs (overrides the recipe's)")
      ("out", po::value(&cl.options.out_dir), "DIR: the run directory: metrics.jsonl, metrics.csv, recipe.txt, "
                                              "model.safetensors, curves.svg (default runs/<recipe>-<time>)")
      ("no-out", po::bool_switch(&cl.no_out), "write no run directory")
      ("resume", po::value<std::string>(), "DIR: continue the run in DIR (runs/NAME) from its newest valid checkpoint, "
                                           "with the recipe and --set values it was started with")
      ("quiet,q", po::bool_switch(&cl.quiet), "print nothing per epoch, only the final test metrics line")
      ("json", po::bool_switch(&cl.json), "print one JSON object per epoch, then one with the stop reason and test metrics");
  return description;
}

// Parses a subcommand's arguments; returns false (after printing help) when --help was given.
bool parse(const std::string& command, const std::vector<std::string>& args, CommandLine& cl) {
  po::options_description description = command == "run" ? run_options(cl) : recipe_options(cl);
  const po::variables_map vm = regimen::cli::parse_with_file(args, description, cl.file);
  if (cl.help) {
    std::cout << "usage: regimen " << command << " FILE [options]\n\n" << description << "\n";
    return false;
  }
  if (vm.count("resume")) {
    for (const char* option : {"set", "seed", "epochs", "out", "no-out"})
      if (vm.count(option) && !vm[option].defaulted())
        throw po::error(std::string("--resume takes the recipe and its settings from the run directory; drop --") + option);
    if (cl.no_out) throw po::error("--resume takes the recipe and its settings from the run directory; drop --no-out");
    if (!cl.file.empty()) throw po::error("--resume takes no recipe FILE (it runs DIR/recipe.lua)");
    const std::string directory = vm["resume"].as<std::string>();
    regimen::cli::ResumeRequest resume = regimen::cli::read_resume(directory);
    cl.file = resume.recipe;
    cl.origin = resume.origin;
    cl.sets = resume.sets;
    cl.options.seed = resume.seed;
    cl.options.epochs = resume.epochs;
    cl.options.out_dir = directory;
    cl.options.resume = true;
  }
  if (cl.file.empty()) throw po::error("missing the recipe FILE");
  if (vm.count("seed")) cl.options.seed = vm["seed"].as<std::uint64_t>();
  if (vm.count("epochs")) {
    const int epochs = vm["epochs"].as<int>();
    if (epochs < 0) throw po::error("--epochs must be >= 0");
    cl.options.epochs = epochs;
  }
  if (cl.no_out && vm.count("out")) throw po::error("--out and --no-out exclude each other");
  if (cl.options.out_dir.empty() && vm.count("out")) throw po::error("--out needs a directory");
  if (command == "run" && !cl.no_out) cl.options.runs_dir = "runs";  // used when --out is not given
  if (cl.options.threads < 0) throw po::error("--threads must be >= 0");
  if (cl.quiet && cl.json) throw po::error("--quiet and --json exclude each other");
  // A progress line only where someone watches it; piped output stays one line per epoch.
  cl.options.output = cl.json    ? regimen::OutputMode::kJson
                      : cl.quiet ? regimen::OutputMode::kQuiet
                      : isatty(STDOUT_FILENO) ? regimen::OutputMode::kProgress
                                              : regimen::OutputMode::kLines;
  if (!(cl.options.max_memory_mb >= 0)) throw po::error("--max-memory must be >= 0");
  if (!(cl.options.timeout_seconds >= 0)) throw po::error("--timeout must be >= 0");
  if (!vm.count("max-memory") && !cl.options.trusted) cl.options.max_memory_mb = regimen::cli::kDefaultSandboxMemoryMb;
  return true;
}

// Prints the exception in flight as `command`'s failure; returns its exit code.
int report_failure(const std::string& command) {
  try {
    throw;
  } catch (const po::error& e) {
    std::cerr << "regimen " << command << ": " << e.what() << "\n(see regimen " << command << " --help)\n";
    return kUsageError;
  } catch (const regimen::Error& e) {
    std::cerr << e.what() << "\n";
    return e.exit_code();
  } catch (const std::exception& e) {
    std::cerr << "regimen: " << e.what() << "\n";
    return kRuntimeFailure;
  }
}

// Under mpirun, every rank trains its shard; rank 0 alone prints and writes the run directory
// (the others' stdout goes nowhere, their errors still show). With --resume, rank 0 reads the
// checkpoint and hands its state to the others.
void join_ranks(CommandLine& cl, regimen::train::Communicator& ranks) {
  cl.options.ranks = &ranks;
  if (ranks.rank() == 0) return;
  cl.options.out_dir.clear();
  cl.options.runs_dir.clear();
  cl.options.resume = false;
  regimen::cli::silence_stdout();
}

int run_parsed(const std::string& command, CommandLine& cl);

int run_command(const std::string& command, const std::vector<std::string>& args, regimen::train::Communicator* ranks) {
  CommandLine cl;
  if (!parse(command, args, cl)) return kOk;
  if (ranks) join_ranks(cl, *ranks);
  return run_parsed(command, cl);
}

int run_parsed(const std::string& command, CommandLine& cl) {
  start_watchdog(cl.options.timeout_seconds);
  if (command == "run") cl.options.interrupt = regimen::cli::install_interrupt_handlers();
  regimen::Interpreter interpreter(cl.options);
  regimen::cli::apply_sets(interpreter, cl.sets);
  interpreter.load_file(cl.file, cl.origin);
  if (command == "check") {
    std::cout << interpreter.check();
    return kOk;
  }
  const regimen::RunResult result = interpreter.run();
  if (!result.interrupted) return kOk;
  if (cl.options.ranks && cl.options.ranks->rank() != 0) return kInterrupted;  // rank 0 says where it resumes
  std::cout.flush();
  std::cerr << "interrupted at epoch " << result.interrupted_epoch << ", step " << result.interrupted_step;
  if (result.checkpoint.empty()) {
    std::cerr << " (no run directory, so no checkpoint)\n";
  } else {
    std::cerr << "; resume with: regimen run --resume " << result.run_dir << "\n";
  }
  return kInterrupted;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty()) {
    std::cerr << kUsage;
    return kUsageError;
  }
  const std::string command = args.front();
  if (command == "--version" || command == "version") {
    std::cout << "regimen " << regimen::version() << "\n";
    return kOk;
  }
  if (command == "--help" || command == "-h" || command == "help") {
    std::cout << kUsage;
    return kOk;
  }
  if (command != "run" && command != "check" && command != "plot" && command != "lr-find" &&
      command != "batch-find" && command != "sweep") {
    std::cerr << "regimen: unknown command '" << command << "'\n\n" << kUsage;
    return kUsageError;
  }
  args.erase(args.begin());
  std::unique_ptr<regimen::train::Communicator> ranks;  // under mpirun: MPI stays up until return
  try {
    if (command == "plot") return regimen::cli::plot_command(args);
    if (command == "lr-find") return regimen::cli::lr_find_command(args);
    if (command == "batch-find") return regimen::cli::batch_find_command(args);
    if (command == "run" || command == "sweep") ranks = regimen::cli::join_mpi_job();
    if (command == "sweep") return regimen::cli::sweep_command(args, ranks.get());
    return run_command(command, args, ranks.get());
  } catch (...) {
    // A mistake every rank makes (a usage error, a recipe's) is said once: rank 0's abort ends
    // the others before they speak. A rank that fails alone still says why, a second later.
    if (ranks && ranks->rank() != 0) std::this_thread::sleep_for(std::chrono::seconds(1));
    const int code = report_failure(command);
    if (ranks) regimen::cli::abort_mpi_job(code);  // the other ranks wait in a collective
    return code;
  }
}
