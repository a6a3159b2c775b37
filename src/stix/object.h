// SPDX-License-Identifier: Apache-2.0
#pragma once

// STIX 2.1 objects as the hub receives, stores and serves them: validation of
// single objects and bundles, the facts the hub indexes (id, type, version,
// TLP, references), and the few objects Dannevirke itself produces (TLP 2.0
// marking definitions, sightings, organisation identities).
//
// Validation is pure (JSON in, value out), never throws and never asserts on
// input. The first problem found is returned as an Error whose message names
// the object id (or "object" when the id itself is missing or broken) and the
// property as a JSON path:
//   "indicator--…: property 'valid_from': '2026-13-01' is not an RFC 3339 timestamp: …"
//   "sighting--…: property 'count': 1000000000 is out of range (0 to 999999999)"
// Kinds: kParse when the text is not JSON, kInvalidArgument for every STIX
// rule. What is checked is listed in docs/stix.md.
//
// Stored text: ValidateObject(text) keeps the input's bytes (minus leading
// and trailing white space) as canonical_json, and ValidateBundle keeps each
// element of `objects` exactly as it appears in the bundle, so the hub serves
// byte for byte what it was given. ValidateObject(json) has no original text;
// it stores json.dump().
//
// All functions are thread-safe; results own their data.

#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/json_limits.h"
#include "core/organisation.h"
#include "core/result.h"
#include "core/time.h"
#include "core/tlp.h"

