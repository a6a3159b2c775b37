// SPDX-License-Identifier: Apache-2.0
#pragma once

// The demo data each subsystem adds on top of the demo federation and its
// sharing set-up (members, collections): baseline assessments, assets,
// incidents, competences. Idempotent: running it on a seeded database
// changes nothing.

#include "core/result.h"
#include "store/store.h"

namespace dv::cli {

Status SeedDemoModules(Store& store);

}  // namespace dv::cli
