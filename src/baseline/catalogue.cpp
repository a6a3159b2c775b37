// SPDX-License-Identifier: Apache-2.0
#include "baseline/catalogue.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <mutex>
#include <set>

namespace dv::baseline {

// Defined by the generated embedded-data file (cmake/embed.cmake).
std::string_view BaselineDataFile(std::string_view name);

std::string_view MappingRelationName(MappingRelation relation) {
  switch (relation) {
    case MappingRelation::kEqual:
      return "equal";
    case MappingRelation::kSubset:
      return "subset";
    case MappingRelation::kSuperset:
      return "superset";
    case MappingRelation::kIntersects:
      return "intersects";
  }
  return "intersects";
}

Result<MappingRelation> ParseMappingRelation(std::string_view name) {
  for (MappingRelation relation :
       {MappingRelation::kEqual, MappingRelation::kSubset, MappingRelation::kSuperset, MappingRelation::kIntersects}) {
    if (MappingRelationName(relation) == name) return relation;
  }
  return Error::InvalidArgument("unknown mapping relation '" + std::string(name) +
                                "' (expected equal, subset, superset or intersects)");
}

std::string_view FrameworkName(Framework framework) {
  switch (framework) {
    case Framework::kNis2:
      return "nis2";
    case Framework::kCis:
      return "cis-v8.1";
    case Framework::kIso27001:
      return "iso27001-2022";
    case Framework::kDkStateTmk:
      return "dk-tmk-2024";
  }
  return "nis2";
}

Result<Framework> ParseFramework(std::string_view name) {
  for (Framework framework : {Framework::kNis2, Framework::kCis, Framework::kIso27001, Framework::kDkStateTmk}) {
    if (FrameworkName(framework) == name) return framework;
  }
  return Error::InvalidArgument("unknown framework '" + std::string(name) + "'");
}

namespace {

// Posture checks and the facts they supply.
constexpr std::pair<std::string_view, std::string_view> kPostureFacts[] = {
    {"dnssec", kFactDnssec},      {"mail_tls", kFactMailTls},
    {"spf", kFactMailSpf},        {"dmarc", kFactMailDmarc},
    {"tls_rpt", kFactMailTlsRpt}, {"dkim", kFactMailDkim},
    {"dane", kFactMailDane},      {"mta_sts", kFactMailMtaSts},
    {"web_tls", kFactWebTls},     {"https_redirect", kFactWebHttpsRedirect},
    {"hsts", kFactWebHsts},       {"security_txt", kFactWebSecurityTxt},
};

}  // namespace

bool IsPostureFact(std::string_view fact) {
  for (const auto& [check, supplied] : kPostureFacts) {
    if (supplied == fact) return true;
  }
  return false;
}

std::string_view FactOfPostureCheck(std::string_view check) {
  for (const auto& [name, fact] : kPostureFacts) {
    if (name == check) return fact;
  }
  return {};
}

bool IsKnownFact(std::string_view fact) {
  return fact == kFactLogChannels || fact == kFactActiveRules || fact == kFactSightingsHandled ||
         fact == kFactSensorContact || fact == kFactXccdf || fact == kFactRegisterPresence || fact == kFactKevFix ||
         fact == kFactDutyAcknowledge || IsPostureFact(fact);
}

std::string_view Nis2LetterSummary(char letter) {
  switch (letter) {
    case 'a':
      return "Risk analysis and information system security policies";
    case 'b':
      return "Incident handling";
    case 'c':
      return "Business continuity, backup, disaster recovery and crisis management";
    case 'd':
      return "Supply chain security";
    case 'e':
      return "Security in acquisition, development and maintenance, incl. vulnerability handling";
    case 'f':
      return "Assessing the effectiveness of risk-management measures";
    case 'g':
      return "Basic cyber hygiene and cybersecurity training";
    case 'h':
      return "Cryptography and encryption";
    case 'i':
      return "Human resources security, access control and asset management";
    case 'j':
      return "Multi-factor authentication and secured communications";
    default:
      return "";
  }
}

bool GlobMatch(std::string_view pattern, std::string_view text) {
  // Iterative matcher with backtracking to the last '*': linear in practice.
  std::size_t pattern_pos = 0;
  std::size_t text_pos = 0;
  std::size_t star_pos = std::string_view::npos;
  std::size_t star_text = 0;
  while (text_pos < text.size()) {
    if (pattern_pos < pattern.size() && pattern[pattern_pos] == '*') {
      star_pos = pattern_pos++;
      star_text = text_pos;
    } else if (pattern_pos < pattern.size() && pattern[pattern_pos] == text[text_pos]) {
      ++pattern_pos;
      ++text_pos;
    } else if (star_pos != std::string_view::npos) {
      pattern_pos = star_pos + 1;
      text_pos = ++star_text;
    } else {
      return false;
    }
  }
  while (pattern_pos < pattern.size() && pattern[pattern_pos] == '*') ++pattern_pos;
  return pattern_pos == pattern.size();
}

std::optional<std::size_t> Catalogue::RequirementIndex(std::string_view requirement_id) const {
  auto found = requirement_index_.find(std::string(requirement_id));
  if (found == requirement_index_.end()) return std::nullopt;
  return found->second;
}

std::optional<std::size_t> Catalogue::DisciplineIndex(std::string_view discipline_id) const {
  auto found = discipline_index_.find(std::string(discipline_id));
  if (found == discipline_index_.end()) return std::nullopt;
  return found->second;
}

void Catalogue::Reindex() {
  requirement_index_.clear();
  discipline_index_.clear();
  requirement_discipline_.clear();
  for (std::size_t idx = 0; idx < disciplines.size(); ++idx) discipline_index_.emplace(disciplines[idx].id, idx);
  for (std::size_t idx = 0; idx < requirements.size(); ++idx) {
    requirement_index_.emplace(requirements[idx].id, idx);
    auto discipline = DisciplineIndex(requirements[idx].discipline);
    requirement_discipline_.push_back(discipline.value_or(0));
  }
}

namespace {

bool IsUpperAlnum(std::string_view text) {
  return !text.empty() &&
         std::all_of(text.begin(), text.end(), [](char c) { return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); });
}

bool IsDigits(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool IsIsoDate(std::string_view text) {
  return text.size() == 10 && IsDigits(text.substr(0, 4)) && text[4] == '-' && IsDigits(text.substr(5, 2)) &&
         text[7] == '-' && IsDigits(text.substr(8, 2));
}

}  // namespace

Status Catalogue::Validate() const {
  if (id.empty()) return Error::InvalidArgument("catalogue.id: must not be empty");
  if (version.empty()) return Error::InvalidArgument("catalogue.version: must not be empty");
  if (!IsIsoDate(date)) return Error::InvalidArgument("catalogue.date: '" + date + "' is not YYYY-MM-DD");
  if (disciplines.empty()) return Error::InvalidArgument("disciplines: the catalogue has no disciplines");
  std::set<std::string> discipline_ids;
  for (std::size_t idx = 0; idx < disciplines.size(); ++idx) {
    const auto& discipline = disciplines[idx];
    const std::string place = "disciplines[" + std::to_string(idx) + "]";
    if (!IsUpperAlnum(discipline.id)) {
      return Error::InvalidArgument(place + ".id: '" + discipline.id + "' must be upper-case letters and digits");
    }
    if (!discipline_ids.insert(discipline.id).second) {
      return Error::InvalidArgument(place + ".id: duplicate discipline '" + discipline.id + "'");
    }
    if (discipline.title.da.empty() || discipline.title.en.empty()) {
      return Error::InvalidArgument(place + " (" + discipline.id + ").title: needs both da and en");
    }
  }
  std::set<std::string> requirement_ids;
  std::set<std::string> used_disciplines;
  std::set<char> nis2_letters;
  for (std::size_t idx = 0; idx < requirements.size(); ++idx) {
    const auto& requirement = requirements[idx];
    const std::string place = "requirements[" + std::to_string(idx) + "] (" + requirement.id + ")";
    const std::string prefix = "DV-" + requirement.discipline + "-";
    if (requirement.id.rfind(prefix, 0) != 0 || requirement.id.size() < prefix.size() + 2 ||
        !IsDigits(std::string_view(requirement.id).substr(prefix.size()))) {
      return Error::InvalidArgument(place + ".id: must have the form " + prefix + "NN");
    }
    if (!requirement_ids.insert(requirement.id).second) {
      return Error::InvalidArgument(place + ".id: duplicate requirement id");
    }
    if (!discipline_ids.count(requirement.discipline)) {
      return Error::InvalidArgument(place + ".discipline: unknown discipline '" + requirement.discipline + "'");
    }
    used_disciplines.insert(requirement.discipline);
    for (const auto& [field, text] : {std::pair{"title", &requirement.title},
                                      {"statement", &requirement.statement},
                                      {"guidance", &requirement.guidance},
                                      {"evidence", &requirement.evidence}}) {
      if (text->da.empty() || text->en.empty()) {
        return Error::InvalidArgument(place + "." + field + ": needs both da and en");
      }
    }
    if (requirement.weight < 1 || requirement.weight > 3) {
      return Error::InvalidArgument(place + ".weight: " + std::to_string(requirement.weight) + " is outside 1–3");
    }
    if (requirement.effort < 1 || requirement.effort > 5) {
      return Error::InvalidArgument(place + ".effort: " + std::to_string(requirement.effort) + " is outside 1–5");
    }
    if (requirement.risk_reduction < 1 || requirement.risk_reduction > 5) {
      return Error::InvalidArgument(place + ".risk: " + std::to_string(requirement.risk_reduction) + " is outside 1–5");
    }
    for (const auto& fact : requirement.facts) {
      if (!IsKnownFact(fact)) return Error::InvalidArgument(place + ".facts: unknown fact '" + fact + "'");
    }
    bool has_nis2 = false;
    for (const auto& mapping : requirement.mappings) {
      const std::string where = place + "." + std::string(FrameworkName(mapping.framework));
      if (mapping.ref.empty()) return Error::InvalidArgument(where + ": empty reference");
      switch (mapping.framework) {
        case Framework::kNis2:
          if (mapping.ref.size() != 1 || kNis2Letters.find(mapping.ref[0]) == std::string_view::npos) {
            return Error::InvalidArgument(where + ": unknown Article 21(2) letter '" + mapping.ref + "'");
          }
          has_nis2 = true;
          nis2_letters.insert(mapping.ref[0]);
          break;
        case Framework::kCis:
          if (mapping.ig < 1 || mapping.ig > 3) {
            return Error::InvalidArgument(where + " " + mapping.ref + ": implementation group " +
                                          std::to_string(mapping.ig) + " is outside 1–3");
          }
          break;
        case Framework::kIso27001:
          if (mapping.ref.rfind("A.", 0) != 0) {
            return Error::InvalidArgument(where + ": '" + mapping.ref + "' is not an Annex A id (A.n.n)");
          }
          break;
        case Framework::kDkStateTmk:
          break;
      }
      if (mapping.framework != Framework::kCis && mapping.ig != 0) {
        return Error::InvalidArgument(where + ": only CIS mappings carry an implementation group");
      }
    }
    if (!has_nis2) return Error::InvalidArgument(place + ".nis2: every requirement needs a NIS2 mapping");
  }
  for (const auto& discipline : disciplines) {
    if (!used_disciplines.count(discipline.id)) {
      return Error::InvalidArgument("disciplines: discipline '" + discipline.id + "' has no requirements");
    }
  }
  for (char letter : kNis2Letters) {
    if (!nis2_letters.count(letter)) {
      return Error::InvalidArgument(std::string("requirements: no requirement maps to NIS2 Article 21(2)(") + letter +
                                    ")");
    }
  }
  for (std::size_t idx = 0; idx < xccdf_map.size(); ++idx) {
    const std::string place = "xccdf_map[" + std::to_string(idx) + "]";
    if (xccdf_map[idx].pattern.empty()) return Error::InvalidArgument(place + ".pattern: must not be empty");
    if (xccdf_map[idx].requirement_ids.empty()) {
      return Error::InvalidArgument(place + ".requirements: must name at least one requirement");
    }
    for (const auto& requirement_id : xccdf_map[idx].requirement_ids) {
      if (!requirement_ids.count(requirement_id)) {
        return Error::InvalidArgument(place + ".requirements: unknown requirement '" + requirement_id + "'");
      }
    }
  }
  return Ok();
}

std::vector<std::string> Catalogue::RequirementsForXccdfRule(std::string_view rule_id) const {
  std::vector<bool> hit(requirements.size(), false);
  for (const auto& entry : xccdf_map) {
    if (!GlobMatch(entry.pattern, rule_id)) continue;
    for (const auto& requirement_id : entry.requirement_ids) {
      if (auto idx = RequirementIndex(requirement_id)) hit[*idx] = true;
    }
  }
  std::vector<std::string> out;
  for (std::size_t idx = 0; idx < hit.size(); ++idx) {
    if (hit[idx]) out.push_back(requirements[idx].id);
  }
  return out;
}

namespace {

// Thrown inside the YAML adapter only; converted to an Error at its boundary.
struct YamlProblem {
  int line;
  std::string message;
};

int LineOf(const YAML::Node& node) { return node.Mark().line >= 0 ? node.Mark().line + 1 : 0; }

[[noreturn]] void Fail(const YAML::Node& node, const std::string& place, const std::string& message) {
  throw YamlProblem{LineOf(node), place + ": " + message};
}

std::string Scalar(const YAML::Node& node, const std::string& place) {
  if (!node || !node.IsScalar()) Fail(node, place, "expected a text value");
  return node.Scalar();
}

int Integer(const YAML::Node& node, const std::string& place) {
  const std::string text = Scalar(node, place);
  int value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size())
    Fail(node, place, "'" + text + "' is not a whole number");
  return value;
}

LocalText Local(const YAML::Node& node, const std::string& place) {
  if (!node || !node.IsMap()) Fail(node, place, "expected a map with 'da' and 'en'");
  LocalText text;
  text.da = Scalar(node["da"], place + ".da");
  text.en = Scalar(node["en"], place + ".en");
  return text;
}

void CheckKeys(const YAML::Node& node, const std::string& place, std::initializer_list<std::string_view> allowed) {
  for (const auto& entry : node) {
    const std::string key = entry.first.Scalar();
    if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
      Fail(entry.first, place, "unknown field '" + key + "'");
    }
  }
}

