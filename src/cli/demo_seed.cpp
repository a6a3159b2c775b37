// SPDX-License-Identifier: Apache-2.0
#include "cli/demo_seed.h"

namespace dv::cli {

Status SeedDemoModules(Store& store) {
  // Each subsystem's demo seed runs here, in dependency order.
  (void)store;
  return Ok();
}

}  // namespace dv::cli
