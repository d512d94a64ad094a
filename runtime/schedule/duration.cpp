#include "runtime/schedule/duration.hpp"

#include <cctype>
#include <cmath>
#include <cstdlib>

#include "runtime/error.hpp"

namespace regimen::schedule {
namespace {

[[noreturn]] void bad(std::string_view text, std::string_view option) {
  throw InvalidArgument("bad duration '" + std::string(text) + "'" +
                        (option.empty() ? "" : " for " + std::string(option)) +
                        " (write a number of steps, or a string such as '5 epochs', '200 steps' or '10%')");
}

bool is_space(char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; }

}  // namespace

Duration Duration::parse(std::string_view text, std::string_view option) {
  std::size_t i = 0;
  while (i < text.size() && is_space(text[i])) ++i;
  // The number: digits with an optional fraction and exponent, as Lua writes it (no sign, no hex).
  const std::size_t start = i;
  while (i < text.size() && (std::isdigit(static_cast<unsigned char>(text[i])) || text[i] == '.')) ++i;
  if (i < text.size() && (text[i] == 'e' || text[i] == 'E') && i > start) {
    std::size_t j = i + 1;
    if (j < text.size() && (text[j] == '+' || text[j] == '-')) ++j;
    if (j < text.size() && std::isdigit(static_cast<unsigned char>(text[j]))) {
      i = j;
      while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) ++i;
    }
  }
  const std::string number(text.substr(start, i - start));
  char* end = nullptr;
  const double amount = number.empty() ? 0.0 : std::strtod(number.c_str(), &end);
  if (number.empty() || end != number.c_str() + number.size() || !std::isfinite(amount)) bad(text, option);
  while (i < text.size() && is_space(text[i])) ++i;
  std::size_t unit_end = i;
  while (unit_end < text.size() && !is_space(text[unit_end])) ++unit_end;
  const std::string_view unit = text.substr(i, unit_end - i);
  for (std::size_t k = unit_end; k < text.size(); ++k)
    if (!is_space(text[k])) bad(text, option);
  Unit parsed;
  if (unit == "%") {
    parsed = Unit::percent;
  } else if (unit == "epoch" || unit == "epochs") {
    parsed = Unit::epochs;
  } else if (unit == "step" || unit == "steps") {
    parsed = Unit::steps;
  } else {
    bad(text, option);
  }
  return Duration(amount, parsed, std::string(text));
}

double Duration::steps(const RunLength& run) const {
  switch (unit_) {
    case Unit::steps: return std::round(amount_);
    case Unit::epochs: return std::round(run.steps_at_epoch(amount_));
    case Unit::percent: break;
  }
  return std::round(amount_ / 100.0 * run.total_steps());
}

double Duration::epochs(const RunLength& run) const {
  switch (unit_) {
    case Unit::steps: return run.epoch_at(std::round(amount_));
    case Unit::epochs: return std::round(amount_);
    case Unit::percent: break;
  }
  return std::round(amount_ / 100.0 * run.epochs());
}

}  // namespace regimen::schedule
