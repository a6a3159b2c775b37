// SPDX-License-Identifier: Apache-2.0
#include "vuln/exposure.h"

#include <gtest/gtest.h>

#include <set>

#include "vuln/stix_vulnerability.h"

namespace dv::vuln {
namespace {

Asset A(std::string member, std::string device, std::string cpe, std::string version = "", std::string purl = "") {
  auto asset = MakeAsset(std::move(member), std::move(device), "", "", cpe, purl, version, "test");
  EXPECT_TRUE(asset.ok()) << (asset.ok() ? "" : asset.error().message());
  return asset.ok() ? *asset : Asset{};
}

Criterion C(std::string_view cpe, bool vulnerable = true, std::optional<VersionRange> range = std::nullopt) {
  Criterion criterion;
  criterion.cpe = *ParseCpe(cpe);
  criterion.vendor = criterion.cpe.vendor().value;
  criterion.product = criterion.cpe.product().value;
  criterion.vulnerable = vulnerable;
  criterion.range = range;
  criterion.text = std::string(cpe);
  return criterion;
}

// The NVD firmware-and-hardware pattern: AND(OR(firmware in range), OR(hardware)).
Vulnerability FirmwareOnHardware() {
  Vulnerability vuln;
  vuln.id = "CVE-2023-28771";
  vuln.cvss = 9.8;
  vuln.severity = "CRITICAL";
  vuln.published = Timestamp::FromCivil(2023, 4, 25);
  Configuration config;
  config.op = NodeOperator::kAnd;
  ConfigNode firmware;
  firmware.criteria.push_back(C("cpe:2.3:o:zyxel:atp100_firmware:*:*:*:*:*:*:*:*", true,
                                VersionRange{"4.60", true, "5.36", false, VersionScheme::kGeneric}));
  ConfigNode hardware;
  hardware.criteria.push_back(C("cpe:2.3:h:zyxel:atp100:-:*:*:*:*:*:*:*", false));
  config.nodes = {firmware, hardware};
  vuln.nvd.push_back(config);
  return vuln;
}

std::set<std::string> Members(const std::vector<Finding>& findings, FindingStatus status) {
  std::set<std::string> out;
  for (const Finding& finding : findings) {
    if (finding.status == status) out.insert(finding.member);
  }
  return out;
}

TEST(Exposure, FirmwareAndHardwareMustBeOnTheSameDevice) {
  const ExposureEngine engine({
      A("SAME", "fw", "cpe:2.3:h:zyxel:atp100:-:*:*:*:*:*:*:*"),
      A("SAME", "fw", "cpe:2.3:o:zyxel:atp100_firmware:*:*:*:*:*:*:*:*", "5.35"),
      A("SPLIT", "fw", "cpe:2.3:h:zyxel:atp100:-:*:*:*:*:*:*:*"),
      A("SPLIT", "fw", "cpe:2.3:o:zyxel:atp100_firmware:*:*:*:*:*:*:*:*", "5.37"),
      A("SPLIT", "tftp", "cpe:2.3:o:zyxel:atp100_firmware:*:*:*:*:*:*:*:*", "5.30"),
      A("NOHW", "box", "cpe:2.3:o:zyxel:atp100_firmware:*:*:*:*:*:*:*:*", "5.30"),
      A("PATCHED", "fw", "cpe:2.3:h:zyxel:atp100:-:*:*:*:*:*:*:*"),
      A("PATCHED", "fw", "cpe:2.3:o:zyxel:atp100_firmware:*:*:*:*:*:*:*:*", "5.36 Patch 1"),
  });
  const auto findings = engine.Match(FirmwareOnHardware(), nullptr, {});
  EXPECT_EQ(Members(findings, FindingStatus::kOpen), std::set<std::string>{"SAME"});
  EXPECT_TRUE(Members(findings, FindingStatus::kNeedsReview).empty());
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].criterion, "cpe:2.3:o:zyxel:atp100_firmware:*:*:*:*:*:*:*:*");
  EXPECT_NE(findings[0].context.find("cpe:2.3:h:zyxel:atp100:-"), std::string::npos);
  EXPECT_NE(findings[0].matched.find("version 5.35"), std::string::npos);
  EXPECT_EQ(findings[0].due, Timestamp::FromCivil(2023, 5, 10));  // CRITICAL: 15 days after publication
}

