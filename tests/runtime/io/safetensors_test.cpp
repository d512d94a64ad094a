#include "runtime/io/safetensors.hpp"

#include <catch2/catch.hpp>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include <nlohmann/json.hpp>

#include "runtime/error.hpp"
#include "support/temp_dir.hpp"

using regimen::DataError;
using regimen::InvalidArgument;
using regimen::io::decode_safetensors;
using regimen::io::encode_safetensors;
using regimen::io::read_safetensors;
using regimen::io::SafetensorsFile;
using regimen::io::write_safetensors;
using regimen::testing::TempDir;

namespace {

std::string read_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

unsigned byte_at(const std::string& bytes, std::size_t i) { return static_cast<unsigned char>(bytes.at(i)); }

// A file as the format describes it, built by hand: the length, the header text, the data.
std::string file_bytes(const std::string& header, const std::string& data = "") {
  std::string bytes;
  for (int i = 0; i < 8; ++i) bytes.push_back(static_cast<char>((header.size() >> (8 * i)) & 0xFF));
  return bytes + header + data;
}

std::string error_of(const std::string& bytes) {
  try {
    decode_safetensors(bytes, "m.safetensors");
  } catch (const DataError& e) {
    return e.what();
  }
  return "(no error)";
}

SafetensorsFile sample() {
  SafetensorsFile file;
  file.metadata = {{"format", "pt"}, {"weights", "final"}};
  file.tensors.push_back({"fc1.weight", {2, 3}, {1.0f, -2.0f, 0.5f, 0.0f, 0.1f, 3.0f}});
  file.tensors.push_back({"fc1.bias", {3}, {0.25f, -1.0f, 2.0f}});
  return file;
}

}  // namespace

TEST_CASE("Safetensors: the written file parses by the format's own rules", "[io]") {
  TempDir dir;
  const std::string path = (dir.path() / "model.safetensors").string();
  write_safetensors(path, sample());
  const std::string bytes = read_bytes(path);

  // 8-byte little-endian header length, the header padded with spaces to a multiple of 8.
  REQUIRE(bytes.size() >= 8);
  std::uint64_t n = 0;
  for (int i = 7; i >= 0; --i) n = (n << 8) | byte_at(bytes, static_cast<std::size_t>(i));
  CHECK(n % 8 == 0);
  REQUIRE(8 + n <= bytes.size());
  const std::string header = bytes.substr(8, n);
  CHECK(header.front() == '{');
  CHECK(header.find_last_not_of(' ') + 1 >= n - 7);
  const auto json = nlohmann::json::parse(header);
  CHECK(json["__metadata__"] == nlohmann::json({{"format", "pt"}, {"weights", "final"}}));
  CHECK(json.size() == 3);

  // Data in name order: fc1.bias (3 floats) at [0, 12), fc1.weight (6 floats) at [12, 36).
  const auto& bias = json["fc1.bias"];
  CHECK(bias["dtype"] == "F32");
  CHECK(bias["shape"] == nlohmann::json::array({3}));
  CHECK(bias["data_offsets"] == nlohmann::json::array({0, 12}));
  const auto& weight = json["fc1.weight"];
  CHECK(weight["dtype"] == "F32");
  CHECK(weight["shape"] == nlohmann::json::array({2, 3}));
  CHECK(weight["data_offsets"] == nlohmann::json::array({12, 36}));
  CHECK(bytes.size() == 8 + n + 36);

  // IEEE 754 single precision, little-endian, from the bit patterns: 0.25 = 0x3E800000,
  // -1 = 0xBF800000, 2 = 0x40000000, 1 = 0x3F800000, -2 = 0xC0000000, 0.5 = 0x3F000000, 0 = 0,
  // 0.1 rounds to 0x3DCCCCCD, 3 = 0x40400000.
  const std::uint32_t expected[] = {0x3E800000, 0xBF800000, 0x40000000, 0x3F800000, 0xC0000000,
                                    0x3F000000, 0x00000000, 0x3DCCCCCD, 0x40400000};
  const std::size_t data = 8 + n;
  for (std::size_t i = 0; i < std::size(expected); ++i) {
    INFO("float " << i);
    for (std::size_t b = 0; b < 4; ++b) CHECK(byte_at(bytes, data + 4 * i + b) == ((expected[i] >> (8 * b)) & 0xFF));
  }
}

