#include "interpreter/cli/lr_find.hpp"

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <iostream>

#include <boost/program_options.hpp>

#include "interpreter/cli/sets.hpp"
#include "regimen/interpreter.hpp"
#include "runtime/io/atomic_file.hpp"
#include "runtime/io/svg_chart.hpp"
#include "runtime/io/terminal_chart.hpp"

namespace po = boost::program_options;

namespace regimen::cli {
namespace {

struct LrFindLine {
  std::string file;
  std::string out;
  std::vector<std::string> sets;
  LrFindOptions find;
  InterpreterOptions options;
  int width = 80;
  bool help = false;
};

bool parse(const std::vector<std::string>& args, LrFindLine& line) {
  po::options_description description("options");
  description.add_options()
      ("help,h", po::bool_switch(&line.help), "show this help")
      ("from", po::value(&line.find.from), "LR: the first step's learning rate (default 1e-7)")
      ("to", po::value(&line.find.to), "LR: the last step's learning rate (default 10)")
      ("steps", po::value(&line.find.steps), "N: mini-batches to sweep over (default 100)")
      ("out,o", po::value(&line.out), "FILE: the SVG to write (default: <recipe stem>.lr-find.svg)")
      ("set", po::value(&line.sets)->composing(), "NAME=VALUE: override param(NAME, default) in the recipe (repeatable)")
      ("seed", po::value<std::uint64_t>(), "N: override the recipe's seed")
      ("threads", po::value(&line.options.threads), "N: compute threads (default: every core)")
      ("width", po::value(&line.width), "COLS: width of the terminal chart (default 80)")
      ("trusted", po::bool_switch(&line.options.trusted), "lift the sandbox: give the recipe io, os, debug and package");
  const po::variables_map vm = parse_with_file(args, description, line.file);
  if (line.help) {
    std::cout << "usage: regimen lr-find FILE [options]\n\n"
                 "The learning-rate range test: trains the recipe's model for --steps mini-batches with the\n"
                 "learning rate growing exponentially from --from to --to, stops when the smoothed loss\n"
                 "diverges, and suggests a learning rate. Nothing is saved.\n\n"
              << description << "\n";
    return false;
  }
  if (line.file.empty()) throw po::error("missing the recipe FILE");
  if (vm.count("seed")) line.options.seed = vm["seed"].as<std::uint64_t>();
  if (!(line.find.from > 0.0 && line.find.to > line.find.from && std::isfinite(line.find.to)))
    throw po::error("need 0 < --from < --to");
  if (line.find.steps < 2) throw po::error("--steps must be >= 2");
  if (line.width < 30) throw po::error("--width must be >= 30");
  return true;
}

std::string format_lr(double lr) {
  char text[32];
  std::snprintf(text, sizeof text, "%.3g", lr);
  return text;
}

io::Chart chart_of(const LrFindResult& result, const std::string& name) {
  io::Chart chart;
  chart.title = "learning-rate range test of " + name;
  chart.x_label = "log10(lr)";
  std::vector<double> x;
  for (const double lr : result.lrs) x.push_back(std::log10(lr));
  chart.series.push_back(io::Series{"smoothed loss", "debiased moving average, beta 0.98", x, result.smoothed, "loss"});
  chart.series.push_back(io::Series{"loss", "each step's training loss", x, result.losses, "loss"});
  chart.x_marks = {std::log10(result.steepest_lr)};
  chart.empty_note = "(no step: the loss diverged at once)";
  return chart;
}

}  // namespace

int lr_find_command(const std::vector<std::string>& args) {
  LrFindLine line;
  if (!parse(args, line)) return 0;
  line.options.output = OutputMode::kQuiet;
  Interpreter interpreter(line.options);
  apply_sets(interpreter, line.sets);
  interpreter.load_file(line.file);
  const LrFindResult result = interpreter.find_lr(line.find);
  const std::string stem = std::filesystem::path(line.file).stem().string();
  if (result.lrs.empty()) {
    std::cerr << "lr-find: the loss diverged at the first step (lr " << format_lr(line.find.from) << "): try a smaller --from\n";
    return 1;
  }
  const io::Chart chart = chart_of(result, stem);
  std::cout << io::render_terminal(chart, io::TerminalChartOptions{line.width, 6});
  std::cout << "steps: " << result.lrs.size() << " of " << line.find.steps << ", lr " << format_lr(result.lrs.front())
            << " to " << format_lr(result.lrs.back()) << (result.diverged ? " (then the loss diverged)" : "") << "\n";
  std::cout << "suggested lr: " << format_lr(result.steepest_lr) << "  (where the smoothed loss falls fastest for its size)\n";
  std::cout << "cautious lr:  " << format_lr(result.min_lr / 10) << "  (a tenth of " << format_lr(result.min_lr)
            << ", where the smoothed loss is lowest)\n";
  const std::string out = line.out.empty() ? stem + ".lr-find.svg" : line.out;
  io::write_file_atomically(out, io::render_svg(chart));
  std::cout << "wrote " << out << "\n";
  return 0;
}

}  // namespace regimen::cli
