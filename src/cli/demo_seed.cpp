// SPDX-License-Identifier: Apache-2.0
#include "cli/demo_seed.h"

#include <nlohmann/json.hpp>

#include "baseline/stored.h"
#include "hub/modules/vulnerabilities/vuln_service.h"
#include "incident/demo_seed.h"

namespace dv::cli {

namespace {

// Copenhagen's protection profile (the record the protection module's
// PUT /api/v1/protection/members/0101/profile stores; docs/protect.md): it
// enforces, and trusts Aarhus (0751) besides the national coordinator, still
// wanting a second source. So when the demo's Aarhus SOC shares
// login-mitid-support.example and Copenhagen's own sensor sights it, the
// domain is in Copenhagen's blocking zone: one member's detection protects
// another. Written only when Copenhagen has no profile, so a change made in
// the dashboard survives a restart.
Status SeedDemoProtection(Store& store) {
  const nlohmann::json profile = {
      {"monitor_only", false},         {"trusted_producers", nlohmann::json::array({"CFCS", "0751"})},
      {"require_corroboration", true}, {"min_confidence", 70},
      {"action", "nxdomain"},
  };
  RecordWrite write{"protection.profile", "0101", "0101", profile.dump(), std::int64_t{0}};
  auto stored = store.PutRecord(write, "system:seed");
  if (!stored.ok() && stored.error().kind() != ErrorKind::kConflict) {
    return stored.error().WithContext("seeding Copenhagen's demo protection profile");
  }
  return Ok();
}

}  // namespace

Status SeedDemoModules(Store& store) {
  // Each subsystem's demo seed runs here, in dependency order.
  if (auto seeded = baseline::SeedDemoBaseline(store); !seeded.ok()) return seeded.error();
  if (auto seeded = hub::SeedVulnDemo(store); !seeded.ok()) return seeded.error();
  if (auto seeded = incident::SeedDemoIncidents(store); !seeded.ok()) return seeded.error();
  if (auto seeded = SeedDemoProtection(store); !seeded.ok()) return seeded.error();
  return Ok();
}

}  // namespace dv::cli
