// SPDX-License-Identifier: Apache-2.0
#include "baseline/report.h"

#include <gtest/gtest.h>

#include "baseline/test_util.h"

namespace dv::baseline {
namespace {

using testing::Tiny;

Assessment Sample() {
  Assessment assessment;
  assessment.member = "0101";
  assessment.catalogue_version = "t1";
  assessment.assessed_at = Timestamp::FromCivil(2025, 3, 1);
  RequirementAssessment item;
  item.requirement_id = "DV-BBB-01";
  item.status = ReqStatus::kNotMet;
  item.owner = "IT-chef <drift>";
  item.due = Timestamp::FromCivil(2025, 9, 30);
  assessment.items.push_back(item);
  item.requirement_id = "DV-AAA-01";
  item.status = ReqStatus::kMet;
  assessment.items.push_back(item);
  return assessment;
}

TEST(ReportTest, RendersAPrintableDanishFirstPage) {
  const Assessment assessment = Sample();
  const Scorecard card = Score(Tiny(), assessment);
  ReportInput input;
  input.catalogue = &Tiny();
  input.assessment = &assessment;
  input.card = &card;
  input.member_name = "København & <Co>";
  Comparison comparison;
  comparison.national_median = 55;
  comparison.region_code = "1084";
  comparison.size_band = "100k_plus";
  comparison.national_discipline_median = {60.0, std::nullopt};
  input.comparison = comparison;
  input.synthetic = true;
  auto html = RenderGapReportHtml(input);
  ASSERT_TRUE(html.ok()) << html.error().message();
  const std::string& page = *html;
  EXPECT_EQ(page.rfind("<!DOCTYPE html>", 0), 0u);
  EXPECT_NE(page.find("<html lang=\"da\">"), std::string::npos);
  EXPECT_NE(page.find("@media print"), std::string::npos);
  EXPECT_NE(page.find("København &amp; &lt;Co&gt;"), std::string::npos);
  EXPECT_EQ(page.find("<Co>"), std::string::npos);
  EXPECT_NE(page.find("IT-chef &lt;drift&gt;"), std::string::npos);
  EXPECT_NE(page.find("Syntetiske demodata"), std::string::npos);
  // Danish heading before its English translation.
  EXPECT_LT(page.find("Mangler efter prioritet"), page.find("Gaps by priority"));
  // The gap with its due date; overall (3·1)/(3+1+2+2) = 37.5 → "38".
  EXPECT_NE(page.find("DV-BBB-01"), std::string::npos);
  EXPECT_NE(page.find("2025-09-30"), std::string::npos);
  EXPECT_NE(page.find("<span class=\"big\">38</span>"), std::string::npos);
  EXPECT_EQ(page.find("<script"), std::string::npos);
}

TEST(ReportTest, RefusesMissingInput) {
  ReportInput input;
  auto html = RenderGapReportHtml(input);
  ASSERT_FALSE(html.ok());
  EXPECT_EQ(html.error().message(), "gap report: catalogue, assessment and scorecard are required");
}

}  // namespace
}  // namespace dv::baseline
