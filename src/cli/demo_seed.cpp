// SPDX-License-Identifier: Apache-2.0
#include "cli/demo_seed.h"

#include "baseline/stored.h"
#include "hub/modules/vulnerabilities/vuln_service.h"
#include "incident/demo_seed.h"

namespace dv::cli {

Status SeedDemoModules(Store& store) {
  // Each subsystem's demo seed runs here, in dependency order.
  if (auto seeded = baseline::SeedDemoBaseline(store); !seeded.ok()) return seeded.error();
  if (auto seeded = hub::SeedVulnDemo(store); !seeded.ok()) return seeded.error();
  if (auto seeded = incident::SeedDemoIncidents(store); !seeded.ok()) return seeded.error();
  return Ok();
}

}  // namespace dv::cli
