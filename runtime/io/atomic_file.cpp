#include "runtime/io/atomic_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include "runtime/error.hpp"

namespace regimen::io {
namespace {

// Closes and removes the temporary file unless released (after a successful rename).
struct TempFile {
  std::string path;
  FILE* file = nullptr;
  bool keep = false;
  ~TempFile() {
    if (file) std::fclose(file);
    if (!keep) std::remove(path.c_str());
  }
};

[[noreturn]] void fail(const std::string& path, int error) {
  throw DataError("cannot write " + path + ": " + std::strerror(error));
}

// Writes the temporary file, syncs it, runs `before_rename`, renames it over `path`.
void replace_file(const std::string& path, std::string_view text, const std::function<void()>& before_rename) {
  const std::filesystem::path target(path);
  if (target.filename().empty()) throw DataError("cannot write " + path + ": not a file name");
  TempFile temp;
  // Same folder as the target, so the rename stays within one file system; the pid keeps two
  // processes writing the same target apart.
  std::string name = ".";  // appended piece by piece: GCC 12 warns falsely on a chain of + here
  name += target.filename().string();
  name += ".tmp";
  name += std::to_string(::getpid());
  temp.path = (target.parent_path() / name).string();
  temp.file = std::fopen(temp.path.c_str(), "wb");
  if (!temp.file) fail(path, errno);
  if (std::fwrite(text.data(), 1, text.size(), temp.file) != text.size()) fail(path, errno);
  if (std::fflush(temp.file) != 0) fail(path, errno);
  if (::fsync(::fileno(temp.file)) != 0) fail(path, errno);
  FILE* file = temp.file;
  temp.file = nullptr;
  if (std::fclose(file) != 0) fail(path, errno);
  if (before_rename) before_rename();
  if (std::rename(temp.path.c_str(), path.c_str()) != 0) fail(path, errno);
  temp.keep = true;
}

}  // namespace

void write_file_atomically(const std::string& path, std::string_view text) { replace_file(path, text, {}); }

void write_file_durably(const std::string& path, std::string_view text, const std::function<void()>& before_rename) {
  replace_file(path, text, before_rename);
  const std::filesystem::path folder = std::filesystem::path(path).parent_path();
  const int fd = ::open(folder.empty() ? "." : folder.c_str(), O_RDONLY | O_DIRECTORY);
  if (fd < 0) fail(path, errno);
  const int synced = ::fsync(fd);
  const int error = errno;
  ::close(fd);
  if (synced != 0) fail(path, error);
}

}  // namespace regimen::io
