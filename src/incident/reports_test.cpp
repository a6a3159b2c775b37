// SPDX-License-Identifier: Apache-2.0
#include "incident/reports.h"

#include <gtest/gtest.h>

namespace dv::incident {
namespace {

using Json = nlohmann::json;

std::string ReportErrorOf(ReportStage stage, const Json& contents) {
  auto checked = ValidateReportContents(stage, contents);
  return checked.ok() ? "" : checked.error().message();
}

TEST(ReportsTest, EachStageAsksForWhatNis2Requires) {
  auto keys = [](ReportStage stage) {
    std::vector<std::string> out;
    for (const auto& item : RequiredContents(stage)) {
      if (item.required) out.push_back(item.key);
    }
    return out;
  };
  EXPECT_EQ(keys(ReportStage::kEarlyWarning),
            (std::vector<std::string>{"summary", "suspected_malicious", "cross_border_impact"}));
  EXPECT_EQ(keys(ReportStage::kNotification),
            (std::vector<std::string>{"summary", "suspected_malicious", "cross_border_impact", "initial_assessment",
                                      "severity", "impact"}));
  EXPECT_EQ(keys(ReportStage::kProgress), (std::vector<std::string>{"current_status", "mitigation"}));
  EXPECT_EQ(keys(ReportStage::kFinal), (std::vector<std::string>{"detailed_description", "severity", "impact",
                                                                 "root_cause", "mitigation", "cross_border_impact"}));
}

TEST(ReportsTest, ValidationNamesTheMissingOrWrongContent) {
  EXPECT_EQ(ReportErrorOf(ReportStage::kEarlyWarning, {{"summary", "x"}, {"cross_border_impact", false}}),
            "field 'contents.suspected_malicious': is required (true or false)");
  EXPECT_EQ(ReportErrorOf(ReportStage::kNotification, {{"summary", "x"},
                                                       {"suspected_malicious", true},
                                                       {"cross_border_impact", false},
                                                       {"initial_assessment", "a"},
                                                       {"severity", "huge"},
                                                       {"impact", "i"}}),
            "field 'contents.severity': must be low, medium, high or critical, not 'huge'");
  EXPECT_NE(ReportErrorOf(ReportStage::kProgress, {{"current_status", "x"}, {"mitigation", "y"}, {"extra", 1}})
                .find("field 'contents.extra': is not a known field"),
            std::string::npos);
  EXPECT_EQ(ReportErrorOf(ReportStage::kProgress, {{"current_status", "   "}, {"mitigation", "y"}}),
            "field 'contents.current_status': is required");
}

TEST(ReportsTest, DocumentCarriesFactsContentsAndBothTimes) {
  Incident incident;
  incident.title = "Phishing <wave>";
  incident.description = "d";
  incident.became_aware_at = *Timestamp::Parse("2026-03-29T00:30:00Z");
  incident.suspected_malicious = true;
  auto contents = ValidateReportContents(
      ReportStage::kEarlyWarning,
      {{"summary", "Mails & links"}, {"suspected_malicious", true}, {"cross_border_impact", false}});
  ASSERT_TRUE(contents.ok());
  ReportMeta meta{"inc-1",
                  "0101",
                  "København",
                  2,
                  *Timestamp::Parse("2026-03-29T09:00:00Z"),
                  "member:0101-soc",
                  *Timestamp::Parse("2026-03-30T00:30:00Z")};
  auto document = ReportDocument(ReportStage::kEarlyWarning, incident, *contents, meta);
  ASSERT_TRUE(document.ok());
  EXPECT_EQ((*document)["facts"]["became_aware_at"]["display"], "29.03.2026 kl. 01:30 (CET)");
  EXPECT_EQ((*document)["due"]["local"], "2026-03-30T02:30:00+02:00");
  EXPECT_EQ((*document)["version"], 2);
  EXPECT_EQ((*document)["contents"][0]["value"], "Mails & links");
  const std::string html = RenderReportHtml(*document);
  EXPECT_NE(html.find("Tidlig varsling / Early warning"), std::string::npos);
  EXPECT_NE(html.find("Phishing &lt;wave&gt;"), std::string::npos);
  EXPECT_NE(html.find("Mails &amp; links"), std::string::npos);
  EXPECT_EQ(html.find("<wave>"), std::string::npos);
}

}  // namespace
}  // namespace dv::incident
