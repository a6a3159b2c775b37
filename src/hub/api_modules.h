// SPDX-License-Identifier: Apache-2.0
#pragma once

// The REST modules of the hub. A module is one declaration in kModules
// below: its name, the function that registers its routes on the hub's
// Router (each route uses the shared ApiContext for authentication, the
// per-member rate limit, access rules and audit), and the OpenAPI fragment
// that documents those routes (src/hub/openapi/<fragment>, embedded by
// src/hub/CMakeLists.txt). The hub registers the modules in this order and
// merges their fragments into /api/v1/openapi.json; the OpenAPI contract test
// (tests/integration/openapi_routes_test.cpp) fails on any route a module
// registers without documenting it, and the reverse.
//
// Adding a module: its source file(s) beside the others (storage code in its
// own subsystem), one line in kModules, its fragment in the embed list.

#include <array>
#include <string_view>

#include "hub/api.h"

namespace dv::hub {

class Router;  // hub/router.h

// /api/v1/organisations…: the public register; dependencies and dependents
// only for signed-in people, under the graph's rule (hub/organisation_api.cpp).
void RegisterOrganisationApi(Router& server, ApiContext& context);
// /api/v1/me, /api/v1/indicators…: the coordinator's view of shared indicators,
// false-positive reports, warning lists (hub/indicator_api.cpp).
void RegisterIndicatorApi(Router& server, ApiContext& context);
// /api/v1/baseline…: catalogue, assessments, national picture (hub/baseline_api.cpp).
void RegisterBaselineApi(Router& server, ApiContext& context);
// /api/v1/graph…, /api/v1/risk…: dependency graph and risk (hub/risk_api.cpp).
void RegisterRiskApi(Router& server, ApiContext& context);
// /api/v1/assets…, /api/v1/vulnerabilities…, /api/v1/exposure… (hub/vuln_api.cpp).
void RegisterVulnApi(Router& server, ApiContext& context);
// /api/v1/incidents…, /api/v1/competences…, /api/v1/guidance… (hub/incident_api.cpp).
void RegisterIncidentApi(Router& server, ApiContext& context);

struct Module {
  std::string_view name;
  void (*register_routes)(Router& server, ApiContext& context);
  std::string_view openapi_fragment;  // empty: documented in the base openapi.json
};

inline constexpr std::array kModules = {
    Module{"indicators", &RegisterIndicatorApi, "indicators.json"},
    Module{"baseline", &RegisterBaselineApi, "baseline.json"},
    Module{"risk", &RegisterRiskApi, "risk.json"},
    Module{"vulnerabilities", &RegisterVulnApi, "vuln.json"},
    Module{"incidents", &RegisterIncidentApi, "incident.json"},
    Module{"organisations", &RegisterOrganisationApi, ""},
};

}  // namespace dv::hub
