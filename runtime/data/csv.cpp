#include "runtime/data/csv.hpp"

#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>
#include <string_view>

#include "runtime/error.hpp"

namespace regimen::data {
namespace {

std::string_view trim(std::string_view text) {
  const auto first = text.find_first_not_of(" \t\r");
  if (first == std::string_view::npos) return {};
  return text.substr(first, text.find_last_not_of(" \t\r") - first + 1);
}

void split_fields(std::string_view line, std::vector<std::string_view>& fields) {
  fields.clear();
  std::size_t start = 0;
  for (;;) {
    const auto comma = line.find(',', start);
    fields.push_back(trim(line.substr(start, comma - start)));
    if (comma == std::string_view::npos) return;
    start = comma + 1;
  }
}

/// 'text', as messages show a cell. Built by appending: GCC 12 misreports "'" + s + "'"
/// (-Wrestrict).
std::string quote(std::string_view text) {
  std::string quoted(1, '\'');
  quoted.append(text);
  quoted.push_back('\'');
  return quoted;
}

bool all_digits(std::string_view text) {
  return !text.empty() && text.find_first_not_of("0123456789") == std::string_view::npos;
}

/// The file's lines, without the trailing blank ones, a UTF-8 byte-order mark removed.
std::vector<std::string_view> split_lines(std::string_view text) {
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
  std::vector<std::string_view> lines;
  std::size_t start = 0;
  while (start <= text.size()) {
    auto end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    lines.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  while (!lines.empty() && trim(lines.back()).empty()) lines.pop_back();
  return lines;
}

/// One pass over one file; owns what messages need (the path, the column names).
class CsvReader {
 public:
  CsvReader(const std::string& path, const CsvOptions& options) : path_(path), options_(options) {}

  Dataset read() {
    const std::string text = slurp();
    const auto lines = split_lines(text);
    if (lines.empty()) fail(1, "empty file");
    read_columns(lines.front());
    target_ = resolve_target();
    const std::size_t first = options_.header ? 1 : 0;
    if (first >= lines.size()) fail(first + 1, "no data rows after the header");
    for (std::size_t i = first; i < lines.size(); ++i) read_row(lines[i], i + 1);
    return build(lines.size() - first);
  }

 private:
  [[noreturn]] void fail(std::size_t line, const std::string& what) const {
    throw DataError(path_ + ":" + std::to_string(line) + ": " + what);
  }

  std::string slurp() const {
    // Only regular files: a FIFO or a device (/dev/zero) would never end.
    std::error_code error;
    const auto status = std::filesystem::status(path_, error);
    if (!error && std::filesystem::exists(status) && !std::filesystem::is_regular_file(status)) {
      throw DataError(path_ + (std::filesystem::is_directory(status) ? ": cannot open: is a directory"
                                                                      : ": cannot open: not a regular file"));
    }
    std::ifstream in(path_, std::ios::binary);
    if (!in) throw DataError(path_ + ": cannot open: " + std::strerror(errno));
    std::ostringstream buffer;
    buffer << in.rdbuf();
    return std::move(buffer).str();
  }

  void read_columns(std::string_view first_line) {
    std::vector<std::string_view> fields;
    split_fields(first_line, fields);
    for (std::size_t j = 0; j < fields.size(); ++j) {
      std::string_view name = fields[j];
      // Spreadsheets often quote header names; the numbers below are never quoted.
      if (name.size() >= 2 && name.front() == '"' && name.back() == '"')
        name = name.substr(1, name.size() - 2);
      names_.emplace_back(options_.header ? std::string(name) : std::to_string(j));
    }
    if (names_.size() < 2) {
      fail(1,
           "need at least 2 columns (features and a target), got " + std::to_string(names_.size()));
    }
  }

  std::string column_list() const {
    std::string list;
    for (const auto& name : names_) list += (list.empty() ? "" : ", ") + name;
    return list;
  }

  std::size_t resolve_target() const {
    const std::string& target = options_.target;
    if (target.empty()) return names_.size() - 1;
    if (options_.header) {
      for (std::size_t j = 0; j < names_.size(); ++j) {
        if (names_[j] == target) return j;
      }
    }
    if (all_digits(target)) {
      const std::size_t index = target.size() > 9 ? names_.size() : std::stoul(target);
      if (index >= names_.size()) {
        fail(1, "target column index " + target + " out of range (the file has " +
                    std::to_string(names_.size()) + " columns)");
      }
      return index;
    }
    if (!options_.header) {
      fail(1, "target " + quote(target) +
                  " is not a 0-based column index, and the file has no header naming columns");
    }
    fail(1, "unknown target column " + quote(target) + " (columns: " + column_list() + ")");
  }

  std::string column(std::size_t j) const {
    return options_.header ? "column '" + names_[j] + "'" : "column " + std::to_string(j);
  }

  double parse_cell(std::string_view text, std::size_t line, std::size_t j) const {
    if (text.empty()) fail(line, column(j) + ": empty cell (missing values are not supported)");
    std::string_view digits = text;
    if (digits.size() > 1 && digits.front() == '+')
      digits.remove_prefix(1);  // from_chars rejects '+'
    double value = 0.0;
    const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
    const std::string quoted = quote(text);
    if (error == std::errc::result_out_of_range)
      fail(line, column(j) + ": " + quoted + " is out of range");
    if (error != std::errc{} || end != digits.data() + digits.size()) {
      fail(line, column(j) + ": cannot read " + quoted + " as a number");
    }
    if (!std::isfinite(value)) fail(line, column(j) + ": " + quoted + " is not a finite number");
    if (std::abs(value) > std::numeric_limits<float>::max()) {
      fail(line, column(j) + ": " + quoted + " is out of float32 range");
    }
    return value;
  }

  void check_class(double value, std::string_view text, std::size_t line) const {
    if (value == std::floor(value) && value >= 0.0 && value < options_.classes) return;
    fail(line, column(target_) + ": class label " + quote(text) + " is not an integer in [0, " +
                   std::to_string(options_.classes) + ")");
  }

  void read_row(std::string_view line_text, std::size_t line) {
    if (trim(line_text).empty())
      fail(line, "empty line (expected " + std::to_string(names_.size()) + " fields)");
    split_fields(line_text, fields_);
    if (fields_.size() != names_.size()) {
      fail(line, "expected " + std::to_string(names_.size()) + " fields, got " +
                     std::to_string(fields_.size()));
    }
    for (std::size_t j = 0; j < fields_.size(); ++j) {
      const double value = parse_cell(fields_[j], line, j);
      if (j != target_) {
        features_.push_back(static_cast<float>(value));
        continue;
      }
      if (options_.classes > 0) check_class(value, fields_[j], line);
      targets_.push_back(static_cast<float>(value));
    }
  }

  Dataset build(std::size_t rows) {
    auto table = std::make_shared<Table>();
    const auto n = static_cast<Index>(rows);
    table->features = ConstMatrixMap(features_.data(), n, static_cast<Index>(names_.size() - 1));
    table->targets = ConstMatrixMap(targets_.data(), n, 1);
    table->classes = options_.classes;
    table->source = path_;
    return Dataset(std::move(table));
  }

  const std::string& path_;
  const CsvOptions& options_;
  std::vector<std::string> names_;
  std::size_t target_ = 0;
  std::vector<std::string_view> fields_;  ///< reused for every row
  std::vector<float> features_;           ///< row-major, as Matrix stores them
  std::vector<float> targets_;
};

}  // namespace

Dataset read_csv(const std::string& path, const CsvOptions& options) {
  if (options.classes < 0) {
    throw InvalidArgument("read_csv: classes must be >= 0, got " + std::to_string(options.classes));
  }
  return CsvReader(path, options).read();
}

}  // namespace regimen::data
