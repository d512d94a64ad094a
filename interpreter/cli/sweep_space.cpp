#include "interpreter/cli/sweep_space.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <set>

#include <boost/program_options.hpp>

namespace po = boost::program_options;

namespace regimen::cli {
namespace {

// Splits "NAME=REST"; a missing NAME or '=' is a usage error.
std::pair<std::string, std::string> split_name(const std::string& option, const std::string& spec, const char* form) {
  const auto equals = spec.find('=');
  if (equals == std::string::npos || equals == 0)
    throw po::error(option + " expects " + form + ", got '" + spec + "'");
  return {spec.substr(0, equals), spec.substr(equals + 1)};
}

std::vector<std::string> split(const std::string& text, char separator) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (true) {
    const auto at = text.find(separator, start);
    parts.push_back(text.substr(start, at == std::string::npos ? std::string::npos : at - start));
    if (at == std::string::npos) return parts;
    start = at + 1;
  }
}

bool read_number(const std::string& text, double& value) {
  if (text.empty()) return false;
  char* end = nullptr;
  value = std::strtod(text.c_str(), &end);
  return end == text.c_str() + text.size() && std::isfinite(value);
}

// Four significant digits: readable, and a trial is the --set text it runs with, so rerunning
// that text reproduces it exactly.
std::string format_value(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.4g", value);
  return text;
}

// A uniform double in [0, 1) from the top 53 bits: unlike std::uniform_real_distribution, the
// same on every standard library.
double unit(std::mt19937_64& generator) { return static_cast<double>(generator() >> 11) * 0x1.0p-53; }

}  // namespace

SweepAxis parse_grid(const std::string& spec) {
  auto [name, list] = split_name("--grid", spec, "NAME=V1,V2,...");
  SweepAxis axis;
  axis.name = name;
  axis.option = "--grid";
  if (list.empty()) throw po::error("--grid " + spec + ": an empty list of values");
  axis.values = split(list, ',');
  std::set<std::string> seen;
  for (const auto& value : axis.values) {
    if (value.empty()) throw po::error("--grid " + spec + ": an empty value in the list");
    if (!seen.insert(value).second) throw po::error("--grid " + spec + ": the value '" + value + "' twice");
  }
  return axis;
}

SweepAxis parse_range(const std::string& spec) {
  auto [name, text] = split_name("--range", spec, "NAME=LOW:HIGH[:lin|log|int]");
  SweepAxis axis;
  axis.name = name;
  axis.option = "--range";
  const std::vector<std::string> parts = split(text, ':');
  const std::string where = "--range " + spec + ": ";
  if (parts.size() < 2 || parts.size() > 3) throw po::error(where + "expected LOW:HIGH[:lin|log|int]");
  if (!read_number(parts[0], axis.low)) throw po::error(where + "cannot read '" + parts[0] + "' as a number");
  if (!read_number(parts[1], axis.high)) throw po::error(where + "cannot read '" + parts[1] + "' as a number");
  if (parts.size() == 3) axis.scale = parts[2];
  if (axis.scale != "lin" && axis.scale != "log" && axis.scale != "int")
    throw po::error(where + "unknown scale '" + axis.scale + "' (lin, log or int)");
  if (!(axis.low < axis.high)) throw po::error(where + "LOW must be below HIGH");
  if (axis.scale == "log" && !(axis.low > 0)) throw po::error(where + "a log scale needs LOW > 0");
  if (axis.scale == "int" && (axis.low != std::floor(axis.low) || axis.high != std::floor(axis.high)))
    throw po::error(where + "an int scale needs whole LOW and HIGH");
  return axis;
}

std::vector<SweepTrial> plan_grid(const std::vector<SweepAxis>& axes) {
  std::vector<SweepTrial> trials{SweepTrial{}};
  for (const SweepAxis& axis : axes) {
    std::vector<SweepTrial> grown;
    for (const SweepTrial& trial : trials) {
      for (const std::string& value : axis.values) {
        SweepTrial next = trial;
        next.params.emplace_back(axis.name, value);
        grown.push_back(std::move(next));
      }
    }
    trials = std::move(grown);
  }
  for (std::size_t i = 0; i < trials.size(); ++i) trials[i].index = static_cast<int>(i);
  return trials;
}

std::vector<SweepTrial> plan_random(const std::vector<SweepAxis>& axes, int count, std::uint64_t seed) {
  std::mt19937_64 generator(seed);
  std::vector<SweepTrial> trials;
  for (int i = 0; i < count; ++i) {
    SweepTrial trial;
    trial.index = i;
    for (const SweepAxis& axis : axes) {
      const double u = unit(generator);
      double value = axis.low + u * (axis.high - axis.low);
      if (axis.scale == "log") value = std::exp(std::log(axis.low) + u * (std::log(axis.high) - std::log(axis.low)));
      if (axis.scale == "int") value = std::min(axis.high, std::floor(axis.low + u * (axis.high - axis.low + 1)));
      trial.params.emplace_back(axis.name, format_value(value));
    }
    trials.push_back(std::move(trial));
  }
  return trials;
}

std::string trial_name(int index, const char* suffix) { return "trial-" + std::to_string(index) + suffix; }

std::vector<std::string> trial_sets(const SweepTrial& trial, const std::vector<std::string>& fixed) {
  std::vector<std::string> sets = fixed;
  for (const auto& [name, value] : trial.params) sets.push_back(name + "=" + value);
  return sets;
}

}  // namespace regimen::cli
