// SPDX-License-Identifier: Apache-2.0
#pragma once

// The national picture: distributions of baseline scores across members, by
// region, size band and kind; the most often unmet requirements; the weakest
// members; and its time series. Pure functions; thread-safe.
//
// Privacy rule (docs/baseline.md): no statistic is shown for a group of
// fewer than kMinGroupSize members, and no count below kMinGroupSize of
// members is shown (it is reported as suppressed). Member-level rows (the
// map, the weakest members) are shown only to the national coordinator; a
// member sees its own row and the group statistics. BuildNationalPicture
// applies the group rule itself; ForAudience applies the audience rule and
// must be called by every API that returns a picture.

#include <array>
#include <optional>
#include <string>
#include <vector>

#include "baseline/assessment.h"
#include "baseline/catalogue.h"
#include "baseline/scoring.h"
#include "core/organisation.h"

namespace dv::baseline {

inline constexpr int kMinGroupSize = 5;

// True when a group (or count) of `members` may be shown: 0 or ≥ kMinGroupSize.
// Zero is shown because "no member" reveals nothing about any one member.
bool MayShowCount(int members);
// True when statistics of a group of `members` may be shown (≥ kMinGroupSize).
bool MayShowGroup(int members);

// Size bands by residents served (municipalities and regions).
enum class SizeBand { kUnder20k, k20kTo50k, k50kTo100k, k100kPlus, kUnknown };
std::string_view SizeBandName(SizeBand band);  // "under_20k", "20k_50k", "50k_100k", "100k_plus", "unknown"
SizeBand SizeBandOf(const Organisation& org);

struct Distribution {
  double mean = 0;
  double p25 = 0;
  double median = 0;
  double p75 = 0;
  double min = 0;
  double max = 0;
  std::array<int, 10> histogram{};  // members per 10-point band: [0,10), …, [90,100]
};

struct GroupStats {
  std::string dimension;    // "national", "region", "size_band", "kind"
  std::string key;          // "all", "1084", "under_20k", "municipality"
  int members = 0;          // members in the group (always shown)
  bool suppressed = false;  // fewer than kMinGroupSize: no statistics below
  std::optional<Distribution> overall;
  std::vector<std::optional<double>> discipline_mean;  // catalogue order
  std::vector<std::optional<double>> discipline_median;
  std::array<std::optional<double>, 10> nis2_mean{};
};

struct UnmetRequirement {
  std::string requirement_id;
  std::optional<int> not_met;  // members where not met; nullopt when suppressed (1–4)
  std::optional<int> partly;   // members where partly met; nullopt when suppressed
  double share_not_met = 0;    // not_met / members assessed as applicable (0 when suppressed)
};

struct MemberRow {
  std::string code;
  std::string name;
  std::string region_code;
  std::optional<double> overall;
  double assessed_share = 0;
  std::vector<std::optional<double>> disciplines;  // catalogue order
};

struct NationalPicture {
  Timestamp at;
  int members = 0;
  std::vector<GroupStats> groups;            // national first, then regions, size bands, kinds
  std::vector<UnmetRequirement> most_unmet;  // by not_met count, highest first
  std::vector<MemberRow> weakest;            // lowest overall first (coordinator only)
  std::vector<MemberRow> rows;               // every member (coordinator), or the viewer's own row
};

struct NationalOptions {
  int most_unmet = 15;  // how many requirements to list
  int weakest = 10;     // how many members to list
};

// One scored member: its organisation (for region, size and kind) and card.
struct MemberCard {
  const Organisation* org = nullptr;
  const Scorecard* card = nullptr;
};

// Builds the picture from scored members, with small groups suppressed.
NationalPicture BuildNationalPicture(const Catalogue& catalogue, const std::vector<MemberCard>& members, Timestamp at,
                                     const NationalOptions& options = {});

// Who is looking.
struct Audience {
  enum class Role { kCoordinator, kMember, kPublic };
  Role role = Role::kPublic;
  std::string member;  // the viewer's organisation code for kMember
};

// The picture as `audience` may see it: the coordinator sees everything;
// a member sees groups and its own row only; the public sees groups only.
// Small groups stay suppressed for everyone.
NationalPicture ForAudience(NationalPicture picture, const Audience& audience);

// The picture at each of `dates`, each from every member's latest snapshot
// at or before that date (members without one are left out). `orgs` gives
// region, size and kind by code; snapshots of unknown members are skipped.
std::vector<NationalPicture> NationalTimeline(const Catalogue& catalogue, const std::vector<Organisation>& orgs,
                                              const std::vector<Assessment>& snapshots,
                                              const std::vector<Timestamp>& dates, const NationalOptions& options = {});

// The comparison figures a member's report shows: national, its region's and
// its size band's medians (nullopt when suppressed or absent).
struct Comparison {
  std::optional<double> national_median;
  std::optional<double> region_median;
  std::optional<double> size_band_median;
  std::string region_code;
  std::string size_band;
  // Catalogue order, one per discipline (nullopt each while the national
  // group is suppressed); empty only for a picture without a national group.
  std::vector<std::optional<double>> national_discipline_median;
};
Comparison ComparisonFor(const NationalPicture& picture, const Organisation& org);

}  // namespace dv::baseline
