// SPDX-License-Identifier: Apache-2.0
#pragma once

// The REST modules of the hub; hub_server.cpp registers each. Every module
// documents its routes in src/hub/openapi/<module>.json.

#include "hub/api.h"

namespace httplib {
class Server;
}

namespace dv::hub {

// /api/v1/me, /api/v1/indicators…: the coordinator's view of shared indicators,
// false-positive reports, warning lists (hub/indicator_api.cpp).
void RegisterIndicatorApi(httplib::Server& server, ApiContext& context);
// /api/v1/baseline…: catalogue, assessments, national picture (hub/baseline_api.cpp).
void RegisterBaselineApi(httplib::Server& server, ApiContext& context);
// /api/v1/graph…, /api/v1/risk…: dependency graph and risk (hub/risk_api.cpp).
void RegisterRiskApi(httplib::Server& server, ApiContext& context);
// /api/v1/assets…, /api/v1/vulnerabilities…, /api/v1/exposure… (hub/vuln_api.cpp).
void RegisterVulnApi(httplib::Server& server, ApiContext& context);
// /api/v1/incidents…, /api/v1/competences…, /api/v1/guidance… (hub/incident_api.cpp).
void RegisterIncidentApi(httplib::Server& server, ApiContext& context);

}  // namespace dv::hub
