#pragma once
// Text and attribute values for XML (SVG): the five special characters as entities, and the
// control characters XML 1.0 forbids dropped, so that any recipe name or schedule description
// yields a document that parses.
#include <string>
#include <string_view>

namespace regimen::io {

/// `text` with & < > " ' written as entities and C0 controls other than tab, newline and
/// carriage return removed; valid for element text and for quoted attribute values.
std::string xml_escape(std::string_view text);

}  // namespace regimen::io
