#include "interpreter/cli/plot.hpp"

#include <cstdint>
#include <filesystem>
#include <iostream>
#include <optional>

#include <boost/program_options.hpp>

#include "interpreter/cli/sets.hpp"
#include "regimen/interpreter.hpp"
#include "runtime/io/atomic_file.hpp"
#include "runtime/io/svg_chart.hpp"
#include "runtime/io/terminal_chart.hpp"
#include "runtime/option_check.hpp"

namespace po = boost::program_options;

namespace regimen::cli {
namespace {

constexpr int kMinWidth = 30;

struct PlotLine {
  std::string file;
  std::string expression;
  std::string out;
  std::vector<std::string> sets;
  std::optional<std::int64_t> steps;
  InterpreterOptions options;
  int width = 80;
  bool help = false;
};

// Returns false (after printing help) when --help was given.
bool parse(const std::vector<std::string>& args, PlotLine& line) {
  po::options_description description("options");
  description.add_options()
      ("help,h", po::bool_switch(&line.help), "show this help")
      ("expr,e", po::value(&line.expression), "EXPR: plot this schedule (a schedule, number or function(t, ctx)) instead of a recipe")
      ("steps", po::value<std::int64_t>(), "N: with -e, the run's length in optimizer steps (one epoch)")
      ("out,o", po::value(&line.out), "FILE: the SVG to write (default: <recipe stem>.schedules.svg, or schedule.svg for -e, in the current folder)")
      ("set", po::value(&line.sets)->composing(), "NAME=VALUE: override param(NAME, default) in the recipe (repeatable)")
      ("epochs", po::value<int>(), "N: number of epochs (overrides the recipe's)")
      ("width", po::value(&line.width), "COLS: width of the terminal chart (default 80)")
      ("trusted", po::bool_switch(&line.options.trusted), "lift the sandbox: give the recipe io, os, debug and package");
  const po::variables_map vm = parse_with_file(args, description, line.file);
  if (line.help) {
    std::cout << "usage: regimen plot FILE [options]\n"
                 "       regimen plot -e EXPR --steps N [options]\n\n"
                 "Draws every scheduled value (lr, scheduled optimizer options, dropout rates, batch size)\n"
                 "over the planned run: an SVG file, and a chart on standard output.\n\n"
              << description << "\n";
    return false;
  }
  const bool expression = vm.count("expr") > 0;
  if (expression && !line.file.empty()) throw po::error("give a recipe FILE or -e EXPR, not both");
  if (!expression && line.file.empty()) throw po::error("missing the recipe FILE (or -e EXPR)");
  if (expression && line.expression.empty()) throw po::error("-e needs an expression");
  if (vm.count("steps")) line.steps = vm["steps"].as<std::int64_t>();
  if (expression && !line.steps) throw po::error("-e needs --steps N (the run's length in optimizer steps)");
  if (line.steps && *line.steps <= 0) throw po::error("--steps must be > 0, got " + std::to_string(*line.steps));
  if (!expression && line.steps) {
    throw po::error("--steps applies to -e only (a recipe's steps come from its data, batch size and epochs; "
                    "use --epochs)");
  }
  if (vm.count("epochs")) {
    if (expression) throw po::error("--epochs applies to a recipe (with -e the run is --steps steps)");
    const int epochs = vm["epochs"].as<int>();
    if (epochs < 0) throw po::error("--epochs must be >= 0");
    line.options.epochs = epochs;
  }
  if (line.width < kMinWidth) throw po::error("--width must be >= " + std::to_string(kMinWidth));
  return true;
}

// As Lua's own REPL does: an expression first, else a chunk that returns the value.
void load_expression(Interpreter& interpreter, const std::string& expression) {
  try {
    interpreter.load_string("return " + expression, "-e");
  } catch (const Error& as_expression) {
    try {
      interpreter.load_string(expression, "-e");
    } catch (const Error&) {
      throw as_expression;
    }
  }
}

io::Chart chart_of(const SchedulePlan& plan, bool expression) {
  io::Chart chart;
  const std::string steps = format_number(plan.total_steps) + " steps";
  const std::size_t epochs = plan.epoch_starts.empty() ? 0 : plan.epoch_starts.size() - 1;
  chart.title = expression ? plan.name + " over " + steps
                           : "schedules of " + plan.name + ": " + std::to_string(epochs) + " epochs, " + steps;
  if (!expression) chart.x_marks = plan.epoch_starts;
  for (const PlannedSeries& s : plan.series) chart.series.push_back(io::Series{s.name, s.schedule, s.steps, s.values});
  return chart;
}

}  // namespace

int plot_command(const std::vector<std::string>& args) {
  PlotLine line;
  if (!parse(args, line)) return 0;
  const bool expression = !line.expression.empty();
  Interpreter interpreter(line.options);
  apply_sets(interpreter, line.sets);
  SchedulePlan plan;
  if (expression) {
    load_expression(interpreter, line.expression);
    plan = interpreter.plan_schedule(*line.steps);
    plan.name = line.expression;
  } else {
    interpreter.load_file(line.file);
    plan = interpreter.plan();
  }
  const io::Chart chart = chart_of(plan, expression);
  const std::string svg = io::render_svg(chart);
  std::cout << io::render_terminal(chart, io::TerminalChartOptions{line.width, 4});
  const std::string out = !line.out.empty() ? line.out
                          : expression      ? std::string("schedule.svg")
                                            : std::filesystem::path(line.file).stem().string() + ".schedules.svg";
  io::write_file_atomically(out, svg);
  std::cout << "wrote " << out << "\n";
  return 0;
}

}  // namespace regimen::cli
