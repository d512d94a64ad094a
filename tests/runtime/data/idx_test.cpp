#include "runtime/data/idx.hpp"

#include <catch2/catch.hpp>
#include <fstream>
#include <iterator>

#include "fixtures.hpp"
#include "runtime/error.hpp"

using Catch::Contains;
using regimen::DataError;
using regimen::data::read_idx;
using regimen::data::read_idx_file;
using regimen::data::testing::idx_bytes;
using regimen::data::testing::TempDir;
using regimen::data::testing::write_file;
using regimen::data::testing::write_gzip;

namespace {

// Two 2x3 images and their labels; pixel values chosen to include both ends of the byte range.
const std::vector<std::uint8_t> kPixels = {0, 255, 1, 2, 128, 254, 10, 20, 30, 40, 50, 60};
const std::vector<std::uint8_t> kLabels = {3, 1};

std::string images_file() { return idx_bytes(0x803, {2, 2, 3}, kPixels); }
std::string labels_file() { return idx_bytes(0x801, {2}, kLabels); }

}  // namespace

TEST_CASE("Idx: reads a plain image file, one image per row", "[data]") {
  TempDir dir;
  write_file(dir.file("images"), images_file());
  const auto array = read_idx_file(dir.file("images"), 3);
  CHECK(array.dims == std::vector<std::uint32_t>{2, 2, 3});
  REQUIRE(array.values.rows() == 2);
  REQUIRE(array.values.cols() == 6);
  for (Eigen::Index i = 0; i < 12; ++i)
    CHECK(array.values.data()[i] == kPixels[i]);
}

TEST_CASE("Idx: tells gzip from plain by the magic bytes, not the name", "[data]") {
  TempDir dir;
  write_gzip(dir.file("images.idx"), images_file());  // compressed, no .gz
  write_file(dir.file("labels.gz"), labels_file());   // plain, named .gz
  const auto images = read_idx_file(dir.file("images.idx"), 3);
  const auto labels = read_idx_file(dir.file("labels.gz"), 1);
  REQUIRE(images.values.size() == 12);
  for (Eigen::Index i = 0; i < 12; ++i)
    CHECK(images.values.data()[i] == kPixels[i]);
  CHECK(labels.dims == std::vector<std::uint32_t>{2});
  CHECK(labels.values(0, 0) == 3);
  CHECK(labels.values(1, 0) == 1);
}

TEST_CASE("Idx: read_idx builds a classification dataset scaled to 0..1", "[data]") {
  TempDir dir;
  write_gzip(dir.file("images.gz"), images_file());
  write_gzip(dir.file("labels.gz"), labels_file());
  const auto ds = read_idx(dir.file("images.gz"), dir.file("labels.gz"));
  CHECK(ds.size() == 2);
  CHECK(ds.features() == 6);
  CHECK(ds.target_columns() == 1);
  CHECK(ds.classes() == 4);  // largest label 3, plus one
  CHECK(ds.source() == dir.file("images.gz"));
  regimen::Matrix x, y;
  const std::vector<Eigen::Index> both = {0, 1};
  ds.gather(both, x, y);
  CHECK(x(0, 0) == 0.0f);
  CHECK(x(0, 1) == 1.0f);
  CHECK(x(1, 5) == 60.0f / 255.0f);
  CHECK(y(0, 0) == 3.0f);
  CHECK(y(1, 0) == 1.0f);
}

TEST_CASE("Idx: a missing file is named", "[data]") {
  TempDir dir;
  write_file(dir.file("labels"), labels_file());
  REQUIRE_THROWS_AS(read_idx(dir.file("nope.gz"), dir.file("labels")), DataError);
  REQUIRE_THROWS_WITH(read_idx(dir.file("nope.gz"), dir.file("labels")),
                      Contains(dir.file("nope.gz") + ": cannot open: No such file or directory"));
  std::filesystem::create_directory(dir.file("folder"));
  REQUIRE_THROWS_WITH(read_idx_file(dir.file("folder"), 3),
                      Contains(dir.file("folder") + ": cannot open: is a directory"));
}

TEST_CASE("Idx: a wrong magic number is reported with both values", "[data]") {
  TempDir dir;
  write_gzip(dir.file("labels.gz"), labels_file());
  // The classic mistake: the labels file where the images file belongs.
  REQUIRE_THROWS_WITH(read_idx(dir.file("labels.gz"), dir.file("labels.gz")),
                      Contains(dir.file("labels.gz") + ": bad magic number 0x00000801 at offset 0, "
                                                       "expected 0x00000803 (IDX images)") &&
                          Contains("looks like a rank-1 IDX file (IDX labels)"));
  write_file(dir.file("text"), "hello world, not an idx file");
  REQUIRE_THROWS_WITH(
      read_idx_file(dir.file("text"), 1),
      Contains("bad magic number 0x68656c6c at offset 0, expected 0x00000801 (IDX labels)"));
}