TEST_CASE("Safetensors: the header of a one-tensor file is exactly the format's", "[io]") {
  SafetensorsFile file;
  file.tensors.push_back({"b", {2}, {1.0f, -2.0f}});
  const std::string header = R"({"b":{"data_offsets":[0,8],"dtype":"F32","shape":[2]}})";  // 54 bytes, padded to 56
  CHECK(encode_safetensors(file) == file_bytes(header + "  ", std::string("\x00\x00\x80\x3F\x00\x00\x00\xC0", 8)));
}

TEST_CASE("Safetensors: a written file reads back with its metadata", "[io]") {
  TempDir dir;
  const std::string path = (dir.path() / "m.safetensors").string();
  SafetensorsFile file = sample();
  file.tensors.push_back({"scalar", {}, {7.0f}});
  file.tensors.push_back({"empty", {0, 4}, {}});
  write_safetensors(path, file);
  const SafetensorsFile back = read_safetensors(path);
  CHECK(back.metadata == file.metadata);
  REQUIRE(back.tensors.size() == 4);
  CHECK(back.tensors[0].name == "empty");
  CHECK(back.tensors[0].shape == std::vector<std::int64_t>{0, 4});
  CHECK(back.tensors[1].name == "fc1.bias");
  CHECK(back.tensors[1].data == file.tensors[1].data);
  CHECK(back.tensors[2].name == "fc1.weight");
  CHECK(back.tensors[2].shape == file.tensors[0].shape);
  CHECK(back.tensors[2].data == file.tensors[0].data);
  CHECK(back.tensors[3].name == "scalar");
  CHECK(back.tensors[3].shape.empty());
  CHECK(back.tensors[3].data == std::vector<float>{7.0f});
  // Rewriting replaces the file as a whole and leaves no temporary file behind.
  write_safetensors(path, sample());
  CHECK(read_safetensors(path).tensors.size() == 2);
  CHECK(std::distance(std::filesystem::directory_iterator(dir.path()), std::filesystem::directory_iterator()) == 1);
}

TEST_CASE("Safetensors: the writer rejects inconsistent tensors", "[io]") {
  SafetensorsFile twice;
  twice.tensors = {{"a", {1}, {1.0f}}, {"a", {1}, {2.0f}}};
  CHECK_THROWS_WITH(encode_safetensors(twice), "safetensors: two tensors named 'a'");
  SafetensorsFile short_data;
  short_data.tensors = {{"w", {2, 2}, {1.0f, 2.0f, 3.0f}}};
  CHECK_THROWS_WITH(encode_safetensors(short_data), "safetensors: tensor 'w' has shape [2, 2] but 3 values");
  SafetensorsFile reserved;
  reserved.tensors = {{"__metadata__", {1}, {1.0f}}};
  CHECK_THROWS_AS(encode_safetensors(reserved), InvalidArgument);
  SafetensorsFile bad_utf8;
  bad_utf8.tensors = {{"w\xff", {1}, {1.0f}}};
  CHECK_THROWS_WITH(encode_safetensors(bad_utf8), "safetensors: a tensor name or metadata entry is not valid UTF-8");
  CHECK_THROWS_WITH(write_safetensors("/nonexistent/dir/m.safetensors", sample()),
                    "cannot write /nonexistent/dir/m.safetensors: No such file or directory");
}

TEST_CASE("Safetensors: a truncated file is an error naming the byte", "[io]") {
  TempDir dir;
  const std::string path = (dir.path() / "m.safetensors").string();
  write_safetensors(path, sample());
  const std::string bytes = read_bytes(path);
  const std::size_t data = bytes.size() - 36;
  std::filesystem::resize_file(path, bytes.size() - 4);
  CHECK_THROWS_WITH(read_safetensors(path), path + ": byte " + std::to_string(data + 12) +
                                                ": tensor 'fc1.weight' (data bytes 12 to 36) runs past the end of the "
                                                "file (the data holds 32 bytes)");
  std::filesystem::resize_file(path, 20);
  CHECK_THROWS_WITH(read_safetensors(path), path + ": byte 0: header length " + std::to_string(data - 8) +
                                                " runs past the end of the file (20 bytes)");
  std::filesystem::resize_file(path, 5);
  CHECK_THROWS_WITH(read_safetensors(path), path + ": byte 0: the file has 5 bytes; the header length alone takes 8");
  CHECK_THROWS_WITH(read_safetensors((dir.path() / "absent").string()),
                    "cannot read " + (dir.path() / "absent").string() + ": No such file or directory");
}

