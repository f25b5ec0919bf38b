#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include "shuttle/io.h"

namespace shuttle {
namespace {

namespace fs = std::filesystem;

std::string Data(const std::string& name) {
  return std::string(SHUTTLE_SOURCE_DIR) + "/tests/data/genius/" + name;
}

// A fresh folder for one test, removed afterwards.
class TempDir {
 public:
  TempDir() {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    path_ = fs::temp_directory_path() /
            (std::string("shuttle_io_") + info->name() + "_" + std::to_string(::getpid()));
    fs::remove_all(path_);
    fs::create_directories(path_);
  }
  ~TempDir() { fs::remove_all(path_); }
  std::string File(const std::string& name, const std::string& contents = "") const {
    std::string p = (path_ / name).string();
    if (!contents.empty()) EXPECT_TRUE(WriteFile(p, contents).ok());
    return p;
  }
  std::string path() const { return path_.string(); }

 private:
  fs::path path_;
};

Profile MustParseProfile(const std::string& file, const OutcomeSpace& space) {
  Result<std::string> text = ReadFile(Data(file));
  EXPECT_TRUE(text.ok());
  Result<Profile> p = ParseGeniusProfile(text.ok() ? *text : "", space, file);
  EXPECT_TRUE(p.ok()) << p.status().ToString();
  return p.ok() ? *p : Profile();
}

TEST(LoadScenarioTest, GeniusDomainThenProfiles) {
  Result<Scenario> s =
      LoadScenario({Data("holiday_domain.xml"), Data("alice.xml"), Data("bob.xml")});
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_EQ(s->name, "holiday");  // "holiday_domain" without its role suffix.
  EXPECT_EQ(s->space.issue_count(), 4u);
  ASSERT_EQ(s->parties.size(), 2u);
  EXPECT_EQ(s->parties[0].name, "alice");
  EXPECT_EQ(s->parties[1].name, "bob");
  EXPECT_EQ(s->parties[0].profile, MustParseProfile("alice.xml", s->space));
  EXPECT_EQ(s->parties[1].profile, MustParseProfile("bob.xml", s->space));
}

TEST(LoadScenarioTest, GeniusProfilesAloneTakeTheDomainFromTheFirst) {
  Result<Scenario> with_domain =
      LoadScenario({Data("holiday_domain.xml"), Data("alice.xml"), Data("bob.xml")});
  Result<Scenario> alone = LoadScenario({Data("alice.xml"), Data("bob.xml")});
  ASSERT_TRUE(with_domain.ok() && alone.ok()) << alone.status().ToString();
  EXPECT_EQ(alone->space, with_domain->space);
  EXPECT_EQ(alone->parties, with_domain->parties);
}

TEST(LoadScenarioTest, GeniusWebDomainOrProfilesAlone) {
  Result<Scenario> s =
      LoadScenario({Data("web/trip.json"), Data("web/trip_a.json"), Data("web/trip_b.json")});
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_EQ(s->name, "trip");
  ASSERT_EQ(s->parties.size(), 2u);
  EXPECT_EQ(s->parties[0].name, "trip_a");
  EXPECT_DOUBLE_EQ(s->parties[0].profile.reservation_value, 0.48);
  Result<Scenario> alone = LoadScenario({Data("web/trip_a.json"), Data("web/trip_b.json")});
  ASSERT_TRUE(alone.ok()) << alone.status().ToString();
  EXPECT_EQ(alone->space, s->space);
  EXPECT_EQ(alone->parties, s->parties);
}

TEST(LoadScenarioTest, MatchesRenamedIssuesByTheDomainsIndexAttribute) {
  TempDir dir;
  std::string domain = dir.File("d_domain.xml",
                                "<negotiation_template><utility_space>"
                                "<issue index=\"1\" name=\"a\" type=\"discrete\"><item "
                                "value=\"x\"/><item value=\"y\"/></issue>"
                                "<issue index=\"5\" name=\"b\" type=\"discrete\"><item "
                                "value=\"x\"/><item value=\"y\"/></issue>"
                                "</utility_space></negotiation_template>");
  // Listed in the other order under other names: only index 5 -> "b" and 1 -> "a" is right.
  std::string profile = dir.File(
      "p.xml",
      "<utility_space><weight index=\"5\" value=\"0.9\"/><weight index=\"1\" value=\"0.1\"/>"
      "<issue index=\"5\" name=\"B\"><item value=\"y\" evaluation=\"1\"/></issue>"
      "<issue index=\"1\" name=\"A\"><item value=\"x\" evaluation=\"1\"/></issue>"
      "</utility_space>");
  Result<Scenario> s = LoadScenario({domain, profile});
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_EQ(s->parties[0].profile.weights, (std::vector<double>{0.1, 0.9}));
  EXPECT_EQ(s->parties[0].profile.evaluators[1].evaluations, (std::vector<double>{0, 1}));
}

TEST(LoadScenarioTest, SameFileNameInTwoFoldersGetsTwoPartyNames) {
  TempDir dir;
  fs::create_directories(fs::path(dir.path()) / "other");
  std::string copy = dir.File("other/alice.xml", *ReadFile(Data("alice.xml")));
  Result<Scenario> s = LoadScenario({Data("holiday_domain.xml"), Data("alice.xml"), copy});
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_EQ(s->parties[0].name, "alice");
  EXPECT_EQ(s->parties[1].name, "alice_2");
}

TEST(LoadScenarioTest, ErrorsNameTheFile) {
  TempDir dir;
  std::string bad =
      dir.File("bad.xml",
               "<utility_space>\n<weight index=\"1\" value=\"1\"/>\n"
               "<issue index=\"1\" name=\"Destination\"><item value=\"Moon\"/></issue>"
               "</utility_space>");
  std::string other_json = dir.File("other.json", "{\"hello\": 1}");
  std::string scenario_json = dir.File("s.json", "{\"format\": \"shuttle-scenario\"}");
  struct Case {
    std::vector<std::string> paths;
    StatusCode code;
    std::string fragment;
  } cases[] = {
      {{}, StatusCode::kInvalidArgument, "no files to load"},
      {{dir.path() + "/missing.xml"},
       StatusCode::kNotFound,
       "loading '" + dir.path() + "/missing.xml': No such file or directory"},
      {{dir.path()}, StatusCode::kInvalidArgument, "loading '" + dir.path() + "': is a directory"},
      {{Data("holiday_domain.xml"), bad},
       StatusCode::kInvalidArgument,
       "loading '" + bad +
           "': line 3: issue 'Destination': none of its 1 items is a value of the domain"},
      {{other_json},
       StatusCode::kInvalidArgument,
       "neither a Shuttle scenario nor a GeniusWeb domain or profile"},
      {{scenario_json, Data("alice.xml")},
       StatusCode::kInvalidArgument,
       "a Shuttle scenario file comes alone"},
      {{Data("web/trip.json"), Data("alice.xml")},
       StatusCode::kInvalidArgument,
       "loading '" + Data("alice.xml") + "': line"},
  };
  for (const Case& c : cases) {
    Result<Scenario> s = LoadScenario(c.paths);
    ASSERT_FALSE(s.ok()) << c.fragment;
    EXPECT_EQ(s.status().code(), c.code) << s.status().ToString();
    EXPECT_NE(s.status().message().find(c.fragment), std::string::npos) << s.status().ToString();
  }
}

// Regression: a JSON file that does not parse was reported as "JSON that is neither a Shuttle
// scenario nor a GeniusWeb domain or profile", without saying where it breaks.
TEST(LoadScenarioTest, JsonSyntaxErrorGivesFileLineAndColumn) {
  TempDir dir;
  // Line 3 is `"name": "x",, }`: the second comma, column 13, is where a key should start.
  std::string broken = dir.File("broken.json", "{\n\"version\": 1,\n\"name\": \"x\",, }\n");
  Result<Scenario> s = LoadScenario({broken});
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), StatusCode::kCorruption) << s.status().ToString();
  const std::string& m = s.status().message();
  EXPECT_EQ(m.rfind("loading '" + broken + "': ", 0), 0u) << m;
  EXPECT_NE(m.find("line 3, column 13"), std::string::npos) << m;
  EXPECT_EQ(m.find("neither a Shuttle scenario"), std::string::npos) << m;
}

