// SPDX-License-Identifier: Apache-2.0
#include "baseline/national.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <unordered_map>

namespace dv::baseline {

bool MayShowCount(int members) { return members == 0 || members >= kMinGroupSize; }
bool MayShowGroup(int members) { return members >= kMinGroupSize; }

std::string_view SizeBandName(SizeBand band) {
  switch (band) {
    case SizeBand::kUnder20k:
      return "under_20k";
    case SizeBand::k20kTo50k:
      return "20k_50k";
    case SizeBand::k50kTo100k:
      return "50k_100k";
    case SizeBand::k100kPlus:
      return "100k_plus";
    case SizeBand::kUnknown:
      return "unknown";
  }
  return "unknown";
}

SizeBand SizeBandOf(const Organisation& org) {
  // Bands compare municipalities with municipalities; other kinds differ too
  // much in what "residents served" means.
  if (org.kind != OrgKind::kMunicipality || !org.population) return SizeBand::kUnknown;
  const std::int64_t population = *org.population;
  if (population < 20'000) return SizeBand::kUnder20k;
  if (population < 50'000) return SizeBand::k20kTo50k;
  if (population < 100'000) return SizeBand::k50kTo100k;
  return SizeBand::k100kPlus;
}

namespace {

// Linear interpolation between closest ranks (the "R-7" quantile).
double Quantile(const std::vector<double>& sorted, double q) {
  if (sorted.empty()) return 0;
  const double pos = q * static_cast<double>(sorted.size() - 1);
  const auto lower = static_cast<std::size_t>(std::floor(pos));
  const std::size_t upper = std::min(lower + 1, sorted.size() - 1);
  const double fraction = pos - static_cast<double>(lower);
  return sorted[lower] + (sorted[upper] - sorted[lower]) * fraction;
}

std::optional<double> Median(std::vector<double> values) {
  if (values.empty()) return std::nullopt;
  std::sort(values.begin(), values.end());
  return Quantile(values, 0.5);
}

std::optional<double> Mean(const std::vector<double>& values) {
  if (values.empty()) return std::nullopt;
  double sum = 0;
  for (double value : values) sum += value;
  return sum / static_cast<double>(values.size());
}

Distribution Distribute(std::vector<double> values) {
  Distribution distribution;
  std::sort(values.begin(), values.end());
  distribution.mean = *Mean(values);
  distribution.p25 = Quantile(values, 0.25);
  distribution.median = Quantile(values, 0.5);
  distribution.p75 = Quantile(values, 0.75);
  distribution.min = values.front();
  distribution.max = values.back();
  for (double value : values) {
    const int band = std::clamp(static_cast<int>(value / 10.0), 0, 9);
    ++distribution.histogram[static_cast<std::size_t>(band)];
  }
  return distribution;
}

GroupStats Stats(const Catalogue& catalogue, std::string dimension, std::string key,
                 const std::vector<const MemberCard*>& members) {
  GroupStats stats;
  stats.dimension = std::move(dimension);
  stats.key = std::move(key);
  stats.members = static_cast<int>(members.size());
  const std::size_t discipline_count = catalogue.disciplines.size();
  stats.discipline_mean.assign(discipline_count, std::nullopt);
  stats.discipline_median.assign(discipline_count, std::nullopt);
  if (!MayShowGroup(stats.members)) {
    stats.suppressed = true;
    return stats;
  }
  std::vector<double> overall;
  std::vector<std::vector<double>> per_discipline(discipline_count);
  std::array<std::vector<double>, 10> per_letter;
  for (const MemberCard* member : members) {
    const Scorecard& card = *member->card;
    if (card.overall) overall.push_back(*card.overall);
    for (std::size_t discipline_idx = 0; discipline_idx < discipline_count; ++discipline_idx) {
      if (card.disciplines[discipline_idx].score)
        per_discipline[discipline_idx].push_back(*card.disciplines[discipline_idx].score);
    }
    for (std::size_t letter_idx = 0; letter_idx < 10; ++letter_idx) {
      if (card.nis2[letter_idx].coverage) per_letter[letter_idx].push_back(*card.nis2[letter_idx].coverage);
    }
  }
  // A statistic over fewer than kMinGroupSize values (members with every
  // requirement not applicable are left out) is suppressed as well.
  if (MayShowGroup(static_cast<int>(overall.size()))) stats.overall = Distribute(std::move(overall));
  for (std::size_t discipline_idx = 0; discipline_idx < discipline_count; ++discipline_idx) {
    if (!MayShowGroup(static_cast<int>(per_discipline[discipline_idx].size()))) continue;
    stats.discipline_mean[discipline_idx] = Mean(per_discipline[discipline_idx]);
    stats.discipline_median[discipline_idx] = Median(std::move(per_discipline[discipline_idx]));
  }
  for (std::size_t letter_idx = 0; letter_idx < 10; ++letter_idx) {
    if (MayShowGroup(static_cast<int>(per_letter[letter_idx].size())))
      stats.nis2_mean[letter_idx] = Mean(per_letter[letter_idx]);
  }
  return stats;
}

MemberRow RowOf(const MemberCard& member) {
  MemberRow row;
  row.code = member.org->code;
  row.name = member.org->name;
  row.region_code = member.org->region_code.value_or("");
  row.overall = member.card->overall;
  row.assessed_share = member.card->assessed_share;
  for (const auto& discipline : member.card->disciplines) row.disciplines.push_back(discipline.score);
  return row;
}

}  // namespace

NationalPicture BuildNationalPicture(const Catalogue& catalogue, const std::vector<MemberCard>& members, Timestamp at,
                                     const NationalOptions& options) {
  NationalPicture picture;
  picture.at = at;
  picture.members = static_cast<int>(members.size());
  std::vector<const MemberCard*> all;
  std::map<std::string, std::vector<const MemberCard*>> by_region;
  std::map<SizeBand, std::vector<const MemberCard*>> by_band;
  std::map<OrgKind, std::vector<const MemberCard*>> by_kind;
  for (const auto& member : members) {
    if (member.org == nullptr || member.card == nullptr) continue;
    all.push_back(&member);
    if (member.org->region_code && member.org->kind == OrgKind::kMunicipality) {
      by_region[*member.org->region_code].push_back(&member);
    }
    if (SizeBand band = SizeBandOf(*member.org); band != SizeBand::kUnknown) by_band[band].push_back(&member);
    by_kind[member.org->kind].push_back(&member);
  }
  picture.members = static_cast<int>(all.size());
  picture.groups.push_back(Stats(catalogue, "national", "all", all));
  for (const auto& [region, group] : by_region) picture.groups.push_back(Stats(catalogue, "region", region, group));
  for (const auto& [band, group] : by_band) {
    picture.groups.push_back(Stats(catalogue, "size_band", std::string(SizeBandName(band)), group));
  }
  for (const auto& [kind, group] : by_kind) {
    picture.groups.push_back(Stats(catalogue, "kind", std::string(OrgKindName(kind)), group));
  }

  const std::size_t requirement_count = catalogue.requirements.size();
  std::vector<int> not_met(requirement_count, 0);
  std::vector<int> partly(requirement_count, 0);
  std::vector<int> applicable(requirement_count, 0);
  for (const MemberCard* member : all) {
    for (const auto& score : member->card->requirements) {
      const ReqStatus status = score.effective.status;
      if (status == ReqStatus::kNotApplicable) continue;
      ++applicable[score.requirement_idx];
      if (status == ReqStatus::kNotMet) ++not_met[score.requirement_idx];
      if (status == ReqStatus::kPartly) ++partly[score.requirement_idx];
    }
  }
  std::vector<std::size_t> order(requirement_count);
  for (std::size_t req_idx = 0; req_idx < requirement_count; ++req_idx) order[req_idx] = req_idx;
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return not_met[a] > not_met[b]; });
  for (std::size_t rank = 0; rank < order.size() && static_cast<int>(rank) < options.most_unmet; ++rank) {
    const std::size_t req_idx = order[rank];
    if (not_met[req_idx] == 0) break;
    UnmetRequirement unmet;
    unmet.requirement_id = catalogue.requirements[req_idx].id;
    if (MayShowCount(not_met[req_idx])) {
      unmet.not_met = not_met[req_idx];
      unmet.share_not_met = applicable[req_idx] > 0 ? static_cast<double>(not_met[req_idx]) / applicable[req_idx] : 0;
    }
    if (MayShowCount(partly[req_idx])) unmet.partly = partly[req_idx];
    picture.most_unmet.push_back(std::move(unmet));
  }

  for (const MemberCard* member : all) picture.rows.push_back(RowOf(*member));
  std::vector<const MemberRow*> ranked;
  for (const auto& row : picture.rows) {
    if (row.overall) ranked.push_back(&row);
  }
  std::stable_sort(ranked.begin(), ranked.end(), [](const MemberRow* a, const MemberRow* b) {
    return *a->overall != *b->overall ? *a->overall < *b->overall : a->code < b->code;
  });
  for (std::size_t rank = 0; rank < ranked.size() && static_cast<int>(rank) < options.weakest; ++rank) {
    picture.weakest.push_back(*ranked[rank]);
  }
  return picture;
}

NationalPicture ForAudience(NationalPicture picture, const Audience& audience) {
  switch (audience.role) {
    case Audience::Role::kCoordinator:
      break;
    case Audience::Role::kMember: {
      picture.weakest.clear();
      std::vector<MemberRow> own;
      for (auto& row : picture.rows) {
        if (row.code == audience.member) own.push_back(std::move(row));
      }
      picture.rows = std::move(own);
      break;
    }
    case Audience::Role::kPublic:
      picture.weakest.clear();
      picture.rows.clear();
      break;
  }
  // Re-assert the group rule, so a picture built elsewhere cannot leak.
  for (auto& group : picture.groups) {
    if (!MayShowGroup(group.members)) {
      group.suppressed = true;
      group.overall.reset();
      for (auto& value : group.discipline_mean) value.reset();
      for (auto& value : group.discipline_median) value.reset();
      for (auto& value : group.nis2_mean) value.reset();
    }
  }
  for (auto& unmet : picture.most_unmet) {
    if (unmet.not_met && !MayShowCount(*unmet.not_met)) {
      unmet.not_met.reset();
      unmet.share_not_met = 0;
    }
    if (unmet.partly && !MayShowCount(*unmet.partly)) unmet.partly.reset();
  }
  return picture;
}

std::vector<NationalPicture> NationalTimeline(const Catalogue& catalogue, const std::vector<Organisation>& orgs,
                                              const std::vector<Assessment>& snapshots,
                                              const std::vector<Timestamp>& dates, const NationalOptions& options) {
  std::unordered_map<std::string, std::size_t> org_index;
  for (std::size_t org_idx = 0; org_idx < orgs.size(); ++org_idx) org_index.emplace(orgs[org_idx].code, org_idx);
  // Each snapshot is scored once, at its own date; a picture at date D uses
  // each member's latest snapshot at or before D.
  std::vector<std::vector<std::pair<Timestamp, std::size_t>>> per_org(orgs.size());
  std::vector<Scorecard> cards;
  cards.reserve(snapshots.size());
  for (const auto& snapshot : snapshots) {
    auto found = org_index.find(snapshot.member);
    if (found == org_index.end()) continue;
    per_org[found->second].emplace_back(snapshot.assessed_at, cards.size());
    cards.push_back(Score(catalogue, snapshot));
  }
  for (auto& list : per_org) std::sort(list.begin(), list.end());
  std::vector<NationalPicture> timeline;
  timeline.reserve(dates.size());
  for (Timestamp date : dates) {
    std::vector<MemberCard> members;
    for (std::size_t org_idx = 0; org_idx < orgs.size(); ++org_idx) {
      const auto& list = per_org[org_idx];
      auto after = std::upper_bound(list.begin(), list.end(), std::pair{date, std::numeric_limits<std::size_t>::max()});
      if (after == list.begin()) continue;
      members.push_back({&orgs[org_idx], &cards[std::prev(after)->second]});
    }
    timeline.push_back(BuildNationalPicture(catalogue, members, date, options));
  }
  return timeline;
}

Comparison ComparisonFor(const NationalPicture& picture, const Organisation& org) {
  Comparison comparison;
  comparison.region_code = org.region_code.value_or("");
  comparison.size_band = std::string(SizeBandName(SizeBandOf(org)));
  for (const auto& group : picture.groups) {
    if (group.dimension == "national" && comparison.national_discipline_median.empty()) {
      // One entry per discipline even when the national group is suppressed.
      comparison.national_discipline_median.assign(group.discipline_median.size(), std::nullopt);
    }
    if (group.suppressed) continue;
    const std::optional<double> median = group.overall ? std::optional<double>(group.overall->median) : std::nullopt;
    if (group.dimension == "national") {
      comparison.national_median = median;
      comparison.national_discipline_median = group.discipline_median;
    } else if (group.dimension == "region" && group.key == comparison.region_code &&
               org.kind == OrgKind::kMunicipality) {
      comparison.region_median = median;
    } else if (group.dimension == "size_band" && group.key == comparison.size_band) {
      comparison.size_band_median = median;
    }
  }
  return comparison;
}

}  // namespace dv::baseline
