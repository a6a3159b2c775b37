// SPDX-License-Identifier: Apache-2.0
#include "baseline/oscal.h"

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "core/json_limits.h"
#include "core/uuid.h"

namespace dv::baseline {

namespace {

using Json = nlohmann::ordered_json;

constexpr std::string_view kUncertainRemark = "Uncertain: not verified against the referenced text.";

std::string Ns() { return std::string(kOscalNamespace); }

std::string StableUuid(std::string_view name) {
  return Uuid::V5(DannevirkeNamespace(), "oscal:" + std::string(name)).ToString();
}

Json Prop(std::string_view name, std::string_view value) {
  return Json{{"name", name}, {"ns", Ns()}, {"value", value}};
}

Json Part(const std::string& id, std::string_view name, bool own_namespace, const std::string& prose) {
  Json part{{"id", id}, {"name", name}};
  if (own_namespace) part["ns"] = Ns();
  part["prose"] = prose;
  return part;
}

std::string FormatScore(std::optional<double> value) {
  if (!value) return "n/a";
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.1f", *value);
  return buffer;
}

Json ControlOf(const Requirement& requirement) {
  Json control;
  control["id"] = requirement.id;
  control["class"] = "requirement";
  control["title"] = requirement.title.da;
  Json props = Json::array();
  props.push_back(Json{{"name", "label"}, {"value", requirement.id}});
  props.push_back(Prop("title-en", requirement.title.en));
  props.push_back(Prop("weight", std::to_string(requirement.weight)));
  props.push_back(Prop("effort", std::to_string(requirement.effort)));
  props.push_back(Prop("risk-reduction", std::to_string(requirement.risk_reduction)));
  for (const auto& fact : requirement.facts) props.push_back(Prop("fact", fact));
  for (const auto& mapping : requirement.mappings) {
    Json prop = Prop(FrameworkName(mapping.framework), mapping.ref);
    prop["class"] = MappingRelationName(mapping.relation);
    if (mapping.framework == Framework::kCis) prop["group"] = "ig" + std::to_string(mapping.ig);
    if (mapping.uncertain) prop["remarks"] = kUncertainRemark;
    props.push_back(std::move(prop));
  }
  control["props"] = std::move(props);
  control["parts"] = Json::array({
      Part(requirement.id + "_smt", "statement", false, requirement.statement.da),
      Part(requirement.id + "_smt_en", "statement-en", true, requirement.statement.en),
      Part(requirement.id + "_gdn", "guidance", false, requirement.guidance.da),
      Part(requirement.id + "_gdn_en", "guidance-en", true, requirement.guidance.en),
      Part(requirement.id + "_asm", "assessment-method", false, requirement.evidence.da),
      Part(requirement.id + "_asm_en", "assessment-method-en", true, requirement.evidence.en),
  });
  return control;
}

}  // namespace

std::string ExportOscalCatalog(const Catalogue& catalogue) {
  Json metadata;
  metadata["title"] = catalogue.title.da;
  metadata["last-modified"] = catalogue.date + "T00:00:00Z";
  metadata["version"] = catalogue.version;
  metadata["oscal-version"] = kOscalVersion;
  Json metadata_props = Json::array({Prop("catalogue-id", catalogue.id), Prop("catalogue-date", catalogue.date),
                                     Prop("title-en", catalogue.title.en)});
  for (const auto& entry : catalogue.xccdf_map) {
    std::string targets;
    for (const auto& requirement_id : entry.requirement_ids) {
      if (!targets.empty()) targets += ' ';
      targets += requirement_id;
    }
    // One prop per pattern; `class` cannot hold spaces, so the targets go in
    // the value after the pattern, separated by " => ".
    metadata_props.push_back(Prop("xccdf-map", entry.pattern + " => " + targets));
  }
  metadata["props"] = std::move(metadata_props);

  Json groups = Json::array();
  for (const auto& discipline : catalogue.disciplines) {
    Json group;
    group["id"] = discipline.id;
    group["class"] = "discipline";
    group["title"] = discipline.title.da;
    group["props"] =
        Json::array({Json{{"name", "label"}, {"value", discipline.id}}, Prop("title-en", discipline.title.en)});
    Json controls = Json::array();
    for (const auto& requirement : catalogue.requirements) {
      if (requirement.discipline == discipline.id) controls.push_back(ControlOf(requirement));
    }
    group["controls"] = std::move(controls);
    groups.push_back(std::move(group));
  }
  Json root;
  root["catalog"]["uuid"] = StableUuid("catalog:" + catalogue.id + ":" + catalogue.version);
  root["catalog"]["metadata"] = std::move(metadata);
  root["catalog"]["groups"] = std::move(groups);
  return root.dump(2);
}

namespace {

struct OscalRefusal {
  std::string place;
  std::string reason;
};

const Json& Member(const Json& object, std::string_view key, const std::string& place) {
  if (!object.is_object()) throw OscalRefusal{place, "expected an object"};
  auto found = object.find(std::string(key));
  if (found == object.end()) throw OscalRefusal{place + "." + std::string(key), "is required"};
  return *found;
}

std::string Text(const Json& object, std::string_view key, const std::string& place) {
  const Json& value = Member(object, key, place);
  if (!value.is_string()) throw OscalRefusal{place + "." + std::string(key), "expected a string"};
  return value.get<std::string>();
}

const Json& Array(const Json& object, std::string_view key, const std::string& place) {
  static const Json kEmpty = Json::array();
  if (!object.is_object()) throw OscalRefusal{place, "expected an object"};
  auto found = object.find(std::string(key));
  if (found == object.end()) return kEmpty;
  if (!found->is_array()) throw OscalRefusal{place + "." + std::string(key), "expected an array"};
  return *found;
}

bool OwnNamespace(const Json& item) {
  auto ns = item.find("ns");
  return ns != item.end() && ns->is_string() && ns->get<std::string>() == kOscalNamespace;
}

int SmallInt(const std::string& text, const std::string& place) {
  int value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size())
    throw OscalRefusal{place, "'" + text + "' is not a whole number"};
  return value;
}

Requirement RequirementOf(const Json& control, const std::string& discipline, const std::string& place) {
  Requirement requirement;
  requirement.id = Text(control, "id", place);
  requirement.discipline = discipline;
  requirement.title.da = Text(control, "title", place);
  const Json& props = Array(control, "props", place);
  for (std::size_t prop_idx = 0; prop_idx < props.size(); ++prop_idx) {
    const Json& prop = props[prop_idx];
    const std::string where = place + ".props[" + std::to_string(prop_idx) + "]";
    if (!OwnNamespace(prop)) continue;
    const std::string name = Text(prop, "name", where);
    const std::string value = Text(prop, "value", where);
    if (name == "title-en") {
      requirement.title.en = value;
    } else if (name == "weight") {
      requirement.weight = SmallInt(value, where + ".value");
    } else if (name == "effort") {
      requirement.effort = SmallInt(value, where + ".value");
    } else if (name == "risk-reduction") {
      requirement.risk_reduction = SmallInt(value, where + ".value");
    } else if (name == "fact") {
      requirement.facts.push_back(value);
    } else if (auto framework = ParseFramework(name); framework.ok()) {
      Mapping mapping;
      mapping.framework = *framework;
      mapping.ref = value;
      auto relation = ParseMappingRelation(prop.contains("class") ? Text(prop, "class", where) : "");
      if (!relation) throw OscalRefusal{where + ".class", relation.error().message()};
      mapping.relation = *relation;
      if (mapping.framework == Framework::kCis) {
        const std::string group = prop.contains("group") ? Text(prop, "group", where) : "";
        if (group.size() != 3 || group.rfind("ig", 0) != 0)
          throw OscalRefusal{where + ".group", "expected ig1, ig2 or ig3"};
        mapping.ig = SmallInt(group.substr(2), where + ".group");
      }
      mapping.uncertain = prop.contains("remarks") && Text(prop, "remarks", where) == kUncertainRemark;
      requirement.mappings.push_back(std::move(mapping));
    } else {
      throw OscalRefusal{where + ".name", "unknown property '" + name + "' in the Dannevirke namespace"};
    }
  }
  const Json& parts = Array(control, "parts", place);
  for (std::size_t part_idx = 0; part_idx < parts.size(); ++part_idx) {
    const Json& part = parts[part_idx];
    const std::string where = place + ".parts[" + std::to_string(part_idx) + "]";
    const std::string name = Text(part, "name", where);
    const bool own = OwnNamespace(part);
    const bool oscal =
        !part.contains("ns") || (part["ns"].is_string() && part["ns"] == "http://csrc.nist.gov/ns/oscal");
    std::string prose = part.contains("prose") ? Text(part, "prose", where) : "";
    if (oscal && name == "statement") requirement.statement.da = std::move(prose);
    if (own && name == "statement-en") requirement.statement.en = std::move(prose);
    if (oscal && name == "guidance") requirement.guidance.da = std::move(prose);
    if (own && name == "guidance-en") requirement.guidance.en = std::move(prose);
    if (oscal && name == "assessment-method") requirement.evidence.da = std::move(prose);
    if (own && name == "assessment-method-en") requirement.evidence.en = std::move(prose);
  }
  return requirement;
}

Catalogue CatalogueOf(const Json& root) {
  const Json& catalog = Member(root, "catalog", "$");
  Text(catalog, "uuid", "$.catalog");
  const Json& metadata = Member(catalog, "metadata", "$.catalog");
  Catalogue catalogue;
  catalogue.title.da = Text(metadata, "title", "$.catalog.metadata");
  catalogue.version = Text(metadata, "version", "$.catalog.metadata");
  const std::string last_modified = Text(metadata, "last-modified", "$.catalog.metadata");
  catalogue.date = last_modified.substr(0, std::min<std::size_t>(10, last_modified.size()));
  const Json& metadata_props = Array(metadata, "props", "$.catalog.metadata");
  for (std::size_t prop_idx = 0; prop_idx < metadata_props.size(); ++prop_idx) {
    const Json& prop = metadata_props[prop_idx];
    const std::string where = "$.catalog.metadata.props[" + std::to_string(prop_idx) + "]";
    if (!OwnNamespace(prop)) continue;
    const std::string name = Text(prop, "name", where);
    const std::string value = Text(prop, "value", where);
    if (name == "catalogue-id") {
      catalogue.id = value;
    } else if (name == "catalogue-date") {
      catalogue.date = value;
    } else if (name == "title-en") {
      catalogue.title.en = value;
    } else if (name == "xccdf-map") {
      const auto arrow = value.find(" => ");
      if (arrow == std::string::npos) throw OscalRefusal{where + ".value", "expected '<pattern> => <requirement ids>'"};
      XccdfMapping entry;
      entry.pattern = value.substr(0, arrow);
      std::string targets = value.substr(arrow + 4);
      std::size_t start = 0;
      while (start < targets.size()) {
        std::size_t end = targets.find(' ', start);
        if (end == std::string::npos) end = targets.size();
        if (end > start) entry.requirement_ids.push_back(targets.substr(start, end - start));
        start = end + 1;
      }
      catalogue.xccdf_map.push_back(std::move(entry));
    }
  }
  const Json& groups = Array(catalog, "groups", "$.catalog");
  for (std::size_t group_idx = 0; group_idx < groups.size(); ++group_idx) {
    const Json& group = groups[group_idx];
    const std::string place = "$.catalog.groups[" + std::to_string(group_idx) + "]";
    Discipline discipline;
    discipline.id = Text(group, "id", place);
    discipline.title.da = Text(group, "title", place);
    const Json& props = Array(group, "props", place);
    for (std::size_t prop_idx = 0; prop_idx < props.size(); ++prop_idx) {
      const Json& prop = props[prop_idx];
      const std::string where = place + ".props[" + std::to_string(prop_idx) + "]";
      if (OwnNamespace(prop) && Text(prop, "name", where) == "title-en")
        discipline.title.en = Text(prop, "value", where);
    }
    const Json& controls = Array(group, "controls", place);
    for (std::size_t control_idx = 0; control_idx < controls.size(); ++control_idx) {
      catalogue.requirements.push_back(RequirementOf(controls[control_idx], discipline.id,
                                                     place + ".controls[" + std::to_string(control_idx) + "]"));
    }
    catalogue.disciplines.push_back(std::move(discipline));
  }
  return catalogue;
}

std::size_t LineOfOffset(std::string_view text, std::size_t offset) {
  std::size_t line = 1;
  for (std::size_t pos = 0; pos < offset && pos < text.size(); ++pos) {
    if (text[pos] == '\n') ++line;
  }
  return line;
}

}  // namespace

