// SPDX-License-Identifier: Apache-2.0
#include <httplib.h>

#include "hub/api_modules.h"

namespace dv::hub {

void RegisterIncidentApi(httplib::Server& /*server*/, ApiContext& /*context*/) {}

}  // namespace dv::hub
