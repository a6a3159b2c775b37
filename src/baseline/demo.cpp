// SPDX-License-Identifier: Apache-2.0
#include "baseline/demo.h"

#include <algorithm>
#include <array>

namespace dv::baseline {

namespace {

constexpr std::int64_t kDayMs = 86'400'000;

std::uint64_t Fnv1a(std::string_view text, std::uint64_t hash = 14695981039346656037ull) {
  for (char c : text) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 1099511628211ull;
  }
  return hash;
}

std::uint64_t SplitMix(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ull;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
  return x ^ (x >> 31);
}

// A uniform number in [0, 1) determined by the seed and the labels.
double Uniform(std::uint64_t seed, std::string_view a, std::uint64_t b = 0, std::uint64_t c = 0) {
  const std::uint64_t mixed = SplitMix(SplitMix(SplitMix(seed ^ Fnv1a(a)) ^ b) ^ c);
  return static_cast<double>(mixed >> 11) * (1.0 / 9007199254740992.0);
}

constexpr std::array<std::string_view, 6> kOwners = {
    "IT-chef", "Informationssikkerhedskoordinator", "Driftschef", "HR-chef", "Beredskabschef", "Indkøbschef"};

std::string_view OwnerFor(std::string_view discipline) {
  if (discipline == "GOV" || discipline == "AWR") return kOwners[1];
  if (discipline == "SUP") return kOwners[5];
  if (discipline == "BCM" || discipline == "INC") return kOwners[4];
  if (discipline == "NET" || discipline == "IOT" || discipline == "LOG" || discipline == "BAK") return kOwners[2];
  return kOwners[0];
}

}  // namespace

std::vector<Timestamp> DemoSnapshotDates(const DemoOptions& options) {
  const std::string end = options.end.ToRfc3339();
  const int end_year = std::stoi(end.substr(0, 4));
  const int end_month = std::stoi(end.substr(5, 2));
  const int end_day = std::min(28, std::stoi(end.substr(8, 2)));
  const int per_year = std::clamp(options.snapshots_per_year, 1, 12);
  const int step_months = 12 / per_year;
  const int count = std::max(0, options.years) * per_year + 1;
  std::vector<Timestamp> dates;
  for (int back = count - 1; back >= 0; --back) {
    const int months = end_year * 12 + (end_month - 1) - back * step_months;
    dates.push_back(Timestamp::FromCivil(months / 12, months % 12 + 1, end_day));
  }
  return dates;
}

std::vector<Assessment> GenerateDemoAssessments(const Catalogue& catalogue, const std::vector<Organisation>& orgs,
                                                const DemoOptions& options) {
  const std::vector<Timestamp> dates = DemoSnapshotDates(options);
  std::vector<Assessment> out;
  const std::uint64_t seed = options.seed;
  for (const auto& org : orgs) {
    if (org.kind != OrgKind::kMunicipality && org.kind != OrgKind::kRegion) continue;
    // Member traits: a starting level, a yearly improvement, a size effect.
    double base = 0.30 + 0.40 * Uniform(seed, org.code, 1);
    if (org.kind == OrgKind::kRegion) base += 0.08;
    if (org.population && *org.population >= 100'000) base += 0.05;
    if (org.population && *org.population < 20'000) base -= 0.05;
    const double growth = 0.02 + 0.07 * Uniform(seed, org.code, 2);
    const Timestamp first = dates.front();
    for (std::size_t date_idx = 0; date_idx < dates.size(); ++date_idx) {
      const Timestamp at = dates[date_idx];
      const double years = static_cast<double>(at.unix_ms() - first.unix_ms()) / (365.25 * kDayMs);
      Assessment assessment;
      assessment.member = org.code;
      assessment.catalogue_version = catalogue.version;
      assessment.assessed_at = at;
      assessment.assessor = std::string(kDemoAssessor);
      for (std::size_t req_idx = 0; req_idx < catalogue.requirements.size(); ++req_idx) {
        const Requirement& requirement = catalogue.requirements[req_idx];
        RequirementAssessment item;
        item.requirement_id = requirement.id;
        // Early snapshots leave more requirements unassessed.
        const double unassessed_chance =
            0.12 * (1.0 - static_cast<double>(date_idx) / static_cast<double>(dates.size()));
        if (Uniform(seed, org.code, req_idx, 100 + date_idx) < unassessed_chance) {
          assessment.items.push_back(std::move(item));
          continue;
        }
        if (requirement.discipline == "IOT" && Uniform(seed, org.code, req_idx, 3) < 0.08) {
          item.status = ReqStatus::kNotApplicable;
          assessment.items.push_back(std::move(item));
          continue;
        }
        const double difficulty = (requirement.effort - 3) * 0.06 + 0.2 * (Uniform(seed, requirement.id, 4) - 0.5);
        const double noise = 0.3 * (Uniform(seed, org.code, req_idx, 5) - 0.5);
        const double readiness = base + growth * years - difficulty + noise;
        if (readiness > 0.62) {
          item.status = ReqStatus::kMet;
          item.maturity = readiness > 0.85 ? 5 : 4;
        } else if (readiness > 0.42) {
          item.status = ReqStatus::kPartly;
          item.maturity = readiness > 0.52 ? 3 : 2;
        } else {
          item.status = ReqStatus::kNotMet;
          item.maturity = readiness > 0.3 ? 2 : 1;
        }
        item.owner = std::string(OwnerFor(requirement.discipline));
        if (item.status != ReqStatus::kMet) {
          item.due = Timestamp(at.unix_ms() +
                               (90 + static_cast<std::int64_t>(180 * Uniform(seed, org.code, req_idx, 6))) * kDayMs);
        }
        if (item.status != ReqStatus::kNotMet) {
          Evidence declared;
          declared.kind = EvidenceKind::kDeclared;
          declared.source = "dokument: " + requirement.title.da;
          declared.collected = Timestamp(at.unix_ms() - 30 * kDayMs);
          declared.valid_until = Timestamp(declared.collected.unix_ms() + 365 * kDayMs);
          declared.note = "Syntetiske demodata / synthetic demo data";
          item.evidence.push_back(std::move(declared));
        }
        const bool sensor_fact = std::any_of(requirement.facts.begin(), requirement.facts.end(), [](const auto& fact) {
          return fact == kFactLogChannels || fact == kFactActiveRules || fact == kFactSightingsHandled;
        });
        if (sensor_fact && item.status != ReqStatus::kNotApplicable) {
          Evidence measured;
          measured.kind = EvidenceKind::kMeasured;
          measured.source = "sensor:" + requirement.facts.front();
          // One member in twenty has a sensor that stopped reporting: its
          // measurement has expired by the snapshot date.
          const bool stale = Uniform(seed, org.code, 7, date_idx) < 0.05;
          measured.collected = Timestamp(at.unix_ms() - (stale ? 40 : 2) * kDayMs);
          measured.valid_until = Timestamp(measured.collected.unix_ms() + 7 * kDayMs);
          measured.result = item.status == ReqStatus::kMet      ? EvidenceResult::kPass
                            : item.status == ReqStatus::kPartly ? EvidenceResult::kPartial
                                                                : EvidenceResult::kFail;
          measured.note = "Syntetiske demodata / synthetic demo data";
          item.evidence.push_back(std::move(measured));
        }
        assessment.items.push_back(std::move(item));
      }
      out.push_back(std::move(assessment));
    }
  }
  return out;
}

}  // namespace dv::baseline
