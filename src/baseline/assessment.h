// SPDX-License-Identifier: Apache-2.0
#pragma once

// A member's assessment against the catalogue: per requirement a status,
// maturity, owner, due date and dated evidence. An Assessment is a snapshot
// taken at `assessed_at`; a member's history is a list of snapshots.
//
// The JSON import format ("dannevirke-baseline-assessment/1") is documented
// in docs/baseline.md. ParseAssessmentJson refuses the whole document on the
// first problem, with a message that names the place (line for syntax
// errors, JSON path and requirement id for values) and the reason; it never
// returns a partly filled assessment, so a refused import cannot replace
// what is stored.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "baseline/catalogue.h"
#include "core/result.h"
#include "core/time.h"

namespace dv::baseline {

enum class ReqStatus { kMet, kPartly, kNotMet, kNotApplicable, kNotAssessed };
std::string_view ReqStatusName(ReqStatus status);  // "met", "partly", "not_met", "not_applicable", "not_assessed"
Result<ReqStatus> ParseReqStatus(std::string_view name);

enum class EvidenceKind { kDeclared, kMeasured };
std::string_view EvidenceKindName(EvidenceKind kind);  // "declared", "measured"
Result<EvidenceKind> ParseEvidenceKind(std::string_view name);

// What a measurement found; declared evidence usually has no result.
enum class EvidenceResult { kNone, kPass, kPartial, kFail };
std::string_view EvidenceResultName(EvidenceResult result);  // "", "pass", "partial", "fail"
Result<EvidenceResult> ParseEvidenceResult(std::string_view name);

struct Evidence {
  EvidenceKind kind = EvidenceKind::kDeclared;
  std::string source;  // "xccdf:<test result id>@<host>", "sensor:log_channels", "document:Politik v3"
  Timestamp collected;
  std::optional<Timestamp> valid_until;  // absent = does not expire
  std::string note;
  EvidenceResult result = EvidenceResult::kNone;

  // True when collected at or before `at` and not yet expired at `at`.
  bool IsCurrent(Timestamp at) const { return collected <= at && (!valid_until || at <= *valid_until); }
  friend bool operator==(const Evidence&, const Evidence&) = default;
};

struct RequirementAssessment {
  std::string requirement_id;
  ReqStatus status = ReqStatus::kNotAssessed;  // as declared by the member
  int maturity = 0;                            // 1–5 (4 = fully implemented); 0 = not given
  std::string owner;
  std::optional<Timestamp> due;
  std::string note;
  std::vector<Evidence> evidence;
  friend bool operator==(const RequirementAssessment&, const RequirementAssessment&) = default;
};

struct Assessment {
  std::string member;             // organisation code, "0101"
  std::string catalogue_version;  // the catalogue version assessed against
  Timestamp assessed_at;          // the snapshot's date
  std::string assessor;           // who submitted it ("synthetic:demo" for generated data)
  // At most one item per requirement; requirements without an item count as
  // not assessed.
  std::vector<RequirementAssessment> items;

  const RequirementAssessment* Find(std::string_view requirement_id) const;
  RequirementAssessment* Find(std::string_view requirement_id);
  friend bool operator==(const Assessment&, const Assessment&) = default;
};

// Evidence bound to a requirement, as produced by importers and fact
// converters (xccdf_import.h, auto_evidence.h).
struct RequirementEvidence {
  std::string requirement_id;
  Evidence evidence;
};

// Adds each evidence item to its requirement's item (creating a
// not-assessed item when there is none). Evidence for requirements unknown
// to `catalogue` is refused with kInvalidArgument and nothing is added.
Status AddEvidence(Assessment& assessment, const Catalogue& catalogue, const std::vector<RequirementEvidence>& items);

inline constexpr std::string_view kAssessmentFormat = "dannevirke-baseline-assessment/1";
// The kind of the store record (store/record.h) that holds a member's
// assessment: id = the organisation code, body = AssessmentToJson. Written by
// the hub (baseline/stored.h), read by the risk graph (risk/stored_graph.h).
inline constexpr std::string_view kAssessmentRecordKind = "baseline.assessment";

// Parses and validates an assessment import against `catalogue`: syntax,
// known fields only, known requirement ids (no duplicates), statuses,
// maturity 1–5, dates (RFC 3339 or YYYY-MM-DD), valid_until not before
// collected, valid member code. `name` prefixes error messages.
Result<Assessment> ParseAssessmentJson(std::string_view text, const Catalogue& catalogue,
                                       std::string_view name = "assessment.json");
// The same format; ParseAssessmentJson(AssessmentToJson(a)) == a. `indent`
// spaces per level (2, readable), or -1 for compact output (for storage).
std::string AssessmentToJson(const Assessment& assessment, int indent = 2);

// Parses "YYYY-MM-DD" (midnight UTC) or an RFC 3339 date-time.
Result<Timestamp> ParseDateOrTime(std::string_view text);
// "YYYY-MM-DD" of a timestamp (UTC).
std::string DateOnly(Timestamp at);

}  // namespace dv::baseline
