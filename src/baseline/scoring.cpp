// SPDX-License-Identifier: Apache-2.0
#include "baseline/scoring.h"

#include <algorithm>

namespace dv::baseline {

std::string_view StatusBasisName(StatusBasis basis) {
  switch (basis) {
    case StatusBasis::kDeclared:
      return "declared";
    case StatusBasis::kMeasured:
      return "measured";
    case StatusBasis::kMeasuredExpired:
      return "measured_expired";
    case StatusBasis::kNone:
      return "none";
  }
  return "none";
}

double StatusValue(ReqStatus status) {
  switch (status) {
    case ReqStatus::kMet:
      return 1.0;
    case ReqStatus::kPartly:
      return 0.5;
    default:
      return 0.0;
  }
}

double MappingStrength(MappingRelation relation) { return relation == MappingRelation::kIntersects ? 0.5 : 1.0; }

namespace {

// Rank for "the lower of two statuses": not_met < partly < met.
int Rank(ReqStatus status) {
  switch (status) {
    case ReqStatus::kMet:
      return 2;
    case ReqStatus::kPartly:
      return 1;
    default:
      return 0;
  }
}

ReqStatus Downgrade(ReqStatus status) {
  if (status == ReqStatus::kMet) return ReqStatus::kPartly;
  if (status == ReqStatus::kPartly) return ReqStatus::kNotMet;
  return status;
}

void Count(StatusCounts& counts, ReqStatus status) {
  switch (status) {
    case ReqStatus::kMet:
      ++counts.met;
      break;
    case ReqStatus::kPartly:
      ++counts.partly;
      break;
    case ReqStatus::kNotMet:
      ++counts.not_met;
      break;
    case ReqStatus::kNotApplicable:
      ++counts.not_applicable;
      break;
    case ReqStatus::kNotAssessed:
      ++counts.not_assessed;
      break;
  }
}

struct Accumulator {
  double weighted_value = 0;
  double weight = 0;
  double assessed_weight = 0;
  void Add(double w, ReqStatus status) {
    if (status == ReqStatus::kNotApplicable) return;
    weight += w;
    weighted_value += w * StatusValue(status);
    if (status != ReqStatus::kNotAssessed) assessed_weight += w;
  }
  std::optional<double> Score() const {
    if (weight <= 0) return std::nullopt;
    return 100.0 * weighted_value / weight;
  }
  double Share() const { return weight <= 0 ? 0.0 : assessed_weight / weight; }
};

}  // namespace

EffectiveResult EffectiveStatus(const RequirementAssessment& item, Timestamp at) {
  if (item.status == ReqStatus::kNotApplicable) return {ReqStatus::kNotApplicable, StatusBasis::kDeclared};
  bool any_measured = false;
  int current = 0;
  int passes = 0;
  int fails = 0;
  for (const auto& evidence : item.evidence) {
    if (evidence.kind != EvidenceKind::kMeasured || evidence.result == EvidenceResult::kNone) continue;
    any_measured = true;
    if (!evidence.IsCurrent(at)) continue;
    ++current;
    if (evidence.result == EvidenceResult::kPass) ++passes;
    if (evidence.result == EvidenceResult::kFail) ++fails;
  }
  if (current > 0) {
    const ReqStatus measured = passes == current  ? ReqStatus::kMet
                               : fails == current ? ReqStatus::kNotMet
                                                  : ReqStatus::kPartly;
    if (item.status == ReqStatus::kNotAssessed) return {measured, StatusBasis::kMeasured};
    if (Rank(measured) < Rank(item.status)) return {measured, StatusBasis::kMeasured};
    return {item.status, StatusBasis::kDeclared};
  }
  if (any_measured && (item.status == ReqStatus::kMet || item.status == ReqStatus::kPartly)) {
    return {Downgrade(item.status), StatusBasis::kMeasuredExpired};
  }
  if (item.status == ReqStatus::kNotAssessed) return {ReqStatus::kNotAssessed, StatusBasis::kNone};
  return {item.status, StatusBasis::kDeclared};
}

Scorecard Score(const Catalogue& catalogue, const Assessment& assessment, Timestamp at) {
  Scorecard card;
  card.member = assessment.member;
  card.at = at;
  const std::size_t requirement_count = catalogue.requirements.size();
  std::vector<const RequirementAssessment*> by_requirement(requirement_count, nullptr);
  for (std::size_t item_idx = 0; item_idx < assessment.items.size(); ++item_idx) {
    const RequirementAssessment& item = assessment.items[item_idx];
    // Assessments are usually stored in catalogue order: try the same
    // position before the hash lookup.
    if (item_idx < requirement_count && catalogue.requirements[item_idx].id == item.requirement_id) {
      by_requirement[item_idx] = &item;
    } else if (auto idx = catalogue.RequirementIndex(item.requirement_id)) {
      by_requirement[*idx] = &item;
    }
  }
  std::vector<Accumulator> discipline_acc(catalogue.disciplines.size());
  std::vector<StatusCounts> discipline_counts(catalogue.disciplines.size());
  std::array<Accumulator, 10> nis2_acc{};
  Accumulator overall;
  double maturity_sum = 0;
  int maturity_count = 0;
  const auto& requirement_discipline = catalogue.RequirementDiscipline();
  card.requirements.resize(requirement_count);
  for (std::size_t req_idx = 0; req_idx < requirement_count; ++req_idx) {
    const Requirement& requirement = catalogue.requirements[req_idx];
    RequirementScore& score = card.requirements[req_idx];
    score.requirement_idx = req_idx;
    if (const RequirementAssessment* item = by_requirement[req_idx]) {
      score.declared = item->status;
      score.effective = EffectiveStatus(*item, at);
      score.maturity = item->maturity;
      for (const auto& evidence : item->evidence) {
        if (evidence.kind == EvidenceKind::kMeasured) score.has_measured = true;
        if (evidence.valid_until && *evidence.valid_until < at) score.has_expired_evidence = true;
        if (evidence.kind == EvidenceKind::kMeasured && evidence.result != EvidenceResult::kNone &&
            evidence.IsCurrent(at)) {
          score.has_current_measurement = true;
        }
      }
      if (item->maturity > 0 && score.effective.status != ReqStatus::kNotApplicable) {
        maturity_sum += item->maturity;
        ++maturity_count;
      }
    }
    const ReqStatus status = score.effective.status;
    if (score.has_current_measurement) ++card.measured_requirements;
    const double weight = requirement.weight;
    const std::size_t discipline_idx = requirement_discipline[req_idx];
    discipline_acc[discipline_idx].Add(weight, status);
    Count(discipline_counts[discipline_idx], status);
    Count(card.counts, status);
    overall.Add(weight, status);
    for (const auto& mapping : requirement.mappings) {
      if (mapping.framework != Framework::kNis2) continue;
      const auto letter_idx = static_cast<std::size_t>(mapping.ref[0] - 'a');
      nis2_acc[letter_idx].Add(weight * MappingStrength(mapping.relation), status);
      if (status != ReqStatus::kNotApplicable) ++card.nis2[letter_idx].requirements;
      if (status == ReqStatus::kMet) ++card.nis2[letter_idx].met;
    }
  }
  card.overall = overall.Score();
  card.assessed_share = overall.Share();
  if (maturity_count > 0) card.mean_maturity = maturity_sum / maturity_count;
  card.disciplines.resize(catalogue.disciplines.size());
  for (std::size_t discipline_idx = 0; discipline_idx < catalogue.disciplines.size(); ++discipline_idx) {
    auto& discipline = card.disciplines[discipline_idx];
    discipline.discipline = catalogue.disciplines[discipline_idx].id;
    discipline.score = discipline_acc[discipline_idx].Score();
    discipline.assessed_share = discipline_acc[discipline_idx].Share();
    discipline.counts = discipline_counts[discipline_idx];
  }
  for (std::size_t letter_idx = 0; letter_idx < 10; ++letter_idx) {
    card.nis2[letter_idx].letter = kNis2Letters[letter_idx];
    card.nis2[letter_idx].coverage = nis2_acc[letter_idx].Score();
  }
  return card;
}

std::vector<Gap> Gaps(const Catalogue& catalogue, const Assessment& assessment, const Scorecard& card) {
  std::vector<Gap> gaps;
  for (const auto& score : card.requirements) {
    const ReqStatus status = score.effective.status;
    if (status == ReqStatus::kMet || status == ReqStatus::kNotApplicable) continue;
    const Requirement& requirement = catalogue.requirements[score.requirement_idx];
    Gap gap;
    gap.requirement_idx = score.requirement_idx;
    gap.effective = score.effective;
    gap.priority = requirement.weight * requirement.risk_reduction * (1.0 - StatusValue(status)) / requirement.effort;
    if (const RequirementAssessment* item = assessment.Find(requirement.id)) {
      gap.owner = item->owner;
      gap.due = item->due;
    }
    gaps.push_back(std::move(gap));
  }
  std::stable_sort(gaps.begin(), gaps.end(), [](const Gap& a, const Gap& b) { return a.priority > b.priority; });
  return gaps;
}

std::vector<HistoryPoint> ScoreHistory(const Catalogue& catalogue, const std::vector<Assessment>& snapshots,
                                       std::string_view member) {
  std::vector<const Assessment*> own;
  for (const auto& snapshot : snapshots) {
    if (snapshot.member == member) own.push_back(&snapshot);
  }
  std::stable_sort(own.begin(), own.end(),
                   [](const Assessment* a, const Assessment* b) { return a->assessed_at < b->assessed_at; });
  std::vector<HistoryPoint> points;
  for (const Assessment* snapshot : own) {
    const Scorecard card = Score(catalogue, *snapshot);
    HistoryPoint point;
    point.at = snapshot->assessed_at;
    point.overall = card.overall;
    point.assessed_share = card.assessed_share;
    for (const auto& discipline : card.disciplines) point.disciplines.push_back(discipline.score);
    points.push_back(std::move(point));
  }
  return points;
}

}  // namespace dv::baseline
