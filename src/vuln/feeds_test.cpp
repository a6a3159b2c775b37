// SPDX-License-Identifier: Apache-2.0
#include "vuln/feeds.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace dv::vuln {
namespace {

const std::string kVulnDir = std::string(DV_SHARED_DIR) + "/data/vuln";

std::string ReadText(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

std::string Kev(int entries, std::string_view version = "2025.08.25") {
  std::string text = R"({"catalogVersion":")" + std::string(version) +
                     R"(","dateReleased":"2025-08-25T17:04:19Z","count":)" + std::to_string(entries) +
                     R"(,"vulnerabilities":[)";
  for (int entry_idx = 0; entry_idx < entries; ++entry_idx) {
    if (entry_idx > 0) text += ",";
    text +=
        R"({"cveID":"CVE-2024-)" + std::to_string(10000 + entry_idx) +
        R"(","vendorProject":"V","product":"P","dateAdded":"2024-01-01","dueDate":"2024-01-22","knownRansomwareCampaignUse":"Known"})";
  }
  return text + "]}";
}

TEST(Nvd, ParsesConfigurations) {
  const std::string text = R"({"vulnerabilities":[{"cve":{"id":"CVE-2023-1","published":"2023-04-25T02:15:08.743",
    "lastModified":"2023-05-01T00:00:00.000","descriptions":[{"lang":"es","value":"x"},{"lang":"en","value":"Bad."}],
    "metrics":{"cvssMetricV31":[{"source":"a","type":"Secondary","cvssData":{"baseScore":7.5,"baseSeverity":"HIGH","vectorString":"v"}},
                                {"source":"nvd","type":"Primary","cvssData":{"baseScore":9.8,"baseSeverity":"CRITICAL","vectorString":"w"}}]},
    "configurations":[{"operator":"AND","nodes":[
      {"operator":"OR","negate":false,"cpeMatch":[{"vulnerable":true,"criteria":"cpe:2.3:o:zyxel:atp100_firmware:*:*:*:*:*:*:*:*",
        "versionStartIncluding":"4.60","versionEndExcluding":"5.36","matchCriteriaId":"X"}]},
      {"operator":"OR","negate":false,"cpeMatch":[{"vulnerable":false,"criteria":"cpe:2.3:h:zyxel:atp100:-:*:*:*:*:*:*:*"}]}]}]}}]})";
  auto feed = ParseNvdJson(text, "nvd.json");
  ASSERT_TRUE(feed.ok()) << feed.error().message();
  ASSERT_EQ(feed->vulnerabilities.size(), 1u);
  const Vulnerability& vuln = feed->vulnerabilities[0];
  EXPECT_EQ(vuln.description, "Bad.");
  EXPECT_DOUBLE_EQ(vuln.cvss, 9.8);
  EXPECT_EQ(vuln.severity, "CRITICAL");
  ASSERT_EQ(vuln.nvd.size(), 1u);
  EXPECT_EQ(vuln.nvd[0].op, NodeOperator::kAnd);
  ASSERT_EQ(vuln.nvd[0].nodes.size(), 2u);
  const Criterion& firmware = vuln.nvd[0].nodes[0].criteria[0];
  EXPECT_TRUE(firmware.vulnerable);
  ASSERT_TRUE(firmware.range.has_value());
  EXPECT_EQ(firmware.range->ToString(), ">= 4.60, < 5.36");
  EXPECT_EQ(firmware.text, "cpe:2.3:o:zyxel:atp100_firmware:*:*:*:*:*:*:*:* (>= 4.60, < 5.36)");
  EXPECT_FALSE(vuln.nvd[0].nodes[1].criteria[0].vulnerable);
}

