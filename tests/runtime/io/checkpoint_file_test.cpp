// The checkpoint container: what is read is exactly what was written, and every kind of damage
// is a DataError naming the file and the byte offset, never a crash or a silent misread.
#include <cstring>
#include <fstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "runtime/error.hpp"
#include "runtime/io/byte_stream.hpp"
#include "runtime/io/checkpoint_file.hpp"
#include "support/temp_dir.hpp"

namespace io = regimen::io;

namespace {

std::vector<std::byte> bytes_of(const std::string& text) {
  const auto view = std::as_bytes(std::span(text.data(), text.size()));
  return {view.begin(), view.end()};
}

io::CheckpointSections sample() { return {{"alpha", bytes_of("first")}, {"beta", {}}, {"gamma", bytes_of("xyz")}}; }

std::string message_of(const std::vector<std::byte>& bytes) {
  try {
    io::decode_checkpoint(bytes, "c.ckpt");
  } catch (const regimen::DataError& e) {
    return e.what();
  }
  return "no error";
}

}  // namespace

TEST_CASE("Checkpoint file: sections round-trip through a file", "[io]") {
  regimen::testing::TempDir folder;
  const std::string path = (folder.path() / "step-0000000001.ckpt").string();
  io::write_checkpoint(path, sample());
  const io::CheckpointSections read = io::read_checkpoint(path);
  REQUIRE(read.size() == 3);
  for (std::size_t i = 0; i < read.size(); ++i) {
    REQUIRE(read[i].name == sample()[i].name);
    REQUIRE(read[i].bytes == sample()[i].bytes);
  }
  REQUIRE(io::find_section(read, "gamma", path).bytes == bytes_of("xyz"));
  REQUIRE_THROWS_WITH(io::find_section(read, "delta", path), path + ": no section 'delta'");
}

TEST_CASE("Checkpoint file: the layout is magic, version, sections, crc32", "[io]") {
  // 8 magic + 4 version + 4 count + (4 + 5 + 8 + 5) + (4 + 4 + 8) + (4 + 5 + 8 + 3) + 4 crc.
  const std::vector<std::byte> bytes = io::encode_checkpoint(sample());
  REQUIRE(bytes.size() == 8 + 4 + 4 + 22 + 16 + 20 + 4);
  REQUIRE(std::memcmp(bytes.data(), "RGMNCKPT", 8) == 0);
  REQUIRE(std::to_integer<int>(bytes[8]) == 1);
}

TEST_CASE("Checkpoint file: a truncated file is refused at the offset where it ends", "[io]") {
  std::vector<std::byte> bytes = io::encode_checkpoint(sample());
  bytes.resize(70);  // inside the last section's length
  REQUIRE(message_of(bytes) == "c.ckpt: truncated: a u64 needs 8 bytes, 7 left at byte 63");
  bytes.resize(30);  // too short for the sections it announces
  REQUIRE(message_of(bytes) == "c.ckpt: truncated: 3 sections cannot fit at byte 16");
  bytes.resize(10);
  REQUIRE(message_of(bytes) == "c.ckpt: truncated: a u32 needs 4 bytes, 2 left at byte 8");
  REQUIRE(message_of({}) == "c.ckpt: not a checkpoint (bad magic) at byte 0");
}

TEST_CASE("Checkpoint file: a flipped byte is a checksum mismatch", "[io]") {
  std::vector<std::byte> bytes = io::encode_checkpoint(sample());
  bytes[35] ^= std::byte{0x01};  // inside the first section's contents
  const std::string message = message_of(bytes);
  REQUIRE(message.rfind("c.ckpt: checksum mismatch (stored 0x", 0) == 0);
  REQUIRE(message.size() > 10);
  REQUIRE(message.substr(message.size() - 11) == " at byte 74");
}

TEST_CASE("Checkpoint file: another format version is refused by number", "[io]") {
  std::vector<std::byte> bytes = io::encode_checkpoint(sample());
  bytes[8] = std::byte{7};
  REQUIRE(message_of(bytes) == "c.ckpt: format version 7, this build reads 1 at byte 8");
}

TEST_CASE("Checkpoint file: a huge length is refused before anything is allocated", "[io]") {
  std::vector<std::byte> bytes = io::encode_checkpoint(sample());
  bytes[12] = std::byte{0xff};  // section count
  bytes[13] = std::byte{0xff};
  REQUIRE(message_of(bytes) == "c.ckpt: truncated: 65535 sections cannot fit at byte 16");
  bytes = io::encode_checkpoint(sample());
  bytes[16 + 4 + 5 + 7] = std::byte{0x40};  // the high byte of the first section's length
  REQUIRE(message_of(bytes) ==
          "c.ckpt: truncated: a byte array of 4611686018427387909 items needs 4611686018427387909 bytes, 45 left at byte 25");
}

TEST_CASE("Checkpoint file: a missing file names its path", "[io]") {
  REQUIRE_THROWS_WITH(io::read_checkpoint("/nonexistent/step-0000000001.ckpt"),
                      "cannot read /nonexistent/step-0000000001.ckpt");
}

TEST_CASE("Byte stream: values round-trip and arrays are bounds-checked", "[io]") {
  io::ByteWriter out;
  out.u8(7);
  out.i64(-3);
  out.f64(0.25);
  out.string("name");
  const std::vector<float> floats{1.5f, -2.0f};
  out.floats(floats);
  io::ByteReader in(out.data(), "s");
  REQUIRE(in.u8() == 7);
  REQUIRE(in.i64() == -3);
  REQUIRE(in.f64() == 0.25);
  REQUIRE(in.string() == "name");
  std::vector<float> three(3);
  REQUIRE_THROWS_WITH(in.floats_into(three, "w"), "s: w: 2 values, the run has 3 at byte 29");
  REQUIRE(in.floats() == floats);
  in.finish();
}