MappingRelation RelationOf(const YAML::Node& node, const std::string& place) {
  auto relation = ParseMappingRelation(Scalar(node, place));
  if (!relation) Fail(node, place, relation.error().message());
  return *relation;
}

Requirement ToRequirement(const YAML::Node& node, const std::string& index_place) {
  if (!node.IsMap()) Fail(node, index_place, "expected a map");
  Requirement requirement;
  requirement.id = Scalar(node["id"], index_place + ".id");
  const std::string place = index_place + " (" + requirement.id + ")";
  CheckKeys(node, place,
            {"id", "discipline", "title", "statement", "guidance", "evidence", "facts", "weight", "effort", "risk",
             "nis2", "cis", "iso", "state"});
  requirement.discipline = Scalar(node["discipline"], place + ".discipline");
  requirement.title = Local(node["title"], place + ".title");
  requirement.statement = Local(node["statement"], place + ".statement");
  requirement.guidance = Local(node["guidance"], place + ".guidance");
  requirement.evidence = Local(node["evidence"], place + ".evidence");
  if (const YAML::Node facts = node["facts"]; facts) {
    if (!facts.IsSequence()) Fail(facts, place + ".facts", "expected a list");
    for (const auto& fact : facts) requirement.facts.push_back(Scalar(fact, place + ".facts"));
  }
  requirement.weight = Integer(node["weight"], place + ".weight");
  requirement.effort = Integer(node["effort"], place + ".effort");
  requirement.risk_reduction = Integer(node["risk"], place + ".risk");
  if (const YAML::Node nis2 = node["nis2"]; nis2) {
    if (!nis2.IsMap()) Fail(nis2, place + ".nis2", "expected a map of letter: relation");
    for (const auto& entry : nis2) {
      requirement.mappings.push_back({Framework::kNis2, entry.first.Scalar(),
                                      RelationOf(entry.second, place + ".nis2." + entry.first.Scalar()), 0, false});
    }
  }
  if (const YAML::Node cis = node["cis"]; cis) {
    if (!cis.IsMap()) Fail(cis, place + ".cis", "expected a map of safeguard: [ig, relation]");
    for (const auto& entry : cis) {
      const std::string where = place + ".cis." + entry.first.Scalar();
      if (!entry.second.IsSequence() || entry.second.size() != 2) Fail(entry.second, where, "expected [ig, relation]");
      requirement.mappings.push_back({Framework::kCis, entry.first.Scalar(), RelationOf(entry.second[1], where),
                                      Integer(entry.second[0], where + ".ig"), false});
    }
  }
  if (const YAML::Node iso = node["iso"]; iso) {
    if (!iso.IsMap()) Fail(iso, place + ".iso", "expected a map of control: relation");
    for (const auto& entry : iso) {
      requirement.mappings.push_back({Framework::kIso27001, entry.first.Scalar(),
                                      RelationOf(entry.second, place + ".iso." + entry.first.Scalar()), 0, false});
    }
  }
  if (const YAML::Node state = node["state"]; state) {
    if (!state.IsSequence()) Fail(state, place + ".state", "expected a list of {ref, rel, uncertain}");
    for (std::size_t idx = 0; idx < state.size(); ++idx) {
      const YAML::Node entry = state[idx];
      const std::string where = place + ".state[" + std::to_string(idx) + "]";
      if (!entry.IsMap()) Fail(entry, where, "expected a map");
      CheckKeys(entry, where, {"ref", "rel", "uncertain"});
      Mapping mapping{Framework::kDkStateTmk, Scalar(entry["ref"], where + ".ref"),
                      RelationOf(entry["rel"], where + ".rel"), 0, false};
      if (const YAML::Node uncertain = entry["uncertain"]; uncertain) {
        const std::string flag = Scalar(uncertain, where + ".uncertain");
        if (flag != "true" && flag != "false") Fail(uncertain, where + ".uncertain", "expected true or false");
        mapping.uncertain = flag == "true";
      }
      requirement.mappings.push_back(std::move(mapping));
    }
  }
  return requirement;
}

