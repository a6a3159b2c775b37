// SPDX-License-Identifier: Apache-2.0
#include "sigma/stix_indicator.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "stix/object.h"

namespace dv::sigma {
namespace {

constexpr const char* kRule = R"(title: Suspicious Certutil Download
id: 6c1f3a2e-8d4b-4f0a-9c1e-2b7d5e4f3a10
status: test
description: Certutil used to fetch a file from the internet.
date: 2025/03/07
modified: 2026-01-15
tags:
  - attack.command-and-control
  - attack.t1105
logsource:
  category: process_creation
  product: windows
detection:
  selection:
    Image|endswith: '\certutil.exe'
    CommandLine|contains: 'urlcache'
  condition: selection
level: high
)";

SigmaIndicatorOptions Options() {
  SigmaIndicatorOptions options;
  options.now = Timestamp::FromCivil(2026, 11, 27, 12);
  options.created_by_ref = "identity--5f0c3a55-3d8f-5b0e-9f55-6a8b7c3e2d10";
  return options;
}

TEST(SigmaIndicator, CarriesTheRuleAsAValidStixIndicator) {
  auto json = SigmaRuleToIndicator(kRule, "certutil.yml", Options());
  ASSERT_TRUE(json.ok()) << json.error().ToString();
  const auto indicator = nlohmann::json::parse(*json);
  EXPECT_EQ(indicator["id"], "indicator--6c1f3a2e-8d4b-4f0a-9c1e-2b7d5e4f3a10");
  EXPECT_EQ(indicator["pattern_type"], "sigma");
  EXPECT_EQ(indicator["pattern"], kRule) << "the rule travels exactly as written";
  EXPECT_EQ(indicator["name"], "Suspicious Certutil Download");
  EXPECT_EQ(indicator["created"], "2025-03-07T00:00:00.000Z");
  EXPECT_EQ(indicator["modified"], "2026-01-15T00:00:00.000Z");
  EXPECT_EQ(indicator["x_sigma_level"], "high");
  EXPECT_EQ(indicator["labels"], nlohmann::json({"attack.command-and-control", "attack.t1105"}));
  EXPECT_EQ(indicator["object_marking_refs"][0], std::string(TlpMarkingId(Tlp::kGreen)));
  auto validated = stix::ValidateObject(*json);
  EXPECT_TRUE(validated.ok()) << validated.error().ToString();
}

TEST(SigmaIndicator, RepublishingTheSameRuleGivesTheSameVersion) {
  SigmaIndicatorOptions later = Options();
  later.now = Timestamp::FromCivil(2027, 2, 1);
  EXPECT_EQ(*SigmaRuleToIndicator(kRule, "a.yml", Options()), *SigmaRuleToIndicator(kRule, "a.yml", later));
}

TEST(SigmaIndicator, WithoutAUuidOrDatesTheIdComesFromTheTitleAndTimeFromNow) {
  const std::string rule =
      "title: Local thing\nlogsource:\n  product: windows\ndetection:\n  sel:\n    EventID: 4625\n  condition: sel\n";
  auto json = SigmaRuleToIndicator(rule, "local.yml", Options());
  ASSERT_TRUE(json.ok()) << json.error().ToString();
  const auto indicator = nlohmann::json::parse(*json);
  EXPECT_EQ(indicator["id"].get<std::string>().rfind("indicator--", 0), 0u);
  EXPECT_EQ(indicator["created"], "2026-11-27T12:00:00.000Z");
  EXPECT_EQ(indicator["modified"], indicator["created"]);
  EXPECT_EQ(*SigmaRuleToIndicator(rule, "other-name.yml", Options()), *json) << "stable across file names";
}

TEST(SigmaIndicator, RefusesBrokenAndMultiDocumentFilesNamingTheFile) {
  auto broken = SigmaRuleToIndicator("title: x\ndetection:\n  condition: missing\n", "broken.yml", Options());
  ASSERT_FALSE(broken.ok());
  EXPECT_NE(broken.error().message().find("broken.yml"), std::string::npos) << broken.error().message();
  const std::string two = std::string(kRule) + "---\n" + kRule;
  auto multi = SigmaRuleToIndicator(two, "two.yml", Options());
  ASSERT_FALSE(multi.ok());
  EXPECT_NE(multi.error().message().find("exactly one"), std::string::npos) << multi.error().message();
}

}  // namespace
}  // namespace dv::sigma
