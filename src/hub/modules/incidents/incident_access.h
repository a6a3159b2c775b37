// SPDX-License-Identifier: Apache-2.0
// Who may see and change an incident: one rule for every route of the
// incidents module (the incident itself, its GDPR breach record, its
// receipts, its dependants and service notices).
//
// Read: the incident's organisation's people and coordinators. Not its
// sensors: an incident and its breach record may hold personal data, and a
// sensor has no use for either (a stolen sensor token reads no incident).
// Write: the organisation's people, and administrators.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "hub/api.h"
#include "store/record.h"

namespace dv::hub {

enum class IncidentUse { kRead, kWrite };

// True when `principal` may read or change an incident of `org_code`.
bool MayUseIncident(const Principal& principal, std::string_view org_code, IncidentUse use);

// The incident record `id` when `principal` may use it. Otherwise the
// store's error (e.g. 404) or a refusal (403, audited through
// ApiContext::Forbid) has been sent, and nullopt is returned.
std::optional<Record> IncidentFor(ApiContext& context, const httplib::Request& req, httplib::Response& res,
                                  const Principal& principal, const std::string& id, IncidentUse use);

}  // namespace dv::hub
