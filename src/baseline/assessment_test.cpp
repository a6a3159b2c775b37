// SPDX-License-Identifier: Apache-2.0
#include "baseline/assessment.h"

#include <gtest/gtest.h>

#include "baseline/test_util.h"

namespace dv::baseline {
namespace {

using testing::Tiny;

constexpr std::string_view kGood = R"({
  "format": "dannevirke-baseline-assessment/1",
  "member": "0101",
  "catalogue_version": "t1",
  "assessed_at": "2025-03-01",
  "assessor": "ciso@kk.dk",
  "requirements": [
    {"id": "DV-AAA-01", "status": "met", "maturity": 4, "owner": "IT-chef",
     "evidence": [{"kind": "declared", "source": "Logpolitik v2", "collected": "2025-01-10",
                   "valid_until": "2026-01-10", "note": "godkendt"},
                  {"kind": "measured", "source": "sensor:log_channels", "collected": "2025-02-27T08:00:00Z",
                   "valid_until": "2025-03-06T08:00:00Z", "result": "pass"}]},
    {"id": "DV-AAA-02", "status": "partly", "maturity": 3, "due": "2025-09-30"},
    {"id": "DV-BBB-02", "status": "not_applicable", "note": "ingen klienter"}
  ]
})";

std::string ReplaceText(std::string_view text, const std::string& from, const std::string& to) {
  std::string out(text);
  const auto pos = out.find(from);
  EXPECT_NE(pos, std::string::npos) << from;
  if (pos != std::string::npos) out.replace(pos, from.size(), to);
  return out;
}

std::string ErrorOf(const std::string& text) {
  auto parsed = ParseAssessmentJson(text, Tiny());
  EXPECT_FALSE(parsed.ok());
  return parsed.ok() ? "" : parsed.error().message();
}

TEST(AssessmentTest, ParsesTheDocumentedFormat) {
  auto parsed = ParseAssessmentJson(kGood, Tiny());
  ASSERT_TRUE(parsed.ok()) << parsed.error().message();
  const Assessment& assessment = *parsed;
  EXPECT_EQ(assessment.member, "0101");
  EXPECT_EQ(assessment.assessed_at, Timestamp::FromCivil(2025, 3, 1));
  ASSERT_EQ(assessment.items.size(), 3u);
  EXPECT_EQ(assessment.items[0].status, ReqStatus::kMet);
  EXPECT_EQ(assessment.items[0].maturity, 4);
  ASSERT_EQ(assessment.items[0].evidence.size(), 2u);
  EXPECT_EQ(assessment.items[0].evidence[1].kind, EvidenceKind::kMeasured);
  EXPECT_EQ(assessment.items[0].evidence[1].result, EvidenceResult::kPass);
  EXPECT_EQ(assessment.items[1].due, Timestamp::FromCivil(2025, 9, 30));
  EXPECT_EQ(assessment.items[2].status, ReqStatus::kNotApplicable);
}

TEST(AssessmentTest, RoundTrip) {
  auto parsed = ParseAssessmentJson(kGood, Tiny());
  ASSERT_TRUE(parsed.ok());
  auto again = ParseAssessmentJson(AssessmentToJson(*parsed), Tiny());
  ASSERT_TRUE(again.ok()) << again.error().message();
  EXPECT_EQ(*again, *parsed);
}

TEST(AssessmentTest, RefusesMalformedJsonWithLine) {
  const std::string message = ErrorOf(ReplaceText(kGood, "\"member\": \"0101\",", "\"member\": \"0101\""));
  EXPECT_EQ(message.rfind("assessment.json:4: malformed JSON", 0), 0u) << message;
}

TEST(AssessmentTest, RefusesUnknownRequirement) {
  EXPECT_EQ(ErrorOf(ReplaceText(kGood, "\"DV-AAA-02\"", "\"DV-XYZ-99\"")),
            "assessment.json: $.requirements[1] (DV-XYZ-99).id: unknown requirement id 'DV-XYZ-99' in catalogue t1");
}