namespace dv::stix {

// Objects nested deeper than this (objects and lists, the object itself
// counting as one) are rejected, so that hostile input cannot exhaust the
// stack of anything that walks them: the federation's one JSON limit
// (core/json_limits.h), checked on the text before it is parsed.
inline constexpr int kMaxNestingDepth = kMaxJsonDepth;
// sighting.count and observed-data.number_observed may not exceed this.
inline constexpr std::int64_t kMaxCount = 999'999'999;
// The version of objects without `modified` and `created` (SCOs and custom
// observables): they are immutable by design (their id derives from their
// content), so one fixed version per id. docs/stix.md explains the rule.
inline constexpr std::string_view kUnversionedVersion = "1970-01-01T00:00:00.000Z";
// The extension definition of the TLP 2.0 marking definitions (OASIS
// cti-stix-common-objects, tlp-2.0).
inline constexpr std::string_view kTlp2ExtensionId = "extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d";

enum class ObjectKind {
  kSdo,     // STIX Domain Object, or a new-sdo extension type
  kSro,     // relationship, sighting, or a new-sro extension type
  kSco,     // STIX Cyber-observable Object, or a new-sco extension type
  kMeta,    // marking-definition, language-content, extension-definition
  kCustom,  // an "x-" type (STIX 2.1 §11.2, the older custom-object form)
};

// "sdo", "sro", "sco", "meta", "custom".
std::string_view ObjectKindName(ObjectKind kind);

// Classification of the types the STIX 2.1 specification defines; false for
// custom and unknown types.
bool IsSdo(std::string_view type);
bool IsSro(std::string_view type);
bool IsSco(std::string_view type);
bool IsMeta(std::string_view type);

// What the hub stores and indexes for one valid object.
struct ValidatedObject {
  std::string id;    // "indicator--<uuid>"
  std::string type;  // "indicator"
  ObjectKind kind = ObjectKind::kSdo;
  // "2.1". SCOs may omit spec_version; STIX 2.1 then implies "2.1".
  std::string spec_version;
  std::optional<Timestamp> created;   // absent for SCOs
  std::optional<Timestamp> modified;  // absent for SCOs and marking definitions
  // The TAXII version: modified, else created, else kUnversionedVersion.
  // Millisecond precision (finer fractions are truncated).
  Timestamp version;
  // The most restrictive TLP among object_marking_refs and the marking_refs
  // of granular_markings (TLP 1.0 ids mapped to 2.0, ids in any letter case);
  // nullopt when none is a TLP marking. Markings that are not TLP do not count
  // here; ObjectTlp / GoverningTlp(marking_refs) (core/tlp.h) is what access
  // decisions use.
  std::optional<Tlp> tlp;
  std::string created_by_ref;  // empty when absent
  bool revoked = false;
  // object_marking_refs and granular marking_refs, in order of appearance, unique.
  std::vector<std::string> marking_refs;
  // Every identifier in a *_ref or *_refs property at any depth (created_by_ref
  // and marking refs included), sorted and unique: what a reference check needs.
  std::vector<std::string> references;
  // The text to store and serve (see the header comment).
  std::string canonical_json;
};

// Validates one object. The text overload parses first (kParse on bad JSON;
// duplicate property names are refused, as I-JSON requires).
Result<ValidatedObject> ValidateObject(const nlohmann::json& object);
Result<ValidatedObject> ValidateObject(std::string_view text);
// Text, not JSON values: without these a std::string or a literal would
// convert to both nlohmann::json and std::string_view.
inline Result<ValidatedObject> ValidateObject(const std::string& text) {
  return ValidateObject(std::string_view(text));
}
inline Result<ValidatedObject> ValidateObject(const char* text) { return ValidateObject(std::string_view(text)); }

// One element of a bundle's `objects`.
struct BundleEntry {
  std::size_t index = 0;           // position in `objects`
  std::string id;                  // the element's id when it has a string one, else empty
  Result<ValidatedObject> result;  // errors are prefixed "objects[<index>]: "
};

struct ValidatedBundle {
  std::string id;                    // "bundle--<uuid>"
  std::vector<BundleEntry> entries;  // one per element, in order
  std::size_t valid_count = 0;
  std::size_t invalid_count = 0;
};

// Validates a bundle (type "bundle", id "bundle--<uuid>", optional `objects`
// list). Fails as a whole only when the text is not JSON or the envelope is
// wrong; each object is judged on its own and one bad object never fails the
// others.
Result<ValidatedBundle> ValidateBundle(std::string_view text);

// The TAXII 2.1 version string of a validated object, e.g.
// "2026-03-01T10:00:00.000Z" (see ValidatedObject::version).
std::string TaxiiVersion(const ValidatedObject& object);

// The official TLP 2.0 marking-definition object of a level, as compact JSON
// in the published property order (OASIS cti-stix-common-objects). The hub
// serves these; they validate with ValidateObject.
std::string TlpMarkingDefinitionJson(Tlp tlp);

// A sighting as a sensor reports it. Optional parts are omitted when empty,
// so a member that shares counts only sends sighting_of_ref and count.
struct SightingSpec {
  std::string id;               // empty: a new "sighting--<UUIDv4>"
  std::string sighting_of_ref;  // the indicator (or other SDO) that was seen
  std::string created_by_ref;   // the member's identity
  Timestamp created;            // also `modified`
  std::optional<Timestamp> first_seen;
  std::optional<Timestamp> last_seen;
  std::optional<std::int64_t> count;
  std::vector<std::string> where_sighted_refs;  // identity or location ids
  std::vector<std::string> observed_data_refs;  // observed-data ids
  std::string description;
  std::optional<Tlp> tlp;  // becomes object_marking_refs
};

// Builds a sighting and validates it; errors name the sighting's id.
Result<ValidatedObject> MakeSighting(const SightingSpec& spec);

// An organisation as a STIX identity (identity_class "organization").
struct IdentitySpec {
  std::string id;  // "identity--…"; empty: a new UUIDv4
  std::string name;
  std::vector<std::string> sectors;  // industry-sector-ov: "government-local", …
  std::string description;
  std::string contact_information;
  Timestamp created;  // also `modified`
  std::optional<Tlp> tlp;
};

Result<ValidatedObject> MakeIdentity(const IdentitySpec& spec);

// The industry-sector-ov value of a federation member's kind:
// municipality → "government-local", region → "government-regional", state
// body → "government-national", health → "healthcare", utility →
// "utilities", shared system and supplier → "technology"; empty for other.
std::string_view SectorForOrgKind(OrgKind kind);

// The identity of a federation member: its StixId(), name, description and
// the sector of its kind.
Result<ValidatedObject> MakeOrganisationIdentity(const Organisation& organisation, Timestamp created);

}  // namespace dv::stix
