// SPDX-License-Identifier: Apache-2.0
#pragma once

// The sharing model stored by the hub: who may call it (members and their
// API tokens), what they share into (collections with an audience), and the
// STIX objects themselves with the facts that access control needs (TLP,
// producer, named recipients). Access decisions are made in the hub
// (src/hub/access.h); the store keeps the facts and answers queries.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/time.h"
#include "core/tlp.h"

namespace dv {

enum class MemberRole { kMember, kSensor, kCoordinator, kAdmin };
std::string_view MemberRoleName(MemberRole role);
std::optional<MemberRole> ParseMemberRole(std::string_view name);

// A principal that authenticates: a person or a sensor of an organisation.
struct Member {
  std::string id;        // login name, unique: "0101-soc", "sensor-0751-01"
  std::string org_code;  // the organisation it acts for
  std::string name;
  MemberRole role = MemberRole::kMember;
  friend bool operator==(const Member&, const Member&) = default;
};

// A member with its lifecycle. A disabled member keeps its tokens but none of
// them authenticates until it is enabled again; a removed member is gone from
// every list and lookup (its tokens revoked, its audit history kept).
struct MemberState {
  Member member;
  std::optional<Timestamp> disabled_at;
};

// The facts of an API token; the hash itself never leaves the store. `id` is
// the first 12 hex digits of the hash: short, unique, and safe to show (the
// token cannot be recovered from it).
struct TokenInfo {
  std::string id;
  std::string member_id;
  std::string label;
  Timestamp created_at;
  std::optional<Timestamp> expires_at;  // nullopt: never expires
  std::optional<Timestamp> revoked_at;
  std::optional<Timestamp> last_used;  // recorded at most once a minute
  bool member_disabled = false;
};

// Whether a token authenticates `now`, and if not, why. When several reasons
// hold, the first of revoked, member disabled, expired is given.
enum class TokenState { kActive, kRevoked, kMemberDisabled, kExpired };
std::string_view TokenStateName(TokenState state);  // "active", "revoked", "member-disabled", "expired"
TokenState StateOf(const TokenInfo& token, Timestamp now);

// What a new token is given.
struct TokenGrant {
  std::string token_hash;  // SHA-256 of the token, 64 lower-case hex digits
  std::string member_id;
  std::string label;
  std::optional<Timestamp> expires_at;  // must lie in the future; nullopt: never expires
};

enum class AudienceKind { kNational, kRegion, kSector, kGroup };
std::string_view AudienceKindName(AudienceKind kind);
std::optional<AudienceKind> ParseAudienceKind(std::string_view name);

// A TAXII collection. Its audience may read it and write to it:
// national = every organisation; region = the organisations whose
// region_code is `audience_value` (and the region itself); sector = the
// organisations of kind `audience_value`; group = the listed organisations.
struct Collection {
  std::string id;  // a UUID, as TAXII wants
  std::string title;
  std::string description;
  AudienceKind audience = AudienceKind::kNational;
  std::string audience_value;
  std::vector<std::string> group_orgs;
  // The TLP applied to objects that carry no TLP marking.
  Tlp default_tlp = Tlp::kAmber;
  friend bool operator==(const Collection&, const Collection&) = default;
};

// An object as posted, after validation.
struct NewObject {
  std::string id;
  std::string type;
  std::string spec_version;
  std::string version;  // modified, created, or the SCO rule (docs/stix.md)
  std::optional<Tlp> tlp;
  std::vector<std::string> recipients;  // org codes named for TLP:RED
  std::string json;                     // exactly what is served
};

struct StoredObject {
  std::int64_t seq = 0;  // position in the hub's change feed
  std::string collection_id;
  std::string id;
  std::string type;
  std::string spec_version;
  std::string version;
  std::int64_t added_us = 0;  // date_added, microseconds since the epoch, unique
  std::optional<Tlp> tlp;
  std::string producer_org;
  std::vector<std::string> recipients;
  std::string json;
  // The actor that posted this version, as given to Store::AddObjects (a
  // member id, or "member:<id>"); empty for versions stored before it was kept.
  std::string posted_by;
};

// TAXII's match[version]: the last, the first, all, or given versions.
struct VersionFilter {
  enum class Mode { kLast, kFirst, kAll, kGiven };
  Mode mode = Mode::kLast;
  std::vector<std::string> versions;  // kGiven
};

struct ObjectQuery {
  std::string collection_id;
  // Every collection at once, in change-feed order across them (for the
  // hub's own caches, which apply each collection's rules themselves; never
  // for a client's query). `collection_id` is then ignored. Objects are
  // added under one writer at a time on both backends, so `seq` grows in
  // commit order across collections: a reader that remembers the last seq it
  // saw misses nothing committed later.
  bool all_collections = false;
  std::optional<std::int64_t> added_after_us;
  std::int64_t after_seq = 0;  // the paging cursor ("next")
  std::vector<std::string> ids;
  std::vector<std::string> types;
  std::vector<std::string> spec_versions;
  VersionFilter versions;
  int limit = 100;
};

struct ObjectPage {
  std::vector<StoredObject> objects;
  bool more = false;
  std::int64_t next_seq = 0;  // cursor for the next page when more
};

struct AddOutcome {
  std::string id;
  std::string version;
  bool added = false;  // false: that version was already stored (still a success)
};

// A TAXII status resource.
struct TaxiiStatus {
  std::string id;
  std::string member_id;
  std::string status = "complete";
  Timestamp request_timestamp;
  std::int64_t total = 0;
  std::int64_t success = 0;
  std::int64_t failure = 0;
  std::int64_t pending = 0;
  std::string details_json;  // {"successes": [...], "failures": [...]}
};

// Microseconds since the epoch as TAXII's timestamp with six fraction digits.
std::string FormatMicros(std::int64_t unix_us);
// Parses an RFC 3339 timestamp keeping microseconds.
std::optional<std::int64_t> ParseMicros(std::string_view text);

}  // namespace dv