TEST(Nvd, MalformedFilesAreRefusedWithThePlace) {
  struct Case {
    std::string text;
    std::string message;
  };
  for (
      const Case& c : {
          Case{R"({"vulnerabilities":[{"cve":{"id":"CVE-1"}},{"nope":1}]})",
               "nvd.json: vulnerabilities[1]: missing 'cve'"},
          Case{R"({"vulnerabilities":[{"cve":{"id":"CVE-1","configurations":[{"nodes":[{"operator":"OR","cpeMatch":[
                 {"vulnerable":true,"criteria":"cpe:2.3:a:x"}]}]}]}}]})",
               "nvd.json: vulnerabilities[0].cve.configurations[0].nodes[0].cpeMatch[0].criteria: CPE formatted string "
               "has 2"},
          Case{
              R"({"vulnerabilities":[{"cve":{"id":"CVE-1","configurations":[{"nodes":[{"operator":"XOR","cpeMatch":[]}]}]}}]})",
              "nodes[0].operator: must be 'AND' or 'OR'"},
          Case{R"({"vulnerabilities":[{"cve":{"id":42}}]})", "vulnerabilities[0].cve.id: expected a string"},
          Case{R"({"vulnerabilities":[{"cve":{"id":"CVE-1",)", "nvd.json: not valid JSON"},
          Case{R"({"vulnerabilities":[{"cve":{"id":"CVE-1","configurations":[{"nodes":[{"cpeMatch":[
                 {"criteria":"cpe:2.3:a:x:y:*:*:*:*:*:*:*:*"}]}]}]}}]})",
               "cpeMatch[0]: missing boolean 'vulnerable'"},
      }) {
    auto feed = ParseNvdJson(c.text, "nvd.json");
    ASSERT_FALSE(feed.ok()) << c.text;
    EXPECT_NE(feed.error().message().find(c.message), std::string::npos) << feed.error().message();
  }
}

TEST(Nvd, ReadsTheSharedSamples) {
  const std::string path = kVulnDir + "/nvd-api-samples/cves-2023.json";
  if (!std::filesystem::exists(path)) GTEST_SKIP() << "shared data absent";
  auto feed = ParseNvdJson(ReadText(path), path);
  ASSERT_TRUE(feed.ok()) << feed.error().message();
  EXPECT_EQ(feed->vulnerabilities.size(), 200u);
  EXPECT_EQ(feed->info.source_date, "2023-07-18T06:46:32.267");
  auto old = ParseNvdJson(ReadText(kVulnDir + "/nvd-api-samples/cves-1999.json"), "cves-1999.json");
  ASSERT_TRUE(old.ok()) << old.error().message();
  EXPECT_EQ(old->vulnerabilities.size(), 200u);
}

TEST(Nvd, IncrementalApplySkipsUnchangedRecords) {
  const std::string text =
      R"({"vulnerabilities":[{"cve":{"id":"CVE-2023-1","lastModified":"2023-05-01T00:00:00.000"}}]})";
  const std::string newer =
      R"({"vulnerabilities":[{"cve":{"id":"CVE-2023-1","lastModified":"2023-06-01T00:00:00.000"}}]})";
  VulnDatabase db;
  EXPECT_EQ(db.Apply(*ParseNvdJson(text, "a"), {}).added, 1u);
  EXPECT_EQ(db.Apply(*ParseNvdJson(text, "a"), {}).unchanged, 1u);
  const ApplyReport report = db.Apply(*ParseNvdJson(newer, "b"), {Timestamp(5), false});
  EXPECT_EQ(report.updated, 1u);
  EXPECT_EQ(report.changed_ids, std::vector<std::string>{"CVE-2023-1"});
  EXPECT_EQ(db.sources().at("nvd").origin, "b");
  EXPECT_EQ(db.sources().at("nvd").applied_at, Timestamp(5));
}

