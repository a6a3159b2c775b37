// SPDX-License-Identifier: Apache-2.0
// Golden routing tables: each testdata/routing/<case>/ holds register.json
// (members and what they register, each member's lists validated as the hub
// validates them; "unchecked" members go into the table as written) and
// queries.txt (one "address A", "domain D", "asn N" or "row ip=… domain=…
// asn=…" a line). The refusals, the table's entries, the prefixes nested in
// other owners' prefixes and the answer to every query must equal
// expected.txt line for line. After reviewing an intended
// change, run with DV_UPDATE_GOLDEN=1 to rewrite the expected files.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "protect/value.h"
#include "register/registration.h"
#include "register/routing_table.h"

namespace dv::reg {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::json;

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

std::string Owners(const Entry* entry) {
  if (entry == nullptr) return "nobody";
  std::string out;
  for (const auto& owner : entry->owners) out += (out.empty() ? "" : " ") + owner;
  return out + (entry->conflict() ? " (conflict)" : "");
}

std::string Describe(const Entry* entry) {
  if (entry == nullptr) return "nobody";
  return Owners(entry) + " via " + std::string(ClaimKindName(entry->kind)) + " " + entry->key;
}

std::optional<IpAddress> Address(const std::string& text) {
  auto network = protect::ParseNetwork(text);
  if (!network.ok()) return std::nullopt;
  return network->address;
}

std::string Answer(const RoutingTable& table, const std::string& line) {
  std::istringstream words(line);
  std::string verb;
  words >> verb;
  if (verb == "address") {
    std::string text;
    words >> text;
    const auto address = Address(text);
    if (!address) return "unparsable address";
    std::string chain;
    for (const Entry* entry : table.MatchChain(*address)) chain += (chain.empty() ? "" : " < ") + entry->key;
    return Describe(table.Match(*address)) + (chain.empty() ? "" : "; chain " + chain);
  }
  if (verb == "domain") {
    std::string text;
    words >> text;
    return Describe(table.MatchDomain(text));
  }
  if (verb == "asn") {
    std::uint32_t asn = 0;
    words >> asn;
    return Describe(table.MatchAs(asn));
  }
  if (verb == "row") {
    std::optional<IpAddress> address;
    std::string domain;
    std::optional<std::uint32_t> asn;
    std::string part;
    while (words >> part) {
      const auto eq = part.find('=');
      const std::string key = part.substr(0, eq);
      const std::string value = part.substr(eq + 1);
      if (key == "ip") address = Address(value);
      if (key == "domain") domain = value;
      if (key == "asn") asn = static_cast<std::uint32_t>(std::stoul(value));
    }
    const Route route = table.RouteRow(address, domain, asn);
    if (route.entry == nullptr) return "nobody (blind spot)";
    return Owners(route.entry) + " by " + std::string(ClaimKindName(route.by)) + " " + route.entry->key;
  }
  return "unknown query";
}

std::string RunCase(const fs::path& dir) {
  const Json input = Json::parse(ReadFile(dir / "register.json"));
  std::ostringstream out;
  std::map<std::string, Presence> members;
  out << "# refusals\n";
  for (const auto& member : input["members"]) {
    const std::string org = member["org"];
    Presence& presence = members[org];
    presence.org_code = org;
    if (member.value("unchecked", false)) {
      for (const auto& domain : member.value("domains", Json::array())) presence.domains.push_back(domain);
      continue;
    }
    Json lists = member;
    lists.erase("org");
    auto registration = RegistrationFromJson(lists);
    if (!registration.ok()) {
      out << org << ": " << registration.error().message() << "\n";
      continue;
    }
    for (const auto& domain : registration->domains) presence.domains.push_back(domain);
    for (const auto& prefix : registration->prefixes) presence.prefixes.push_back(prefix);
    for (const auto asn : registration->asns) presence.asns.push_back(asn);
  }
  std::vector<Presence> all;
  for (auto& [org, presence] : members) all.push_back(std::move(presence));
  const RoutingTable table = RoutingTable::Build(all);
  out << "# entries\n";
  for (const auto& entry : table.entries()) {
    out << ClaimKindName(entry.kind) << " " << entry.key << ": " << Owners(&entry) << "\n";
  }
  out << "# nested across owners\n";
  for (const auto& [inner, outer] : table.NestedAcrossOwners()) {
    out << inner->key << " (" << Owners(inner) << ") inside " << outer->key << " (" << Owners(outer) << ")\n";
  }
  out << "# routes\n";
  std::istringstream queries(ReadFile(dir / "queries.txt"));
  std::string line;
  while (std::getline(queries, line)) {
    if (line.empty() || line[0] == '#') continue;
    out << line << " -> " << Answer(table, line) << "\n";
  }
  return out.str();
}

TEST(RoutingGolden, EveryCaseMatchesItsExpectedRoutes) {
  const fs::path root = fs::path(DV_REGISTER_TESTDATA) / "routing";
  const bool update = std::getenv("DV_UPDATE_GOLDEN") != nullptr;
  int cases = 0;
  int lines = 0;
  for (const auto& entry : fs::directory_iterator(root)) {
    if (!entry.is_directory()) continue;
    ++cases;
    const std::string actual = RunCase(entry.path());
    const fs::path expected_path = entry.path() / "expected.txt";
    if (update) {
      std::ofstream(expected_path, std::ios::binary) << actual;
      continue;
    }
    const std::string expected = ReadFile(expected_path);
    EXPECT_EQ(actual, expected) << entry.path().filename() << " (rerun with DV_UPDATE_GOLDEN=1 after review)";
    lines += static_cast<int>(std::count(expected.begin(), expected.end(), '\n'));
  }
  EXPECT_GE(cases, 4);
  std::cout << "golden routing: " << cases << " cases, " << lines << " expected lines\n";
}

}  // namespace
}  // namespace dv::reg
