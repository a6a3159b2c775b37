// SPDX-License-Identifier: Apache-2.0
#pragma once

// The federation: who the members are and how they depend on each other.
// Parsing is pure (text in, values out) and reports the file, line and field
// of the first problem; seeding writes the result into a Store in one
// transaction, so a failed load leaves the database as it was. Seeding is
// idempotent: loading the same data twice changes nothing and audits nothing.
//
// Formats (documented with their sources in data/demo/README.md):
//   municipalities.csv  code,name,region_code,population
//   organisations.json  [ {code,name,kind,region_code,population,description,operator}, … ]
//   dependencies.json   {"edges": [ {from,to,relation,strength,illustrative,note}, … ],
//                        "rules": [ {from_kind,[from_region],to,relation,strength,illustrative,note}, … ]}
// A rule stands for one edge from every organisation of `from_kind` (in
// `from_region`, if given) to `to`.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/organisation.h"
#include "core/result.h"
#include "store/store.h"

namespace dv {

struct FederationData {
  std::vector<Organisation> organisations;  // regions first, then by file order
  std::vector<Dependency> dependencies;     // rules already expanded
};

// Parses the three files' contents; `*_name` is used in error messages.
Result<FederationData> ParseFederation(std::string_view municipalities_csv, std::string_view organisations_json,
                                       std::string_view dependencies_json,
                                       std::string_view municipalities_name = "municipalities.csv",
                                       std::string_view organisations_name = "organisations.json",
                                       std::string_view dependencies_name = "dependencies.json");

// A file of data/demo compiled into the binary, by name: municipalities.csv,
// organisations.json, dependencies.json, and the demo feed's
// indicators.jsonl and copenhagen.jsonl (data/demo/README.md). Empty when unknown.
std::string_view DemoDataFile(std::string_view name);

// The demo federation compiled into the binary (data/demo).
Result<FederationData> LoadDemoFederation();
// The same three files from a directory.
Result<FederationData> LoadFederationDirectory(const std::string& directory);

struct SeedReport {
  std::int64_t organisations = 0;
  std::int64_t dependencies = 0;
};

// Writes `data` into `store` as `actor`, all or nothing.
Result<SeedReport> SeedFederation(Store& store, const FederationData& data, std::string_view actor = "system:seed");

}  // namespace dv
