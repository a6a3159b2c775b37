// SPDX-License-Identifier: Apache-2.0
#include "hub/access.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <vector>

#include "core/json_limits.h"

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
  if (object.tlp) return *object.tlp;
  // Intake stores GoverningTlp of every marking, so a marked object always has
  // a TLP. A row without one whose text mentions markings predates that rule.
  if (object.json.find("marking_ref") == std::string::npos &&
      object.json.find("granular_markings") == std::string::npos) {
    return collection.default_tlp;
  }
  if (!CheckJsonDepth(object.json).ok()) return Tlp::kRed;
  const auto parsed = nlohmann::json::parse(object.json, nullptr, false);
  return ObjectTlp(parsed).value_or(collection.default_tlp);
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

bool ActsForFederation(const Principal& principal) {
  return principal.member.role == MemberRole::kAdmin || principal.member.role == MemberRole::kCoordinator;
}

bool CanVersionObject(const Principal& principal, const std::optional<std::string>& owner) {
  return !owner || *owner == principal.organisation.code || ActsForFederation(principal);
}

bool CanDeleteObject(const Principal& principal, const StoredObject& object) {
  return ActsForFederation(principal) || object.producer_org == principal.organisation.code;
}

std::string_view PosterMemberId(const StoredObject& object) {
  std::string_view poster = object.posted_by;
  if (poster.rfind("member:", 0) == 0) poster.remove_prefix(7);
  return poster;
}

bool PostedBySensor(const StoredObject& object, const std::set<std::string>& sensors) {
  const std::string_view poster = PosterMemberId(object);
  return !poster.empty() && sensors.count(std::string(poster)) > 0;
}

}  // namespace dv::hub
