// SPDX-License-Identifier: Apache-2.0
// dv_baseline_bench: the national picture for 1,000 members × 150
// requirements × 5 years of quarterly history (generated), computed by
// NationalTimeline (each snapshot scored once, groups built from per-member
// scorecards), and beside it a straightforward nested-loop computation of the
// same national and per-region means from the same data in the same run. The
// two must agree; the bench exits 1 if they do not.
//
//   dv_baseline_bench [--members N] [--requirements N] [--years N]
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>
#include <vector>

#include "baseline/national.h"
#include "baseline/scoring.h"

namespace {

using namespace dv;
using namespace dv::baseline;
using Clock = std::chrono::steady_clock;
double Seconds(Clock::time_point since) { return std::chrono::duration<double>(Clock::now() - since).count(); }

std::uint64_t Next(std::uint64_t& state) {
  state += 0x9e3779b97f4a7c15ull;
  std::uint64_t x = state;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
  return x ^ (x >> 31);
}

Catalogue MakeCatalogue(int requirements) {
  Catalogue catalogue;
  catalogue.id = "bench";
  catalogue.version = "b1";
  catalogue.date = "2025-01-01";
  catalogue.title = {"Bench", "Bench"};
  const int disciplines = 17;
  for (int discipline_idx = 0; discipline_idx < disciplines; ++discipline_idx) {
    const std::string id = "D" + std::to_string(discipline_idx);
    catalogue.disciplines.push_back({id, {id, id}});
  }
  for (int req_idx = 0; req_idx < requirements; ++req_idx) {
    Requirement requirement;
    requirement.discipline = "D" + std::to_string(req_idx % disciplines);
    char id[32];
    std::snprintf(id, sizeof id, "DV-%s-%02d", requirement.discipline.c_str(), req_idx / disciplines + 1);
    requirement.id = id;
    requirement.title = requirement.statement = requirement.guidance = requirement.evidence = {"x", "x"};
    requirement.weight = 1 + req_idx % 3;
    requirement.effort = 1 + req_idx % 5;
    requirement.risk_reduction = 1 + (req_idx * 7) % 5;
    requirement.mappings.push_back(
        {Framework::kNis2, std::string(1, static_cast<char>('a' + req_idx % 10)), MappingRelation::kEqual, 0, false});
    catalogue.requirements.push_back(std::move(requirement));
  }
  catalogue.Reindex();
  return catalogue;
}

}  // namespace