TEST(Exposure, OrAndNegate) {
  Vulnerability vuln;
  vuln.id = "CVE-2024-2";
  Configuration config;
  config.op = NodeOperator::kAnd;
  ConfigNode apps;  // OR of two products
  apps.criteria.push_back(C("cpe:2.3:a:acme:alpha:*:*:*:*:*:*:*:*"));
  apps.criteria.push_back(C("cpe:2.3:a:acme:beta:2.0:*:*:*:*:*:*:*"));
  ConfigNode not_hardened;  // negated: not on the hardened OS
  not_hardened.negate = true;
  not_hardened.criteria.push_back(C("cpe:2.3:o:acme:hardened_os:*:*:*:*:*:*:*:*", false));
  config.nodes = {apps, not_hardened};
  vuln.nvd.push_back(config);
  const ExposureEngine engine({
      A("M1", "d", "cpe:2.3:a:acme:alpha:1.0:*:*:*:*:*:*:*"),
      A("M2", "d", "cpe:2.3:a:acme:beta:2.0:*:*:*:*:*:*:*"),
      A("M3", "d", "cpe:2.3:a:acme:beta:2.1:*:*:*:*:*:*:*"),
      A("M4", "d", "cpe:2.3:a:acme:alpha:1.0:*:*:*:*:*:*:*"),
      A("M4", "d", "cpe:2.3:o:acme:hardened_os:3:*:*:*:*:*:*:*"),
  });
  const auto findings = engine.Match(vuln, nullptr, {});
  EXPECT_EQ(Members(findings, FindingStatus::kOpen), (std::set<std::string>{"M1", "M2"}));
}

// Dependency-Track #3268: "-" or "*" must not match every version.
TEST(Exposure, NaAndUnknownVersionsAreNotMatches) {
  Vulnerability vuln;
  vuln.id = "CVE-2024-3";
  ConfigNode node;
  node.criteria.push_back(C("cpe:2.3:a:acme:tool:-:*:*:*:*:*:*:*"));
  node.criteria.push_back(C("cpe:2.3:a:acme:lib:*:*:*:*:*:*:*:*", true, VersionRange{"", true, "2.0", false, {}}));
  vuln.nvd.push_back(Configuration{NodeOperator::kOr, false, {node}});
  const ExposureEngine engine({
      A("TOOL_VERSIONED", "d", "cpe:2.3:a:acme:tool:3.1:*:*:*:*:*:*:*"),
      A("TOOL_NA", "d", "cpe:2.3:a:acme:tool:-:*:*:*:*:*:*:*"),
      A("TOOL_UNKNOWN", "d", "cpe:2.3:a:acme:tool:*:*:*:*:*:*:*:*"),
      A("LIB_OLD", "d", "cpe:2.3:a:acme:lib:1.9:*:*:*:*:*:*:*"),
      A("LIB_NEW", "d", "cpe:2.3:a:acme:lib:2.0:*:*:*:*:*:*:*"),
      A("LIB_UNKNOWN", "d", "cpe:2.3:a:acme:lib:*:*:*:*:*:*:*:*"),
      A("LIB_DASH", "d", "cpe:2.3:a:acme:lib:-:*:*:*:*:*:*:*"),
  });
  const auto findings = engine.Match(vuln, nullptr, {});
  EXPECT_EQ(Members(findings, FindingStatus::kOpen), (std::set<std::string>{"TOOL_NA", "LIB_OLD"}));
  EXPECT_EQ(Members(findings, FindingStatus::kNeedsReview),
            (std::set<std::string>{"TOOL_UNKNOWN", "LIB_UNKNOWN", "LIB_DASH"}));
  MatchOptions definite_only;
  definite_only.include_review = false;
  EXPECT_EQ(engine.Match(vuln, nullptr, definite_only).size(), 2u);
}

