// SPDX-License-Identifier: Apache-2.0
#pragma once

// The hub's module seam. A module is a folder src/hub/modules/<name>/ that
// defines one `const Module` declaring everything it adds to the hub:
//   - its routes, registered on the hub's Router through the one ApiContext
//     (hub/api.h) that owns authentication, roles, the per-member rate
//     budget REST and TAXII share, JSON errors and the audit of refusals;
//   - its OpenAPI fragment (<name>.openapi.json in the folder, embedded by
//     src/hub/CMakeLists.txt and merged into /api/v1/openapi.json);
//   - the member record kinds it owns in the store (store/record.h);
//   - the audit actions it writes itself (refusals are the core's);
//   - the dashboard route that shows it.
// src/hub/modules/modules.cpp lists the modules in registration order: adding
// a module is its folder plus its line there (docs/architecture.md, "Adding a
// hub module"). CheckModules() runs when a hub starts and refuses a list in
// which two modules claim the same name, fragment or record kind, or a
// fragment is missing; the OpenAPI contract test
// (tests/integration/openapi_routes_test.cpp) fails on any route a module
// serves that its fragment does not document, and the reverse.

#include <span>
#include <string_view>

#include "core/result.h"

namespace dv::hub {

class ApiContext;  // hub/api.h
class Router;      // hub/router.h

struct Module {
  std::string_view name = {};  // "baseline": the folder's name
  // Adds the module's routes; may keep state alive with ApiContext::Keep.
  void (*register_routes)(Router& router, ApiContext& context) = nullptr;
  // File name of the embedded fragment; empty: documented in the base
  // src/hub/openapi.json (the public organisation register).
  std::string_view openapi_fragment = {};
  // Paths the module serves, as prefixes ("/api/v1/baseline"); every path of
  // its fragment starts with one of them.
  std::span<const std::string_view> path_prefixes = {};
  std::span<const std::string_view> record_kinds = {};   // store record kinds only this module writes
  std::span<const std::string_view> audit_actions = {};  // audit actions this module writes itself
  std::string_view dashboard_route = {};                 // "#/baseline"; empty: no page of its own
};

// Every module, in registration order (src/hub/modules/modules.cpp).
std::span<const Module* const> Modules();

// kInvalidArgument naming the first clash or missing part in `modules`:
// duplicate names, fragments or record kinds, a module without routes, a
// fragment `fragment_text` cannot find, a fragment path outside the module's
// prefixes, or a schema name (components.schemas) that the base document
// `base_document` or another fragment already uses: merged, one would
// silently replace the other. Pure; the hub runs it on Modules() when it starts.
Status CheckModules(std::span<const Module* const> modules, std::string_view base_document,
                    std::string_view (*fragment_text)(std::string_view file_name));

}  // namespace dv::hub