TEST(Cve5, AffectedVersionsAndRanges) {
  const std::string text =
      R"({"dataType":"CVE_RECORD","cveMetadata":{"cveId":"CVE-2024-9","state":"PUBLISHED","dateUpdated":"2024-02-01T00:00:00Z"},
    "containers":{"cna":{"descriptions":[{"lang":"en","value":"d"}],
      "metrics":[{"cvssV3_1":{"baseScore":8.1,"baseSeverity":"HIGH","vectorString":"v"}}],
      "affected":[
        {"vendor":"Acme","product":"Widget Server","versions":[
          {"version":"2.0","lessThan":"2.4.1","status":"affected","versionType":"semver"},
          {"version":"3.0","status":"affected"},
          {"version":"1.0","status":"unaffected"},
          {"version":"everything before the big rewrite","status":"affected"}]},
        {"vendor":"Acme","product":"Gadget","cpes":["cpe:2.3:a:acme:gadget:*:*:*:*:*:*:*:*"],"defaultStatus":"affected"}]}}})";
  auto feed = ParseCve5Json(text, "cve5.json");
  ASSERT_TRUE(feed.ok()) << feed.error().message();
  const Vulnerability& vuln = feed->vulnerabilities[0];
  EXPECT_DOUBLE_EQ(vuln.cvss, 8.1);
  ASSERT_EQ(vuln.cna.size(), 1u);
  const auto& criteria = vuln.cna[0].nodes[0].criteria;
  ASSERT_EQ(criteria.size(), 4u);
  EXPECT_EQ(criteria[0].kind, Criterion::Kind::kName);
  EXPECT_EQ(criteria[0].vendor, "acme");
  EXPECT_EQ(criteria[0].product, "widget_server");
  EXPECT_EQ(criteria[0].range->ToString(), ">= 2.0, < 2.4.1");
  EXPECT_EQ(criteria[0].range->scheme, VersionScheme::kSemver);
  EXPECT_EQ(criteria[1].range->ToString(), "= 3.0");
  EXPECT_NE(criteria[2].review.find("could not be parsed"), std::string::npos);  // never silently dropped
  EXPECT_EQ(criteria[3].kind, Criterion::Kind::kCpe);
  EXPECT_TRUE(criteria[3].all_versions);
}

TEST(Cve5, MalformedRecord) {
  auto feed =
      ParseCve5Json(R"({"cveMetadata":{"cveId":"CVE-1"},"containers":{"cna":{"affected":[{"vendor":"a","product":"b",
      "versions":[{"version":"1","status":"maybe"}]}]}}})",
                    "r.json");
  ASSERT_FALSE(feed.ok());
  EXPECT_NE(feed.error().message().find("r.json.containers.cna.affected[0].versions[0].status"), std::string::npos)
      << feed.error().message();
}

TEST(Kev, ParsesAndRefusesShrinkingCatalog) {
  auto full = ParseKevJson(Kev(100), "kev.json");
  ASSERT_TRUE(full.ok()) << full.error().message();
  EXPECT_EQ(full->info.version, "2025.08.25");
  EXPECT_TRUE(full->entries[0].ransomware);
  VulnDatabase db;
  EXPECT_EQ(db.Apply(*full, {}).added, 100u);
  auto shrunk = ParseKevJson(Kev(20, "2025.08.26"), "kev-small.json");
  ASSERT_TRUE(shrunk.ok());
  const ApplyReport refused = db.Apply(*shrunk, {});
  EXPECT_FALSE(refused.applied);
  EXPECT_NE(refused.reason.find("has 20 entries"), std::string::npos) << refused.reason;
  EXPECT_EQ(db.kev_size(), 100u);  // nothing lost
  auto older = ParseKevJson(Kev(100, "2025.01.01"), "kev-old.json");
  EXPECT_FALSE(db.Apply(*older, {}).applied);
  const ApplyReport confirmed = db.Apply(*shrunk, {Timestamp(1), true});
  EXPECT_TRUE(confirmed.applied);
  EXPECT_EQ(confirmed.removed, 80u);
  EXPECT_EQ(db.kev_size(), 20u);
}

TEST(Kev, MalformedEntry) {
  auto kev = ParseKevJson(
      R"({"vulnerabilities":[{"cveID":"CVE-1","dueDate":"2024-01-01"},{"cveID":"CVE-2","dueDate":"soon"}]})",
      "kev.json");
  ASSERT_FALSE(kev.ok());
  EXPECT_EQ(kev.error().message(), "kev.json: vulnerabilities[1].dueDate: 'soon' is not a date (YYYY-MM-DD)");
}

