// SPDX-License-Identifier: Apache-2.0
#include "hub/access.h"

#include <algorithm>

namespace dv::hub {

bool InAudience(const Collection& collection, const Organisation& organisation) {
  switch (collection.audience) {
    case AudienceKind::kNational:
      return true;
    case AudienceKind::kRegion:
      return organisation.code == collection.audience_value || organisation.region_code == collection.audience_value;
    case AudienceKind::kSector:
      return OrgKindName(organisation.kind) == collection.audience_value;
    case AudienceKind::kGroup:
      return std::find(collection.group_orgs.begin(), collection.group_orgs.end(), organisation.code) !=
             collection.group_orgs.end();
  }
  return false;
}

bool CanReadCollection(const Principal& principal, const Collection& collection) {
  if (principal.member.role == MemberRole::kAdmin || principal.member.role == MemberRole::kCoordinator) return true;
  return InAudience(collection, principal.organisation);
}

bool CanWriteCollection(const Principal& principal, const Collection& collection) {
  return InAudience(collection, principal.organisation) || principal.member.role == MemberRole::kAdmin;
}

Tlp EffectiveTlp(const Collection& collection, const StoredObject& object) {
  return object.tlp.value_or(collection.default_tlp);
}

bool CanSeeObject(const Principal& principal, const Collection& collection, const StoredObject& object) {
  if (!CanReadCollection(principal, collection)) return false;
  const bool own = object.producer_org == principal.organisation.code;
  switch (EffectiveTlp(collection, object)) {
    case Tlp::kClear:
    case Tlp::kGreen:
      return true;
    case Tlp::kAmber:
      return own || InAudience(collection, principal.organisation);
    case Tlp::kAmberStrict:
      return own;
    case Tlp::kRed:
      return own || std::find(object.recipients.begin(), object.recipients.end(), principal.organisation.code) !=
                        object.recipients.end();
  }
  return false;
}

bool CanDeleteObject(const Principal& principal, const StoredObject& object) {
  return principal.member.role == MemberRole::kAdmin || object.producer_org == principal.organisation.code;
}

}  // namespace dv::hub