// Dependency-Track #3178: an asset with an ANY vendor is a blind spot, not a match for everything.
TEST(Exposure, AnyVendorAssetMatchesNothing) {
  Vulnerability vuln;
  vuln.id = "CVE-2024-4";
  ConfigNode node;
  node.criteria.push_back(C("cpe:2.3:a:openssl:openssl:*:*:*:*:*:*:*:*"));
  vuln.nvd.push_back(Configuration{NodeOperator::kOr, false, {node}});
  ExposureEngine engine(
      {A("M", "d", "cpe:2.3:a:*:openssl:1.0:*:*:*:*:*:*:*"), A("M", "e", "cpe:2.3:a:*:*:*:*:*:*:*:*:*:*")});
  EXPECT_TRUE(engine.Match(vuln, nullptr, {}).empty());
  EXPECT_EQ(engine.BlindSpots().size(), 2u);
  ExposureEngine nested({A("M", "d", "cpe:2.3:a:*:openssl:1.0:*:*:*:*:*:*:*")}, ExposureEngine::Mode::kNestedLoop);
  EXPECT_TRUE(nested.Match(vuln, nullptr, {}).empty());
}

TEST(Exposure, UpdateAttributeDistinguishesPatches) {
  Vulnerability vuln;
  vuln.id = "CVE-2023-28771";
  ConfigNode node;
  node.criteria.push_back(C("cpe:2.3:o:zyxel:zywall_usg_310_firmware:4.73:-:*:*:*:*:*:*"));
  vuln.nvd.push_back(Configuration{NodeOperator::kOr, false, {node}});
  const ExposureEngine engine({
      A("PLAIN", "d", "cpe:2.3:o:zyxel:zywall_usg_310_firmware:*:*:*:*:*:*:*:*", "4.73"),
      A("PATCH1", "d", "cpe:2.3:o:zyxel:zywall_usg_310_firmware:*:*:*:*:*:*:*:*", "4.73 Patch 1"),
      A("UNSAID", "d", "cpe:2.3:o:zyxel:zywall_usg_310_firmware:4.73:*:*:*:*:*:*:*"),
  });
  const auto findings = engine.Match(vuln, nullptr, {});
  EXPECT_EQ(Members(findings, FindingStatus::kOpen), std::set<std::string>{"PLAIN"});
  EXPECT_EQ(Members(findings, FindingStatus::kNeedsReview), std::set<std::string>{"UNSAID"});
}

TEST(Exposure, PurlRangesUseThePackageScheme) {
  Vulnerability vuln;
  vuln.id = "CVE-2024-5";
  Criterion criterion;
  criterion.kind = Criterion::Kind::kPurl;
  criterion.purl = *ParsePurl("pkg:deb/debian/openssl?distro=bookworm");
  criterion.range = VersionRange{"", true, "3.0.11-1~deb12u2", false, VersionScheme::kDebian};
  criterion.text = "pkg:deb/debian/openssl (< 3.0.11-1~deb12u2)";
  vuln.csaf.push_back(Configuration{NodeOperator::kOr, false, {ConfigNode{NodeOperator::kOr, false, {criterion}}}});
  vuln.csaf_advisories = {"DSA-1"};
  const ExposureEngine engine({
      A("OLD", "s", "", "", "pkg:deb/debian/openssl@3.0.11-1~deb12u1?distro=bookworm"),
      A("FIXED", "s", "", "", "pkg:deb/debian/openssl@3.0.11-1~deb12u2?distro=bookworm"),
      A("OTHERDISTRO", "s", "", "", "pkg:deb/debian/openssl@3.0.0-1?distro=bullseye"),
  });
  const auto findings = engine.Match(vuln, nullptr, {});
  EXPECT_EQ(Members(findings, FindingStatus::kOpen), std::set<std::string>{"OLD"});
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].source, "csaf:DSA-1");
}

