// SPDX-License-Identifier: Apache-2.0
#pragma once

// Turns posted STIX objects into what the store keeps: validated
// (stix::ValidateObject), with their TAXII version, their TLP, and for
// TLP:RED the organisations they are meant for, named in the custom property
// `x_dannevirke_recipients` (a list of organisation codes). Internal to the hub.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "store/sharing.h"

namespace dv::hub {

// `text` is one object's JSON. Errors name the object id and the property.
// The stored text is `text` minus surrounding white space.
Result<NewObject> IntakeObject(std::string_view text);

// One element of a posted envelope that was refused.
struct IntakeFailure {
  std::string id;       // the element's string id, else "objects[<index>]"
  std::string version;  // the element's string `modified`, else empty
  std::string message;  // "objects[<index>]: <what is wrong>"
};

// A TAXII envelope ({"objects": [...], ...}) judged element by element.
struct EnvelopeIntake {
  std::size_t total = 0;                // elements of `objects`
  std::vector<NewObject> accepted;      // valid elements, in order
  std::vector<IntakeFailure> failures;  // refused elements, in order
};

// Validates every element of the envelope's `objects` with IntakeObject; one
// bad element never fails the others. Each accepted object's stored text is
// the bytes that element occupies in `body` (minus surrounding white space),
// so the hub serves exactly what it was sent. kInvalidArgument, refusing the
// whole body, when `body` is not a JSON object or has no `objects` list.
// Large envelopes are validated on a few threads at once; the results keep
// the elements' order. Thread-safe.
Result<EnvelopeIntake> IntakeEnvelope(std::string_view body);

}  // namespace dv::hub
