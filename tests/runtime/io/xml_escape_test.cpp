#include <catch2/catch.hpp>

#include "runtime/io/xml_escape.hpp"

using regimen::io::xml_escape;

TEST_CASE("XML escape: the five special characters become entities", "[io]") {
  CHECK(xml_escape(R"(a<b & c>"d" 'e')") == "a&lt;b &amp; c&gt;&quot;d&quot; &apos;e&apos;");
  CHECK(xml_escape("&amp;") == "&amp;amp;");
}

TEST_CASE("XML escape: forbidden control characters are dropped, text and UTF-8 kept", "[io]") {
  CHECK(xml_escape(std::string("a\x01" "b\tc\nd\x1f", 8)) == "ab\tc\nd");
  CHECK(xml_escape("lr \u2014 \u03b2\u2081") == "lr \u2014 \u03b2\u2081");
  CHECK(xml_escape("") == "");
}
