#include "runtime/byte_size.hpp"

#include <catch2/catch.hpp>

using regimen::format_byte_size;
using regimen::parse_byte_size;

TEST_CASE("Byte size: reads numbers with binary units in any case", "[core]") {
  CHECK(parse_byte_size("4096") == 4096u);
  CHECK(parse_byte_size("256MB") == 256u * 1024 * 1024);
  CHECK(parse_byte_size("1.5 GB") == 1536u * 1024 * 1024);
  CHECK(parse_byte_size("512kib") == 512u * 1024);
  CHECK(parse_byte_size("3 b") == 3u);
  CHECK(parse_byte_size("0.5KB") == 512u);
}

TEST_CASE("Byte size: anything else is not a size", "[core]") {
  CHECK_FALSE(parse_byte_size(""));
  CHECK_FALSE(parse_byte_size("lots"));
  CHECK_FALSE(parse_byte_size("-1MB"));
  CHECK_FALSE(parse_byte_size("12 TB"));
  CHECK_FALSE(parse_byte_size("MB"));
  CHECK_FALSE(parse_byte_size("1e30GB"));
  CHECK_FALSE(parse_byte_size("nan"));
}

TEST_CASE("Byte size: formats with the largest unit that keeps the number at least 1", "[core]") {
  CHECK(format_byte_size(100) == "100 B");
  CHECK(format_byte_size(512 * 1024) == "512 KB");
  CHECK(format_byte_size(256u * 1024 * 1024) == "256 MB");
  CHECK(format_byte_size(1536u * 1024 * 1024) == "1.5 GB");
}
