// SPDX-License-Identifier: Apache-2.0
#pragma once

// The minimum-requirements catalogue: disciplines, requirements, their typed
// mappings to external frameworks, and the table that maps scanner rule ids to
// requirements. The catalogue is data (data/baseline/catalogue.yaml, compiled
// into the binary); the format is documented in docs/baseline.md.
//
// A Catalogue is an immutable value once loaded: share it by const reference
// between threads. Loading never throws and never asserts on input; every
// problem is an Error whose message names the file, line and field
// ("catalogue.yaml:120: requirements[7] (DV-NET-01).nis2: unknown letter 'k'").

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/result.h"

namespace dv::baseline {

// Text in both of the project's languages. Danish is shown first.
struct LocalText {
  std::string da;
  std::string en;
  friend bool operator==(const LocalText&, const LocalText&) = default;
};

// How a requirement relates to the control it maps to (the set-theoretic
// relations of NIST IR 8477-style mappings): `kSubset` means the requirement
// covers part of the referenced control, `kSuperset` all of it and more.
enum class MappingRelation { kEqual, kSubset, kSuperset, kIntersects };
std::string_view MappingRelationName(MappingRelation relation);  // "equal", "subset", ...
Result<MappingRelation> ParseMappingRelation(std::string_view name);

enum class Framework {
  kNis2,       // NIS2 Directive Article 21(2), letters a–j
  kCis,        // CIS Controls v8.1 safeguard ids ("4.1"), with IG level
  kIso27001,   // ISO/IEC 27001:2022 Annex A ("A.8.7")
  kDkStateTmk  // Tekniske minimumskrav for statslige myndigheder (2024), by topic
};
std::string_view FrameworkName(Framework framework);  // "nis2", "cis-v8.1", "iso27001-2022", "dk-tmk-2024"
Result<Framework> ParseFramework(std::string_view name);

struct Mapping {
  Framework framework = Framework::kNis2;
  std::string ref;  // "e" (NIS2 letter), "4.1", "A.8.7", or the TMK topic
  MappingRelation relation = MappingRelation::kIntersects;
  int ig = 0;              // CIS implementation group 1–3; 0 for other frameworks
  bool uncertain = false;  // not verified against the referenced text
  friend bool operator==(const Mapping&, const Mapping&) = default;
};

struct Discipline {
  std::string id;  // "NET"
  LocalText title;
  friend bool operator==(const Discipline&, const Discipline&) = default;
};

// Facts that a sensor, scanner or the hub can supply as measured evidence.
inline constexpr std::string_view kFactLogChannels = "log_channels";
inline constexpr std::string_view kFactActiveRules = "active_rules";
inline constexpr std::string_view kFactSightingsHandled = "sightings_handled";
inline constexpr std::string_view kFactSensorContact = "sensor_contact";
inline constexpr std::string_view kFactXccdf = "xccdf";
inline constexpr std::string_view kFactRegisterPresence = "register_presence";
inline constexpr std::string_view kFactKevFix = "kev_fix";
inline constexpr std::string_view kFactDutyAcknowledge = "duty_acknowledge";
inline constexpr std::string_view kFactDnssec = "dnssec";
inline constexpr std::string_view kFactMailTls = "mail_tls";
inline constexpr std::string_view kFactMailSpf = "mail_spf";
inline constexpr std::string_view kFactMailDmarc = "mail_dmarc";
inline constexpr std::string_view kFactMailTlsRpt = "mail_tls_rpt";
inline constexpr std::string_view kFactMailDane = "mail_dane";
inline constexpr std::string_view kFactMailDkim = "mail_dkim";
inline constexpr std::string_view kFactMailMtaSts = "mail_mta_sts";
inline constexpr std::string_view kFactWebTls = "web_tls";
inline constexpr std::string_view kFactWebHttpsRedirect = "web_https_redirect";
inline constexpr std::string_view kFactWebHsts = "web_hsts";
inline constexpr std::string_view kFactWebSecurityTxt = "web_security_txt";
// The fact a posture check (docs/posture.md) supplies, or empty for none.
std::string_view FactOfPostureCheck(std::string_view check);
// Whether a posture check supplies `fact` (measured by the hub from outside).
bool IsPostureFact(std::string_view fact);
bool IsKnownFact(std::string_view fact);

struct Requirement {
  std::string id;          // "DV-NET-01": DV-<discipline>-<two or more digits>
  std::string discipline;  // a Discipline id
  LocalText title;
  LocalText statement;
  LocalText guidance;
  LocalText evidence;              // how to evidence it
  std::vector<std::string> facts;  // measurable facts that support it (kFact*)
  int weight = 1;                  // importance in the score, 1–3
  int effort = 1;                  // effort to implement, 1 (low) – 5 (high)
  int risk_reduction = 1;          // risk reduction when met, 1 (low) – 5 (high)
  std::vector<Mapping> mappings;   // in file order: nis2, cis, iso, state
  friend bool operator==(const Requirement&, const Requirement&) = default;
};

// An XCCDF rule-id pattern ('*' matches any run of characters, the rest is
// literal, the whole id must match) and the requirements it evidences.
struct XccdfMapping {
  std::string pattern;
  std::vector<std::string> requirement_ids;
  friend bool operator==(const XccdfMapping&, const XccdfMapping&) = default;
};

// The NIS2 Article 21(2) letters, in order.
inline constexpr std::string_view kNis2Letters = "abcdefghij";
// A short English paraphrase of each letter of Article 21(2), for reports.
std::string_view Nis2LetterSummary(char letter);

class Catalogue {
 public:
  std::string id;       // "dannevirke-baseline"
  std::string version;  // "2025.1"
  std::string date;     // "YYYY-MM-DD" of the version
  LocalText title;
  std::vector<Discipline> disciplines;
  std::vector<Requirement> requirements;  // grouped by discipline, in file order
  std::vector<XccdfMapping> xccdf_map;