TEST(Kev, ReadsTheSharedCatalog) {
  const std::string path = kVulnDir + "/kev/known_exploited_vulnerabilities.json";
  if (!std::filesystem::exists(path)) GTEST_SKIP() << "shared data absent";
  auto kev = ParseKevJson(ReadText(path), path);
  ASSERT_TRUE(kev.ok()) << kev.error().message();
  EXPECT_EQ(kev->entries.size(), 1404u);
  EXPECT_EQ(kev->info.version, "2025.08.25");
}

TEST(Epss, ParsesDailyFileAndTimeSeries) {
  auto daily = ParseEpssCsv(
      "#model_version:v2023.03.01,score_date:2023-06-10T00:00:00+0000\ncve,epss,percentile\n"
      "CVE-2023-28771,0.91122,0.98372\nCVE-2023-1,0.00045,0.12\n",
      "epss.csv");
  ASSERT_TRUE(daily.ok()) << daily.error().message();
  EXPECT_EQ(daily->scores.size(), 2u);
  EXPECT_EQ(daily->info.version, "v2023.03.01");
  EXPECT_EQ(daily->info.source_date, "2023-06-10T00:00:00+0000");
  const std::string series = "date,model,epss,percentile\n2023-05-05,v3,0.00100,0.40\n2023-06-10,v3,0.91122,0.98\n";
  auto latest = ParseEpssCsv(series, "epss-CVE-2023-28771-changepoints.csv");
  ASSERT_TRUE(latest.ok()) << latest.error().message();
  EXPECT_EQ(latest->scores[0].cve, "CVE-2023-28771");
  EXPECT_DOUBLE_EQ(latest->scores[0].epss, 0.91122);
  auto as_of = ParseEpssCsv(series, "epss-CVE-2023-28771.csv", Timestamp::FromCivil(2023, 5, 11));
  ASSERT_TRUE(as_of.ok());
  EXPECT_DOUBLE_EQ(as_of->scores[0].epss, 0.001);
}

TEST(Epss, MalformedLine) {
  auto epss = ParseEpssCsv("cve,epss,percentile\nCVE-1,0.1,0.2\nCVE-2,1.7,0.2\n", "epss.csv");
  ASSERT_FALSE(epss.ok());
  EXPECT_EQ(epss.error().message(), "epss.csv:3: epss '1.7' is not a number between 0 and 1");
  EXPECT_FALSE(ParseEpssCsv("cve,score\n", "e.csv").ok());
}

TEST(Epss, ShrinkingFeedNeedsConfirmation) {
  std::string big = "cve,epss,percentile\n";
  for (int row = 0; row < 50; ++row) big += "CVE-2020-" + std::to_string(row) + ",0.1,0.5\n";
  VulnDatabase db;
  EXPECT_TRUE(db.Apply(*ParseEpssCsv(big, "a.csv"), {}).applied);
  EXPECT_FALSE(db.Apply(*ParseEpssCsv("cve,epss,percentile\nCVE-1,0.1,0.1\n", "b.csv"), {}).applied);
  EXPECT_NE(db.FindEpss("CVE-2020-7"), nullptr);
}

