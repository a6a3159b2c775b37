// SPDX-License-Identifier: Apache-2.0
#pragma once

// Routes: which escalation policy an event starts (docs/duty.md, "Routes").
// A route matches an event kind and a severity, each exact or "*" (any);
// the first route that matches wins. Pure; thread-safe.

#include <cstddef>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "duty/policy.h"

namespace dv::duty {

inline constexpr std::size_t kMaxRoutes = 200;

enum class EventKind {
  kSighting,
  kKevExposure,
  kOutsideReport,
  kPostureRegression,
  kNis2Deadline,
  kKevOverdue,
  kExercise,
};
// "sighting", "kev_exposure", "outside_report", "posture_regression",
// "nis2_deadline", "kev_overdue", "exercise" (an exercise inject: marked
// ØVELSE everywhere it shows).
std::string_view EventKindName(EventKind kind);
std::optional<EventKind> ParseEventKind(std::string_view name);

enum class Severity { kLow, kMedium, kHigh, kCritical };
// "low", "medium", "high", "critical".
std::string_view SeverityName(Severity severity);
std::optional<Severity> ParseSeverity(std::string_view name);

struct Route {
  std::optional<EventKind> event;    // nullopt: any ("*")
  std::optional<Severity> severity;  // nullopt: any ("*")
  std::string policy;                // policy id

  bool Matches(EventKind kind, Severity level) const {
    return (!event || *event == kind) && (!severity || *severity == level);
  }
  friend bool operator==(const Route&, const Route&) = default;
};

struct Routes {
  std::vector<Route> routes;
  friend bool operator==(const Routes&, const Routes&) = default;
};

// {"routes": [{"event": "sighting"|"*", "severity": "high"|"*", "policy":
// "<id>"}, …]}; "event" and "severity" default to "*". Errors name the
// field ("routes[2].severity: …"). A route that can never match, because an
// earlier route matches everything it would, is refused ("routes[3]: never
// matches: routes[1] takes all its events"). With a directory, every policy
// must exist in it; without one, policy ids are checked for form only.
Result<Routes> RoutesFromJson(const nlohmann::json& json, const Directory* directory);
nlohmann::json RoutesToJson(const Routes& routes);

// The policy of the first matching route; nullopt when none matches.
std::optional<std::string> RouteEvent(const Routes& routes, EventKind kind, Severity severity);

}  // namespace dv::duty
