// Expectations on whole scenarios, kept as data: every tests/expect/*.test file (the format is in
// tests/expect/README.md) names scenarios and what Analyze() must find on them (outcome count,
// frontier, bargaining solutions, ZOPA, ...). Each case is one test; a mismatch or a malformed line
// fails with the .test file's name and line. Cases on the corpus (../shared/domains) are skipped,
// naming the folder, when it is absent.
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "shuttle/analysis.h"
#include "shuttle/io.h"

namespace shuttle {
namespace {

namespace fs = std::filesystem;

constexpr double kDefaultTolerance = 1e-9;
constexpr const char* kExpectDir = "tests/expect";

// A failure at one line of a .test file.
struct Problem {
  int line;
  std::string message;
  bool operator==(const Problem&) const = default;
};

void PrintTo(const Problem& p, std::ostream* os) { *os << p.line << ": " << p.message; }

// One expectation line: its directive and the words after it.
struct Line {
  int number;
  std::string directive;
  std::vector<std::string> words;
  std::string rest;  // The text after the directive, trimmed (for outcomes and methods).
};

// A scenario or domain line and the expectation lines up to the next one.
struct Case {
  std::string file;  // The .test file as named in messages (relative to the source tree).
  int line = 0;      // Of the scenario or domain line; 0 for problems of the file as a whole.
  bool corpus = false;
  std::string folder;              // domain: the folder, absolute.
  std::vector<std::string> paths;  // The files to load, absolute.
  double tolerance = kDefaultTolerance;
  std::vector<Line> lines;
  std::vector<Problem> errors;  // Malformed lines, found when the file is read.
};

std::vector<std::string> Words(std::string_view text) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && (text[i] == ' ' || text[i] == '\t')) ++i;
    size_t j = i;
    while (j < text.size() && text[j] != ' ' && text[j] != '\t') ++j;
    if (j > i) out.emplace_back(text.substr(i, j - i));
    i = j;
  }
  return out;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

std::optional<double> Number(const std::string& word) {
  double x = 0;
  auto [end, ec] = std::from_chars(word.data(), word.data() + word.size(), x);
  if (ec != std::errc() || end != word.data() + word.size() || !std::isfinite(x))
    return std::nullopt;
  return x;
}

bool Digits(const std::string& word) {
  return !word.empty() && word.find_first_not_of("0123456789") == std::string::npos;
}

const char* const kSolutions[] = {"nash", "ks", "egalitarian", "welfare"};

bool IsSolution(const std::string& d) {
  return std::find(std::begin(kSolutions), std::end(kSolutions), d) != std::end(kSolutions);
}

// The cause when the words after `directive` do not have its shape; "" when they do.
std::string Malformed(const Line& l) {
  const std::string& d = l.directive;
  const std::vector<std::string>& w = l.words;
  const bool none = w.size() == 1 && w[0] == "none";
  auto numbers = [&] {
    return !w.empty() &&
           std::all_of(w.begin(), w.end(), [](const std::string& x) { return Number(x); });
  };
  if (d == "parties" || d == "issues" || d == "outcomes" || d == "frontier" || d == "zopa") {
    return w.size() == 1 && Digits(w[0]) ? "" : "expected one non-negative integer";
  }
  if (d == "real-step") {
    return w.size() == 1 && Number(w[0]) && *Number(w[0]) > 0 ? "" : "expected one positive number";
  }
  if (d == "frontier-method") return l.rest.empty() ? "expected the method's text" : "";
  if (d == "reservation" || d == "means") return numbers() ? "" : "expected one number per party";
  if (d == "ideal" || IsSolution(d)) {
    return none || numbers() ? "" : "expected one number per party, or 'none'";
  }
  if (d == "opposition") {
    return w.size() == 1 && (w[0] == "nan" || Number(w[0])) ? "" : "expected a number or 'nan'";
  }
  if (d.size() > 8 && d.ends_with("-outcome") && IsSolution(d.substr(0, d.size() - 8))) {
    if (l.rest.empty()) return "expected issue=value pairs separated by ';'";
    std::string_view rest = l.rest;
    while (!rest.empty()) {
      const size_t semi = std::min(rest.find(';'), rest.size());
      const std::string_view pair = Trim(rest.substr(0, semi));
      const size_t eq = pair.find('=');
      if (eq == std::string_view::npos || Trim(pair.substr(0, eq)).empty()) {
        return fmt::format("'{}' is not issue=value", pair);
      }
      rest.remove_prefix(std::min(semi + 1, rest.size()));
    }
    return "";
  }
  return fmt::format("unknown directive '{}'", d);
}

