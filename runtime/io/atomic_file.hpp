#pragma once
// Writing a file so that readers see the old file or the whole new one, never half of it: the
// text goes to a temporary file in the same folder, is flushed, and is renamed over the target
// (rename is atomic within one file system). On any failure the temporary file is removed.
#include <string>
#include <string_view>

namespace regimen::io {

/// Replaces `path` with `text`. Throws DataError naming the path and the reason
/// ("cannot write out/x.svg: No such file or directory").
void write_file_atomically(const std::string& path, std::string_view text);

}  // namespace regimen::io