TEST_CASE("Idx: a truncated header names the offset", "[data]") {
  TempDir dir;
  write_file(dir.file("short"), std::string("\0\0", 2));
  REQUIRE_THROWS_WITH(read_idx_file(dir.file("short"), 3),
                      Contains(dir.file("short") +
                               ": truncated at byte offset 2: expected 4 bytes of magic number"));
  write_file(dir.file("dims"), idx_bytes(0x803, {2, 2}, {}));
  REQUIRE_THROWS_WITH(
      read_idx_file(dir.file("dims"), 3),
      Contains("truncated at byte offset 12: expected 4 bytes of the size of dimension 2"));
}

TEST_CASE("Idx: a truncated body names the offset, plain or gzip", "[data]") {
  TempDir dir;
  const std::vector<std::uint8_t> ten(kPixels.begin(), kPixels.begin() + 10);
  const std::string bytes = idx_bytes(0x803, {2, 2, 3}, ten);
  write_file(dir.file("plain"), bytes);
  write_gzip(dir.file("packed"), bytes);
  // 16 header bytes + 10 of the 12 pixel bytes.
  const std::string message = "truncated at byte offset 26: expected 12 bytes of pixel data";
  REQUIRE_THROWS_WITH(read_idx_file(dir.file("plain"), 3),
                      Contains(dir.file("plain") + ": " + message));
  REQUIRE_THROWS_WITH(read_idx_file(dir.file("packed"), 3),
                      Contains(dir.file("packed") + ": " + message));
  write_file(dir.file("labels"), idx_bytes(0x801, {5}, kLabels));
  REQUIRE_THROWS_WITH(read_idx_file(dir.file("labels"), 1),
                      Contains("truncated at byte offset 10: expected 5 bytes of label data"));
}

TEST_CASE("Idx: a cut-off gzip stream is reported as truncated", "[data]") {
  TempDir dir;
  std::vector<std::uint8_t> noise(4096);
  for (std::size_t i = 0; i < noise.size(); ++i)
    noise[i] = static_cast<std::uint8_t>(i * 2654435761u >> 13);
  write_gzip(dir.file("full.gz"), idx_bytes(0x803, {4, 32, 32}, noise));
  std::ifstream in(dir.file("full.gz"), std::ios::binary);
  std::string packed((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  write_file(dir.file("cut.gz"), packed.substr(0, packed.size() / 2));
  REQUIRE_THROWS_WITH(read_idx_file(dir.file("cut.gz"), 3),
                      Contains(dir.file("cut.gz") + ": truncated at byte offset") &&
                          Contains("expected 4096 bytes of pixel data"));
}

TEST_CASE("Idx: a corrupt gzip stream is reported with zlib's reason", "[data]") {
  TempDir dir;
  write_gzip(dir.file("ok.gz"), images_file());
  std::ifstream in(dir.file("ok.gz"), std::ios::binary);
  std::string packed((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  packed[packed.size() - 8] ^= 0x55;  // the CRC-32 of the trailer
  write_file(dir.file("bad.gz"), packed);
  REQUIRE_THROWS_WITH(
      read_idx_file(dir.file("bad.gz"), 3),
      Contains(dir.file("bad.gz") + ": corrupt gzip data") && Contains("incorrect data check"));
}

TEST_CASE("Idx: a header claiming more data than the file holds fails without allocating it",
          "[data]") {
  TempDir dir;
  write_file(dir.file("huge"), idx_bytes(0x803, {0xffffffffu, 0xffffffffu, 0xffffffffu}, kPixels));
  write_file(dir.file("big"), idx_bytes(0x803, {1000, 1000, 1000}, kPixels));
  write_gzip(dir.file("huge.gz"), idx_bytes(0x803, {100000, 1000, 1000}, kPixels));
  REQUIRE_THROWS_WITH(read_idx_file(dir.file("huge"), 3),
                      Contains("bad header at byte offset 4: dimensions 4294967295 x 4294967295 x "
                               "4294967295 exceed 2^64 bytes"));
  REQUIRE_THROWS_WITH(
      read_idx_file(dir.file("big"), 3),
      Contains("truncated at byte offset 28: expected 1000000000 bytes of pixel data"));
  REQUIRE_THROWS_WITH(
      read_idx_file(dir.file("huge.gz"), 3),
      Contains("truncated at byte offset 28: expected 100000000000 bytes of pixel data"));
}

TEST_CASE("Idx: trailing bytes after the body are an error", "[data]") {
  TempDir dir;
  write_file(dir.file("long"), images_file() + "x");
  REQUIRE_THROWS_WITH(
      read_idx_file(dir.file("long"), 3),
      Contains("unexpected trailing data at byte offset 28 after 12 bytes of pixel data"));
}

TEST_CASE("Idx: image and label counts must agree", "[data]") {
  TempDir dir;
  write_file(dir.file("images"), images_file());
  write_file(dir.file("labels"), idx_bytes(0x801, {3}, {1, 2, 3}));
  REQUIRE_THROWS_AS(read_idx(dir.file("images"), dir.file("labels")), DataError);
  REQUIRE_THROWS_WITH(read_idx(dir.file("images"), dir.file("labels")),
                      Contains("count mismatch: " + dir.file("images") + " holds 2 images but " +
                               dir.file("labels") + " holds 3 labels"));
}