  // Index of a requirement or discipline by id; nullopt when unknown. The
  // index is built by Reindex(), which the loaders call; call it again after
  // editing the vectors by hand.
  std::optional<std::size_t> RequirementIndex(std::string_view requirement_id) const;
  std::optional<std::size_t> DisciplineIndex(std::string_view discipline_id) const;
  // For each requirement, the index of its discipline (valid after Validate()).
  const std::vector<std::size_t>& RequirementDiscipline() const { return requirement_discipline_; }
  void Reindex();

  // Checks integrity: ids well formed and unique, every requirement's
  // discipline known, weights and estimates in range, at least one NIS2
  // mapping per requirement, every discipline non-empty, every NIS2 letter
  // a–j covered by some requirement, facts known, XCCDF map targets known.
  Status Validate() const;

  // Requirement ids whose XCCDF patterns match `rule_id` (deduplicated, in
  // catalogue order).
  std::vector<std::string> RequirementsForXccdfRule(std::string_view rule_id) const;

  friend bool operator==(const Catalogue& a, const Catalogue& b) {
    return a.id == b.id && a.version == b.version && a.date == b.date && a.title == b.title &&
           a.disciplines == b.disciplines && a.requirements == b.requirements && a.xccdf_map == b.xccdf_map;
  }

 private:
  std::unordered_map<std::string, std::size_t> requirement_index_;
  std::unordered_map<std::string, std::size_t> discipline_index_;
  std::vector<std::size_t> requirement_discipline_;
};

// Parses and validates a catalogue in the YAML format; `name` is used in
// error messages.
Result<Catalogue> ParseCatalogueYaml(std::string_view text, std::string_view name = "catalogue.yaml");

// The catalogue compiled into the binary (data/baseline/catalogue.yaml).
// Parsed once, on first use; thread-safe. An error here is a build defect
// and is reported as kInternal.
Result<const Catalogue*> BuiltinCatalogue();

// True when `text` matches the glob `pattern` ('*' only).
bool GlobMatch(std::string_view pattern, std::string_view text);

}  // namespace dv::baseline
