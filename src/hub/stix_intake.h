// SPDX-License-Identifier: Apache-2.0
#pragma once

// Turns posted STIX objects into what the store keeps: validated
// (stix::ValidateObject), with their TAXII version, their TLP, and for
// TLP:RED the organisations they are meant for, named in the custom property
// `x_dannevirke_recipients` (a list of organisation codes). Internal to the hub.
//
// The TLP stored is GoverningTlp (core/tlp.h) of all the object's markings:
// a marking that is not a TLP marking makes the object TLP:RED, so it needs
// recipients like any RED object and is refused without them, with an error
// that names the marking. Posting rules that depend on who posts (the
// identity in created_by_ref, bounds on sightings) are CheckPosting's.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "core/time.h"
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

// What the posting rules look at besides the stored facts of an accepted object.
struct PostedFacts {
  std::size_t index = 0;       // the element's position in the envelope's `objects`
  std::string created_by_ref;  // empty when absent
  // Sightings only.
  std::string sighting_of_ref;
  std::optional<Timestamp> first_seen;
  std::optional<Timestamp> last_seen;
  std::optional<std::int64_t> count;
};

// A TAXII envelope ({"objects": [...], ...}) judged element by element.
struct EnvelopeIntake {
  std::size_t total = 0;                // elements of `objects`
  std::vector<NewObject> accepted;      // valid elements, in order
  std::vector<PostedFacts> facts;       // one per accepted element, same order
  std::vector<IntakeFailure> failures;  // refused elements, in order
};

// The rules an accepted object must also meet for the principal who posts it
// (docs/stix.md, "Posting rules"):
//   - created_by_ref, when present, is the poster's own identity
//     (Organisation::StixId()); coordinators and administrators, who publish
//     for the federation, may name any identity;
//   - a sighting's first_seen, last_seen and modified lie no later than
//     `now` + clock_skew_ms, and its count is at most max_sighting_count.
struct PostingRules {
  std::string identity;         // the poster's organisation identity
  bool for_federation = false;  // coordinator or administrator
  Timestamp now;
  std::int64_t clock_skew_ms = 5 * 60 * 1000;
  std::int64_t max_sighting_count = 1'000'000;
};

// kInvalidArgument "<object id>: property '<name>': <what is wrong>" when the
// object breaks a posting rule. Pure and thread-safe.
Status CheckPosting(const NewObject& object, const PostedFacts& facts, const PostingRules& rules);

// Validates every element of the envelope's `objects` with IntakeObject; one
// bad element never fails the others. Each accepted object's stored text is
// the bytes that element occupies in `body` (minus surrounding white space),
// so the hub serves exactly what it was sent. kInvalidArgument, refusing the
// whole body, when `body` is nested deeper than kMaxJsonDepth + 2
// (core/json_limits.h; checked before any parse), is not a JSON object or has
// no `objects` list.
// Large envelopes are validated on a few threads at once; the results keep
// the elements' order. Thread-safe.
Result<EnvelopeIntake> IntakeEnvelope(std::string_view body);

}  // namespace dv::hub