// The cases of one .test file. `file` names it in messages; relative paths are resolved against
// `source_dir` (scenario) and `domains_dir` (domain).
std::vector<Case> ParseExpectations(std::string_view text, const std::string& file,
                                    const std::string& source_dir, const std::string& domains_dir) {
  std::vector<Case> cases;
  Case header;  // Problems before the first case.
  header.file = file;
  double tolerance = kDefaultTolerance;
  bool tolerance_set = false;
  int number = 0, continued = 0;
  while (!text.empty()) {
    const size_t end = std::min(text.find('\n'), text.size());
    std::string joined(Trim(text.substr(0, end)));
    text.remove_prefix(std::min(end + 1, text.size()));
    number += 1 + continued;
    continued = 0;
    if (joined.empty() || joined.front() == '#') continue;
    // A line ending in a backslash goes on on the next one; it counts as the first.
    while (joined.back() == '\\' && !text.empty()) {
      const size_t next = std::min(text.find('\n'), text.size());
      joined.back() = ' ';
      joined += Trim(text.substr(0, next));
      text.remove_prefix(std::min(next + 1, text.size()));
      ++continued;
    }
    const std::string_view line = Trim(joined);
    Line l{number, "", Words(line), ""};
    l.directive = l.words.front();
    l.words.erase(l.words.begin());
    l.rest = std::string(Trim(line.substr(l.directive.size())));
    Case* current = cases.empty() ? &header : &cases.back();
    auto error = [&](const std::string& cause) { current->errors.push_back({number, cause}); };
    if (l.directive == "tolerance") {
      if (!cases.empty() || tolerance_set) {
        error("tolerance is stated once, before the first scenario or domain");
      } else if (l.words.size() != 1 || !Number(l.words[0]) || *Number(l.words[0]) <= 0) {
        error("expected one positive number");
      } else {
        tolerance = *Number(l.words[0]);
        tolerance_set = true;
      }
      continue;
    }
    if (l.directive == "scenario" || l.directive == "domain") {
      Case c;
      c.file = file;
      c.line = number;
      c.tolerance = tolerance;
      c.corpus = l.directive == "domain";
      const size_t needed = c.corpus ? 2 : 1;
      if (l.words.size() < needed) {
        c.errors.push_back(
            {number, c.corpus ? "expected a folder and its files" : "expected a file"});
      } else if (c.corpus) {
        c.folder = (fs::path(domains_dir) / l.words[0]).string();
        for (size_t k = 1; k < l.words.size(); ++k) {
          c.paths.push_back((fs::path(c.folder) / l.words[k]).string());
        }
      } else {
        for (const std::string& w : l.words) c.paths.push_back((fs::path(source_dir) / w).string());
      }
      cases.push_back(std::move(c));
      continue;
    }
    if (cases.empty()) {
      error(fmt::format("'{}' before any scenario or domain line", l.directive));
      continue;
    }
    if (std::string cause = Malformed(l); !cause.empty()) {
      error(cause.starts_with("unknown directive") ? cause : l.directive + ": " + cause);
      continue;
    }
    // Outcome lines may continue over several lines; anything else is said once per case.
    const bool repeated = std::any_of(current->lines.begin(), current->lines.end(),
                                      [&](const Line& x) { return x.directive == l.directive; });
    if (repeated && !l.directive.ends_with("-outcome")) {
      error(fmt::format("a second '{}' line for this case", l.directive));
      continue;
    }
    current->lines.push_back(std::move(l));
  }
  if (cases.empty()) header.errors.push_back({0, "no scenario or domain line"});
  if (!header.errors.empty()) cases.insert(cases.begin(), std::move(header));
  return cases;
}

std::string Join(const std::vector<double>& xs) { return fmt::format("{}", fmt::join(xs, " ")); }