int main(int argc, char** argv) {
  int member_count = 1000;
  int requirement_count = 150;
  int years = 5;
  for (int arg_idx = 1; arg_idx + 1 < argc; arg_idx += 2) {
    const std::string flag = argv[arg_idx];
    const int value = std::atoi(argv[arg_idx + 1]);
    if (flag == "--members") member_count = value;
    if (flag == "--requirements") requirement_count = value;
    if (flag == "--years") years = value;
  }
  const Catalogue catalogue = MakeCatalogue(requirement_count);
  if (auto status = catalogue.Validate(); !status.ok()) {
    std::fprintf(stderr, "bench catalogue: %s\n", status.error().message().c_str());
    return 1;
  }
  const int snapshots_per_member = years * 4 + 1;
  std::vector<Timestamp> dates;
  for (int quarter = 0; quarter < snapshots_per_member; ++quarter) {
    dates.push_back(Timestamp::FromCivil(2020 + quarter / 4, 1 + 3 * (quarter % 4), 1));
  }

  auto start = Clock::now();
  std::vector<Organisation> orgs;
  std::vector<Assessment> snapshots;
  std::uint64_t rng = 42;
  for (int member_idx = 0; member_idx < member_count; ++member_idx) {
    Organisation org;
    char code[16];
    std::snprintf(code, sizeof code, "%04d", member_idx);
    org.code = code;
    org.name = "Member " + org.code;
    org.kind = OrgKind::kMunicipality;
    org.region_code = std::to_string(1081 + member_idx % 5);
    org.population = 5'000 + static_cast<std::int64_t>(Next(rng) % 200'000);
    orgs.push_back(org);
    for (const Timestamp date : dates) {
      Assessment assessment;
      assessment.member = org.code;
      assessment.catalogue_version = catalogue.version;
      assessment.assessed_at = date;
      for (const auto& requirement : catalogue.requirements) {
        RequirementAssessment item;
        item.requirement_id = requirement.id;
        item.status = static_cast<ReqStatus>(Next(rng) % 5);
        item.maturity = 1 + static_cast<int>(Next(rng) % 5);
        if (Next(rng) % 4 == 0) {
          Evidence evidence;
          evidence.kind = EvidenceKind::kMeasured;
          evidence.source = "bench";
          evidence.collected = Timestamp(date.unix_ms() - 86'400'000);
          evidence.valid_until = Timestamp(date.unix_ms() + (Next(rng) % 2 == 0 ? -1 : 1) * 3 * 86'400'000);
          evidence.result = static_cast<EvidenceResult>(1 + Next(rng) % 3);
          item.evidence.push_back(evidence);
        }
        assessment.items.push_back(std::move(item));
      }
      snapshots.push_back(std::move(assessment));
    }
  }
  std::printf("generated %d members x %d requirements x %d snapshots (%zu snapshots, %zu items) in %.2f s\n",
              member_count, requirement_count, snapshots_per_member, snapshots.size(),
              snapshots.size() * static_cast<std::size_t>(requirement_count), Seconds(start));

  // Ours: every snapshot scored once, then a picture (national, regions,
  // size bands, kinds, most unmet, weakest) at each quarter.
  start = Clock::now();
  const auto timeline = NationalTimeline(catalogue, orgs, snapshots, dates);
  const double ours = Seconds(start);
  std::printf("dv NationalTimeline: %zu pictures in %.3f s (%.1f M requirement-snapshots/s)\n", timeline.size(), ours,
              static_cast<double>(snapshots.size()) * requirement_count / ours / 1e6);

  // Straightforward nested loops: for each date, for each group, for each
  // member, find the member's latest snapshot by scanning all snapshots,
  // then for each requirement look it up in the catalogue by id and score
  // its status. Only the national and per-region mean overall scores.
  start = Clock::now();
  std::vector<std::map<std::string, double>> naive(dates.size());
  std::vector<std::string> groups = {"all", "1081", "1082", "1083", "1084", "1085"};
  for (std::size_t date_idx = 0; date_idx < dates.size(); ++date_idx) {
    for (const auto& group : groups) {
      double sum = 0;
      int members = 0;
      for (const auto& org : orgs) {
        if (group != "all" && org.region_code != group) continue;
        const Assessment* latest = nullptr;
        for (const auto& snapshot : snapshots) {
          if (snapshot.member == org.code && snapshot.assessed_at <= dates[date_idx] &&
              (latest == nullptr || snapshot.assessed_at > latest->assessed_at)) {
            latest = &snapshot;
          }
        }
        if (latest == nullptr) continue;
        double value = 0;
        double weight = 0;
        for (const auto& item : latest->items) {
          for (const auto& requirement : catalogue.requirements) {
            if (requirement.id != item.requirement_id) continue;
            const ReqStatus status = EffectiveStatus(item, dates[date_idx]).status;
            if (status != ReqStatus::kNotApplicable) {
              weight += requirement.weight;
              value += requirement.weight * StatusValue(status);
            }
          }
        }
        if (weight > 0) {
          sum += 100.0 * value / weight;
          ++members;
        }
      }
      naive[date_idx][group] = members > 0 ? sum / members : 0;
    }
  }
  const double nested = Seconds(start);
  std::printf("nested loops (national + region means only): %zu dates in %.3f s\n", dates.size(), nested);
  std::printf("ratio: nested / ours = %.1fx\n", nested / ours);

  // Agreement.
  double worst = 0;
  for (std::size_t date_idx = 0; date_idx < dates.size(); ++date_idx) {
    for (const auto& group : timeline[date_idx].groups) {
      if (!group.overall) continue;
      std::string key;
      if (group.dimension == "national") key = "all";
      if (group.dimension == "region") key = group.key;
      if (key.empty()) continue;
      worst = std::max(worst, std::fabs(group.overall->mean - naive[date_idx][key]));
    }
  }
  std::printf("largest difference between the two: %.2e\n", worst);
  return worst < 1e-9 ? 0 : 1;
}
