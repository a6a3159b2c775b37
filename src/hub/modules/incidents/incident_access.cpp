// SPDX-License-Identifier: Apache-2.0
#include "hub/modules/incidents/incident_access.h"

#include "incident/stored.h"

namespace dv::hub {

bool MayUseIncident(const Principal& principal, std::string_view org_code, IncidentUse use) {
  return use == IncidentUse::kWrite ? CanWriteOrgRecords(principal, org_code)
                                    : CanReadOrgPeopleRecords(principal, org_code);
}

std::optional<Record> IncidentFor(ApiContext& context, const httplib::Request& req, httplib::Response& res,
                                  const Principal& principal, const std::string& id, IncidentUse use) {
  auto record = context.store().GetRecord(incident::kIncidentKind, id);
  if (!record.ok()) {
    SendError(res, record.error());
    return std::nullopt;
  }
  if (!MayUseIncident(principal, record->org_code, use)) {
    context.Forbid(principal, req, res, "incident " + id);
    return std::nullopt;
  }
  return std::move(record).value();
}

}  // namespace dv::hub
