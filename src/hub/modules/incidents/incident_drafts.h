// SPDX-License-Identifier: Apache-2.0
#pragma once

// Campaign fan-out: prefilled incident and report drafts for every member a
// hit supplier affects (incident_drafts.cpp), and the reporting beside the
// NIS2 reports (incident_gdpr.cpp). Internal to the incidents module.

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace dv::hub {

class ApiContext;
class Router;

inline constexpr std::string_view kIncidentDraftKind = "incident.draft";
inline constexpr std::string_view kIncidentGdprKind = "incident.gdpr";        // id = the incident's
inline constexpr std::string_view kIncidentReceiptKind = "incident.receipt";  // id = "<incident>/<authority>"
// id = the note's, org = the recipient
inline constexpr std::string_view kIncidentServiceNoticeKind = "incident.service_notice";

// What the fan-out needs of a detected campaign.
struct CampaignFacts {
  std::vector<std::string> suppliers;              // its "org:" causes: suppliers and shared systems
  std::vector<std::string> members;                // members with an incident in it
  std::map<std::string, std::string> incident_of;  // member → its (earliest) incident in it
};
// kNotFound for an unknown campaign id.
using CampaignLookup = std::function<Result<CampaignFacts>(const std::string& campaign_id)>;

void RegisterIncidentDrafts(Router& server, ApiContext& context, CampaignLookup campaigns);
// GDPR Art. 33/34 beside an incident, and the receipts of the member's own submissions (incident_gdpr.cpp).
void RegisterIncidentReporting(Router& server, ApiContext& context);
// NIS2 Art. 23(1) notices to the recipients of a member's services (incident_notices.cpp).
void RegisterServiceNotices(Router& server, ApiContext& context);

}  // namespace dv::hub
