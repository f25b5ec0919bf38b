// Private to src/io: the pieces of the GENIUS XML reader that LoadScenario and the writer share.
//
// Errors returned here carry no source prefix ("line 12: issue 'price': lowerbound > upperbound");
// the public functions in io.h add the source name, LoadScenario adds "loading 'path'".
#ifndef SHUTTLE_IO_GENIUS_XML_INTERNAL_H_
#define SHUTTLE_IO_GENIUS_XML_INTERNAL_H_

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "shuttle/outcome_space.h"
#include "shuttle/profile.h"
#include "shuttle/status.h"

namespace shuttle::io_internal {

// Makes messy GENIUS files parseable without moving any line: drops a byte-order mark, text before
// the first '<', and every <?xml ...?> declaration (wherever it stands); escapes a bare '&' that
// starts no entity; transcodes text that is not valid UTF-8 from Windows-1252. Newlines are kept,
// so a line number in the result is the line number in the input.
std::string PrepareXmlText(std::string_view text);

// 1-based line number of a byte offset in a text.
class LineMap {
 public:
  explicit LineMap(std::string_view text);
  int Line(std::ptrdiff_t offset) const;

 private:
  std::vector<std::size_t> starts_;  // Offset of the first byte of each line.
};

// A number written in a file: leading and trailing blanks allowed, nothing else.
std::optional<double> ParseNumber(std::string_view text);

// Tables larger than this are refused rather than allocated (an integer issue of 0..2^53 with
// items, say): no real profile comes near it.
inline constexpr uint64_t kMaxTableValues = 10'000'000;

// Finds values by label in constant time (Issue::FindValue scans, which a file with many items
// would make quadratic). The issue must outlive the finder.
class ValueFinder {
 public:
  explicit ValueFinder(const Issue& issue);
  std::optional<uint64_t> Find(std::string_view label) const;

 private:
  const Issue& issue_;
  std::unordered_map<std::string_view, uint64_t> discrete_;
};

// A parsed GENIUS domain with the issues' index attributes (for matching profiles by index).
struct GeniusDomain {
  OutcomeSpace space;
  std::vector<long long> issue_indices;  // One per issue; the attribute, or -1 when absent.
};

Result<GeniusDomain> ParseGeniusDomainXml(std::string_view xml);

// `domain_indices` may be null (then profile issues that match no domain name are matched by
// their position among the profile's issues).
Result<Profile> ParseGeniusProfileXml(std::string_view xml, const OutcomeSpace& space,
                                      const std::vector<long long>* domain_indices);

// True when a GENIUS file carries preferences (weights, evaluations, hyper-rectangles), so it is a
// profile rather than a bare domain. Does not validate anything.
bool LooksLikeGeniusProfile(std::string_view xml);

}  // namespace shuttle::io_internal

#endif  // SHUTTLE_IO_GENIUS_XML_INTERNAL_H_
