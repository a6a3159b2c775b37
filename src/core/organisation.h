// SPDX-License-Identifier: Apache-2.0
#pragma once

// The members of the federation and the couplings between them. An
// organisation is identified by its code: the official 4-digit code for
// municipalities (0101 København) and regions (1081–1085), a short upper-case
// code for everything else (KOMBIT, NEMLOGIN). Its STIX identity id is
// derived from the code, so every hub names the same member the same way.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace dv {

enum class OrgKind { kMunicipality, kRegion, kStateBody, kSharedSystem, kSupplier, kHealth, kUtility, kOther };

// The stable lower_snake name ("shared_system"), used in APIs and storage.
std::string_view OrgKindName(OrgKind kind);
Result<OrgKind> ParseOrgKind(std::string_view name);
const std::vector<OrgKind>& AllOrgKinds();

// How the `from` organisation depends on the `to` organisation.
enum class Relation {
  kUsesSystem,
  kSuppliedBy,
  kExchangesDataWith,
  kNetworkLink,
  kSharedAdminAccess,
  kRemoteAccess,
  kMemberOfRegion,
  kCoordinatedBy,
};

std::string_view RelationName(Relation relation);
Result<Relation> ParseRelation(std::string_view name);

struct Organisation {
  std::string code;
  std::string name;
  OrgKind kind = OrgKind::kOther;
  std::optional<std::string> region_code;    // the region it belongs to, if any
  std::optional<std::int64_t> population;    // residents served, where meaningful
  std::string description;                   // "Danish. / English." free text
  std::optional<std::string> operator_code;  // who operates it (shared systems)

  // "identity--<UUIDv5 of the code in Dannevirke's namespace>".
  std::string StixId() const;
  // Checks the code's form for the kind, the name, and the population.
  Status Validate() const;

  friend bool operator==(const Organisation&, const Organisation&) = default;
};

// An edge of the dependency graph: `from` depends on `to`.
struct Dependency {
  std::string from;
  std::string to;
  Relation relation = Relation::kUsesSystem;
  double strength = 0.5;      // coupling strength in (0, 1]
  bool illustrative = false;  // true when not an established public fact
  std::string note;

  Status Validate() const;
  friend bool operator==(const Dependency&, const Dependency&) = default;
};

// True for a well-formed organisation code: four digits, or 2–16 characters
// of [A-Z0-9_-] starting with a letter.
bool IsValidOrgCode(std::string_view code);

}  // namespace dv