Catalogue ToCatalogue(const YAML::Node& root) {
  if (!root.IsMap()) Fail(root, "document", "expected a map with catalogue, disciplines and requirements");
  CheckKeys(root, "document", {"catalogue", "disciplines", "requirements", "xccdf_map"});
  Catalogue catalogue;
  const YAML::Node head = root["catalogue"];
  if (!head || !head.IsMap()) Fail(root, "catalogue", "missing");
  CheckKeys(head, "catalogue", {"id", "version", "date", "title"});
  catalogue.id = Scalar(head["id"], "catalogue.id");
  catalogue.version = Scalar(head["version"], "catalogue.version");
  catalogue.date = Scalar(head["date"], "catalogue.date");
  catalogue.title = Local(head["title"], "catalogue.title");
  const YAML::Node disciplines = root["disciplines"];
  if (!disciplines || !disciplines.IsSequence()) Fail(root, "disciplines", "expected a list");
  for (std::size_t idx = 0; idx < disciplines.size(); ++idx) {
    const std::string place = "disciplines[" + std::to_string(idx) + "]";
    const YAML::Node node = disciplines[idx];
    if (!node.IsMap()) Fail(node, place, "expected a map");
    CheckKeys(node, place, {"id", "title"});
    catalogue.disciplines.push_back({Scalar(node["id"], place + ".id"), Local(node["title"], place + ".title")});
  }
  const YAML::Node requirements = root["requirements"];
  if (!requirements || !requirements.IsSequence()) Fail(root, "requirements", "expected a list");
  for (std::size_t idx = 0; idx < requirements.size(); ++idx) {
    catalogue.requirements.push_back(ToRequirement(requirements[idx], "requirements[" + std::to_string(idx) + "]"));
  }
  if (const YAML::Node map = root["xccdf_map"]; map) {
    if (!map.IsSequence()) Fail(map, "xccdf_map", "expected a list");
    for (std::size_t idx = 0; idx < map.size(); ++idx) {
      const std::string place = "xccdf_map[" + std::to_string(idx) + "]";
      const YAML::Node node = map[idx];
      if (!node.IsMap()) Fail(node, place, "expected a map");
      CheckKeys(node, place, {"pattern", "requirements"});
      XccdfMapping entry;
      entry.pattern = Scalar(node["pattern"], place + ".pattern");
      const YAML::Node targets = node["requirements"];
      if (!targets || !targets.IsSequence()) Fail(node, place + ".requirements", "expected a list");
      for (const auto& target : targets) entry.requirement_ids.push_back(Scalar(target, place + ".requirements"));
      catalogue.xccdf_map.push_back(std::move(entry));
    }
  }
  return catalogue;
}

