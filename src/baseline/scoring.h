// SPDX-License-Identifier: Apache-2.0
#pragma once

// Scores of one assessment. Pure functions of (catalogue, assessment, date);
// thread-safe; no I/O. The formula is documented in docs/baseline.md:
//
//   value(status)    met = 1, partly = 0.5, not_met = 0, not_assessed = 0;
//                    not_applicable is left out of numerator and denominator.
//   score(set)       100 × Σ weight·value / Σ weight over the applicable
//                    requirements of the set (a discipline, or all for the
//                    overall score). An empty set has no score (nullopt).
//   assessed_share   Σ weight over assessed applicable requirements / Σ weight
//                    over applicable ones, reported beside every score so that
//                    "not known" can be told from "known to be missing".
//   NIS2 letter      the same weighted mean over the requirements mapped to
//                    the letter, each weight multiplied by the mapping's
//                    strength (equal, superset, subset = 1; intersects = 0.5).
//
// The effective status of a requirement takes evidence into account (see
// EffectiveStatus). Gaps are ordered by priority = weight × risk_reduction ×
// (1 − value) / effort, highest first.

#include <array>
#include <optional>
#include <string>
#include <vector>

#include "baseline/assessment.h"
#include "baseline/catalogue.h"

namespace dv::baseline {

// Where an effective status comes from.
enum class StatusBasis {
  kDeclared,         // the member's declaration; no current measurement
  kMeasured,         // a current measurement set or lowered it
  kMeasuredExpired,  // all measurements expired: the declaration was downgraded one step
  kNone              // nothing declared or measured (not assessed)
};
std::string_view StatusBasisName(StatusBasis basis);  // "declared", "measured", "measured_expired", "none"

struct EffectiveResult {
  ReqStatus status = ReqStatus::kNotAssessed;
  StatusBasis basis = StatusBasis::kNone;
};

// The status that counts at `at`:
// 1. not_applicable stays not_applicable.
// 2. If measured evidence with a result is current at `at`, the measured
//    status is met when every current result passes, not_met when every one
//    fails, partly otherwise. It replaces a not_assessed declaration and
//    otherwise caps the declaration (the lower of the two counts):
//    measurements can lower or stand in for a declaration, never raise it.
// 3. If the item has measured evidence but none of it is current (all
//    expired, or collected later than `at`), a met or partly declaration is
//    downgraded one step (met → partly → not_met).
// 4. Otherwise the declaration counts. Declared evidence never changes the
//    status; its expiry is reported (ExpiredEvidence) but not scored.
EffectiveResult EffectiveStatus(const RequirementAssessment& item, Timestamp at);

// The score value of a status (met 1, partly 0.5, otherwise 0).
double StatusValue(ReqStatus status);
// Weight multiplier of a NIS2 mapping relation (1, or 0.5 for intersects).
double MappingStrength(MappingRelation relation);

struct StatusCounts {
  int met = 0;
  int partly = 0;
  int not_met = 0;
  int not_applicable = 0;
  int not_assessed = 0;
  friend bool operator==(const StatusCounts&, const StatusCounts&) = default;
};

struct DisciplineScore {
  std::string discipline;
  std::optional<double> score;  // 0–100; nullopt when every requirement is not applicable
  double assessed_share = 0;    // 0–1
  StatusCounts counts;
};

struct Nis2Coverage {
  char letter = 'a';
  std::optional<double> coverage;  // 0–100
  int requirements = 0;            // applicable requirements mapped to the letter
  int met = 0;
};

struct RequirementScore {
  std::size_t requirement_idx = 0;  // into Catalogue::requirements
  ReqStatus declared = ReqStatus::kNotAssessed;
  EffectiveResult effective;
  int maturity = 0;
  bool has_measured = false;
  bool has_current_measurement = false;  // a measured result is current at the scoring date
  bool has_expired_evidence = false;     // some evidence item expired at the scoring date
};

struct Scorecard {
  std::string member;
  Timestamp at;
  std::optional<double> overall;  // 0–100
  double assessed_share = 0;
  std::optional<double> mean_maturity;  // over items that give one, not_applicable excluded
  StatusCounts counts;
  std::vector<DisciplineScore> disciplines;    // catalogue order
  std::array<Nis2Coverage, 10> nis2{};         // letters a–j
  std::vector<RequirementScore> requirements;  // catalogue order, one per requirement
  int measured_requirements = 0;               // requirements with a current measured result
};

// Scores `assessment` at `at` (normally its assessed_at). Items for ids the
// catalogue does not know are ignored (imports refuse them earlier).
Scorecard Score(const Catalogue& catalogue, const Assessment& assessment, Timestamp at);
inline Scorecard Score(const Catalogue& catalogue, const Assessment& assessment) {
  return Score(catalogue, assessment, assessment.assessed_at);
}

struct Gap {
  std::size_t requirement_idx = 0;
  EffectiveResult effective;
  double priority = 0;  // weight × risk_reduction × (1 − value) / effort
  std::string owner;
  std::optional<Timestamp> due;
};

// Requirements that are partly met, not met or not assessed, by priority
// (highest first; ties by catalogue order).
std::vector<Gap> Gaps(const Catalogue& catalogue, const Assessment& assessment, const Scorecard& card);

struct HistoryPoint {
  Timestamp at;
  std::optional<double> overall;
  double assessed_share = 0;
  std::vector<std::optional<double>> disciplines;  // catalogue order
};

// The time series of a member's scores: one point per snapshot, each scored
// at its own assessed_at, ordered by date. Snapshots of other members are
// skipped.
std::vector<HistoryPoint> ScoreHistory(const Catalogue& catalogue, const std::vector<Assessment>& snapshots,
                                       std::string_view member);

}  // namespace dv::baseline