Result<Catalogue> ImportOscalCatalog(std::string_view json, std::string_view name) {
  if (auto depth = CheckJsonDepth(json); !depth.ok()) {
    return Error::Parse(std::string(name) + ": malformed JSON: " + depth.error().message());
  }
  Json root;
  try {
    root = Json::parse(json.begin(), json.end());
  } catch (const Json::parse_error& error) {
    return Error::Parse(std::string(name) + ":" + std::to_string(LineOfOffset(json, error.byte)) +
                        ": malformed JSON: " + error.what());
  }
  Catalogue catalogue;
  try {
    catalogue = CatalogueOf(root);
  } catch (const OscalRefusal& refusal) {
    return Error::InvalidArgument(std::string(name) + ": " + refusal.place + ": " + refusal.reason);
  } catch (const Json::exception& error) {
    return Error::InvalidArgument(std::string(name) + ": " + error.what());
  }
  if (auto status = catalogue.Validate(); !status.ok()) {
    return Error::InvalidArgument(std::string(name) + ": " + status.error().message());
  }
  catalogue.Reindex();
  return catalogue;
}

namespace {

// OSCAL finding target state: satisfied only when met (or not applicable,
// which OSCAL cannot otherwise express; the status prop tells them apart).
std::string_view StateOf(ReqStatus status) {
  return status == ReqStatus::kMet || status == ReqStatus::kNotApplicable ? "satisfied" : "not-satisfied";
}

std::string_view ReasonOf(ReqStatus status) {
  switch (status) {
    case ReqStatus::kMet:
      return "pass";
    case ReqStatus::kNotMet:
      return "fail";
    default:
      return "other";
  }
}

}  // namespace

