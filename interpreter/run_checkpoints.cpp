#include "interpreter/run_checkpoints.hpp"

#include <ostream>

#include "regimen/interpreter.hpp"
#include "runtime/error.hpp"
#include "runtime/io/byte_stream.hpp"
#include "runtime/train/checkpointer.hpp"

namespace regimen::lua {
namespace {

std::uint64_t fnv1a(std::string_view text, std::uint64_t hash = 14695981039346656037ull) {
  for (const char c : text) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 1099511628211ull;
  }
  return hash;
}

// What a checkpoint's "recipe" section says.
struct Identity {
  std::string recipe, overrides;
  std::uint64_t hash = 0;
};

Identity read_identity(const io::CheckpointSections& sections, const std::string& source) {
  const io::CheckpointSection& section = io::find_section(sections, "recipe", source);
  io::ByteReader in(section.bytes, source + ", section 'recipe'");
  Identity identity;
  identity.recipe = in.string();
  identity.overrides = in.string();
  identity.hash = in.u64();
  in.finish();
  return identity;
}

// The reason a decode failure gives, without the file name it starts with.
std::string reason_of(const std::string& message, const std::string& path) {
  return message.rfind(path + ": ", 0) == 0 ? message.substr(path.size() + 2) : message;
}

}  // namespace

io::CheckpointSections checkpoint_identity(const std::string& recipe_text, const std::string& overrides) {
  io::ByteWriter out;
  out.string(recipe_text);
  out.string(overrides);
  out.u64(fnv1a(overrides, fnv1a(recipe_text + '\0')));
  return {{"recipe", out.take()}};
}

std::string resume_newest(train::Trainer& trainer, const std::string& directory,
                          const io::CheckpointSections& identity, std::ostream& err) {
  const Identity wanted = read_identity(identity, "this run");
  const std::vector<std::string> files = train::list_checkpoints(directory);
  for (const std::string& path : files) {
    io::CheckpointSections sections;
    try {
      sections = io::read_checkpoint(path);
      read_identity(sections, path);
    } catch (const DataError& e) {
      err << "skipping " << path << ": " << reason_of(e.what(), path) << "\n";
      continue;
    }
    const Identity found = read_identity(sections, path);
    if (found.hash != wanted.hash || found.recipe != wanted.recipe || found.overrides != wanted.overrides) {
      const char* what = found.recipe != wanted.recipe ? "another recipe text" : "other --set/--seed/--epochs values";
      throw Error(Error::Kind::kRecipe, path + ": the checkpoint was written by " + std::string(what) +
                                            " than this run's; resume it with the recipe and overrides it was written with");
    }
    try {
      trainer.resume(sections, path);
    } catch (const DataError& e) {
      throw Error(Error::Kind::kRuntime, std::string("cannot resume: ") + e.what());
    }
    return path;
  }
  throw Error(Error::Kind::kRuntime, files.empty() ? "cannot resume: no checkpoint in " + directory
                                                   : "cannot resume: no valid checkpoint in " + directory);
}

}  // namespace regimen::lua
