// The IDX reader (plain and gzip) on arbitrary bytes, as images and as labels.
#include "fuzz/scratch_file.hpp"
#include "runtime/data/idx.hpp"
#include "runtime/error.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string path = regimen::fuzz::scratch_file(data, size, ".idx");
  for (int rank : {1, 3}) {
    try {
      regimen::data::read_idx_file(path, rank);
    } catch (const regimen::DataError&) {
    } catch (const regimen::InvalidArgument&) {
    }
  }
  return 0;
}
