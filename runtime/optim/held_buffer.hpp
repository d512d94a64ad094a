#pragma once
// A state buffer whose existence depends on the history of a scheduled option rather than on
// the options now. SGD's and RMSprop's momentum buffer is allocated at the first step with
// momentum > 0 and kept when a scheduled momentum later reaches 0, as PyTorch keeps it. An
// optimizer is loaded with the options of step 0 (or, for a schedule only the run can evaluate,
// a stand-in), so its options cannot tell whether a saved state holds the buffer; the saved
// state itself can.
#include <string_view>
#include <type_traits>

#include "runtime/optim/state_io.hpp"

namespace regimen::optim {

/// The `present` flag of buffer field `name`, which `visit` is about to visit: when writing,
/// whether `buffer` holds elements; when reading, whether the saved field does (read ahead on a
/// copy of the reader). The real read then checks its size as it checks any buffer's.
template <typename Visit, typename Array>
bool held_buffer(const Visit& visit, std::string_view name, const Array& buffer) {
  if constexpr (std::is_same_v<std::remove_cvref_t<Visit>, StateReader>) {
    StateReader ahead = visit;
    Array saved;
    ahead(name, saved, false);
    return saved.size() != 0;
  } else {
    return buffer.size() != 0;
  }
}

}  // namespace regimen::optim
