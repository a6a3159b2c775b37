// SPDX-License-Identifier: Apache-2.0
#include "duty/routes.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "duty/test_support.h"

namespace dv::duty {
namespace {

using testing::FakeDirectory;
using Json = nlohmann::json;

FakeDirectory WithPolicies() {
  FakeDirectory directory;
  for (const char* id : {"p-critical", "p-soc", "p-nis2", "p-default"}) directory.policies.emplace(id, Policy{});
  return directory;
}

TEST(Routes, TheFirstMatchWinsWithWildcards) {
  const FakeDirectory directory = WithPolicies();
  auto routes = RoutesFromJson(Json::parse(R"({"routes": [
      {"event": "*", "severity": "critical", "policy": "p-critical"},
      {"event": "nis2_deadline", "policy": "p-nis2"},
      {"event": "sighting", "severity": "high", "policy": "p-soc"},
      {"event": "kev_exposure", "severity": "high", "policy": "p-soc"}]})"),
                               &directory);
  ASSERT_TRUE(routes.ok()) << routes.error().message();
  EXPECT_EQ(RouteEvent(*routes, EventKind::kSighting, Severity::kCritical), "p-critical");
  EXPECT_EQ(RouteEvent(*routes, EventKind::kNis2Deadline, Severity::kCritical), "p-critical");
  EXPECT_EQ(RouteEvent(*routes, EventKind::kNis2Deadline, Severity::kLow), "p-nis2");
  EXPECT_EQ(RouteEvent(*routes, EventKind::kSighting, Severity::kHigh), "p-soc");
  EXPECT_EQ(RouteEvent(*routes, EventKind::kKevExposure, Severity::kHigh), "p-soc");
  EXPECT_EQ(RouteEvent(*routes, EventKind::kSighting, Severity::kMedium), std::nullopt);
  EXPECT_EQ(RouteEvent(*routes, EventKind::kKevOverdue, Severity::kHigh), std::nullopt);
  EXPECT_EQ(*RoutesFromJson(RoutesToJson(*routes), &directory), *routes);
}

TEST(Routes, EveryEventKindAndSeverityHasAName) {
  for (const char* name :
       {"sighting", "kev_exposure", "outside_report", "posture_regression", "nis2_deadline", "kev_overdue"}) {
    ASSERT_TRUE(ParseEventKind(name).has_value()) << name;
    EXPECT_EQ(EventKindName(*ParseEventKind(name)), name);
  }
  for (const char* name : {"low", "medium", "high", "critical"}) {
    ASSERT_TRUE(ParseSeverity(name).has_value()) << name;
    EXPECT_EQ(SeverityName(*ParseSeverity(name)), name);
  }
  EXPECT_FALSE(ParseEventKind("Sighting").has_value());
  EXPECT_FALSE(ParseSeverity("severe").has_value());
}

struct RouteCase {
  const char* json;
  const char* message;
};

class RoutesRefusal : public ::testing::TestWithParam<RouteCase> {};

TEST_P(RoutesRefusal, NamesTheField) {
  const FakeDirectory directory = WithPolicies();
  auto routes = RoutesFromJson(Json::parse(GetParam().json), &directory);
  ASSERT_FALSE(routes.ok());
  EXPECT_EQ(routes.error().message(), GetParam().message);
}

INSTANTIATE_TEST_SUITE_P(
    Fields, RoutesRefusal,
    ::testing::Values(
        RouteCase{R"({"routes": [{"event": "sighting", "policy": "p-soc"}, {"event": "phishing", "policy": "p-soc"}]})",
                  "routes[1].event: expected sighting, kev_exposure, outside_report, posture_regression, "
                  "nis2_deadline, kev_overdue, exercise or *, got 'phishing'"},
        RouteCase{R"({"routes": [{"severity": "urgent", "policy": "p-soc"}]})",
                  "routes[0].severity: expected low, medium, high, critical or *, got 'urgent'"},
        RouteCase{R"({"routes": [{"event": "sighting"}]})", "routes[0]: missing 'policy'"},
        RouteCase{R"({"routes": [{"event": "sighting", "policy": "p-gone"}]})", "routes[0].policy: no policy 'p-gone'"},
        RouteCase{R"({"routes": [{"event": "sighting", "policy": "P SOC"}]})",
                  "routes[0].policy: 'P SOC' is not an id ([a-z0-9-]{1,64} or member:<org>/<id>)"},
        RouteCase{R"({"routes": [{"event": "sighting", "policy": "p-soc", "priority": 1}]})",
                  "routes[0].priority: unknown field"},
        RouteCase{R"({"routes": [{"event": "*", "severity": "*", "policy": "p-default"},
                              {"event": "sighting", "severity": "critical", "policy": "p-critical"}]})",
                  "routes[1]: never matches: routes[0] takes all its events"},
        RouteCase{R"({"routes": [{"event": "sighting", "policy": "p-soc"},
                              {"event": "sighting", "severity": "low", "policy": "p-default"}]})",
                  "routes[1]: never matches: routes[0] takes all its events"},
        RouteCase{R"({"routes": {}})", "routes: expected an array"}));

TEST(Routes, WithoutADirectoryOnlyTheFormIsChecked) {
  EXPECT_TRUE(RoutesFromJson(Json::parse(R"({"routes": [{"policy": "p-anything"}]})"), nullptr).ok());
  EXPECT_TRUE(RoutesFromJson(Json::parse(R"({})"), nullptr)->routes.empty());
}

}  // namespace
}  // namespace dv::duty
