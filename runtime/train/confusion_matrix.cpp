#include "runtime/train/confusion_matrix.hpp"

#include <algorithm>
#include <numeric>
#include <sstream>

#include "runtime/error.hpp"

namespace regimen::train {
namespace {

int digits(std::int64_t value) { return static_cast<int>(std::to_string(value).size()); }

// A JSON string literal; split names are plain words, but quotes and control bytes stay valid.
std::string json_string(const std::string& text) {
  std::string out = "\"";
  for (const char c : text) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      out += ' ';
    } else {
      out += c;
    }
  }
  return out + "\"";
}

}  // namespace

ConfusionMatrix::ConfusionMatrix(Index classes) : classes_(classes) {
  if (classes < 1) throw InvalidArgument("confusion matrix: classes must be >= 1, got " + std::to_string(classes));
  counts_.assign(static_cast<std::size_t>(classes * classes), 0);
}

void ConfusionMatrix::clear() { std::fill(counts_.begin(), counts_.end(), 0); }

std::int64_t ConfusionMatrix::total() const { return std::accumulate(counts_.begin(), counts_.end(), std::int64_t{0}); }

std::int64_t ConfusionMatrix::correct() const {
  std::int64_t sum = 0;
  for (Index c = 0; c < classes_; ++c) sum += count(c, c);
  return sum;
}

std::vector<std::vector<std::int64_t>> ConfusionMatrix::rows() const {
  std::vector<std::vector<std::int64_t>> out(static_cast<std::size_t>(classes_));
  for (Index t = 0; t < classes_; ++t)
    for (Index p = 0; p < classes_; ++p) out[static_cast<std::size_t>(t)].push_back(count(t, p));
  return out;
}

std::string format_confusion_matrix(const ConfusionMatrix& matrix, const std::string& split) {
  const Index classes = matrix.classes();
  // One width for every column, so the table stays a grid; labels get theirs.
  int width = digits(classes - 1);
  for (Index t = 0; t < classes; ++t)
    for (Index p = 0; p < classes; ++p) width = std::max(width, digits(matrix.count(t, p)));
  const int label = digits(classes - 1);
  std::ostringstream out;
  out << "confusion matrix (" << split << ", rows: true class, columns: predicted class)\n";
  out << std::string(static_cast<std::size_t>(label + 2), ' ');
  for (Index p = 0; p < classes; ++p) {
    const std::string text = std::to_string(p);
    out << (p == 0 ? "" : " ") << std::string(static_cast<std::size_t>(width) - text.size(), ' ') << text;
  }
  out << "\n";
  for (Index t = 0; t < classes; ++t) {
    const std::string name = std::to_string(t);
    out << std::string(static_cast<std::size_t>(label) - name.size(), ' ') << name << "  ";
    for (Index p = 0; p < classes; ++p) {
      const std::string text = std::to_string(matrix.count(t, p));
      out << (p == 0 ? "" : " ") << std::string(static_cast<std::size_t>(width) - text.size(), ' ') << text;
    }
    out << "\n";
  }
  return out.str();
}

std::string confusion_matrix_json(const ConfusionMatrix& matrix, const std::string& split) {
  std::ostringstream out;
  out << "{\"confusion_matrix\": {\"split\": " << json_string(split) << ", \"classes\": " << matrix.classes()
      << ", \"rows\": [";
  for (Index t = 0; t < matrix.classes(); ++t) {
    out << (t == 0 ? "[" : ", [");
    for (Index p = 0; p < matrix.classes(); ++p) out << (p == 0 ? "" : ", ") << matrix.count(t, p);
    out << "]";
  }
  out << "]}}";
  return out.str();
}

}  // namespace regimen::train