TEST(Exposure, Cve5OnlyRecordMatchesAsNeedsReview) {
  auto feed = ParseCve5Json(R"({"cveMetadata":{"cveId":"CVE-2024-6"},"containers":{"cna":{"affected":[
      {"vendor":"Zyxel","product":"ATP series firmware","versions":[{"version":"4.60 through 5.35","status":"affected"}]},
      {"vendor":"Acme","product":"Tool","versions":[{"version":"1.0","lessThan":"1.5","status":"affected"}]}]}}})",
                            "c.json");
  ASSERT_TRUE(feed.ok()) << feed.error().message();
  const ExposureEngine engine({
      A("ATP_IN", "d", "cpe:2.3:o:zyxel:atp200_firmware:*:*:*:*:*:*:*:*", "5.20"),
      A("ATP_OUT", "d", "cpe:2.3:o:zyxel:atp200_firmware:*:*:*:*:*:*:*:*", "5.36"),
      A("ATP_HW", "d", "cpe:2.3:h:zyxel:atp200:-:*:*:*:*:*:*:*"),
      A("TOOL", "d", "cpe:2.3:a:acme:tool:1.2:*:*:*:*:*:*:*"),
  });
  const auto findings = engine.Match(feed->vulnerabilities[0], nullptr, {});
  EXPECT_EQ(Members(findings, FindingStatus::kOpen), std::set<std::string>{"TOOL"});
  EXPECT_EQ(Members(findings, FindingStatus::kNeedsReview), std::set<std::string>{"ATP_IN"});
}

TEST(Exposure, PriorityAndDueDates) {
  VulnDatabase db;
  auto kev = ParseKevJson(
      R"({"vulnerabilities":[{"cveID":"CVE-2023-28771","dateAdded":"2023-05-31","dueDate":"2023-06-21"}]})",
      "kev.json");
  ASSERT_TRUE(kev.ok());
  (void)db.Apply(*kev, {});
  Vulnerability low = FirmwareOnHardware();
  low.id = "CVE-2099-1";
  low.cvss = 3.1;
  low.severity = "LOW";
  db.Put(FirmwareOnHardware());
  db.Put(low);
  const ExposureEngine engine({A("A", "fw", "cpe:2.3:h:zyxel:atp100:-:*:*:*:*:*:*:*"),
                               A("A", "fw", "cpe:2.3:o:zyxel:atp100_firmware:*:*:*:*:*:*:*:*", "5.10"),
                               A("B", "fw", "cpe:2.3:h:zyxel:atp100:-:*:*:*:*:*:*:*"),
                               A("B", "fw", "cpe:2.3:o:zyxel:atp100_firmware:*:*:*:*:*:*:*:*", "5.10")});
  const std::unordered_map<std::string, double> centrality = {{"B", 0.9}, {"A", 0.1}};
  MatchOptions options;
  options.centrality = &centrality;
  const auto findings = engine.MatchAll(db, options);
  ASSERT_EQ(findings.size(), 4u);
  EXPECT_EQ(findings[0].cve, "CVE-2023-28771");
  EXPECT_EQ(findings[0].member, "B");  // same KEV/EPSS/CVSS: the more central member first
  EXPECT_TRUE(findings[0].kev);
  EXPECT_EQ(findings[0].due, Timestamp::FromCivil(2023, 6, 21));
  EXPECT_EQ(findings[0].due_basis, "KEV dueDate 2023-06-21");
  EXPECT_EQ(findings[3].cve, "CVE-2099-1");
  EXPECT_EQ(findings[3].due, Timestamp::FromCivil(2023, 10, 22));  // LOW: 180 days
}

