// SPDX-License-Identifier: Apache-2.0
#pragma once

// The incidents module's demo data: open incidents at København, Odense and
// Aarhus (two of them through the same supplier, so a campaign shows),
// competence registers for some municipalities of Region Hovedstaden and
// the three cities, and one guidance message from the coordinator.
// Idempotent: records that exist are left as they are. Times are relative
// to the first seeding, so the demo's NIS2 clocks are running.

#include "core/result.h"
#include "store/store.h"

namespace dv::incident {

Status SeedDemoIncidents(Store& store);

}  // namespace dv::incident
