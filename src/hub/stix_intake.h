// SPDX-License-Identifier: Apache-2.0
#pragma once

// Turns one posted STIX object into what the store keeps: validated
// (stix::ValidateObject), with its TAXII version, its TLP, and for TLP:RED
// the organisations it is meant for, named in the custom property
// `x_dannevirke_recipients` (a list of organisation codes). Internal to the hub.

#include <string_view>

#include "core/result.h"
#include "store/sharing.h"

namespace dv::hub {

// `text` is one object's JSON. Errors name the object id and the property.
Result<NewObject> IntakeObject(std::string_view text);

}  // namespace dv::hub
