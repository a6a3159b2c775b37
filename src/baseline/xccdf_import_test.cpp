// SPDX-License-Identifier: Apache-2.0
#include "baseline/xccdf_import.h"

#include <gtest/gtest.h>

#include "baseline/scoring.h"
#include "baseline/test_util.h"

namespace dv::baseline {
namespace {

using testing::Builtin;

// Writes an XCCDF 1.2 results document in the shape `oscap xccdf eval
// --results` produces: the Benchmark with a TestResult appended.
std::string ResultsFile(const std::vector<std::pair<std::string, std::string>>& rule_results, bool prefixed) {
  const std::string p = prefixed ? "xccdf:" : "";
  const std::string ns = prefixed ? "xmlns:xccdf" : "xmlns";
  std::string xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  xml += "<" + p + "Benchmark " + ns +
         "=\"http://checklists.nist.gov/xccdf/1.2\" id=\"xccdf_org.ssgproject.content_benchmark_DEBIAN12\" "
         "resolved=\"1\">\n";
  xml += "  <" + p + "status>draft</" + p + "status>\n";
  xml += "  <" + p + "Rule id=\"xccdf_org.ssgproject.content_rule_service_firewalld_enabled\" selected=\"true\"><" + p +
         "title>not a result</" + p + "title></" + p + "Rule>\n";
  xml += "  <" + p +
         "TestResult id=\"xccdf_org.open-scap_testresult_standard\" start-time=\"2025-02-27T09:58:00\" "
         "end-time=\"2025-02-27T10:00:00\">\n";
  xml += "    <" + p + "benchmark href=\"ssg-debian12-ds.xml\"/>\n";
  xml += "    <" + p + "target>fileserver-01.kommune.dk</" + p + "target>\n";
  xml += "    <" + p + "target-address>10.0.0.5</" + p + "target-address>\n";
  for (const auto& [rule, result] : rule_results) {
    xml += "    <" + p + "rule-result idref=\"" + rule +
           "\" role=\"full\" time=\"2025-02-27T09:59:00\" severity=\"medium\" weight=\"1.0\">\n";
    xml += "      <" + p + "result>" + result + "</" + p + "result>\n";
    xml += "      <" + p + "ident system=\"https://ncp.nist.gov/cce\">CCE-0000-0</" + p + "ident>\n";
    xml += "    </" + p + "rule-result>\n";
  }
  xml += "    <" + p + "score system=\"urn:xccdf:scoring:default\" maximum=\"100.000000\">61.5</" + p + "score>\n";
  xml += "  </" + p + "TestResult>\n</" + p + "Benchmark>\n";
  return xml;
}

const std::string kRule = "xccdf_org.ssgproject.content_rule_";

std::vector<std::pair<std::string, std::string>> Rules() {
  return {{kRule + "service_firewalld_enabled", "pass"}, {kRule + "nftables_ensure_default_deny_policy", "fail"},
          {kRule + "package_aide_installed", "pass"},    {kRule + "aide_periodic_cron_checking", "pass"},
          {kRule + "encrypt_partitions", "fail"},        {kRule + "chronyd_specify_remote_server", "notapplicable"},
          {kRule + "banner_etc_issue", "pass"},          {kRule + "accounts_password_minlen_login_defs", "error"}};
}

const RequirementEvidence* Find(const XccdfImport& import, std::string_view id) {
  for (const auto& item : import.evidence) {
    if (item.requirement_id == id) return &item;
  }
  return nullptr;
}

TEST(XccdfImportTest, MapsRuleResultsToRequirements) {
  for (bool prefixed : {false, true}) {
    auto import = ImportXccdfResults(ResultsFile(Rules(), prefixed), Builtin());
    ASSERT_TRUE(import.ok()) << import.error().message();
    EXPECT_EQ(import->test_result_id, "xccdf_org.open-scap_testresult_standard");
    EXPECT_EQ(import->target, "fileserver-01.kommune.dk");
    EXPECT_EQ(import->collected, Timestamp::FromCivil(2025, 2, 27, 10, 0, 0));
    EXPECT_EQ(import->rule_results, 8);
    EXPECT_EQ(import->ignored, 1);   // notapplicable
    EXPECT_EQ(import->unmapped, 1);  // banner_etc_issue
    EXPECT_EQ(import->mapped, 6);

    const RequirementEvidence* firewall = Find(*import, "DV-DEV-03");
    ASSERT_NE(firewall, nullptr);
    EXPECT_EQ(firewall->evidence.kind, EvidenceKind::kMeasured);
    EXPECT_EQ(firewall->evidence.result, EvidenceResult::kPartial);
    EXPECT_EQ(firewall->evidence.source, "xccdf:xccdf_org.open-scap_testresult_standard@fileserver-01.kommune.dk");
    EXPECT_EQ(firewall->evidence.note,
              "1 of 2 rules passed; failed: xccdf_org.ssgproject.content_rule_nftables_ensure_default_deny_policy");
    EXPECT_EQ(*firewall->evidence.valid_until, Timestamp::FromCivil(2025, 3, 29, 10, 0, 0));

    ASSERT_NE(Find(*import, "DV-CFG-01"), nullptr);
    EXPECT_EQ(Find(*import, "DV-CFG-01")->evidence.result, EvidenceResult::kPass);
    ASSERT_NE(Find(*import, "DV-CRY-01"), nullptr);
    EXPECT_EQ(Find(*import, "DV-CRY-01")->evidence.result, EvidenceResult::kFail);
    ASSERT_NE(Find(*import, "DV-IAM-05"), nullptr);  // error counts as fail
    EXPECT_EQ(Find(*import, "DV-IAM-05")->evidence.result, EvidenceResult::kFail);
    EXPECT_EQ(Find(*import, "DV-LOG-02"), nullptr);  // only a notapplicable result
  }
}

TEST(XccdfImportTest, EvidenceChangesTheScore) {
  auto import = ImportXccdfResults(ResultsFile(Rules(), false), Builtin());
  ASSERT_TRUE(import.ok());
  Assessment assessment;
  assessment.member = "0101";
  assessment.catalogue_version = Builtin().version;
  assessment.assessed_at = Timestamp::FromCivil(2025, 3, 1);
  RequirementAssessment declared;
  declared.requirement_id = "DV-DEV-03";
  declared.status = ReqStatus::kMet;
  assessment.items.push_back(declared);
  ASSERT_TRUE(AddEvidence(assessment, Builtin(), import->evidence).ok());
  const Scorecard card = Score(Builtin(), assessment);
  const auto idx = *Builtin().RequirementIndex("DV-DEV-03");
  EXPECT_EQ(card.requirements[idx].effective.status, ReqStatus::kPartly);
  EXPECT_EQ(card.requirements[idx].effective.basis, StatusBasis::kMeasured);
  // DV-CFG-01 was not declared: the passing scan stands in for it.
  EXPECT_EQ(card.requirements[*Builtin().RequirementIndex("DV-CFG-01")].effective.status, ReqStatus::kMet);
  // Two months later the scan has expired: declared met is downgraded.
  const Scorecard later = Score(Builtin(), assessment, Timestamp::FromCivil(2025, 5, 1));
  EXPECT_EQ(later.requirements[idx].effective.basis, StatusBasis::kMeasuredExpired);
  EXPECT_EQ(later.requirements[idx].effective.status, ReqStatus::kPartly);
}

TEST(XccdfImportTest, RefusesBadInput) {
  auto malformed = ImportXccdfResults("<Benchmark>\n<TestResult id=\"x\">\n</Benchmark>", Builtin(), {}, "r.xml");
  ASSERT_FALSE(malformed.ok());
  EXPECT_EQ(malformed.error().kind(), ErrorKind::kParse);
  EXPECT_EQ(malformed.error().message(), "r.xml:3: malformed XML: mismatched tag");

  auto empty = ImportXccdfResults("<Benchmark/>", Builtin(), {}, "r.xml");
  ASSERT_FALSE(empty.ok());
  EXPECT_EQ(empty.error().message(), "r.xml: no XCCDF TestResult element (run oscap xccdf eval with --results)");

  auto bad_time = ImportXccdfResults("<TestResult id=\"t\" end-time=\"yesterday\"/>", Builtin(), {}, "r.xml");
  ASSERT_FALSE(bad_time.ok());
  EXPECT_NE(bad_time.error().message().find("r.xml: TestResult t: end-time:"), std::string::npos);

  EXPECT_FALSE(ImportXccdfResults("", Builtin()).ok());
  EXPECT_FALSE(ImportXccdfResults(std::string("\0\1\2", 3), Builtin()).ok());
}

TEST(XccdfImportTest, StandaloneTestResultWithZone) {
  const std::string xml =
      "<TestResult xmlns=\"http://checklists.nist.gov/xccdf/1.2\" id=\"t\" end-time=\"2025-02-27T10:00:00+01:00\">"
      "<rule-result idref=\"" +
      kRule + "service_firewalld_enabled\"><result>pass</result></rule-result></TestResult>";
  auto import = ImportXccdfResults(xml, Builtin());
  ASSERT_TRUE(import.ok()) << import.error().message();
  EXPECT_EQ(import->collected, Timestamp::FromCivil(2025, 2, 27, 9, 0, 0));
  ASSERT_EQ(import->evidence.size(), 1u);
  EXPECT_EQ(import->evidence[0].evidence.result, EvidenceResult::kPass);
}

}  // namespace
}  // namespace dv::baseline
