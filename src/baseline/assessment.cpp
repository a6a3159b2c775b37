// SPDX-License-Identifier: Apache-2.0
#include "baseline/assessment.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <set>

#include "core/json_limits.h"
#include "core/organisation.h"
#include "core/text.h"

namespace dv::baseline {

std::string_view ReqStatusName(ReqStatus status) {
  switch (status) {
    case ReqStatus::kMet:
      return "met";
    case ReqStatus::kPartly:
      return "partly";
    case ReqStatus::kNotMet:
      return "not_met";
    case ReqStatus::kNotApplicable:
      return "not_applicable";
    case ReqStatus::kNotAssessed:
      return "not_assessed";
  }
  return "not_assessed";
}

Result<ReqStatus> ParseReqStatus(std::string_view name) {
  for (ReqStatus status :
       {ReqStatus::kMet, ReqStatus::kPartly, ReqStatus::kNotMet, ReqStatus::kNotApplicable, ReqStatus::kNotAssessed}) {
    if (ReqStatusName(status) == name) return status;
  }
  return Error::InvalidArgument("unknown status '" + std::string(name) +
                                "' (expected met, partly, not_met, not_applicable or not_assessed)");
}

std::string_view EvidenceKindName(EvidenceKind kind) {
  return kind == EvidenceKind::kMeasured ? "measured" : "declared";
}

Result<EvidenceKind> ParseEvidenceKind(std::string_view name) {
  if (name == "declared") return EvidenceKind::kDeclared;
  if (name == "measured") return EvidenceKind::kMeasured;
  return Error::InvalidArgument("unknown evidence kind '" + std::string(name) + "' (expected declared or measured)");
}

std::string_view EvidenceResultName(EvidenceResult result) {
  switch (result) {
    case EvidenceResult::kNone:
      return "";
    case EvidenceResult::kPass:
      return "pass";
    case EvidenceResult::kPartial:
      return "partial";
    case EvidenceResult::kFail:
      return "fail";
  }
  return "";
}

Result<EvidenceResult> ParseEvidenceResult(std::string_view name) {
  for (EvidenceResult result : {EvidenceResult::kPass, EvidenceResult::kPartial, EvidenceResult::kFail}) {
    if (EvidenceResultName(result) == name) return result;
  }
  return Error::InvalidArgument("unknown evidence result '" + std::string(name) + "' (expected pass, partial or fail)");
}

const RequirementAssessment* Assessment::Find(std::string_view requirement_id) const {
  for (const auto& item : items) {
    if (item.requirement_id == requirement_id) return &item;
  }
  return nullptr;
}

RequirementAssessment* Assessment::Find(std::string_view requirement_id) {
  for (auto& item : items) {
    if (item.requirement_id == requirement_id) return &item;
  }
  return nullptr;
}

Status AddEvidence(Assessment& assessment, const Catalogue& catalogue, const std::vector<RequirementEvidence>& items) {
  for (std::size_t idx = 0; idx < items.size(); ++idx) {
    if (!catalogue.RequirementIndex(items[idx].requirement_id)) {
      return Error::InvalidArgument("evidence[" + std::to_string(idx) + "]: unknown requirement '" +
                                    items[idx].requirement_id + "'");
    }
  }
  for (const auto& item : items) {
    RequirementAssessment* target = assessment.Find(item.requirement_id);
    if (target == nullptr) {
      assessment.items.push_back({});
      target = &assessment.items.back();
      target->requirement_id = item.requirement_id;
    }
    target->evidence.push_back(item.evidence);
  }
  return Ok();
}

Result<Timestamp> ParseDateOrTime(std::string_view text) {
  if (text.size() == 10) {
    auto parsed = Timestamp::Parse(std::string(text) + "T00:00:00Z");
    if (parsed) return parsed;
    return Error::InvalidArgument("'" + std::string(text) + "' is not a valid date (YYYY-MM-DD)");
  }
  auto parsed = Timestamp::Parse(text);
  if (!parsed) return Error::InvalidArgument(parsed.error().message());
  return parsed;
}

std::string DateOnly(Timestamp at) { return at.ToRfc3339().substr(0, 10); }

namespace {

using Json = nlohmann::ordered_json;

// A validation failure at a JSON path; converted to an Error by the caller.
struct Refusal {
  std::string place;
  std::string reason;
};

void CheckObject(const Json& value, const std::string& place, std::initializer_list<std::string_view> allowed) {
  if (!value.is_object()) throw Refusal{place, "expected an object"};
  for (const auto& [key, unused] : value.items()) {
    if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
      throw Refusal{place, "unknown field '" + key + "'"};
    }
  }
}

std::string String(const Json& object, std::string_view key, const std::string& place, bool required) {
  auto found = object.find(std::string(key));
  if (found == object.end() || found->is_null()) {
    if (required) throw Refusal{place + "." + std::string(key), "is required"};
    return "";
  }
  if (!found->is_string()) throw Refusal{place + "." + std::string(key), "expected a string"};
  return found->get<std::string>();
}

std::optional<Timestamp> Date(const Json& object, std::string_view key, const std::string& place, bool required) {
  const std::string text = String(object, key, place, required);
  if (text.empty()) {
    if (required) throw Refusal{place + "." + std::string(key), "must not be empty"};
    return std::nullopt;
  }
  auto parsed = ParseDateOrTime(text);
  if (!parsed) throw Refusal{place + "." + std::string(key), parsed.error().message()};
  return *parsed;
}

Evidence ToEvidence(const Json& value, const std::string& place) {
  CheckObject(value, place, {"kind", "source", "collected", "valid_until", "note", "result"});
  Evidence evidence;
  auto kind = ParseEvidenceKind(String(value, "kind", place, true));
  if (!kind) throw Refusal{place + ".kind", kind.error().message()};
  evidence.kind = *kind;
  evidence.source = String(value, "source", place, true);
  if (evidence.source.empty()) throw Refusal{place + ".source", "must not be empty"};
  evidence.collected = *Date(value, "collected", place, true);
  evidence.valid_until = Date(value, "valid_until", place, false);
  if (evidence.valid_until && *evidence.valid_until < evidence.collected) {
    throw Refusal{place + ".valid_until", "is before collected"};
  }
  evidence.note = String(value, "note", place, false);
  const std::string result = String(value, "result", place, false);
  if (!result.empty()) {
    auto parsed = ParseEvidenceResult(result);
    if (!parsed) throw Refusal{place + ".result", parsed.error().message()};
    evidence.result = *parsed;
  }
  return evidence;
}

Assessment ToAssessment(const Json& root, const Catalogue& catalogue) {
  CheckObject(root, "$", {"format", "member", "catalogue_version", "assessed_at", "assessor", "requirements"});
  const std::string format = String(root, "format", "$", true);
  if (format != kAssessmentFormat) {
    throw Refusal{"$.format", "'" + format + "' is not " + std::string(kAssessmentFormat)};
  }
  Assessment assessment;
  assessment.member = String(root, "member", "$", true);
  if (!IsValidOrgCode(assessment.member)) {
    throw Refusal{"$.member", "'" + assessment.member + "' is not a valid organisation code"};
  }
  assessment.catalogue_version = String(root, "catalogue_version", "$", true);
  if (assessment.catalogue_version != catalogue.version) {
    throw Refusal{"$.catalogue_version", "'" + assessment.catalogue_version +
                                             "' does not match the loaded catalogue version '" + catalogue.version +
                                             "'"};
  }
  assessment.assessed_at = *Date(root, "assessed_at", "$", true);
  assessment.assessor = String(root, "assessor", "$", false);
  auto requirements = root.find("requirements");
  if (requirements == root.end() || !requirements->is_array()) {
    throw Refusal{"$.requirements", "expected an array"};
  }
  std::set<std::string> seen;
  for (std::size_t idx = 0; idx < requirements->size(); ++idx) {
    const Json& value = (*requirements)[idx];
    std::string place = "$.requirements[" + std::to_string(idx) + "]";
    if (!value.is_object()) throw Refusal{place, "expected an object"};
    RequirementAssessment item;
    item.requirement_id = String(value, "id", place, true);
    place += " (" + item.requirement_id + ")";
    CheckObject(value, place, {"id", "status", "maturity", "owner", "due", "note", "evidence"});
    if (!catalogue.RequirementIndex(item.requirement_id)) {
      throw Refusal{place + ".id",
                    "unknown requirement id '" + item.requirement_id + "' in catalogue " + catalogue.version};
    }
    if (!seen.insert(item.requirement_id).second) throw Refusal{place + ".id", "requirement listed twice"};
    auto status = ParseReqStatus(String(value, "status", place, true));
    if (!status) throw Refusal{place + ".status", status.error().message()};
    item.status = *status;
    if (auto maturity = value.find("maturity"); maturity != value.end() && !maturity->is_null()) {
      if (!maturity->is_number_integer()) throw Refusal{place + ".maturity", "expected a whole number 1–5"};
      const auto level = maturity->get<std::int64_t>();
      if (level < 1 || level > 5) {
        throw Refusal{place + ".maturity", std::to_string(level) + " is out of range 1–5"};
      }
      item.maturity = static_cast<int>(level);
    }
    item.owner = String(value, "owner", place, false);
    item.due = Date(value, "due", place, false);
    item.note = String(value, "note", place, false);
    if (auto evidence = value.find("evidence"); evidence != value.end() && !evidence->is_null()) {
      if (!evidence->is_array()) throw Refusal{place + ".evidence", "expected an array"};
      for (std::size_t evidence_idx = 0; evidence_idx < evidence->size(); ++evidence_idx) {
        item.evidence.push_back(
            ToEvidence((*evidence)[evidence_idx], place + ".evidence[" + std::to_string(evidence_idx) + "]"));
      }
    }
    assessment.items.push_back(std::move(item));
  }
  return assessment;
}

}  // namespace

