// SPDX-License-Identifier: Apache-2.0
// Golden tests: each src/protect/testdata/<case>/input.json (candidates,
// profile, never-block, allow and warning lists, zone options) is turned into
// a feed and written in every format; each output must equal the case's
// expected.<name> file byte for byte. After reviewing an intended change, run
// with DV_UPDATE_GOLDEN=1 to rewrite the expected files. The zones written
// here are the ones protect_zone_check runs through named-checkzone.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "protect/feed.h"
#include "protect/lists.h"
#include "protect/rpz.h"

namespace dv::protect {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

std::vector<std::string> Strings(const json& node, const char* key) {
  std::vector<std::string> out;
  if (node.contains(key)) {
    for (const auto& item : node.at(key)) out.push_back(item.get<std::string>());
  }
  return out;
}

ProtectedValues Protected(const json& node) {
  ProtectedValues out;
  out.domains = Strings(node, "domains");
  out.networks = Strings(node, "networks");
  return out;
}

Candidate CandidateFrom(const json& node) {
  Candidate candidate;
  candidate.indicator_id = node.at("id").get<std::string>();
  candidate.producer = node.value("producer", "CFCS");
  candidate.collection = node.value("collection", "national");
  candidate.kind = ValueKindFromName(node.at("kind").get<std::string>()).value();
  candidate.value = node.at("value").get<std::string>();
  candidate.other_kind = node.value("other_kind", "");
  candidate.confidence = node.value("confidence", 90.0);
  candidate.corroborated = node.value("corroborated", true);
  candidate.national_sightings = node.value("national_sightings", 0);
  candidate.modified = *Timestamp::Parse(node.value("modified", "2026-03-01T00:00:00Z"));
  if (node.contains("provenance")) {
    const json& provenance = node.at("provenance");
    candidate.provenance.object_ids = Strings(provenance, "objects");
    candidate.provenance.producers = Strings(provenance, "producers");
    candidate.provenance.approvals = Strings(provenance, "approvals");
  }
  return candidate;
}

// Every output of one case, by expected-file suffix.
std::map<std::string, std::string> RunCase(const fs::path& dir) {
  const json input = json::parse(ReadFile(dir / "input.json"));
  FeedInput feed_input;
  feed_input.coordinator = input.value("coordinator", "CFCS");
  feed_input.now = *Timestamp::Parse(input.value("now", "2026-03-02T00:00:00Z"));
  feed_input.rpz_origin = input.value("rpz_origin", "rpz.dannevirke.test");
  const json profile = input.value("profile", json::object());
  Profile& p = feed_input.profile;
  p.min_confidence = profile.value("min_confidence", p.min_confidence);
  p.trusted_producers = Strings(profile, "trusted_producers");
  p.collections = Strings(profile, "collections");
  if (profile.contains("kinds")) {
    p.kinds.clear();
    for (const std::string& kind : Strings(profile, "kinds")) p.kinds.push_back(ValueKindFromName(kind).value());
  }
  p.max_entries = profile.value("max_entries", p.max_entries);
  p.action = ActionFromName(profile.value("action", "nxdomain")).value();
  p.walled_garden = profile.value("walled_garden", "");
  p.monitor_only = profile.value("monitor_only", p.monitor_only);
  p.require_corroboration = profile.value("require_corroboration", p.require_corroboration);
  p.min_prefix_v4 = profile.value("min_prefix_v4", p.min_prefix_v4);
  p.min_prefix_v6 = profile.value("min_prefix_v6", p.min_prefix_v6);
  feed_input.never_block = Protected(input.value("never_block", json::object()));
  feed_input.allow = Protected(input.value("allow", json::object()));
  WarningLists warning_lists;
  for (const auto& list : input.value("warning_lists", json::array())) {
    warning_lists.Add(*WarningListFromValues(Strings(list, "values"), list.at("name").get<std::string>(), ""));
  }
  feed_input.warning_lists = &warning_lists;
  for (const auto& candidate : input.at("candidates")) feed_input.candidates.push_back(CandidateFrom(candidate));

  std::map<std::string, std::string> out;
  auto feed = BuildFeed(feed_input);
  if (!feed.ok()) {
    out["error.txt"] = feed.error().message() + "\n";
    return out;
  }
  RpzOptions rpz;
  rpz.serial = input.value("serial", 1u);
  rpz.action = p.action;
  rpz.walled_garden = p.walled_garden;
  rpz.primary_ns = input.value("primary_ns", rpz.primary_ns);
  rpz.hostmaster = input.value("hostmaster", rpz.hostmaster);
  out["rpz"] = WriteRpz(*feed, rpz, RpzPart::kEnforce)->text;
  out["monitor.rpz"] = WriteRpz(*feed, rpz, RpzPart::kMonitor)->text;
  out["mapping.json"] = WriteRpzMapping(*feed, feed_input.candidates, rpz.serial);
  out["report.json"] = FeedReportJson(*feed);
  out["nft"] = *WriteNftables(*feed, NftOptions{});
  out["ipset"] = *WriteIpsetRestore(*feed, IpsetOptions{});
  if (input.value("firewall_lists", true)) {
    const std::pair<const char*, ListKind> kinds[] = {
        {"address", ListKind::kAddress}, {"domain", ListKind::kDomain}, {"url", ListKind::kUrl}};
    for (const auto& [name, kind] : kinds) {
      out[std::string("paloalto-") + name + ".txt"] = WritePaloAltoList(*feed, kind);
      out[std::string("fortigate-") + name + ".txt"] = WriteFortiGateList(*feed, kind);
    }
    MikroTikOptions mikrotik;
    mikrotik.timeout_seconds = 86400;
    out["mikrotik.rsc"] = *WriteMikroTikScript(*feed, feed_input.candidates, mikrotik);
  }
  return out;
}

std::vector<std::string> Cases() {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(DV_PROTECT_TESTDATA)) {
    if (fs::exists(entry.path() / "input.json")) names.push_back(entry.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

class ProtectGolden : public ::testing::TestWithParam<std::string> {};

TEST_P(ProtectGolden, MatchesExpected) {
  const fs::path dir = fs::path(DV_PROTECT_TESTDATA) / GetParam();
  const bool update = std::getenv("DV_UPDATE_GOLDEN") != nullptr;
  const auto outputs = RunCase(dir);
  for (const auto& [name, text] : outputs) {
    const fs::path expected = dir / ("expected." + name);
    if (update) {
      std::ofstream(expected, std::ios::binary) << text;
      continue;
    }
    ASSERT_TRUE(fs::exists(expected)) << expected << " missing; review and rerun with DV_UPDATE_GOLDEN=1";
    EXPECT_EQ(text, ReadFile(expected)) << "case " << GetParam() << ", " << name
                                        << " differs; review and rerun with DV_UPDATE_GOLDEN=1";
  }
  // No stale expected files: every expected.* is an output of the case.
  for (const auto& entry : fs::directory_iterator(dir)) {
    const std::string file = entry.path().filename().string();
    if (file.rfind("expected.", 0) != 0) continue;
    EXPECT_TRUE(outputs.contains(file.substr(9))) << "stale " << entry.path();
  }
}

INSTANTIATE_TEST_SUITE_P(Cases, ProtectGolden, ::testing::ValuesIn(Cases()),
                         [](const auto& test_info) { return test_info.param; });

}  // namespace
}  // namespace dv::protect
