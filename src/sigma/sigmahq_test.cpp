// SPDX-License-Identifier: Apache-2.0
// The public SigmaHQ rule repository must load unmodified. Skipped when the
// reference copy (DV_SHARED_DIR/sigma) is absent.

#include <gtest/gtest.h>

#include <filesystem>
#include <iostream>
#include <map>

#include "sigma/rule_set.h"

namespace dv::sigma {
namespace {

const std::string kSigmaDir = std::string(DV_SHARED_DIR) + "/sigma";

TEST(SigmaHq, EveryActiveRuleLoadsAndCompiles) {
  if (!std::filesystem::exists(kSigmaDir + "/rules")) GTEST_SKIP() << kSigmaDir << " is not present";
  std::vector<std::string> trees;
  for (const char* tree :
       {"rules", "rules-emerging-threats", "rules-threat-hunting", "rules-placeholder", "rules-compliance"}) {
    if (std::filesystem::exists(kSigmaDir + "/" + tree)) trees.push_back(kSigmaDir + "/" + tree);
  }
  RuleSetReport report;
  const auto set = RuleSet::Load(trees, {}, report);
  int errors = 0;
  for (const auto& problem : report.problems) {
    if (problem.fatal) {
      ++errors;
      if (errors <= 25) ADD_FAILURE() << problem.ToString();
    }
  }
  std::cout << "SigmaHQ: " << report.detection_rules << " rules compiled, " << errors << " errors, "
            << report.skipped_status << " skipped by status, " << report.unmapped_logsource
            << " without a mapped log source\n";
  EXPECT_EQ(errors, 0);
  EXPECT_GE(report.detection_rules, 3700);
}

// SigmaHQ's network rules for the log sources docs/ingest.md reads (Zeek,
// the dns category, FortiGate) route to a log source of the default mapping.
TEST(SigmaHq, NetworkRulesForZeekDnsAndFortiGateHaveAMappedLogSource) {
  std::vector<std::string> trees;
  for (const char* tree : {"rules/network/zeek", "rules/network/dns", "rules/network/fortinet"}) {
    if (std::filesystem::exists(kSigmaDir + "/" + tree)) trees.push_back(kSigmaDir + "/" + tree);
  }
  if (trees.empty()) GTEST_SKIP() << kSigmaDir << " is not present";
  RuleSetReport report;
  const auto set = RuleSet::Load(trees, {}, report);
  EXPECT_GE(report.detection_rules, 30);
  EXPECT_EQ(report.unmapped_logsource, 0);
  for (const auto& problem : report.problems) EXPECT_FALSE(problem.fatal) << problem.ToString();
}

}  // namespace
}  // namespace dv::sigma