TEST(AssessmentTest, RefusesOutOfRangeMaturity) {
  EXPECT_EQ(ErrorOf(ReplaceText(kGood, "\"maturity\": 3", "\"maturity\": 7")),
            "assessment.json: $.requirements[1] (DV-AAA-02).maturity: 7 is out of range 1–5");
  EXPECT_EQ(ErrorOf(ReplaceText(kGood, "\"maturity\": 3", "\"maturity\": 0")),
            "assessment.json: $.requirements[1] (DV-AAA-02).maturity: 0 is out of range 1–5");
  EXPECT_EQ(ErrorOf(ReplaceText(kGood, "\"maturity\": 3", "\"maturity\": 2.5")),
            "assessment.json: $.requirements[1] (DV-AAA-02).maturity: expected a whole number 1–5");
}

TEST(AssessmentTest, RefusesBadValues) {
  EXPECT_EQ(ErrorOf(ReplaceText(kGood, "\"partly\"", "\"halfway\"")),
            "assessment.json: $.requirements[1] (DV-AAA-02).status: unknown status 'halfway' (expected met, partly, "
            "not_met, not_applicable or not_assessed)");
  EXPECT_EQ(ErrorOf(ReplaceText(kGood, "\"due\": \"2025-09-30\"", "\"due\": \"2025-02-30\"")),
            "assessment.json: $.requirements[1] (DV-AAA-02).due: '2025-02-30' is not a valid date (YYYY-MM-DD)");
  EXPECT_EQ(ErrorOf(ReplaceText(kGood, "\"valid_until\": \"2026-01-10\"", "\"valid_until\": \"2024-01-10\"")),
            "assessment.json: $.requirements[0] (DV-AAA-01).evidence[0].valid_until: is before collected");
  EXPECT_EQ(ErrorOf(ReplaceText(kGood, "\"kind\": \"declared\"", "\"kind\": \"guessed\"")),
            "assessment.json: $.requirements[0] (DV-AAA-01).evidence[0].kind: unknown evidence kind 'guessed' "
            "(expected declared or measured)");
  EXPECT_EQ(ErrorOf(ReplaceText(kGood, "\"owner\": \"IT-chef\"", "\"ownr\": \"IT-chef\"")),
            "assessment.json: $.requirements[0] (DV-AAA-01): unknown field 'ownr'");
  EXPECT_EQ(ErrorOf(ReplaceText(kGood, "\"member\": \"0101\"", "\"member\": \"x y\"")),
            "assessment.json: $.member: 'x y' is not a valid organisation code");
  EXPECT_EQ(ErrorOf(ReplaceText(kGood, "\"catalogue_version\": \"t1\"", "\"catalogue_version\": \"t0\"")),
            "assessment.json: $.catalogue_version: 't0' does not match the loaded catalogue version 't1'");
  EXPECT_EQ(ErrorOf(ReplaceText(kGood, "\"DV-AAA-02\"", "\"DV-AAA-01\"")),
            "assessment.json: $.requirements[1] (DV-AAA-01).id: requirement listed twice");
  EXPECT_EQ(ErrorOf(ReplaceText(kGood, "dannevirke-baseline-assessment/1", "other/2")),
            "assessment.json: $.format: 'other/2' is not dannevirke-baseline-assessment/1");
  EXPECT_EQ(ErrorOf("[1, 2]"), "assessment.json: $: expected an object");
}

TEST(AssessmentTest, AddEvidenceRefusesUnknownRequirementsAtomically) {
  auto parsed = ParseAssessmentJson(kGood, Tiny());
  ASSERT_TRUE(parsed.ok());
  Assessment assessment = *parsed;
  const Assessment before = assessment;
  Evidence evidence;
  evidence.source = "x";
  auto status = AddEvidence(assessment, Tiny(), {{"DV-BBB-01", evidence}, {"DV-NOPE-01", evidence}});
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().message(), "evidence[1]: unknown requirement 'DV-NOPE-01'");
  EXPECT_EQ(assessment, before);
  ASSERT_TRUE(AddEvidence(assessment, Tiny(), {{"DV-BBB-01", evidence}}).ok());
  ASSERT_NE(assessment.Find("DV-BBB-01"), nullptr);
  EXPECT_EQ(assessment.Find("DV-BBB-01")->status, ReqStatus::kNotAssessed);
  EXPECT_EQ(assessment.Find("DV-BBB-01")->evidence.size(), 1u);
}

}  // namespace
}  // namespace dv::baseline
