// SPDX-License-Identifier: Apache-2.0
#pragma once

// Synthetic demo assessments: plausible, deterministic baselines for the demo
// federation's municipalities and regions, with a history of quarterly
// snapshots. SYNTHETIC: the figures describe no real organisation. Every
// generated assessment has assessor kDemoAssessor and every evidence item a
// note saying it is synthetic, so that nothing downstream can mistake them
// for real assessments.
//
// The same inputs give the same output on every platform (own SplitMix64
// and FNV-1a; no std distributions).

#include <cstdint>
#include <string_view>
#include <vector>

#include "baseline/assessment.h"
#include "baseline/catalogue.h"
#include "core/organisation.h"
#include "core/time.h"

namespace dv::baseline {

inline constexpr std::string_view kDemoAssessor = "synthetic:demo";

struct DemoOptions {
  std::uint64_t seed = 20250601;
  Timestamp end = Timestamp::FromCivil(2025, 6, 1);  // date of the newest snapshot
  int years = 3;                                     // history length
  int snapshots_per_year = 4;                        // 4 = quarterly
};

// Snapshots for every municipality and region in `orgs` (other kinds are
// skipped), ordered by member, then date: years × snapshots_per_year + 1
// per member.
std::vector<Assessment> GenerateDemoAssessments(const Catalogue& catalogue, const std::vector<Organisation>& orgs,
                                                const DemoOptions& options = {});

// The dates GenerateDemoAssessments uses, oldest first.
std::vector<Timestamp> DemoSnapshotDates(const DemoOptions& options = {});

}  // namespace dv::baseline