// Regression: "loading '/tmp/bad.json': /tmp/bad.json: missing field ..." named the file twice.
TEST(LoadScenarioTest, ShuttleJsonErrorsNameTheFileOnce) {
  TempDir dir;
  std::string bad = dir.File("bad.json", "{\"format\": \"shuttle-scenario\", \"version\": 1}");
  Result<Scenario> s = LoadScenario({bad});
  ASSERT_FALSE(s.ok());
  const std::string& m = s.status().message();
  const std::string prefix = "loading '" + bad + "': ";
  EXPECT_EQ(m.rfind(prefix, 0), 0u) << m;
  EXPECT_EQ(m.find(bad, prefix.size()), std::string::npos) << m;
}

TEST(SaveScenarioTest, GeniusXmlFolderLoadsBackEqual) {
  Result<Scenario> s =
      LoadScenario({Data("holiday_domain.xml"), Data("alice.xml"), Data("bob.xml")});
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  s->parties[1].profile.red_lines.push_back(
      RedLine{RedLine::Kind::kForbid, 3, {1}, 0, "no flying"});
  TempDir dir;
  std::string folder = dir.path() + "/out/nested";
  ASSERT_TRUE(SaveScenario(*s, folder, Format::kGeniusXml).ok());
  Result<Scenario> back =
      LoadScenario({folder + "/holiday_domain.xml", folder + "/alice.xml", folder + "/bob.xml"});
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(*back, *s);
}

