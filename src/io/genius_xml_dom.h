// Private to the GENIUS XML reader: a parsed document that knows its line numbers, and the parts
// of a <utility_space> the reader looks at. Not thread-safe to share while loading; each parse
// makes its own.
#ifndef SHUTTLE_IO_GENIUS_XML_DOM_H_
#define SHUTTLE_IO_GENIUS_XML_DOM_H_

#include <pugixml.hpp>

#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "io/genius_xml_internal.h"

namespace shuttle::io_internal {

// The elements of a <utility_space> that matter, found in document order through nested
// <objective>s (never inside <issue>, <bid> or other elements).
struct Tree {
  std::vector<pugi::xml_node> issues;
  std::vector<pugi::xml_node> weights;
  std::vector<pugi::xml_node> red_lines;
  pugi::xml_node discount, reservation, utility, rules;  // First of each, or null.
};

class XmlDoc {
 public:
  // Cleans the text (PrepareXmlText) and parses it; kCorruption "line N: malformed XML: ...".
  static Result<std::unique_ptr<XmlDoc>> Load(std::string_view xml);

  // The <utility_space> element (the root, or the child of <negotiation_template>).
  Result<pugi::xml_node> UtilitySpace() const;
  // kInvalidArgument for objectives nested absurdly deep.
  Result<Tree> Collect(pugi::xml_node utility_space) const;

  // "line N: cause" for the line where `node` starts.
  Status Error(pugi::xml_node node, const std::string& cause,
               StatusCode code = StatusCode::kInvalidArgument) const;
  // The attribute as a number; kInvalidArgument when missing or not a number.
  Result<double> NumberAttribute(pugi::xml_node node, const char* name) const;

 private:
  explicit XmlDoc(std::string text) : text_(std::move(text)), lines_(text_) {}

  std::string text_;
  LineMap lines_;
  pugi::xml_document doc_;
};

// The integer in the "index" attribute, or -1.
long long IndexAttribute(pugi::xml_node node);

// Index attribute -> domain position: the profile's own <issue index> first, then the domain's
// (`domain_indices` may be null). `match[k]` is the domain issue of tree.issues[k].
std::unordered_map<long long, int> IssuesByIndex(const Tree& tree, const std::vector<int>& match,
                                                 const std::vector<long long>* domain_indices);

// Fills a kHyperRectangles profile from tree.utility (genius_xml_rectangles.cc). `match[k]` is the
// domain issue of tree.issues[k].
Status RectangleProfile(const XmlDoc& doc, const Tree& tree, const std::vector<int>& match,
                        const OutcomeSpace& space, const std::vector<long long>* domain_indices,
                        Profile* profile);

// Fills a kConstraint profile (GENIUS ConstraintUtilitySpace) from tree.rules
// (genius_xml_constraints.cc).
Status ConstraintProfile(const XmlDoc& doc, pugi::xml_node utility_space, const Tree& tree,
                         const std::vector<int>& match, const OutcomeSpace& space,
                         const std::vector<long long>* domain_indices, Profile* profile);

// Reads Shuttle's <red_line kind issue values|bound note> extension elements.
Status RedLines(const XmlDoc& doc, const Tree& tree, const OutcomeSpace& space, Profile* profile);

}  // namespace shuttle::io_internal

#endif  // SHUTTLE_IO_GENIUS_XML_DOM_H_
