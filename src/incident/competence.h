// SPDX-License-Identifier: Apache-2.0
#pragma once

// The competences register: which of the 12 role profiles of ENISA's
// European Cybersecurity Skills Framework (ECSF) a member has filled, by whom
// (initials, optionally a name) or by which contracted or shared service,
// and the trainings taken (including the management training NIS2 Art. 20(2)
// requires). Stored as the member record "competence.register" (id = the
// member's code). Personal data is minimal: role, initials or name, training
// titles and dates; only the member itself sees names (docs/incidents.md).
//
// Gap analysis compares a register with a target profile by the member's
// size; the national summary counts coverage per role, single-person
// dependencies and where shared (inter-municipal) capacity in a region would
// close most gaps.

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/organisation.h"
#include "core/result.h"
#include "core/time.h"

namespace dv::incident {

struct RoleProfile {
  std::string id;          // "ciso", "incident_responder", ...
  std::string ecsf_title;  // ENISA's English title
  std::string da;          // Danish name
  std::string en;          // English name
  std::string description_da;
  std::string description_en;
};
const std::vector<RoleProfile>& RoleProfiles();
const RoleProfile* FindRole(std::string_view id);

enum class HolderKind { kStaff, kContracted, kShared };
std::string_view HolderKindName(HolderKind kind);

struct RoleHolder {
  std::string initials;  // 1-8 characters; for a service, a short label
  std::string name;      // optional
  HolderKind kind = HolderKind::kStaff;
  std::string provider;  // contracted/shared: who delivers it (text or organisation code)
};

struct RoleAssignment {
  std::string role;  // a RoleProfile id
  std::vector<RoleHolder> holders;
};

enum class TrainingKind { kManagement, kRole, kAwareness };  // kManagement: NIS2 Art. 20(2)
std::string_view TrainingKindName(TrainingKind kind);

struct Training {
  std::string title;
  TrainingKind kind = TrainingKind::kRole;
  std::string date;                       // "YYYY-MM-DD"
  std::vector<std::string> participants;  // initials, or "management" for the management body
};

struct CompetenceRegister {
  std::vector<RoleAssignment> roles;
  std::vector<Training> trainings;
};

// Parses and validates; errors name the field ("roles[2].holders[0].initials").
Result<CompetenceRegister> RegisterFromJson(const nlohmann::json& json);
nlohmann::json RegisterToJson(const CompetenceRegister& reg);

// Size bands and their target profiles (docs/incidents.md):
//   small   municipality under 30 000 residents (or unknown size):
//           ciso, incident_responder, risk_manager, legal_compliance
//   medium  30 000-99 999, and regions/state bodies/other members:
//           small + implementer, architect, auditor, educator
//   large   100 000 or more:
//           medium + threat_intelligence, forensics, penetration_tester
enum class SizeBand { kSmall, kMedium, kLarge };
std::string_view SizeBandName(SizeBand band);
SizeBand BandFor(OrgKind kind, std::optional<std::int64_t> population);
std::vector<std::string> TargetRoles(SizeBand band);

// How a role is filled: covered = at least one staff holder; partly = only
// contracted or shared services (counted as half); missing = nobody.
enum class Coverage { kCovered, kPartly, kMissing };
std::string_view CoverageName(Coverage coverage);
Coverage RoleCoverage(const CompetenceRegister& reg, std::string_view role);

struct RoleGap {
  std::string role;
  bool required = false;  // in the target profile
  Coverage coverage = Coverage::kMissing;
  bool single_person = false;  // exactly one holder, a staff member, no service behind
};

struct GapReport {
  SizeBand band = SizeBand::kSmall;
  std::vector<RoleGap> roles;                           // all 12, in profile order
  std::vector<std::string> gaps;                        // required roles not covered (partly or missing)
  std::vector<std::string> single_person;               // roles that rest on one person
  std::optional<std::string> last_management_training;  // date
  bool management_training_current = false;             // within 24 months of `today`
  double score = 0;  // required roles: covered 1, partly 0.5; share of the target, 0-1
};

// `today` is "YYYY-MM-DD".
GapReport AnalyseGaps(const CompetenceRegister& reg, SizeBand band, const std::string& today);

// Facts the baseline can use as evidence for its training and governance
// requirements (NIS2 Art. 20(2), Art. 21(2)(g)).
nlohmann::json BaselineEvidence(const GapReport& gaps);

struct MemberCompetence {
  std::string org_code;
  std::string region_code;  // empty when none
  GapReport gaps;
};

struct SharedCapacitySuggestion {
  std::string region_code;
  std::string role;
  std::vector<std::string> members;  // the members of the region missing (or only partly having) the role
};

struct NationalCompetence {
  struct RoleCount {
    std::string role;
    int covered = 0;
    int partly = 0;
    int missing = 0;  // among members whose target includes the role
    int single_person = 0;
  };
  int registers = 0;
  std::vector<RoleCount> roles;                                    // in profile order
  std::vector<std::pair<std::string, std::string>> single_person;  // (member, role)
  std::vector<SharedCapacitySuggestion> suggestions;               // most members first
  int management_training_current = 0;
};

// Suggests a shared capacity for a role in a region when at least
// `min_members` members of the region lack it (missing or partly).
NationalCompetence SummariseNational(const std::vector<MemberCompetence>& members, int min_members = 2);

}  // namespace dv::incident
