// The CSV reader on arbitrary bytes: it may only return a dataset or throw DataError /
// InvalidArgument; anything else (a crash, a sanitizer report, another exception) is a finding.
#include "fuzz/scratch_file.hpp"
#include "runtime/data/csv.hpp"
#include "runtime/error.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string path = regimen::fuzz::scratch_file(data, size, ".csv");
  for (const char* target : {"", "y", "0"}) {
    regimen::data::CsvOptions options;
    options.target = target;
    options.classes = size % 2 == 0 ? 0 : 10;
    options.header = size % 3 != 0;
    try {
      regimen::data::read_csv(path, options);
    } catch (const regimen::DataError&) {
    } catch (const regimen::InvalidArgument&) {
    }
  }
  return 0;
}
