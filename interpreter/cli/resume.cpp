#include "interpreter/cli/resume.hpp"

#include <filesystem>
#include <fstream>

#include <boost/program_options/errors.hpp>

namespace regimen::cli {
namespace {

[[noreturn]] void fail(const std::string& message) { throw boost::program_options::error(message); }

template <typename T>
T number(const std::string& text, const std::string& line, const std::string& path) {
  try {
    std::size_t used = 0;
    const long long value = std::stoll(text, &used);
    if (used == text.size() && value >= 0) return static_cast<T>(value);
  } catch (const std::exception&) {
  }
  fail(path + ": cannot read the line '" + line + "'");
}

}  // namespace

ResumeRequest read_resume(const std::string& directory) {
  const std::filesystem::path folder(directory);
  ResumeRequest request;
  request.recipe = (folder / "recipe.lua").string();
  if (!std::filesystem::is_regular_file(request.recipe))
    fail("--resume " + directory + ": no recipe.lua there (is it a run directory of a recipe file?)");
  if (std::ifstream where{folder / "recipe_path.txt"}; where) std::getline(where, request.origin);
  const std::string path = (folder / "overrides.txt").string();
  std::ifstream in(path);
  if (!in) fail("--resume " + directory + ": cannot read " + path);
  for (std::string line; std::getline(in, line);) {
    if (line.empty()) continue;
    if (line.rfind("--set ", 0) == 0) {
      request.sets.push_back(line.substr(6));
    } else if (line.rfind("--seed ", 0) == 0) {
      request.seed = number<std::uint64_t>(line.substr(7), line, path);
    } else if (line.rfind("--epochs ", 0) == 0) {
      request.epochs = number<int>(line.substr(9), line, path);
    } else {
      fail(path + ": cannot read the line '" + line + "'");
    }
  }
  return request;
}

}  // namespace regimen::cli
