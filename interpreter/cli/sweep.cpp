#include "interpreter/cli/sweep.hpp"

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <optional>
#include <set>

#include <boost/program_options.hpp>
#include <nlohmann/json.hpp>

#include "interpreter/cli/mpi/mpi_communicator.hpp"
#include "interpreter/cli/sets.hpp"
#include "interpreter/cli/sweep_directory.hpp"
#include "interpreter/cli/sweep_groups.hpp"
#include "interpreter/cli/sweep_report.hpp"
#include "interpreter/cli/sweep_space.hpp"
#include "interpreter/cli/sweep_trials.hpp"
#include "regimen/interpreter.hpp"
#include "runtime/io/atomic_file.hpp"

namespace po = boost::program_options;
namespace fs = std::filesystem;
using nlohmann::json;

namespace regimen::cli {
namespace {

struct SweepLine {
  std::string file;
  std::vector<std::string> grids, ranges, sets;
  int random = 0;
  std::uint64_t seed = 0;
  std::string metric = "val_loss";
  std::string mode = "min";
  std::string prune;
  int warmup = 1;
  int jobs = 1;
  int threads = 1;
  int ranks_per_trial = 1;
  std::string out;
  bool trusted = false;
  bool help = false;
};

po::options_description options_of(SweepLine& line) {
  po::options_description description("options");
  description.add_options()
      ("help,h", po::bool_switch(&line.help), "show this help")
      ("grid", po::value(&line.grids)->composing(), "NAME=V1,V2,...: try each value (repeatable: every combination)")
      ("random", po::value(&line.random), "N: N trials drawn from the --range specs")
      ("range", po::value(&line.ranges)->composing(), "NAME=LOW:HIGH[:lin|log|int]: where --random draws NAME (repeatable)")
      ("seed", po::value(&line.seed), "N: seeds --random's draws (default 0); the recipe's own seed is untouched")
      ("metric", po::value(&line.metric), "NAME: the per-epoch metric to rank by (default val_loss)")
      ("mode", po::value(&line.mode), "min|max: whether a lower or a higher metric is better (default min)")
      ("prune", po::value(&line.prune), "median: stop a trial worse than the median of the finished ones at an epoch; none: never")
      ("warmup", po::value(&line.warmup), "E: prune from epoch E on (default 1)")
      ("jobs,j", po::value(&line.jobs), "N: trials run at once, each its own process (default 1)")
      ("threads", po::value(&line.threads), "N: compute threads of each trial (default 1)")
      ("ranks-per-trial", po::value(&line.ranks_per_trial), "K: under mpirun, groups of K ranks train each trial together, "
                                                            "data-parallel (default 1: a trial per rank)")
      ("set", po::value(&line.sets)->composing(), "NAME=VALUE: a fixed param(NAME) for every trial (repeatable)")
      ("out", po::value(&line.out), "DIR: the sweep directory (default runs/<recipe>-sweep)")
      ("trusted", po::bool_switch(&line.trusted), "lift the sandbox: give the recipe io, os, debug and package");
  return description;
}

// FILE's sweep{...}, when it returns one (evaluated in the sandbox unless --trusted).
std::optional<SweepDeclaration> declaration_in(const SweepLine& line) {
  InterpreterOptions options;
  options.output = OutputMode::kQuiet;
  options.trusted = line.trusted;
  options.threads = 1;
  Interpreter interpreter(options);
  interpreter.load_file(line.file);
  return interpreter.declared_sweep();
}

// The declaration as the command line it stands for; a setting the command line gives itself
// is left out (the command line wins).
std::vector<std::string> arguments_of(const SweepDeclaration& sweep, const po::variables_map& given) {
  std::vector<std::string> args = {sweep.recipe};
  for (const auto& [name, values] : sweep.grid) {
    std::string list;
    for (const auto& value : values) list += (list.empty() ? "" : ",") + value;
    args.insert(args.end(), {"--grid", name + "=" + list});
  }
  for (const auto& [name, spec] : sweep.ranges) args.insert(args.end(), {"--range", name + "=" + spec});
  for (const auto& [name, value] : sweep.sets) args.insert(args.end(), {"--set", name + "=" + value});
  for (const auto& [option, value] : sweep.options)
    if (!given.count(option)) args.insert(args.end(), {"--" + option, value});
  return args;
}

// The file's --set values with the command line's, one per name: the command line's win.
std::vector<std::string> merged_sets(const std::vector<std::string>& from_file, const std::vector<std::string>& given) {
  const auto name_of = [](const std::string& set) { return set.substr(0, set.find('=')); };
  std::vector<std::string> merged;
  for (const auto& set : from_file) {
    const bool overridden = std::any_of(given.begin(), given.end(), [&](const auto& g) { return name_of(g) == name_of(set); });
    if (!overridden) merged.push_back(set);
  }
  merged.insert(merged.end(), given.begin(), given.end());
  return merged;
}

// Reads `args`; false after --help. A FILE that declares sweep{...} brings the search space and
// any setting the command line leaves out; `declared_at` is then the declaration's "file:line".
bool parse(const std::vector<std::string>& args, SweepLine& line, std::string& declared_at) {
  po::options_description description = options_of(line);
  po::variables_map vm = parse_with_file(args, description, line.file);
  if (line.help) {
    std::cout << "usage: regimen sweep FILE (--grid NAME=V1,V2,... | --random N --range NAME=LOW:HIGH[:SCALE]) [options]\n"
                 "       regimen sweep SWEEP_FILE [options]   (a file that returns sweep{recipe = ..., grid = {...}})\n\n"
                 "Trains FILE once per trial, each with its own --set values, in child processes; ranks the\n"
                 "trials by their best epoch's metric. Running the same command again runs only unfinished trials.\n\n"
              << description << "\n";
    return false;
  }
  if (line.file.empty()) throw po::error("missing the recipe FILE");
  bool random_given = vm.count("random") > 0;
  if (line.grids.empty() && !random_given && line.ranges.empty()) {
    if (const auto declared = declaration_in(line)) {
      const std::vector<std::string> given_sets = line.sets;
      const po::variables_map from_file = parse_with_file(arguments_of(*declared, vm), description, line.file);
      line.sets = merged_sets(line.sets, given_sets);
      random_given = random_given || from_file.count("random") > 0;
      declared_at = declared->where;
    }
  }
  if (!line.grids.empty() && random_given) throw po::error("--grid and --random exclude each other");
  if (line.grids.empty() && !random_given)
    throw po::error("give --grid NAME=V1,V2,... or --random N with --range, or make FILE return sweep{recipe = ..., grid = {...}}");
  if (random_given && line.random < 1) throw po::error("--random must be >= 1");
  if (random_given && line.ranges.empty()) throw po::error("--random needs at least one --range NAME=LOW:HIGH");
  if (!line.ranges.empty() && !random_given) throw po::error("--range needs --random N");
  if (line.mode != "min" && line.mode != "max") throw po::error("--mode must be min or max, got '" + line.mode + "'");
  if (line.prune == "none") line.prune.clear();
  if (!line.prune.empty() && line.prune != "median") throw po::error("--prune: unknown pruner '" + line.prune + "' (median or none)");
  if (line.warmup < 1) throw po::error("--warmup must be >= 1");
  if (line.jobs < 1) throw po::error("--jobs must be >= 1");
  if (line.ranks_per_trial < 1) throw po::error("--ranks-per-trial must be >= 1");
  if (line.ranks_per_trial > 1 && line.jobs > 1)
    throw po::error("--ranks-per-trial: a group of ranks trains one trial at a time; drop --jobs");
  if (line.threads < 0) throw po::error("--threads must be >= 0");
  if (line.metric.empty()) throw po::error("--metric needs a name");
  return true;
}

std::vector<SweepAxis> axes_of(const SweepLine& line) {
  std::vector<SweepAxis> axes;
  for (const auto& spec : line.grids) axes.push_back(parse_grid(spec));
  for (const auto& spec : line.ranges) axes.push_back(parse_range(spec));
  std::set<std::string> names;
  for (const auto& axis : axes)
    if (!names.insert(axis.name).second) throw po::error(axis.option + " " + axis.name + ": the parameter is swept twice");
  for (const auto& set : line.sets) {
    const std::string name = set.substr(0, set.find('='));
    if (names.count(name)) throw po::error("--set " + set + ": " + name + " is swept; drop the --set");
  }
  return axes;
}

// Loads and checks the recipe with the first trial's values, so a name it never reads is a usage
// error before any trial starts; the interpreter's message names the option it came from.
void check_names(const SweepLine& line, const std::vector<SweepAxis>& axes, const SweepTrial& first) {
  InterpreterOptions options;
  options.output = OutputMode::kQuiet;
  options.trusted = line.trusted;
  options.threads = 1;
  Interpreter interpreter(options);
  apply_sets(interpreter, trial_sets(first, line.sets));
  interpreter.load_file(line.file);
  try {
    interpreter.check();
  } catch (const Error& e) {
    std::string message = e.what();
    for (const auto& axis : axes) {
      const std::string prefix = "--set " + axis.name + "=";
      const auto colon = message.find(": ");
      if (message.rfind(prefix, 0) == 0 && colon != std::string::npos)
        message = axis.option + " " + axis.name + message.substr(colon);
    }
    throw Error(e.kind(), message);
  }
}

json plan_json(const SweepLine& line, const std::vector<SweepTrial>& trials) {
  json plan = {{"recipe", line.file}, {"metric", line.metric}, {"mode", line.mode},   {"prune", line.prune},
               {"warmup", line.warmup}, {"threads", line.threads}, {"sets", line.sets}, {"trials", json::array()}};
  for (const SweepTrial& trial : trials) {
    json params = json::array();
    for (const auto& [name, value] : trial.params) params.push_back({name, value});
    plan["trials"].push_back({{"trial", trial.index}, {"params", params}});
  }
  return plan;
}

// --ranks-per-trial K needs mpirun with a multiple of K ranks.
void check_groups(const SweepLine& line, const train::Communicator* ranks) {
  if (line.ranks_per_trial == 1) return;
  const std::string option = "--ranks-per-trial " + std::to_string(line.ranks_per_trial);
  if (ranks == nullptr)
    throw po::error(option + ": run the sweep under mpirun with a multiple of " + std::to_string(line.ranks_per_trial) +
                    " ranks (mpirun -np " + std::to_string(2 * line.ranks_per_trial) + " regimen sweep ...)");
  if (ranks->size() % line.ranks_per_trial != 0)
    throw po::error(option + " does not divide the job's " + std::to_string(ranks->size()) + " ranks into groups");
}

std::string describe(const SweepTrial& trial) {
  std::string text;
  for (const auto& [name, value] : trial.params) text += (text.empty() ? "" : " ") + name + "=" + value;
  return text;
}

}  // namespace

int sweep_command(const std::vector<std::string>& args, train::Communicator* ranks) {
  SweepLine line;
  std::string declared_at;
  std::vector<SweepAxis> axes;
  std::vector<SweepTrial> trials;
  try {
    if (!parse(args, line, declared_at)) return 0;
    check_groups(line, ranks);
    axes = axes_of(line);
    trials = line.grids.empty() ? plan_random(axes, line.random, line.seed) : plan_grid(axes);
    check_names(line, axes, trials.front());
  } catch (const po::error& e) {  // a declared sweep's mistake points at its sweep{...}
    if (declared_at.empty()) throw;
    throw Error(Error::Kind::kRecipe, declared_at + ": sweep: " + e.what());
  } catch (const Error& e) {
    if (declared_at.empty()) throw;
    throw Error(e.kind(), declared_at + ": sweep: " + e.what());
  }
  const fs::path dir = line.out.empty() ? fs::path("runs") / (fs::path(line.file).stem().string() + "-sweep") : fs::path(line.out);
  const bool leader = ranks == nullptr || ranks->rank() == 0;
  if (leader) {
    fs::create_directories(dir);
    settle_plan(dir, plan_json(line, trials));
    clear_unfinished(dir, trials);
  }
  if (ranks) {
    wait_for_all_ranks(*ranks);  // the plan is settled and the unfinished trials cleared
    if (!leader) silence_stdout();
  }

  std::vector<TrialOutcome> outcomes;
  std::vector<SweepTrial> to_run;
  for (const SweepTrial& trial : trials) {
    if (auto outcome = read_result(dir, trial.index)) {
      outcomes.push_back(*outcome);
    } else {
      to_run.push_back(trial);
    }
  }
  std::cout << "sweep of " << trials.size() << " trials into " << dir.string();
  if (ranks) std::cout << " by " << ranks->size() << " ranks";
  if (line.ranks_per_trial > 1) std::cout << " in groups of " << line.ranks_per_trial;
  if (!outcomes.empty()) std::cout << " (" << outcomes.size() << " already finished)";
  std::cout << ", " << line.jobs << " at a time\n" << std::flush;

  TrialRunnerOptions runner;
  runner.file = line.file;
  runner.sets = line.sets;
  runner.threads = line.threads;
  runner.trusted = line.trusted;
  runner.sweep_dir = dir.string();
  runner.metric = line.metric;
  runner.maximize = line.mode == "max";
  runner.jobs = line.jobs;
  runner.prune = line.prune == "median";
  runner.warmup = line.warmup;
  runner.finished = outcomes;
  if (ranks) {
    runner.claim = [&](const SweepTrial& trial) { return claim_trial(dir, trial.index); };
    runner.done_values = [&] {  // every rank's done trials, from their result.json files
      std::vector<std::vector<double>> done;
      for (const TrialOutcome& outcome : outcomes_in(dir, trials))
        if (outcome.status == TrialStatus::kDone) done.push_back(outcome.values);
      return done;
    };
  }
  const auto on_finish = [&](const SweepTrial& trial, const TrialOutcome& outcome) {
    write_result(dir, trial, outcome, ranks != nullptr);  // a failure marked for rank 0's leaderboard; a rerun retries it
    const int best = best_epoch_index(outcome.values, runner.maximize);
    std::cout << "trial " << trial.index << "  " << describe(trial) << "  " << status_name(outcome.status);
    if (best >= 0) std::cout << "  " << line.metric << " " << outcome.values[static_cast<std::size_t>(best)] << " at epoch " << best + 1;
    if (!outcome.message.empty()) std::cout << "  (" << outcome.message << ")";
    std::cout << "\n" << std::flush;
    outcomes.push_back(outcome);
  };
  try {
    if (line.ranks_per_trial > 1) {
      run_trials_in_group(to_run, runner, *split_mpi_job(*ranks, line.ranks_per_trial), on_finish);
    } else {
      run_trials(to_run, runner, on_finish);
    }
  } catch (const po::error&) {  // an unknown --metric: with nothing finished, a corrected command starts afresh
    if (outcomes.empty()) fs::remove(dir / "trials.json");
    throw;
  }
  if (ranks) {
    wait_for_all_ranks(*ranks);  // every trial has ended, on whichever rank
    if (!leader) return 0;
    outcomes = outcomes_in(dir, trials);
    remove_claims(dir, trials);
  }
  std::sort(outcomes.begin(), outcomes.end(), [](const auto& a, const auto& b) { return a.index < b.index; });

  const Leaderboard board = make_leaderboard(trials, outcomes, line.metric, runner.maximize, dir.string());
  std::cout << "\n" << leaderboard_table(board);
  io::write_file_atomically((dir / "leaderboard.csv").string(), leaderboard_csv(board));
  io::write_file_atomically((dir / "leaderboard.md").string(), leaderboard_markdown(board));
  const std::string chart = (dir / (line.metric + ".svg")).string();
  io::write_file_atomically(chart, sweep_chart_svg(outcomes, line.metric, line.metric + " of each trial of " + line.file));
  std::cout << "wrote " << (dir / "leaderboard.csv").string() << ", leaderboard.md, " << line.metric << ".svg\n";

  const auto best = std::find_if(board.rows.begin(), board.rows.end(),
                                 [](const LeaderboardRow& row) { return row.status == TrialStatus::kDone && row.best_epoch > 0; });
  if (best == board.rows.end()) {
    std::cerr << "sweep: no trial finished with a finite " << line.metric << "\n";
    return 1;
  }
  std::cout << "best: trial " << best->trial << ", " << line.metric << " " << best->metric << " at epoch " << best->best_epoch
            << "\n  regimen run " << line.file;
  for (const auto& set : line.sets) std::cout << " --set " << set;
  for (std::size_t i = 0; i < board.names.size(); ++i) std::cout << " --set " << board.names[i] << "=" << best->values[i];
  std::cout << "\n";
  return 0;
}

}  // namespace regimen::cli