std::string ExportOscalAssessmentResults(const Catalogue& catalogue, const Assessment& assessment,
                                         const Scorecard& card) {
  const std::string key = assessment.member + ":" + assessment.assessed_at.ToRfc3339();
  Json metadata;
  metadata["title"] = "Minimumskrav: vurdering af " + assessment.member;
  metadata["last-modified"] = assessment.assessed_at.ToRfc3339();
  metadata["version"] = catalogue.version;
  metadata["oscal-version"] = kOscalVersion;
  metadata["props"] = Json::array({Prop("member", assessment.member), Prop("catalogue-id", catalogue.id)});
  if (!assessment.assessor.empty()) metadata["props"].push_back(Prop("assessor", assessment.assessor));

  Json observations = Json::array();
  Json findings = Json::array();
  for (const auto& score : card.requirements) {
    const Requirement& requirement = catalogue.requirements[score.requirement_idx];
    const RequirementAssessment* item = assessment.Find(requirement.id);
    if (item == nullptr) continue;
    Json related = Json::array();
    for (std::size_t evidence_idx = 0; evidence_idx < item->evidence.size(); ++evidence_idx) {
      const Evidence& evidence = item->evidence[evidence_idx];
      const std::string uuid =
          StableUuid("observation:" + key + ":" + requirement.id + ":" + std::to_string(evidence_idx));
      Json observation;
      observation["uuid"] = uuid;
      observation["title"] = requirement.id + ": " + evidence.source;
      observation["description"] = evidence.note.empty() ? evidence.source : evidence.note;
      observation["props"] = Json::array({Prop("evidence-kind", EvidenceKindName(evidence.kind))});
      if (evidence.result != EvidenceResult::kNone) {
        observation["props"].push_back(Prop("evidence-result", EvidenceResultName(evidence.result)));
      }
      observation["methods"] = Json::array({evidence.kind == EvidenceKind::kMeasured ? "TEST" : "EXAMINE"});
      observation["relevant-evidence"] = Json::array({Json{{"description", evidence.source}}});
      observation["collected"] = evidence.collected.ToRfc3339();
      if (evidence.valid_until) observation["expires"] = evidence.valid_until->ToRfc3339();
      observations.push_back(std::move(observation));
      related.push_back(Json{{"observation-uuid", uuid}});
    }
    if (score.effective.status == ReqStatus::kNotAssessed && related.empty()) continue;
    Json target;
    target["type"] = "statement-id";
    target["target-id"] = requirement.id + "_smt";
    target["props"] = Json::array({Prop("status", ReqStatusName(score.effective.status)),
                                   Prop("declared-status", ReqStatusName(score.declared)),
                                   Prop("basis", StatusBasisName(score.effective.basis))});
    if (item->maturity > 0) target["props"].push_back(Prop("maturity", std::to_string(item->maturity)));
    target["status"] = Json{{"state", StateOf(score.effective.status)}, {"reason", ReasonOf(score.effective.status)}};
    Json finding;
    finding["uuid"] = StableUuid("finding:" + key + ":" + requirement.id);
    finding["title"] = requirement.id + " " + requirement.title.da;
    finding["description"] = requirement.statement.da;
    Json finding_props = Json::array();
    if (!item->owner.empty()) finding_props.push_back(Prop("owner", item->owner));
    if (item->due) finding_props.push_back(Prop("due", item->due->ToRfc3339()));
    if (!finding_props.empty()) finding["props"] = std::move(finding_props);
    finding["target"] = std::move(target);
    if (!related.empty()) finding["related-observations"] = std::move(related);
    findings.push_back(std::move(finding));
  }

  Json result;
  result["uuid"] = StableUuid("result:" + key);
  result["title"] = "Minimumskrav " + catalogue.version + " for " + assessment.member;
  result["description"] = "Vurdering af " + assessment.member + " mod " + catalogue.id + " " + catalogue.version +
                          ". / Assessment of " + assessment.member + " against " + catalogue.id + " " +
                          catalogue.version + ".";
  result["start"] = assessment.assessed_at.ToRfc3339();
  Json result_props = Json::array({Prop("overall-score", FormatScore(card.overall)),
                                   Prop("assessed-share", FormatScore(card.assessed_share * 100.0))});
  for (const auto& discipline : card.disciplines) {
    Json prop = Prop("discipline-score", FormatScore(discipline.score));
    prop["class"] = discipline.discipline;
    result_props.push_back(std::move(prop));
  }
  for (const auto& letter : card.nis2) {
    Json prop = Prop("nis2-coverage", FormatScore(letter.coverage));
    prop["class"] = std::string(1, letter.letter);
    result_props.push_back(std::move(prop));
  }
  result["props"] = std::move(result_props);
  result["reviewed-controls"] = Json{{"control-selections", Json::array({Json{{"include-all", Json::object()}}})}};
  if (!observations.empty()) result["observations"] = std::move(observations);
  if (!findings.empty()) result["findings"] = std::move(findings);

  Json root;
  root["assessment-results"]["uuid"] = StableUuid("assessment-results:" + key);
  root["assessment-results"]["metadata"] = std::move(metadata);
  root["assessment-results"]["import-ap"] = Json{{"href", "./" + catalogue.id + "-" + catalogue.version + ".json"}};
  root["assessment-results"]["results"] = Json::array({std::move(result)});
  return root.dump(2);
}

}  // namespace dv::baseline