// The problems of `a` (the analysis of `s`) against the case's lines.
std::vector<Problem> Compare(const Case& c, const Scenario& s, const Analysis& a) {
  std::vector<Problem> problems;
  const double tol = c.tolerance;
  auto number_list = [](const Line& l) {
    std::vector<double> out;
    for (const std::string& w : l.words) out.push_back(*Number(w));
    return out;
  };
  // Expected and actual lists of utilities (one per party).
  auto list = [&](const Line& l, const std::vector<double>& actual) {
    const std::vector<double> expected = number_list(l);
    bool same = expected.size() == actual.size();
    for (size_t k = 0; same && k < expected.size(); ++k)
      same = std::fabs(expected[k] - actual[k]) <= tol;
    if (!same) {
      problems.push_back({l.number, fmt::format("{}: expected {}, got {} (tolerance {})",
                                                l.directive, Join(expected), Join(actual), tol)});
    }
  };
  auto count = [&](const Line& l, const std::string& actual) {
    if (l.words[0] != actual) {
      problems.push_back(
          {l.number, fmt::format("{}: expected {}, got {}", l.directive, l.words[0], actual)});
    }
  };
  auto solution = [&](const std::string& name) -> const std::optional<Point>& {
    if (name == "nash") return a.nash;
    if (name == "ks") return a.kalai_smorodinsky;
    if (name == "egalitarian") return a.egalitarian;
    return a.max_welfare;
  };
  // Outcome lines by solution: issue -> (label, line), checked once all are read.
  std::map<std::string, std::map<int, std::pair<std::string, int>>> outcomes;
  std::map<std::string, int> first_lines;  // Of each solution's outcome lines.
  for (const Line& l : c.lines) {
    const std::string& d = l.directive;
    if (d == "real-step") {
      continue;  // Applied before the analysis (Hold).
    } else if (d == "parties") {
      count(l, std::to_string(s.parties.size()));
    } else if (d == "issues") {
      count(l, std::to_string(s.space.issue_count()));
    } else if (d == "outcomes") {
      count(l, a.outcome_count.ToString());
    } else if (d == "frontier") {
      if (!a.pareto.exact)
        problems.push_back({l.number, "frontier: not exact (" + a.pareto.method + ")"});
      count(l, std::to_string(a.pareto.points.size()));
    } else if (d == "frontier-method") {
      if (l.rest != a.pareto.method) {
        problems.push_back({l.number, fmt::format("frontier-method: expected '{}', got '{}'",
                                                  l.rest, a.pareto.method)});
      }
    } else if (d == "zopa") {
      if (!a.zopa.exact)
        problems.push_back({l.number, "zopa: an estimate (" + a.zopa.method + ")"});
      count(l, a.zopa.exact ? a.zopa.count.ToString() : fmt::format("~{}", a.zopa.size));
    } else if (d == "reservation") {
      list(l, a.reservation_values);
    } else if (d == "means") {
      list(l, a.mean_utilities);
    } else if (d == "ideal") {
      if (l.words[0] == "none") {
        if (!a.ideal.empty())
          problems.push_back({l.number, "ideal: expected none, got " + Join(a.ideal)});
      } else {
        list(l, a.ideal);
      }
    } else if (d == "opposition") {
      const bool nan = std::isnan(a.opposition);
      const bool same =
          l.words[0] == "nan" ? nan : !nan && std::fabs(*Number(l.words[0]) - a.opposition) <= tol;
      if (!same) {
        problems.push_back(
            {l.number, fmt::format("opposition: expected {}, got {}", l.words[0], a.opposition)});
      }
    } else if (IsSolution(d)) {
      const std::optional<Point>& p = solution(d);
      if (l.words[0] == "none") {
        if (p) problems.push_back({l.number, d + ": expected none, got " + Join(p->utilities)});
      } else if (!p) {
        problems.push_back({l.number, d + ": expected " + Join(number_list(l)) + ", got none"});
      } else {
        list(l, p->utilities);
      }
    } else {  // <solution>-outcome
      const std::string name = d.substr(0, d.size() - 8);
      std::map<int, std::pair<std::string, int>>& named = outcomes[name];
      first_lines.emplace(name, l.number);
      std::string_view rest = l.rest;
      while (!rest.empty()) {
        const size_t semi = std::min(rest.find(';'), rest.size());
        const std::string_view pair = Trim(rest.substr(0, semi));
        rest.remove_prefix(std::min(semi + 1, rest.size()));
        const size_t eq = pair.find('=');
        const std::string issue(Trim(pair.substr(0, eq))), label(Trim(pair.substr(eq + 1)));
        const int i = s.space.FindIssue(issue);
        if (i < 0) {
          problems.push_back(
              {l.number, fmt::format("{}: the scenario has no issue '{}'", d, issue)});
        } else if (!named.emplace(i, std::pair{label, l.number}).second) {
          problems.push_back({l.number, fmt::format("{}: issue '{}' named twice", d, issue)});
        }
      }
    }
  }
  for (const auto& [name, named] : outcomes) {
    const int first = first_lines[name];
    if (named.size() != s.space.issue_count()) {
      std::vector<std::string> missing;
      for (size_t i = 0; i < s.space.issue_count(); ++i) {
        if (named.count(static_cast<int>(i)) == 0) missing.push_back(s.space.issue(i).name());
      }
      problems.push_back(
          {first, fmt::format("{}-outcome: no value for {}", name, fmt::join(missing, ", "))});
      continue;
    }
    const std::optional<Point>& p = solution(name);
    if (!p) {
      problems.push_back({first, fmt::format("{}-outcome: there is no {} point", name, name)});
      continue;
    }
    for (const auto& [i, expected] : named) {
      const std::string actual = s.space.issue(i).ValueLabel(p->outcome[i]);
      if (actual != expected.first) {
        problems.push_back(
            {expected.second, fmt::format("{}-outcome: {} expected '{}', got '{}'", name,
                                          s.space.issue(i).name(), expected.first, actual)});
      }
    }
  }
  return problems;
}

