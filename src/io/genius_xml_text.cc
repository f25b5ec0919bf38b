// Text clean-up for GENIUS XML files, line numbers and number parsing (see genius_xml_internal.h).
#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>

#include "io/genius_xml_internal.h"

namespace shuttle::io_internal {
namespace {

// Length of the valid UTF-8 sequence at text[i], or 0 when it is not valid.
size_t Utf8SequenceLength(std::string_view text, size_t i) {
  auto byte = [&](size_t k) { return static_cast<unsigned char>(text[k]); };
  unsigned char c = byte(i);
  if (c < 0x80) return 1;
  size_t n = (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
  if (n == 0 || i + n > text.size()) return 0;
  for (size_t k = 1; k < n; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return 0;
  }
  // Reject overlong forms and code points past U+10FFFF or in the surrogate range.
  uint32_t cp = c & (0x7F >> n);
  for (size_t k = 1; k < n; ++k) cp = (cp << 6) | (byte(i + k) & 0x3F);
  static constexpr uint32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
  if (cp < kMin[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return n;
}

bool IsValidUtf8(std::string_view text) {
  for (size_t i = 0; i < text.size();) {
    size_t n = Utf8SequenceLength(text, i);
    if (n == 0) return false;
    i += n;
  }
  return true;
}

void AppendUtf8(uint32_t cp, std::string* out) {
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

// Old GENIUS files were saved on Windows ("\x80" is the euro sign in New_sporthal).
std::string FromWindows1252(std::string_view text) {
  static constexpr uint16_t kHigh[32] = {
      0x20AC, 0xFFFD, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
      0x2039, 0x0152, 0xFFFD, 0x017D, 0xFFFD, 0xFFFD, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
      0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0xFFFD, 0x017E, 0x0178};
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  for (char ch : text) {
    auto c = static_cast<unsigned char>(ch);
    AppendUtf8(c >= 0x80 && c < 0xA0 ? kHigh[c - 0x80] : c, &out);
  }
  return out;
}

bool StartsWith(std::string_view text, size_t at, std::string_view prefix) {
  return text.size() - at >= prefix.size() && text.compare(at, prefix.size(), prefix) == 0;
}

// True when text[at] == '&' begins a character or predefined entity reference. Looks at most 12
// bytes ahead, so a file of a million '&'s stays linear.
bool IsEntityReference(std::string_view text, size_t at) {
  size_t end = text.substr(0, std::min(text.size(), at + 12)).find(';', at);
  if (end == std::string_view::npos) return false;
  std::string_view body = text.substr(at + 1, end - at - 1);
  if (body == "amp" || body == "lt" || body == "gt" || body == "quot" || body == "apos")
    return true;
  if (body.size() < 2 || body[0] != '#') return false;
  bool hex = body[1] == 'x';
  std::string_view digits = body.substr(hex ? 2 : 1);
  if (digits.empty()) return false;
  return std::all_of(digits.begin(), digits.end(), [&](char c) {
    return (c >= '0' && c <= '9') || (hex && ((c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')));
  });
}

// Appends the newlines of text[from, to) only, so the lines stay where they were.
void KeepNewlines(std::string_view text, size_t from, size_t to, std::string* out) {
  for (size_t k = from; k < to && k < text.size(); ++k) {
    if (text[k] == '\n') out->push_back('\n');
  }
}

// Copies a region that needs no rewriting (comment, CDATA) up to and including `terminator`.
size_t CopyThrough(std::string_view text, size_t i, std::string_view terminator, std::string* out) {
  size_t end = text.find(terminator, i);
  end = end == std::string_view::npos ? text.size() : end + terminator.size();
  out->append(text.substr(i, end - i));
  return end;
}

}  // namespace

std::string PrepareXmlText(std::string_view input) {
  std::string transcoded;
  if (StartsWith(input, 0, "\xEF\xBB\xBF")) input.remove_prefix(3);
  if (!IsValidUtf8(input)) {
    transcoded = FromWindows1252(input);
    input = transcoded;
  }
  std::string out;
  out.reserve(input.size() + 64);
  size_t i = std::min(input.find('<'), input.size());
  KeepNewlines(input, 0, i, &out);
  while (i < input.size()) {
    char c = input[i];
    if (c == '<' && StartsWith(input, i, "<!--")) {
      i = CopyThrough(input, i, "-->", &out);
    } else if (c == '<' && StartsWith(input, i, "<![CDATA[")) {
      i = CopyThrough(input, i, "]]>", &out);
    } else if (c == '<' && StartsWith(input, i, "<?xml") && i + 5 < input.size() &&
               (input[i + 5] == ' ' || input[i + 5] == '?' || input[i + 5] == '\t' ||
                input[i + 5] == '\r' || input[i + 5] == '\n')) {
      size_t end = input.find("?>", i);
      end = end == std::string_view::npos ? input.size() : end + 2;
      KeepNewlines(input, i, end, &out);
      i = end;
    } else if (c == '&' && !IsEntityReference(input, i)) {
      out += "&amp;";
      ++i;
    } else {
      out.push_back(c);
      ++i;
    }
  }
  return out;
}

ValueFinder::ValueFinder(const Issue& issue) : issue_(issue) {
  for (size_t i = issue.labels().size(); i-- > 0;) discrete_[issue.labels()[i]] = i;  // First wins.
}

std::optional<uint64_t> ValueFinder::Find(std::string_view label) const {
  if (issue_.type() == IssueType::kDiscrete) {
    auto it = discrete_.find(label);
    if (it == discrete_.end()) return std::nullopt;
    return it->second;
  }
  Result<uint64_t> index = issue_.FindValue(label);
  if (!index.ok()) return std::nullopt;
  return *index;
}

LineMap::LineMap(std::string_view text) {
  starts_.push_back(0);
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\n') starts_.push_back(i + 1);
  }
}

int LineMap::Line(std::ptrdiff_t offset) const {
  if (offset < 0) return 0;
  auto it = std::upper_bound(starts_.begin(), starts_.end(), static_cast<size_t>(offset));
  return static_cast<int>(it - starts_.begin());
}

std::optional<double> ParseNumber(std::string_view text) {
  auto blank = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
  while (!text.empty() && blank(text.front())) text.remove_prefix(1);
  while (!text.empty() && blank(text.back())) text.remove_suffix(1);
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  if (text.empty()) return std::nullopt;
  double value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || !std::isfinite(value)) {
    return std::nullopt;
  }
  return value;
}

}  // namespace shuttle::io_internal
