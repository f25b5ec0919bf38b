// The one strict JSON reader (private to the library: core, and every module below it).
//
// Every JSON text Shuttle reads (scenario and log files, HTTP bodies, caucus texts, stored
// session texts, tournament results) goes through ParseStrictJson() or ParseJson(), which reject
// what nlohmann accepts silently: duplicate keys (the last would win) and nesting deeper than
// kMaxJsonDepth. Depth is bounded *while parsing* (nlohmann's parser is iterative and the callback
// stops it at the limit), so no input, however deep, recurses on the stack: neither the parse nor
// a later dump or walk of the value it returns.
//
// Readers of Shuttle's JSON formats walk the tree with the helpers below. Every failure throws
// JsonError carrying the JSON path of the offending value ("parties[1].profile.weights"), which
// the module's public entry point (and only it) catches and turns into a Status; no exception
// leaves the library. Stateless apart from the tree they read; thread-safe.
#ifndef SHUTTLE_CORE_JSON_READER_H_
#define SHUTTLE_CORE_JSON_READER_H_

#include <nlohmann/json.hpp>

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "shuttle/status.h"

namespace shuttle::json_internal {

// Objects are std::maps: lookups are logarithmic (ordered_json's are linear, quadratic for a large
// table), and nothing read depends on the order of keys in the file.
using Json = nlohmann::json;

constexpr int kMaxJsonDepth = 64;

// Thrown by the helpers below, caught at the io API boundary.
struct JsonError {
  StatusCode code = StatusCode::kInvalidArgument;
  std::string path;  // Empty for the document itself.
  std::string message;
  bool syntax = false;  // Not JSON at all (as opposed to a duplicate key or too deep).

  // "source: path: message" (the path omitted when empty).
  Status ToStatus(const std::string& source) const;
};

// Throws JsonError{kInvalidArgument, path, message}.
[[noreturn]] void Fail(const std::string& path, std::string message);

// Parses `text` as one JSON document. Throws JsonError with kCorruption for a syntax error (the
// message gives line and column), a duplicate key or nesting deeper than kMaxJsonDepth.
Json ParseStrictJson(std::string_view text);

// The same without exceptions, for texts that are not files: `root` names the document in
// messages ("body", "caucus text"). kInvalidArgument: "body: malformed JSON: parse error at
// line 1, column 9: ...", "body.scenario.issues[0]: duplicate key 'name'", "body: nesting deeper
// than 64 levels".
Result<Json> ParseJson(std::string_view text, const std::string& root);
// The same keeping the keys in the text's order (what the service echoes back).
using OrderedJson = nlohmann::ordered_json;
Result<OrderedJson> ParseOrderedJson(std::string_view text, const std::string& root);

// Path of a member ("a.b", or a["my key"] when the key is not a plain word) and of an element.
std::string MemberPath(const std::string& path, std::string_view key);
std::string ElementPath(const std::string& path, size_t index);

// "a string", "a number", "an array", ... for messages.
std::string Describe(const Json& j);

// The candidate closest to `word` by edit distance when it is a plausible typo of it, else "".
std::string ClosestMatch(std::string_view word, const std::vector<std::string>& candidates);
// " (did you mean 'x'?)" or "".
std::string DidYouMean(std::string_view word, const std::vector<std::string>& candidates);

// Typed access to a value; each throws "expected a <type>, got <what>" at `path`.
const std::string& AsString(const Json& j, const std::string& path);
double AsNumber(const Json& j, const std::string& path);    // Any JSON number, as a double.
int64_t AsInteger(const Json& j, const std::string& path);  // Integral numbers only (3 or 3.0).
bool AsBool(const Json& j, const std::string& path);
const Json& AsArray(const Json& j, const std::string& path);
const Json& AsObject(const Json& j, const std::string& path);

// A JSON object whose fields are read by name. Construction checks that `j` is an object and
// that it has no field outside `allowed` (so a misspelt optional field is an error, not a silent
// default).
class ObjectReader {
 public:
  ObjectReader(const Json& j, std::string path, std::initializer_list<const char*> allowed);

  const std::string& path() const { return path_; }
  std::string PathOf(std::string_view key) const { return MemberPath(path_, key); }

  bool Has(std::string_view key) const;
  // The field, or nullptr when absent.
  const Json* Find(std::string_view key) const;
  // The field; throws "missing field 'key'" when absent.
  const Json& Required(std::string_view key) const;

  std::string String(std::string_view key) const;
  std::string StringOr(std::string_view key, std::string fallback) const;
  double Number(std::string_view key) const;
  double NumberOr(std::string_view key, double fallback) const;
  int64_t Integer(std::string_view key) const;
  bool BoolOr(std::string_view key, bool fallback) const;

 private:
  const Json& j_;
  std::string path_;
};

}  // namespace shuttle::json_internal

#endif  // SHUTTLE_CORE_JSON_READER_H_