TEST(Csaf, ProductTreeBranchesAndRelationships) {
  const std::string text = R"({"document":{"csaf_version":"2.0","category":"csaf_security_advisory","title":"t",
    "publisher":{"name":"Acme PSIRT","category":"vendor","namespace":"https://acme.example"},
    "tracking":{"id":"ACME-2024-1","current_release_date":"2024-03-01T00:00:00Z","version":"2","status":"final",
                "initial_release_date":"2024-02-01T00:00:00Z","revision_history":[]}},
   "product_tree":{"branches":[{"category":"vendor","name":"Acme","branches":[
       {"category":"product_name","name":"Widget","branches":[
          {"category":"product_version","name":"2.1","product":{"product_id":"W21","name":"Acme Widget 2.1",
             "product_identification_helper":{"cpe":"cpe:2.3:a:acme:widget:2.1:*:*:*:*:*:*:*"}}},
          {"category":"product_version_range","name":"vers:generic/>=3.0|<3.2","product":{"product_id":"W3","name":"Acme Widget 3.x"}}]},
       {"category":"product_name","name":"Linux","branches":[{"category":"product_version","name":"9","product":{"product_id":"L9","name":"Acme Linux 9",
          "product_identification_helper":{"cpe":"cpe:/o:acme:linux:9"}}}]}]}],
     "full_product_names":[{"product_id":"PKG","name":"libfoo","product_identification_helper":{"purl":"pkg:rpm/acme/libfoo@1.2-3"}}],
     "relationships":[{"category":"default_component_of","product_reference":"PKG","relates_to_product_reference":"L9",
        "full_product_name":{"product_id":"L9:PKG","name":"libfoo on Acme Linux 9"}}]},
   "vulnerabilities":[{"cve":"CVE-2024-5","product_status":{"known_affected":["W21","W3"],"fixed":["L9:PKG"]},
      "scores":[{"products":["W21"],"cvss_v3":{"version":"3.1","baseScore":7.2,"baseSeverity":"HIGH","vectorString":"v"}}]}]})";
  auto advisory = ParseCsafJson(text, "acme.json");
  ASSERT_TRUE(advisory.ok()) << advisory.error().message();
  EXPECT_EQ(advisory->tracking_id, "ACME-2024-1");
  EXPECT_EQ(advisory->products, 5u);
  ASSERT_EQ(advisory->vulnerabilities.size(), 1u);
  const Vulnerability& vuln = advisory->vulnerabilities[0];
  EXPECT_DOUBLE_EQ(vuln.cvss, 7.2);
  ASSERT_EQ(vuln.csaf.size(), 3u);
  EXPECT_EQ(vuln.csaf[0].nodes[0].criteria[0].text, "cpe:2.3:a:acme:widget:2.1:*:*:*:*:*:*:* (= 2.1)");
  EXPECT_EQ(vuln.csaf[1].nodes[0].criteria[0].kind, Criterion::Kind::kName);
  EXPECT_EQ(vuln.csaf[1].nodes[0].criteria[0].range->ToString(), ">= 3.0, < 3.2");
  const Configuration& fixed = vuln.csaf[2];
  EXPECT_EQ(fixed.op, NodeOperator::kAnd);
  ASSERT_EQ(fixed.nodes.size(), 2u);
  EXPECT_EQ(fixed.nodes[0].criteria[0].kind, Criterion::Kind::kPurl);
  EXPECT_EQ(fixed.nodes[0].criteria[0].range->ToString(), "< 1.2-3");
  EXPECT_EQ(fixed.nodes[0].criteria[0].range->scheme, VersionScheme::kRpm);
  EXPECT_FALSE(fixed.nodes[1].criteria[0].vulnerable);
}

TEST(Csaf, UnknownProductIdIsRefused) {
  auto advisory = ParseCsafJson(R"({"document":{"csaf_version":"2.0","tracking":{"id":"X-1"}},"product_tree":{},
      "vulnerabilities":[{"cve":"CVE-1","product_status":{"known_affected":["NOPE"]}}]})",
                                "x.json");
  ASSERT_FALSE(advisory.ok());
  EXPECT_EQ(advisory.error().message(),
            "x.json: vulnerabilities[0].product_status.known_affected[0]: product 'NOPE' is not in the product tree");
}

TEST(Csaf, ReadsTheSharedExamples) {
  const std::string dir = kVulnDir + "/csaf-examples/examples/csaf";
  if (!std::filesystem::exists(dir)) GTEST_SKIP() << "shared data absent";
  int files = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
    if (entry.path().extension() != ".json") continue;
    auto feed = LoadFeedFile(entry.path().string());
    ASSERT_TRUE(feed.ok()) << feed.error().message();
    EXPECT_TRUE(std::holds_alternative<CsafAdvisory>(*feed)) << entry.path();
    ++files;
  }
  EXPECT_GE(files, 10);
}

TEST(LoadFeedFile, DetectsFormatsAndNamesThePath) {
  auto missing = LoadFeedFile("/nonexistent/feed.json");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().kind(), ErrorKind::kIo);
  EXPECT_NE(missing.error().message().find("/nonexistent/feed.json"), std::string::npos);
}

}  // namespace
}  // namespace dv::vuln
