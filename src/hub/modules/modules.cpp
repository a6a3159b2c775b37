// SPDX-License-Identifier: Apache-2.0
#include <array>
#include <nlohmann/json.hpp>
#include <set>
#include <string>

#include "hub/module.h"

namespace dv::hub {

// Each module's folder defines its declaration (src/hub/modules/<name>/).
extern const Module kOrganisationsModule;
extern const Module kIndicatorsModule;
extern const Module kBaselineModule;
extern const Module kRiskModule;
extern const Module kVulnerabilitiesModule;
extern const Module kIncidentsModule;
extern const Module kProtectionModule;
extern const Module kRegisterModule;
extern const Module kContactsModule;
extern const Module kNoticesModule;
extern const Module kDutyModule;
extern const Module kPostureModule;
extern const Module kChangesModule;
extern const Module kExercisesModule;

namespace {

// Registration order: the order of the routes in the router (first match wins).
constexpr std::array<const Module*, 14> kModules = {
    &kIndicatorsModule, &kBaselineModule, &kRiskModule,      &kVulnerabilitiesModule, &kIncidentsModule,
    &kProtectionModule, &kRegisterModule, &kContactsModule,  &kNoticesModule,         &kDutyModule,
    &kPostureModule,    &kChangesModule,  &kExercisesModule, &kOrganisationsModule,
};

bool StartsWithAny(std::string_view path, std::span<const std::string_view> prefixes) {
  for (const auto prefix : prefixes) {
    if (path.starts_with(prefix) &&
        (path.size() == prefix.size() || path[prefix.size()] == '/' || path[prefix.size()] == '?')) {
      return true;
    }
  }
  return false;
}

}  // namespace

std::span<const Module* const> Modules() { return kModules; }

Status CheckModules(std::span<const Module* const> modules, std::string_view base_document,
                    std::string_view (*fragment_text)(std::string_view file_name)) {
  std::set<std::string> schemas;
  const auto base = nlohmann::json::parse(base_document, nullptr, /*allow_exceptions=*/false);
  if (base.is_object() && base.contains("components") && base["components"].contains("schemas")) {
    for (const auto& [name, schema] : base["components"]["schemas"].items()) schemas.insert(name);
  }
  std::set<std::string_view> names;
  std::set<std::string_view> fragments;
  std::set<std::string_view> record_kinds;
  for (const Module* module : modules) {
    const std::string where = "hub module '" + std::string(module->name) + "'";
    if (module->name.empty()) return Error::InvalidArgument("a hub module has no name");
    if (!names.insert(module->name).second) return Error::InvalidArgument(where + " is registered twice");
    if (module->register_routes == nullptr) return Error::InvalidArgument(where + " registers no routes");
    if (module->path_prefixes.empty()) return Error::InvalidArgument(where + " declares no path prefix");
    for (const auto kind : module->record_kinds) {
      if (!record_kinds.insert(kind).second) {
        return Error::InvalidArgument(where + ": record kind '" + std::string(kind) +
                                      "' is already owned by another module");
      }
    }
    if (module->openapi_fragment.empty()) continue;
    if (!fragments.insert(module->openapi_fragment).second) {
      return Error::InvalidArgument(where + ": OpenAPI fragment '" + std::string(module->openapi_fragment) +
                                    "' is another module's");
    }
    const std::string_view text = fragment_text(module->openapi_fragment);
    if (text.empty()) {
      return Error::InvalidArgument(where + ": OpenAPI fragment '" + std::string(module->openapi_fragment) +
                                    "' is not embedded");
    }
    const auto fragment = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (!fragment.is_object() || !fragment.contains("paths") || !fragment["paths"].is_object()) {
      return Error::InvalidArgument(where + ": OpenAPI fragment '" + std::string(module->openapi_fragment) +
                                    "' has no paths object");
    }
    if (fragment.contains("components") && fragment["components"].contains("schemas")) {
      for (const auto& [name, schema] : fragment["components"]["schemas"].items()) {
        if (!schemas.insert(name).second) {
          return Error::InvalidArgument(where + ": OpenAPI fragment '" + std::string(module->openapi_fragment) +
                                        "' defines schema " + name + ", a name the document already uses");
        }
      }
    }
    for (const auto& [path, item] : fragment["paths"].items()) {
      if (!StartsWithAny(path, module->path_prefixes)) {
        return Error::InvalidArgument(where + ": OpenAPI fragment '" + std::string(module->openapi_fragment) +
                                      "' documents " + path + ", outside the module's path prefixes");
      }
    }
  }
  return {};
}

}  // namespace dv::hub
