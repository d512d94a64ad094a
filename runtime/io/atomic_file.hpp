#pragma once
// Writing a file so that readers see the old file or the whole new one, never half of it: the
// text goes to a temporary file in the same folder, is flushed, and is renamed over the target
// (rename is atomic within one file system). On any failure the temporary file is removed.
#include <functional>
#include <string>
#include <string_view>

namespace regimen::io {

/// Replaces `path` with `text`. Throws DataError naming the path and the reason
/// ("cannot write out/x.svg: No such file or directory").
void write_file_atomically(const std::string& path, std::string_view text);

/// The same, and durable once it returns: the folder is fsynced after the rename, so a power
/// loss cannot bring back the old file (checkpoints). `before_rename`, when set, runs after the
/// temporary file is written and synced, before the rename (tests slow the writer with it).
void write_file_durably(const std::string& path, std::string_view text,
                        const std::function<void()>& before_rename = {});

}  // namespace regimen::io