// The line of the first YAML node whose place string starts `message`; used
// to give Validate()'s errors a line number.
int LineForPlace(const YAML::Node& root, const std::string& message) {
  auto index_of = [&](std::string_view prefix) -> std::optional<std::size_t> {
    if (message.rfind(prefix, 0) != 0) return std::nullopt;
    std::size_t value = 0;
    const char* begin = message.data() + prefix.size();
    auto [end, error] = std::from_chars(begin, message.data() + message.size(), value);
    if (error != std::errc() || end == begin) return std::nullopt;
    return value;
  };
  try {
    for (std::string_view section : {"requirements", "disciplines", "xccdf_map"}) {
      if (auto idx = index_of(std::string(section) + "[")) {
        const YAML::Node list = root[std::string(section)];
        if (list && list.IsSequence() && *idx < list.size()) return LineOf(list[*idx]);
      }
    }
    if (message.rfind("catalogue", 0) == 0 && root["catalogue"]) return LineOf(root["catalogue"]);
  } catch (const YAML::Exception&) {
  }
  return 0;
}

}  // namespace

Result<Catalogue> ParseCatalogueYaml(std::string_view text, std::string_view name) {
  const std::string file(name);
  YAML::Node root;
  try {
    root = YAML::Load(std::string(text));
  } catch (const YAML::Exception& error) {
    return Error::Parse(file + ":" + std::to_string(error.mark.line + 1) + ": YAML: " + error.msg);
  }
  Catalogue catalogue;
  try {
    catalogue = ToCatalogue(root);
  } catch (const YamlProblem& problem) {
    return Error::InvalidArgument(file + ":" + std::to_string(problem.line) + ": " + problem.message);
  } catch (const YAML::Exception& error) {
    return Error::InvalidArgument(file + ":" + std::to_string(error.mark.line + 1) + ": " + error.msg);
  }
  if (auto status = catalogue.Validate(); !status.ok()) {
    return Error::InvalidArgument(file + ":" + std::to_string(LineForPlace(root, status.error().message())) + ": " +
                                  status.error().message());
  }
  catalogue.Reindex();
  return catalogue;
}

Result<const Catalogue*> BuiltinCatalogue() {
  static std::once_flag once;
  static std::optional<Result<Catalogue>> loaded;
  std::call_once(once,
                 [] { loaded.emplace(ParseCatalogueYaml(BaselineDataFile("catalogue.yaml"), "catalogue.yaml")); });
  if (!loaded->ok()) return Error::Internal("built-in catalogue: " + loaded->error().message());
  return &loaded->value();
}

}  // namespace dv::baseline