std::vector<Case> AllCases() {
  std::vector<fs::path> files;
  const fs::path dir = fs::path(SHUTTLE_SOURCE_DIR) / kExpectDir;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    if (entry.path().extension() == ".test") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  std::vector<Case> out;
  for (const fs::path& f : files) {
    const std::string name = std::string(kExpectDir) + "/" + f.filename().string();
    Result<std::string> text = ReadFile(f.string());
    if (!text.ok()) {
      Case c;
      c.file = name;
      c.errors.push_back({0, text.status().ToString()});
      out.push_back(std::move(c));
      continue;
    }
    for (Case& c : ParseExpectations(*text, name, SHUTTLE_SOURCE_DIR, SHUTTLE_DOMAINS_DIR)) {
      out.push_back(std::move(c));
    }
  }
  return out;
}

// "examples_line4": the file's stem and the case's line, as a test name.
std::string CaseName(const ::testing::TestParamInfo<Case>& info) {
  std::string name =
      fs::path(info.param.file).stem().string() + "_line" + std::to_string(info.param.line);
  for (char& ch : name) {
    if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
  }
  return name;
}

// How gtest shows a case's parameter: where it is.
void PrintTo(const Case& c, std::ostream* os) { *os << c.file << ":" << c.line; }

class ScenarioExpectations : public ::testing::TestWithParam<Case> {};

TEST_P(ScenarioExpectations, Hold) {
  const Case& c = GetParam();
  const std::string file = (fs::path(SHUTTLE_SOURCE_DIR) / c.file).string();
  for (const Problem& e : c.errors) ADD_FAILURE_AT(file.c_str(), e.line) << e.message;
  if (!c.errors.empty()) return;
  if (c.corpus && !fs::is_directory(c.folder)) {
    GTEST_SKIP() << "corpus folder " << c.folder << " not found; skipping " << c.file << ":"
                 << c.line;
  }
  Result<Scenario> s = LoadScenario(c.paths);
  if (!s.ok()) {
    ADD_FAILURE_AT(file.c_str(), c.line) << "cannot load the scenario: " << s.status().ToString();
    return;
  }
  for (const Line& l : c.lines) {
    if (l.directive != "real-step") continue;
    s = s->Discretized(*Number(l.words[0]));
    if (!s.ok()) {
      ADD_FAILURE_AT(file.c_str(), l.number) << "cannot discretize: " << s.status().ToString();
      return;
    }
  }
  Result<Analysis> a = Analyze(*s);
  if (!a.ok()) {
    ADD_FAILURE_AT(file.c_str(), c.line) << "Analyze failed: " << a.status().ToString();
    return;
  }
  for (const Problem& p : Compare(c, *s, *a)) ADD_FAILURE_AT(file.c_str(), p.line) << p.message;
}

INSTANTIATE_TEST_SUITE_P(Files, ScenarioExpectations, ::testing::ValuesIn(AllCases()), CaseName);

// The files are there and hold the cases they should: the examples and at least three corpus
// domains. Anything else in tests/expect would be silently ignored, so it is refused.
TEST(ScenarioExpectationsFiles, AreFoundAndCoverExamplesAndCorpus) {
  const std::vector<Case> cases = AllCases();
  int examples = 0, corpus = 0;
  for (const Case& c : cases) {
    corpus += c.corpus;
    examples += !c.corpus && !c.paths.empty() && c.paths[0].find("/examples/") != std::string::npos;
  }
  EXPECT_GE(examples, 2);
  EXPECT_GE(corpus, 3);
  for (const auto& entry : fs::directory_iterator(fs::path(SHUTTLE_SOURCE_DIR) / kExpectDir)) {
    const std::string name = entry.path().filename().string();
    EXPECT_TRUE(entry.path().extension() == ".test" || name == "README.md")
        << kExpectDir << "/" << name << " is neither a .test file nor the README";
  }
}

