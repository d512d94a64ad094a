// regimen: run, check and inspect training recipes from the shell.
// Exit codes: 0 ok, 1 runtime failure, 2 recipe or usage error.
#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

#include <boost/program_options.hpp>

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

const char* const kUsage =
    "usage: regimen <command> [options]\n"
    "\n"
    "commands:\n"
    "  run FILE     train the recipe in FILE (or run it as a script)\n"
    "  check FILE   validate FILE and print the resolved recipe, without training\n"
    "\n"
    "  regimen <command> --help   options of a command\n"
    "  regimen --version          the version\n";

struct CommandLine {
  std::string file;
  std::vector<std::string> sets;
  regimen::InterpreterOptions options;
  bool help = false;
};

po::options_description recipe_options(CommandLine& cl) {
  po::options_description description("options");
  description.add_options()
      ("help,h", po::bool_switch(&cl.help), "show this help")
      ("set", po::value(&cl.sets)->composing(), "NAME=VALUE: override param(NAME, default) in the recipe (repeatable)")
      ("trusted", po::bool_switch(&cl.options.trusted), "lift the sandbox: give the recipe io, os, debug and package");
  return description;
}

po::options_description run_options(CommandLine& cl) {
  po::options_description description = recipe_options(cl);
  description.add_options()
      ("seed", po::value<std::uint64_t>(), "N: seed for initialization, shuffling and dropout (overrides the recipe's)")
      ("threads", po::value(&cl.options.threads), "N: compute threads (default: every core)")
      ("epochs", po::value<int>(), "N: number of epochs (overrides the recipe's)")
      ("out", po::value(&cl.options.out_dir), "DIR: write metrics.jsonl into DIR");
  return description;
}

// Parses a subcommand's arguments; returns false (after printing help) when --help was given.
bool parse(const std::string& command, const std::vector<std::string>& args, CommandLine& cl) {
  po::options_description description = command == "run" ? run_options(cl) : recipe_options(cl);
  po::options_description hidden;
  hidden.add_options()("file", po::value(&cl.file));
  po::options_description all;
  all.add(description).add(hidden);
  po::positional_options_description positional;
  positional.add("file", 1);
  po::variables_map vm;
  po::store(po::command_line_parser(args).options(all).positional(positional).run(), vm);
  po::notify(vm);
  if (cl.help) {
    std::cout << "usage: regimen " << command << " FILE [options]\n\n" << description << "\n";
    return false;
  }
  if (cl.file.empty()) throw po::error("missing the recipe FILE");
  if (vm.count("seed")) cl.options.seed = vm["seed"].as<std::uint64_t>();
  if (vm.count("epochs")) {
    const int epochs = vm["epochs"].as<int>();
    if (epochs < 0) throw po::error("--epochs must be >= 0");
    cl.options.epochs = epochs;
  }
  if (cl.options.threads < 0) throw po::error("--threads must be >= 0");
  return true;
}

void apply_sets(regimen::Interpreter& interpreter, const std::vector<std::string>& sets) {
  for (const auto& set : sets) {
    const auto equals = set.find('=');
    if (equals == std::string::npos || equals == 0) throw po::error("--set expects NAME=VALUE, got '" + set + "'");
    interpreter.set_param(set.substr(0, equals), set.substr(equals + 1));
  }
}

int run_command(const std::string& command, const std::vector<std::string>& args) {
  CommandLine cl;
  if (!parse(command, args, cl)) return kOk;
  regimen::Interpreter interpreter(cl.options);
  apply_sets(interpreter, cl.sets);
  interpreter.load_file(cl.file);
  if (command == "check") {
    std::cout << interpreter.check();
  } else {
    interpreter.run();
  }
  return kOk;
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
  if (command != "run" && command != "check") {
    std::cerr << "regimen: unknown command '" << command << "'\n\n" << kUsage;
    return kUsageError;
  }
  args.erase(args.begin());
  try {
    return run_command(command, args);
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
