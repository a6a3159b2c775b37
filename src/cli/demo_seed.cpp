// SPDX-License-Identifier: Apache-2.0
#include "cli/demo_seed.h"

#include "hub/baseline_store.h"
#include "hub/incident_demo.h"
#include "hub/modules/vulnerabilities/vuln_service.h"

namespace dv::cli {

Status SeedDemoModules(Store& store) {
  // Each subsystem's demo seed runs here, in dependency order.
  if (auto seeded = hub::SeedDemoBaseline(store); !seeded.ok()) return seeded.error();
  if (auto seeded = hub::SeedVulnDemo(store); !seeded.ok()) return seeded.error();
  if (auto seeded = hub::SeedDemoIncidents(store); !seeded.ok()) return seeded.error();
  return Ok();
}

}  // namespace dv::cli
