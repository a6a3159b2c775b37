// SPDX-License-Identifier: Apache-2.0
#include "federation/federation.h"

#include <charconv>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "core/json_fields.h"
#include "core/text.h"

namespace dv {

namespace {

using Json = nlohmann::json;

Result<Json> ParseJson(std::string_view text, std::string_view file) {
  try {
    return Json::parse(text.begin(), text.end());
  } catch (const Json::parse_error& error) {
    return Error::Parse(std::string(file) + ":" + std::to_string(LineOfOffset(text, error.byte)) + ": " + error.what());
  }
}

// Splits one CSV record (RFC 4180 quoting) into fields.
std::vector<std::string> SplitCsvLine(std::string_view line) {
  std::vector<std::string> fields(1);
  bool quoted = false;
  for (std::size_t pos = 0; pos < line.size(); ++pos) {
    const char c = line[pos];
    if (quoted) {
      if (c == '"' && pos + 1 < line.size() && line[pos + 1] == '"') {
        fields.back().push_back('"');
        ++pos;
      } else if (c == '"') {
        quoted = false;
      } else {
        fields.back().push_back(c);
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      fields.emplace_back();
    } else if (c != '\r') {
      fields.back().push_back(c);
    }
  }
  return fields;
}

Result<std::vector<Organisation>> ParseMunicipalities(std::string_view csv, std::string_view file) {
  std::vector<Organisation> orgs;
  std::istringstream in{std::string(csv)};
  std::string line;
  std::size_t line_no = 0;
  while (std::getline(in, line)) {
    ++line_no;
    if (line_no == 1) {
      if (SplitCsvLine(line) != std::vector<std::string>{"code", "name", "region_code", "population"}) {
        return Error::Parse(std::string(file) + ":1: header must be code,name,region_code,population");
      }
      continue;
    }
    if (line.empty() || line == "\r") continue;
    const std::string where = std::string(file) + ":" + std::to_string(line_no);
    const auto fields = SplitCsvLine(line);
    if (fields.size() != 4) {
      return Error::Parse(where + ": want 4 fields, found " + std::to_string(fields.size()));
    }
    Organisation org;
    org.code = fields[0];
    org.name = fields[1];
    org.kind = OrgKind::kMunicipality;
    org.region_code = fields[2];
    std::int64_t population = 0;
    const auto [end, ec] = std::from_chars(fields[3].data(), fields[3].data() + fields[3].size(), population);
    if (ec != std::errc() || end != fields[3].data() + fields[3].size()) {
      return Error::Parse(where + ": field 'population' is not a whole number: '" + fields[3] + "'");
    }
    org.population = population;
    if (auto status = org.Validate(); !status.ok()) return status.error().WithContext(where);
    orgs.push_back(std::move(org));
  }
  return orgs;
}

Result<Dependency> ParseEdge(const Json& object, const std::string& where, const std::string& from) {
  Dependency dep;
  dep.from = from;
  auto to = StringField(object, "to", where);
  if (!to.ok()) return to.error();
  dep.to = *to;
  auto relation_name = StringField(object, "relation", where);
  if (!relation_name.ok()) return relation_name.error();
  auto relation = ParseRelation(*relation_name);
  if (!relation.ok()) return relation.error().WithContext(where + ": field 'relation'");
  dep.relation = *relation;
  const auto strength = object.find("strength");
  if (strength == object.end() || !strength->is_number()) {
    return Error::Parse(where + ": field 'strength' is required and must be a number");
  }
  dep.strength = strength->get<double>();
  const auto illustrative = object.find("illustrative");
  if (illustrative == object.end() || !illustrative->is_boolean()) {
    return Error::Parse(where + ": field 'illustrative' is required and must be true or false");
  }
  dep.illustrative = illustrative->get<bool>();
  auto note = OptionalStringField(object, "note", where);
  if (!note.ok()) return note.error();
  dep.note = note->value_or("");
  return dep;
}

}  // namespace

Result<FederationData> ParseFederation(std::string_view municipalities_csv, std::string_view organisations_json,
                                       std::string_view dependencies_json, std::string_view municipalities_name,
                                       std::string_view organisations_name, std::string_view dependencies_name) {
  auto municipalities = ParseMunicipalities(municipalities_csv, municipalities_name);
  if (!municipalities.ok()) return municipalities.error();

  auto orgs_doc = ParseJson(organisations_json, organisations_name);
  if (!orgs_doc.ok()) return orgs_doc.error();
  if (!orgs_doc->is_array()) return Error::Parse(std::string(organisations_name) + ": want a JSON array");
  std::vector<Organisation> regions;
  std::vector<Organisation> others;
  for (std::size_t obj_idx = 0; obj_idx < orgs_doc->size(); ++obj_idx) {
    const Json& object = (*orgs_doc)[obj_idx];
    std::string where = std::string(organisations_name) + ": object " + std::to_string(obj_idx);
    if (!object.is_object()) return Error::Parse(where + ": want a JSON object");
    Organisation org;
    auto code = StringField(object, "code", where);
    if (!code.ok()) return code.error();
    org.code = *code;
    where += " (code '" + org.code + "')";
    auto name = StringField(object, "name", where);
    if (!name.ok()) return name.error();
    org.name = *name;
    auto kind_name = StringField(object, "kind", where);
    if (!kind_name.ok()) return kind_name.error();
    auto kind = ParseOrgKind(*kind_name);
    if (!kind.ok()) return kind.error().WithContext(where + ": field 'kind'");
    org.kind = *kind;
    auto region = OptionalStringField(object, "region_code", where);
    if (!region.ok()) return region.error();
    org.region_code = *region;
    if (const auto population = object.find("population"); population != object.end() && !population->is_null()) {
      if (!population->is_number_integer()) return Error::Parse(where + ": field 'population' must be an integer");
      org.population = population->get<std::int64_t>();
    }
    auto description = OptionalStringField(object, "description", where);
    if (!description.ok()) return description.error();
    org.description = description->value_or("");
    auto operator_code = OptionalStringField(object, "operator", where);
    if (!operator_code.ok()) return operator_code.error();
    org.operator_code = *operator_code;
    if (auto status = org.Validate(); !status.ok()) return status.error().WithContext(where);
    (org.kind == OrgKind::kRegion ? regions : others).push_back(std::move(org));
  }

  FederationData data;
  data.organisations = std::move(regions);
  data.organisations.insert(data.organisations.end(), municipalities->begin(), municipalities->end());
  data.organisations.insert(data.organisations.end(), others.begin(), others.end());
  std::map<std::string, const Organisation*> by_code;
  for (const auto& org : data.organisations) {
    if (!by_code.emplace(org.code, &org).second) {
      return Error::Parse("organisation code '" + org.code + "' is defined twice");
    }
  }
  for (const auto& org : data.organisations) {
    if (org.operator_code && !by_code.count(*org.operator_code)) {
      return Error::Parse(std::string(organisations_name) + ": organisation '" + org.code +
                          "': field 'operator' names unknown organisation '" + *org.operator_code + "'");
    }
  }

  auto deps_doc = ParseJson(dependencies_json, dependencies_name);
  if (!deps_doc.ok()) return deps_doc.error();
  if (!deps_doc->is_object()) return Error::Parse(std::string(dependencies_name) + ": want a JSON object");
  std::set<std::tuple<std::string, std::string, Relation>> seen;
  auto add_edge = [&](Dependency dep, const std::string& where) -> Status {
    for (const std::string* code : {&dep.from, &dep.to}) {
      if (!by_code.count(*code)) return Error::Parse(where + ": unknown organisation '" + *code + "'");
    }
    if (auto status = dep.Validate(); !status.ok()) return status.error().WithContext(where);
    if (!seen.emplace(dep.from, dep.to, dep.relation).second) {
      return Error::Parse(where + ": duplicate edge " + dep.from + " -> " + dep.to + " (" +
                          std::string(RelationName(dep.relation)) + ")");
    }
    data.dependencies.push_back(std::move(dep));
    return Ok();
  };
  const Json empty = Json::array();
  const Json& edges = deps_doc->contains("edges") ? (*deps_doc)["edges"] : empty;
  const Json& rules = deps_doc->contains("rules") ? (*deps_doc)["rules"] : empty;
  if (!edges.is_array() || !rules.is_array()) {
    return Error::Parse(std::string(dependencies_name) + ": 'edges' and 'rules' must be arrays");
  }
  for (std::size_t edge_idx = 0; edge_idx < edges.size(); ++edge_idx) {
    const std::string where = std::string(dependencies_name) + ": edges[" + std::to_string(edge_idx) + "]";
    if (!edges[edge_idx].is_object()) return Error::Parse(where + ": want a JSON object");
    auto from = StringField(edges[edge_idx], "from", where);
    if (!from.ok()) return from.error();
    auto dep = ParseEdge(edges[edge_idx], where, *from);
    if (!dep.ok()) return dep.error();
    DV_TRY(add_edge(std::move(*dep), where));
  }
  for (std::size_t rule_idx = 0; rule_idx < rules.size(); ++rule_idx) {
    const std::string where = std::string(dependencies_name) + ": rules[" + std::to_string(rule_idx) + "]";
    const Json& rule = rules[rule_idx];
    if (!rule.is_object()) return Error::Parse(where + ": want a JSON object");
    auto kind_name = StringField(rule, "from_kind", where);
    if (!kind_name.ok()) return kind_name.error();
    auto kind = ParseOrgKind(*kind_name);
    if (!kind.ok()) return kind.error().WithContext(where + ": field 'from_kind'");
    auto region = OptionalStringField(rule, "from_region", where);
    if (!region.ok()) return region.error();
    std::size_t expanded = 0;
    for (const auto& org : data.organisations) {
      if (org.kind != *kind || (*region && org.region_code != *region)) continue;
      auto dep = ParseEdge(rule, where, org.code);
      if (!dep.ok()) return dep.error();
      if (dep->to == org.code) continue;  // a rule never makes a self-edge
      DV_TRY(add_edge(std::move(*dep), where + " for '" + org.code + "'"));
      ++expanded;
    }
    if (expanded == 0) return Error::Parse(where + ": matches no organisation");
  }
  return data;
}

Result<FederationData> LoadDemoFederation() {
  return ParseFederation(DemoDataFile("municipalities.csv"), DemoDataFile("organisations.json"),
                         DemoDataFile("dependencies.json"), "data/demo/municipalities.csv",
                         "data/demo/organisations.json", "data/demo/dependencies.json");
}

Result<FederationData> LoadFederationDirectory(const std::string& directory) {
  std::string contents[3];
  const char* names[3] = {"municipalities.csv", "organisations.json", "dependencies.json"};
  std::string paths[3];
  for (int file_idx = 0; file_idx < 3; ++file_idx) {
    paths[file_idx] = directory + "/" + names[file_idx];
    std::ifstream in(paths[file_idx], std::ios::binary);
    if (!in) return Error::Io("cannot read '" + paths[file_idx] + "'");
    std::ostringstream buffer;
    buffer << in.rdbuf();
    contents[file_idx] = buffer.str();
  }
  return ParseFederation(contents[0], contents[1], contents[2], paths[0], paths[1], paths[2]);
}

Result<SeedReport> SeedFederation(Store& store, const FederationData& data, std::string_view actor) {
  SeedReport report;
  const Status status = store.InTransaction([&]() -> Status {
    for (const auto& org : data.organisations) {
      DV_TRY(store.UpsertOrganisation(org, actor));
      ++report.organisations;
    }
    for (const auto& dep : data.dependencies) {
      DV_TRY(store.UpsertDependency(dep, actor));
      ++report.dependencies;
    }
    return Ok();
  });
  if (!status.ok()) return status.error().WithContext("seeding the federation");
  return report;
}

}  // namespace dv
