// LoadScenario and SaveScenario: files in, files out, format told by content.
#include <fmt/format.h>

#include <filesystem>
#include <set>

#include "io/genius_web_json_internal.h"
#include "io/genius_xml_internal.h"
#include "shuttle/io.h"

namespace shuttle {
namespace {

namespace fs = std::filesystem;
using io_internal::JsonKind;

std::string Stem(const std::string& path) { return fs::path(path).stem().string(); }

// "travel_domain" -> "travel", "Laptop-C-domain" -> "Laptop-C": the name, not the file's role.
std::string ScenarioNameFromStem(std::string stem) {
  for (std::string_view suffix : {"_domain", "-domain"}) {
    if (stem.size() > suffix.size() &&
        stem.compare(stem.size() - suffix.size(), suffix.size(), suffix) == 0) {
      return stem.substr(0, stem.size() - suffix.size());
    }
  }
  return stem;
}

Status Context(const Status& status, const std::string& path) {
  return status.WithContext(fmt::format("loading '{}'", path));
}

// ReadFile's "opening 'p': No such file..." as "loading 'p': No such file...".
Result<std::string> ReadInput(const std::string& path) {
  Result<std::string> text = ReadFile(path);
  if (text.ok()) return text;
  const std::string& message = text.status().message();
  std::string marker = "'" + path + "': ";
  size_t at = message.find(marker);
  std::string cause = at == std::string::npos ? message : message.substr(at + marker.size());
  return Status(text.status().code(), fmt::format("loading '{}': {}", path, cause));
}

// The domain the files describe, and which of them are profiles.
struct Plan {
  OutcomeSpace space;
  std::vector<long long> xml_indices;  // GENIUS domain's issue index attributes, when known.
  bool have_xml_indices = false;
  std::string name;
  size_t first_profile = 1;
};

Result<Plan> PlanFromFirstFile(const std::string& path, const std::string& text, JsonKind kind) {
  Plan plan;
  if (kind == JsonKind::kGeniusWebDomain || kind == JsonKind::kGeniusWebProfile) {
    auto domain = io_internal::ParseGeniusWebDomainJson(text);
    if (!domain.ok()) return Context(domain.status(), path);
    plan.space = std::move(domain->space);
    plan.name = domain->name.empty() ? ScenarioNameFromStem(Stem(path)) : domain->name;
    plan.first_profile = kind == JsonKind::kGeniusWebProfile ? 0 : 1;
    return plan;
  }
  if (kind == JsonKind::kSyntaxError) {
    return Status::Corruption(
        fmt::format("loading '{}': {}", path, io_internal::JsonSyntaxError(text)));
  }
  if (kind != JsonKind::kNotJson) {
    return Status::InvalidArgument(fmt::format(
        "loading '{}': JSON that is neither a Shuttle scenario nor a GeniusWeb domain or profile",
        path));
  }
  auto domain = io_internal::ParseGeniusDomainXml(text);
  if (!domain.ok()) return Context(domain.status(), path);
  plan.space = std::move(domain->space);
  plan.xml_indices = std::move(domain->issue_indices);
  plan.have_xml_indices = true;
  plan.name = ScenarioNameFromStem(Stem(path));
  plan.first_profile = io_internal::LooksLikeGeniusProfile(text) ? 0 : 1;
  return plan;
}

Result<Profile> LoadProfile(const std::string& path, const std::string& text, const Plan& plan) {
  Result<Profile> profile =
      io_internal::DetectJsonKind(text) == JsonKind::kNotJson
          ? io_internal::ParseGeniusProfileXml(text, plan.space,
                                               plan.have_xml_indices ? &plan.xml_indices : nullptr)
          : io_internal::ParseGeniusWebProfileJson(text, plan.space);
  if (!profile.ok()) return Context(profile.status(), path);
  return profile;
}

// Profile file stems, made unique ("a", "a_2") when two folders hold files of the same name.
std::string UniqueName(const std::string& stem, std::set<std::string>* taken) {
  std::string name = stem;
  for (int k = 2; !taken->insert(name).second; ++k) name = fmt::format("{}_{}", stem, k);
  return name;
}

Result<Scenario> LoadShuttleJson(const std::vector<std::string>& paths, const std::string& text) {
  if (paths.size() != 1) {
    return Status::InvalidArgument(
        fmt::format("loading '{}': a Shuttle scenario file comes alone, not with {} more", paths[0],
                    paths.size() - 1));
  }
  // The parser's source is the whole context, so the path is said once.
  return ParseScenarioJson(text, fmt::format("loading '{}'", paths[0]));
}

// A file name made of the name: path separators and control characters become '_'.
std::string SafeFileName(const std::string& name) {
  std::string out = name.empty() ? std::string("unnamed") : name;
  for (char& c : out) {
    if (c == '/' || c == '\\' || c == ':' || static_cast<unsigned char>(c) < 0x20) c = '_';
  }
  if (out == "." || out == "..") out = "_";
  return out;
}

Status SaveGeniusXml(const Scenario& scenario, const std::string& folder) {
  // The agenda is an order of talks and may be dropped; a rule changes who must agree, so a file
  // without it would be another negotiation.
  if (!scenario.rule.unanimous()) {
    return Status::InvalidArgument(
        "agreement_rule: GENIUS XML has no agreement rule (there every party must accept); keep "
        "the scenario in Shuttle JSON");
  }
  std::error_code ec;
  fs::create_directories(folder, ec);
  if (ec) return Status::IOError(fmt::format("creating folder '{}': {}", folder, ec.message()));
  std::string domain_file =
      SafeFileName(scenario.name.empty() ? "scenario" : scenario.name) + "_domain.xml";
  std::set<std::string> files{domain_file};
  std::vector<std::pair<std::string, std::string>> outputs{
      {domain_file, WriteGeniusDomain(scenario.space, scenario.name)}};
  for (const Party& party : scenario.parties) {
    std::string file = SafeFileName(party.name) + ".xml";
    if (!files.insert(file).second) {
      return Status::InvalidArgument(
          fmt::format("party '{}': file name '{}' is already taken", party.name, file));
    }
    Result<std::string> xml = WriteGeniusProfile(scenario.space, party.profile);
    if (!xml.ok()) return xml.status().WithContext(fmt::format("party '{}'", party.name));
    outputs.emplace_back(file, std::move(*xml));
  }
  for (const auto& [file, contents] : outputs) {
    SHUTTLE_RETURN_IF_ERROR(WriteFile((fs::path(folder) / file).string(), contents));
  }
  return Status::Ok();
}

}  // namespace

Result<Scenario> LoadScenario(const std::vector<std::string>& paths) {
  if (paths.empty()) return Status::InvalidArgument("no files to load");
  SHUTTLE_ASSIGN_OR_RETURN(std::string first, ReadInput(paths[0]));
  JsonKind kind = io_internal::DetectJsonKind(first);
  if (kind == JsonKind::kShuttleScenario) return LoadShuttleJson(paths, first);
  SHUTTLE_ASSIGN_OR_RETURN(Plan plan, PlanFromFirstFile(paths[0], first, kind));
  Scenario scenario;
  scenario.name = plan.name;
  scenario.space = plan.space;
  std::set<std::string> names;
  for (size_t k = plan.first_profile; k < paths.size(); ++k) {
    std::string text;
    if (k == 0) {
      text = first;
    } else {
      SHUTTLE_ASSIGN_OR_RETURN(text, ReadInput(paths[k]));
    }
    SHUTTLE_ASSIGN_OR_RETURN(Profile profile, LoadProfile(paths[k], text, plan));
    scenario.parties.push_back(Party{UniqueName(Stem(paths[k]), &names), std::move(profile)});
  }
  SHUTTLE_RETURN_IF_ERROR(Context(scenario.Validate(), paths[0]));
  return scenario;
}

Status SaveScenario(const Scenario& scenario, const std::string& path, Format format) {
  SHUTTLE_RETURN_IF_ERROR(scenario.Validate().WithContext(fmt::format("saving '{}'", path)));
  switch (format) {
    case Format::kShuttleJson: return WriteFile(path, WriteScenarioJson(scenario));
    case Format::kGeniusXml:
      return SaveGeniusXml(scenario, path).WithContext(fmt::format("saving '{}'", path));
    case Format::kGeniusWebJson:
      return Status::Unimplemented(
          fmt::format("saving '{}': writing GeniusWeb JSON is not supported", path));
  }
  return Status::InvalidArgument("unknown format");
}

}  // namespace shuttle
