// SPDX-License-Identifier: Apache-2.0
#include "core/organisation.h"

#include <array>
#include <cmath>
#include <utility>

#include "core/uuid.h"

namespace dv {
namespace {

constexpr std::array<std::pair<OrgKind, std::string_view>, 8> kKindNames = {{
    {OrgKind::kMunicipality, "municipality"},
    {OrgKind::kRegion, "region"},
    {OrgKind::kStateBody, "state_body"},
    {OrgKind::kSharedSystem, "shared_system"},
    {OrgKind::kSupplier, "supplier"},
    {OrgKind::kHealth, "health"},
    {OrgKind::kUtility, "utility"},
    {OrgKind::kOther, "other"},
}};

constexpr std::array<std::pair<Relation, std::string_view>, 8> kRelationNames = {{
    {Relation::kUsesSystem, "uses_system"},
    {Relation::kSuppliedBy, "supplied_by"},
    {Relation::kExchangesDataWith, "exchanges_data_with"},
    {Relation::kNetworkLink, "network_link"},
    {Relation::kSharedAdminAccess, "shared_admin_access"},
    {Relation::kRemoteAccess, "remote_access"},
    {Relation::kMemberOfRegion, "member_of_region"},
    {Relation::kCoordinatedBy, "coordinated_by"},
}};

bool IsFourDigits(std::string_view code) {
  if (code.size() != 4) return false;
  for (char c : code) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

}  // namespace

std::string_view OrgKindName(OrgKind kind) {
  for (const auto& [k, name] : kKindNames) {
    if (k == kind) return name;
  }
  return "other";
}

Result<OrgKind> ParseOrgKind(std::string_view name) {
  for (const auto& [kind, kind_name] : kKindNames) {
    if (kind_name == name) return kind;
  }
  return Error::InvalidArgument(
      "unknown organisation kind '" + std::string(name) +
      "' (want municipality, region, state_body, shared_system, supplier, health, utility or other)");
}

const std::vector<OrgKind>& AllOrgKinds() {
  static const std::vector<OrgKind> kAll = [] {
    std::vector<OrgKind> all;
    for (const auto& entry : kKindNames) all.push_back(entry.first);
    return all;
  }();
  return kAll;
}

std::string_view RelationName(Relation relation) {
  for (const auto& [r, name] : kRelationNames) {
    if (r == relation) return name;
  }
  return "uses_system";
}

Result<Relation> ParseRelation(std::string_view name) {
  for (const auto& [relation, relation_name] : kRelationNames) {
    if (relation_name == name) return relation;
  }
  std::string known;
  for (const auto& entry : kRelationNames) {
    if (!known.empty()) known += ", ";
    known += entry.second;
  }
  return Error::InvalidArgument("unknown relation '" + std::string(name) + "' (want one of " + known + ")");
}

bool IsValidOrgCode(std::string_view code) {
  if (IsFourDigits(code)) return true;
  if (code.size() < 2 || code.size() > 16) return false;
  if (code[0] < 'A' || code[0] > 'Z') return false;
  for (char c : code) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

std::string Organisation::StixId() const {
  return "identity--" + Uuid::V5(DannevirkeNamespace(), "organisation:" + code).ToString();
}

Status Organisation::Validate() const {
  const std::string where = "organisation '" + code + "'";
  if (!IsValidOrgCode(code)) {
    return Error::InvalidArgument(where + ": field 'code' must be 4 digits or 2-16 characters of A-Z, 0-9, _ and -");
  }
  if ((kind == OrgKind::kMunicipality || kind == OrgKind::kRegion) && !IsFourDigits(code)) {
    return Error::InvalidArgument(where + ": field 'code' of a " + std::string(OrgKindName(kind)) +
                                  " must be its official 4-digit code");
  }
  if (name.empty()) return Error::InvalidArgument(where + ": field 'name' is empty");
  if (kind == OrgKind::kMunicipality && !region_code) {
    return Error::InvalidArgument(where + ": field 'region_code' is required for a municipality");
  }
  if (region_code && !IsFourDigits(*region_code)) {
    return Error::InvalidArgument(where + ": field 'region_code' must be a 4-digit region code");
  }
  if (population && *population < 0) return Error::InvalidArgument(where + ": field 'population' is negative");
  if (operator_code && !IsValidOrgCode(*operator_code)) {
    return Error::InvalidArgument(where + ": field 'operator' is not an organisation code");
  }
  return Ok();
}

Status Dependency::Validate() const {
  const std::string where = "dependency " + from + " -> " + to;
  if (!IsValidOrgCode(from)) return Error::InvalidArgument(where + ": field 'from' is not an organisation code");
  if (!IsValidOrgCode(to)) return Error::InvalidArgument(where + ": field 'to' is not an organisation code");
  if (from == to) return Error::InvalidArgument(where + ": an organisation cannot depend on itself");
  if (!(strength > 0.0 && strength <= 1.0) || std::isnan(strength)) {
    return Error::InvalidArgument(where + ": field 'strength' must be in (0, 1]");
  }
  return Ok();
}

}  // namespace dv