TEST_CASE("Safetensors: a corrupt header is an error naming the byte", "[io]") {
  std::string huge = file_bytes("{}");
  huge[5] = 1;  // 2^40 + 2 bytes
  CHECK(error_of(huge) == "m.safetensors: byte 0: header length 1099511627778 exceeds the limit of 100000000 bytes");
  CHECK(error_of(file_bytes("{x")) == "m.safetensors: byte 9: the header is not valid JSON");  // 'x' is byte 8 + 1
  CHECK(error_of(file_bytes("[]")) == "m.safetensors: byte 8: the header is not a JSON object");
  CHECK(error_of(file_bytes(R"({"a":{"dtype":"F16","shape":[1],"data_offsets":[0,2]}})", "xx")) ==
        "m.safetensors: byte 8: tensor 'a': dtype 'F16' is not supported (only F32)");
  CHECK(error_of(file_bytes(R"({"a":{"dtype":"F32","data_offsets":[0,4]}})", "xxxx")) ==
        "m.safetensors: byte 8: tensor 'a': missing \"shape\"");
  CHECK(error_of(file_bytes(R"({"a":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}})", "xxxx")) ==
        "m.safetensors: byte 8: tensor 'a': shape must be an array of non-negative integers");
  CHECK(error_of(file_bytes(R"({"a":{"dtype":"F32","shape":[2,2],"data_offsets":[0,12]}})", std::string(12, 'x'))) ==
        "m.safetensors: byte 8: tensor 'a': data_offsets [0, 12] hold 12 bytes; shape [2, 2] of F32 needs 16");
  CHECK(error_of(file_bytes(R"({"a":{"dtype":"F32","shape":[1],"data_offsets":[4,0]}})", "xxxx")) ==
        "m.safetensors: byte 8: tensor 'a': data_offsets [4, 0] end before they begin");
  CHECK(error_of(file_bytes(R"({"__metadata__":{"n":1}})")) ==
        "m.safetensors: byte 8: __metadata__ must map names to strings ('n' does not)");
}

TEST_CASE("Safetensors: tensors must tile the data exactly", "[io]") {
  // Header "{...}" of length L: the data starts at byte 8 + L.
  const std::string overlap = R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}})";
  CHECK(error_of(file_bytes(overlap, std::string(8, 'x'))) ==
        "m.safetensors: byte " + std::to_string(8 + overlap.size() + 4) +
            ": tensor 'b' (data bytes 4 to 8) overlaps tensor 'a'");
  const std::string gap = R"({"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}})";
  CHECK(error_of(file_bytes(gap, std::string(8, 'x'))) ==
        "m.safetensors: byte " + std::to_string(8 + gap.size()) + ": data bytes 0 to 4 belong to no tensor");
  const std::string one = R"({"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}})";
  CHECK(error_of(file_bytes(one, std::string(6, 'x'))) ==
        "m.safetensors: byte " + std::to_string(8 + one.size() + 4) + ": 2 bytes after the last tensor belong to no tensor");
  CHECK(decode_safetensors(file_bytes(one, std::string("\x00\x00\x80\x3F", 4)), "m").tensors.at(0).data ==
        std::vector<float>{1.0f});
}

TEST_CASE("Safetensors: every one-byte corruption reads or fails with a DataError", "[io]") {
  const std::string good = encode_safetensors(sample());
  int failures = 0;
  for (std::size_t i = 0; i < good.size(); ++i) {
    for (const unsigned char value : {0x00, 0x20, 0x22, 0x2C, 0x5B, 0x7B, 0x7D, 0xFF}) {
      std::string bad = good;
      bad[i] = static_cast<char>(value);
      try {
        decode_safetensors(bad, "m");
      } catch (const DataError&) {
        ++failures;
      }
    }
    try {  // and every truncation
      decode_safetensors(std::string_view(good).substr(0, i), "m");
      FAIL("a truncated file read without error at " << i);
    } catch (const DataError&) {
    }
  }
  CHECK(failures > 0);
}