TEST(SaveScenarioTest, ShuttleJsonLoadsBackEqual) {
  Result<Scenario> s = LoadScenario({Data("grid_domain.xml"), Data("grid_boxes.xml")});
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  TempDir dir;
  std::string file = dir.path() + "/grid.json";
  ASSERT_TRUE(SaveScenario(*s, file, Format::kShuttleJson).ok());
  Result<Scenario> back = LoadScenario({file});
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(*back, *s);
}

TEST(SaveScenarioTest, RefusesWhatItCannotWrite) {
  Result<Scenario> s = LoadScenario({Data("holiday_domain.xml"), Data("alice.xml")});
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  TempDir dir;
  Status web = SaveScenario(*s, dir.path() + "/w", Format::kGeniusWebJson);
  EXPECT_EQ(web.code(), StatusCode::kUnimplemented);
  Scenario clash = *s;
  clash.parties.push_back(clash.parties[0]);
  clash.parties.back().name = "alice";
  Status taken = SaveScenario(clash, dir.path() + "/c", Format::kGeniusXml);
  EXPECT_EQ(taken.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(taken.message().find("file name 'alice.xml' is already taken"), std::string::npos)
      << taken.ToString();
  Scenario invalid = *s;
  invalid.parties[0].profile.weights.pop_back();
  Status bad = SaveScenario(invalid, dir.path() + "/i", Format::kGeniusXml);
  EXPECT_EQ(bad.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(bad.message().find("party 'alice'"), std::string::npos) << bad.ToString();
  Scenario odd_names = *s;
  odd_names.name = "a/b";
  odd_names.parties[0].name = "..";
  ASSERT_TRUE(SaveScenario(odd_names, dir.path() + "/o", Format::kGeniusXml).ok());
  EXPECT_TRUE(fs::exists(dir.path() + "/o/a_b_domain.xml"));
  EXPECT_TRUE(fs::exists(dir.path() + "/o/_.xml"));
}

TEST(FileTest, WritesAndReadsBytesExactly) {
  TempDir dir;
  std::string bytes("a\0b\xff\n", 5);
  std::string path = dir.path() + "/bytes.bin";
  ASSERT_TRUE(WriteFile(path, bytes).ok());
  Result<std::string> back = ReadFile(path);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(*back, bytes);
  Status cannot = WriteFile(dir.path() + "/no/such/folder/x", "x");
  EXPECT_EQ(cannot.code(), StatusCode::kNotFound);
  EXPECT_NE(cannot.message().find("/no/such/folder/x"), std::string::npos);
}

}  // namespace
}  // namespace shuttle