Result<Assessment> ParseAssessmentJson(std::string_view text, const Catalogue& catalogue, std::string_view name) {
  if (auto depth = CheckJsonDepth(text); !depth.ok()) {
    return Error::Parse(std::string(name) + ": malformed JSON: " + depth.error().message());
  }
  Json root;
  try {
    root = Json::parse(text.begin(), text.end());
  } catch (const Json::parse_error& error) {
    return Error::Parse(std::string(name) + ":" + std::to_string(LineOfOffset(text, error.byte)) +
                        ": malformed JSON: " + error.what());
  }
  try {
    return ToAssessment(root, catalogue);
  } catch (const Refusal& refusal) {
    return Error::InvalidArgument(std::string(name) + ": " + refusal.place + ": " + refusal.reason);
  } catch (const Json::exception& error) {
    return Error::InvalidArgument(std::string(name) + ": " + error.what());
  }
}

std::string AssessmentToJson(const Assessment& assessment, int indent) {
  Json root;
  root["format"] = kAssessmentFormat;
  root["member"] = assessment.member;
  root["catalogue_version"] = assessment.catalogue_version;
  root["assessed_at"] = assessment.assessed_at.ToRfc3339();
  if (!assessment.assessor.empty()) root["assessor"] = assessment.assessor;
  root["requirements"] = Json::array();
  for (const auto& item : assessment.items) {
    Json entry;
    entry["id"] = item.requirement_id;
    entry["status"] = ReqStatusName(item.status);
    if (item.maturity != 0) entry["maturity"] = item.maturity;
    if (!item.owner.empty()) entry["owner"] = item.owner;
    if (item.due) entry["due"] = item.due->ToRfc3339();
    if (!item.note.empty()) entry["note"] = item.note;
    if (!item.evidence.empty()) {
      entry["evidence"] = Json::array();
      for (const auto& evidence : item.evidence) {
        Json value;
        value["kind"] = EvidenceKindName(evidence.kind);
        value["source"] = evidence.source;
        value["collected"] = evidence.collected.ToRfc3339();
        if (evidence.valid_until) value["valid_until"] = evidence.valid_until->ToRfc3339();
        if (!evidence.note.empty()) value["note"] = evidence.note;
        if (evidence.result != EvidenceResult::kNone) value["result"] = EvidenceResultName(evidence.result);
        entry["evidence"].push_back(std::move(value));
      }
    }
    root["requirements"].push_back(std::move(entry));
  }
  return root.dump(indent);
}

}  // namespace dv::baseline