// The reader on malformed text: each bad line is reported with its number and cause, and the
// other cases of the file still parse.
TEST(ScenarioExpectationsFormat, MalformedLinesGiveLineAndCause) {
  const std::string text =
      "# a comment\n"
      "frontier 3\n"
      "tolerance 1e-9\n"
      "scenario examples/car-sale.json\n"
      "frontir 50\n"
      "outcomes many\n"
      "nash 0.5 x\n"
      "ks-outcome price 26000\n"
      "zopa 1\n"
      "zopa 2\n"
      "tolerance 1e-6\n"
      "domain genius/anac/y2010/Travel\n"
      "scenario examples/resuming-talks.json \\\n"
      "  examples/car-sale.json\n"
      "opposition nan\n";
  const std::vector<Case> cases = ParseExpectations(text, "bad.test", "/src", "/domains");
  ASSERT_EQ(cases.size(), 4u);
  EXPECT_EQ(cases[0].line, 0);
  EXPECT_EQ(cases[0].errors,
            (std::vector<Problem>{{2, "'frontier' before any scenario or domain line"}}));
  EXPECT_EQ(cases[1].line, 4);
  EXPECT_EQ(cases[1].paths, std::vector<std::string>{"/src/examples/car-sale.json"});
  EXPECT_EQ(cases[1].errors,
            (std::vector<Problem>{
                {5, "unknown directive 'frontir'"},
                {6, "outcomes: expected one non-negative integer"},
                {7, "nash: expected one number per party, or 'none'"},
                {8, "ks-outcome: 'price 26000' is not issue=value"},
                {10, "a second 'zopa' line for this case"},
                {11, "tolerance is stated once, before the first scenario or domain"},
            }));
  EXPECT_EQ(cases[2].errors, (std::vector<Problem>{{12, "expected a folder and its files"}}));
  EXPECT_TRUE(cases[3].errors.empty());
  EXPECT_EQ(cases[3].line, 13);
  EXPECT_EQ(cases[3].paths, (std::vector<std::string>{"/src/examples/resuming-talks.json",
                                                      "/src/examples/car-sale.json"}));
  ASSERT_EQ(cases[3].lines.size(), 1u);
  EXPECT_EQ(cases[3].lines[0].number, 15);
  EXPECT_EQ(ParseExpectations("# nothing\n", "empty.test", "/src", "/domains")[0].errors,
            (std::vector<Problem>{{0, "no scenario or domain line"}}));
}

// The comparison on a real scenario: each wrong expectation is reported at its own line.
TEST(ScenarioExpectationsFormat, MismatchesGiveLineAndBothValues) {
  const std::string text =
      "scenario examples/car-sale.json\n"
      "outcomes 139969\n"
      "nash 0.5 0.575\n"
      "nash-outcome price=27000; warranty=2 years\n"
      "nash-outcome delivery=7; extras=tyres and mats; financing=dealer loan 0%\n"
      "ks none\n"
      "welfare-outcome colour=red\n";
  const std::vector<Case> cases =
      ParseExpectations(text, "car.test", SHUTTLE_SOURCE_DIR, SHUTTLE_DOMAINS_DIR);
  ASSERT_EQ(cases.size(), 1u);
  ASSERT_TRUE(cases[0].errors.empty());
  Result<Scenario> s = LoadScenario(cases[0].paths);
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  Result<Analysis> a = Analyze(*s);
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  std::vector<Problem> problems = Compare(cases[0], *s, *a);
  ASSERT_EQ(problems.size(), 6u) << fmt::format("{}", problems.size());
  EXPECT_EQ(problems[0], (Problem{2, "outcomes: expected 139969, got 139968"}));
  EXPECT_EQ(problems[1].line, 3);
  EXPECT_TRUE(problems[1].message.starts_with("nash: expected 0.5 0.575, got 0.5625 0.575"))
      << problems[1].message;
  EXPECT_EQ(problems[2].line, 6);
  EXPECT_TRUE(problems[2].message.starts_with("ks: expected none, got ")) << problems[2].message;
  EXPECT_EQ(problems[3], (Problem{7, "welfare-outcome: the scenario has no issue 'colour'"}));
  EXPECT_EQ(problems[4], (Problem{4, "nash-outcome: warranty expected '2 years', got '1 year'"}));
  EXPECT_EQ(problems[5], (Problem{7,
                                  "welfare-outcome: no value for price, warranty, delivery, "
                                  "extras, financing"}));
}

}  // namespace
}  // namespace shuttle
