// SPDX-License-Identifier: Apache-2.0
#include "hub/graph_access.h"

#include "hub/api.h"

namespace dv::hub {

namespace {

bool IsMemberKind(OrgKind kind) { return kind == OrgKind::kMunicipality || kind == OrgKind::kRegion; }

}  // namespace

bool CanReadGraph(const Principal& principal) { return principal.member.role != MemberRole::kSensor; }

bool CanSeeEdge(const Principal& principal, std::string_view dependent, OrgKind dependent_kind,
                std::string_view dependency) {
  if (!CanReadGraph(principal)) return false;
  if (IsCoordinator(principal)) return true;
  const std::string& own = principal.organisation.code;
  return dependent == own || dependency == own || !IsMemberKind(dependent_kind);
}

bool CanSeeEdgeNote(const Principal& principal) { return CanReadGraph(principal) && IsCoordinator(principal); }

bool CanSeeBaseline(const Principal& principal, std::string_view org_code) {
  return CanReadOrgRecords(principal, org_code);
}

}  // namespace dv::hub
