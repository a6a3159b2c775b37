// SPDX-License-Identifier: Apache-2.0
#include "store/backend_support.h"

namespace dv {

nlohmann::json OrganisationAuditJson(const Organisation& org) {
  nlohmann::json json = {
      {"code", org.code}, {"name", org.name}, {"kind", OrgKindName(org.kind)}, {"description", org.description}};
  json["region_code"] = org.region_code ? nlohmann::json(*org.region_code) : nlohmann::json();
  json["population"] = org.population ? nlohmann::json(*org.population) : nlohmann::json();
  json["operator"] = org.operator_code ? nlohmann::json(*org.operator_code) : nlohmann::json();
  return json;
}

std::string JoinList(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) {
    if (!out.empty()) out += ',';
    out += item;
  }
  return out;
}

std::vector<std::string> SplitList(const std::string& text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start < text.size()) {
    const auto comma = text.find(',', start);
    out.push_back(text.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return out;
}

}  // namespace dv