TEST(Exposure, DecisionsSurviveReingest) {
  const std::string nvd =
      R"({"vulnerabilities":[{"cve":{"id":"CVE-2024-7","lastModified":"LM","configurations":[{"nodes":[
      {"operator":"OR","cpeMatch":[{"vulnerable":true,"criteria":"cpe:2.3:a:acme:tool:*:*:*:*:*:*:*:*","versionEndExcluding":"2.0"}]}]}]}}]})";
  auto first = ParseNvdJson(std::string(nvd).replace(nvd.find("LM"), 2, "2024-01-01T00:00:00"), "a.json");
  auto second = ParseNvdJson(std::string(nvd).replace(nvd.find("LM"), 2, "2024-02-01T00:00:00"), "b.json");
  ASSERT_TRUE(first.ok() && second.ok());
  VulnDatabase db;
  (void)db.Apply(*first, {});
  auto assets = ParseAssetsCsv(
      "member,device,asset_id,cpe,version\nM,srv,tool-1,cpe:2.3:a:acme:tool:*:*:*:*:*:*:*:*,1.5\n"
      "N,srv,tool-1,cpe:2.3:a:acme:tool:*:*:*:*:*:*:*:*,1.5\n",
      "a.csv");
  ASSERT_TRUE(assets.ok());
  DecisionMap decisions;
  decisions[FindingKey("M", "tool-1", "CVE-2024-7")] = {FindingStatus::kNotApplicable, "feature disabled", "anna",
                                                        Timestamp(1)};
  MatchOptions options;
  options.decisions = &decisions;
  {
    const ExposureEngine engine(*assets);
    const auto findings = engine.MatchAll(db, options);
    ASSERT_EQ(findings.size(), 2u);
  }
  const ApplyReport report = db.Apply(*second, {});
  EXPECT_EQ(report.updated, 1u);
  const ExposureEngine engine(
      *ParseAssetsCsv("member,device,asset_id,cpe,version\nM,srv,tool-1,cpe:2.3:a:acme:tool:*:*:*:*:*:*:*:*,1.6\n"
                      "N,srv,tool-1,cpe:2.3:a:acme:tool:*:*:*:*:*:*:*:*,1.5\n",
                      "b.csv"));
  const auto findings = engine.MatchIds(db, report.changed_ids, options);
  ASSERT_EQ(findings.size(), 2u);
  for (const Finding& finding : findings) {
    if (finding.member == "M") {
      EXPECT_EQ(finding.status, FindingStatus::kNotApplicable);
      EXPECT_EQ(finding.decision_reason, "feature disabled");
    } else {
      EXPECT_EQ(finding.status, FindingStatus::kOpen);
    }
  }
}

TEST(Exposure, IndexAndNestedLoopAgree) {
  std::vector<Asset> assets;
  for (int member = 0; member < 20; ++member) {
    for (int model : {100, 200}) {
      const std::string device = "fw" + std::to_string(model);
      assets.push_back(
          A("M" + std::to_string(member), device, "cpe:2.3:h:zyxel:atp" + std::to_string(model) + ":-:*:*:*:*:*:*:*"));
      assets.push_back(A("M" + std::to_string(member), device,
                         "cpe:2.3:o:zyxel:atp" + std::to_string(model) + "_firmware:*:*:*:*:*:*:*:*",
                         "5." + std::to_string(20 + member)));
    }
  }
  const ExposureEngine indexed(assets);
  const ExposureEngine nested(assets, ExposureEngine::Mode::kNestedLoop);
  const auto a = indexed.Match(FirmwareOnHardware(), nullptr, {});
  const auto b = nested.Match(FirmwareOnHardware(), nullptr, {});
  ASSERT_EQ(a.size(), b.size());
  EXPECT_EQ(a.size(), 16u);  // 5.20 .. 5.35
  for (std::size_t idx = 0; idx < a.size(); ++idx)
    EXPECT_EQ(FindingKey(a[idx].member, a[idx].asset_id, a[idx].cve),
              FindingKey(b[idx].member, b[idx].asset_id, b[idx].cve));
}

TEST(Stix, VulnerabilityObject) {
  Vulnerability vuln = FirmwareOnHardware();
  vuln.description = "Improper error message handling";
  vuln.references = {"https://www.zyxel.com/advisory"};
  const auto object = ToStixVulnerability(vuln, nullptr, Timestamp::FromCivil(2023, 6, 1));
  EXPECT_EQ(object["type"], "vulnerability");
  EXPECT_EQ(object["spec_version"], "2.1");
  EXPECT_EQ(object["id"], StixVulnerabilityId("CVE-2023-28771"));
  EXPECT_TRUE(object["id"].get<std::string>().starts_with("vulnerability--"));
  EXPECT_EQ(object["name"], "CVE-2023-28771");
  EXPECT_EQ(object["external_references"][0]["source_name"], "cve");
  EXPECT_EQ(object["external_references"][0]["external_id"], "CVE-2023-28771");
  EXPECT_EQ(object["created"], "2023-06-01T00:00:00.000Z");
}

}  // namespace
}  // namespace dv::vuln
