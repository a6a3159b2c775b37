// SPDX-License-Identifier: Apache-2.0
#include "duty/routes.h"

#include <array>
#include <nlohmann/json.hpp>

#include "duty/ids.h"
#include "duty/json_read.h"

namespace dv::duty {

namespace {

using Json = nlohmann::json;
using internal::Index;
using internal::Invalid;
using internal::Join;

constexpr std::array<EventKind, 7> kEventKinds = {
    EventKind::kSighting,     EventKind::kKevExposure, EventKind::kOutsideReport, EventKind::kPostureRegression,
    EventKind::kNis2Deadline, EventKind::kKevOverdue,  EventKind::kExercise};
constexpr std::array<Severity, 4> kSeverities = {Severity::kLow, Severity::kMedium, Severity::kHigh,
                                                 Severity::kCritical};

// An optional field that is "*" (or absent) for any, or a name `parse` reads.
template <typename T, typename Parse>
Result<std::optional<T>> WildcardField(const Json& object, std::string_view name, std::string_view path, Parse parse,
                                       std::string_view expected) {
  auto text = OptionalStringField(object, name, path);
  if (!text.ok()) return text.error();
  if (!text->has_value() || **text == "*") return std::optional<T>();
  const std::optional<T> value = parse(**text);
  if (!value) return Invalid(Join(path, name), "expected " + std::string(expected) + " or *, got " + Quoted(**text));
  return value;
}

// True when every event `later` matches is matched by `earlier`.
bool Covers(const Route& earlier, const Route& later) {
  return (!earlier.event || earlier.event == later.event) && (!earlier.severity || earlier.severity == later.severity);
}

}  // namespace

std::string_view EventKindName(EventKind kind) {
  switch (kind) {
    case EventKind::kSighting:
      return "sighting";
    case EventKind::kKevExposure:
      return "kev_exposure";
    case EventKind::kOutsideReport:
      return "outside_report";
    case EventKind::kPostureRegression:
      return "posture_regression";
    case EventKind::kNis2Deadline:
      return "nis2_deadline";
    case EventKind::kKevOverdue:
      return "kev_overdue";
    case EventKind::kExercise:
      return "exercise";
  }
  return "sighting";
}

std::optional<EventKind> ParseEventKind(std::string_view name) {
  for (const EventKind kind : kEventKinds) {
    if (EventKindName(kind) == name) return kind;
  }
  return std::nullopt;
}

std::string_view SeverityName(Severity severity) {
  switch (severity) {
    case Severity::kLow:
      return "low";
    case Severity::kMedium:
      return "medium";
    case Severity::kHigh:
      return "high";
    case Severity::kCritical:
      return "critical";
  }
  return "low";
}

std::optional<Severity> ParseSeverity(std::string_view name) {
  for (const Severity severity : kSeverities) {
    if (SeverityName(severity) == name) return severity;
  }
  return std::nullopt;
}

Result<Routes> RoutesFromJson(const Json& json, const Directory* directory) {
  DV_TRY(internal::ExpectObject(json, ""));
  DV_TRY(internal::RefuseUnknownFields(json, {"routes"}, ""));
  auto items = internal::BoundedArrayField(json, "routes", "", 0, kMaxRoutes);
  if (!items.ok()) return items.error();
  Routes routes;
  for (std::size_t route_idx = 0; route_idx < (*items)->size(); ++route_idx) {
    const Json& item = (**items)[route_idx];
    const std::string path = Index("routes", route_idx);
    DV_TRY(internal::ExpectObject(item, path));
    DV_TRY(internal::RefuseUnknownFields(item, {"event", "severity", "policy"}, path));
    Route route;
    auto event = WildcardField<EventKind>(item, "event", path, ParseEventKind,
                                          "sighting, kev_exposure, outside_report, posture_regression, "
                                          "nis2_deadline, kev_overdue, exercise");
    if (!event.ok()) return event.error();
    route.event = *event;
    auto severity = WildcardField<Severity>(item, "severity", path, ParseSeverity, "low, medium, high, critical");
    if (!severity.ok()) return severity.error();
    route.severity = *severity;
    auto policy = StringField(item, "policy", path);
    if (!policy.ok()) return policy.error();
    if (!IsValidId(*policy)) {
      return Invalid(Join(path, "policy"), Quoted(*policy) + " is not an id (" + std::string(kIdForm) + ")");
    }
    if (directory != nullptr && directory->FindPolicy(*policy) == nullptr) {
      return Invalid(Join(path, "policy"), "no policy " + Quoted(*policy));
    }
    route.policy = std::move(*policy);
    for (std::size_t earlier_idx = 0; earlier_idx < routes.routes.size(); ++earlier_idx) {
      if (Covers(routes.routes[earlier_idx], route)) {
        return Invalid(path, "never matches: " + Index("routes", earlier_idx) + " takes all its events");
      }
    }
    routes.routes.push_back(std::move(route));
  }
  return routes;
}

Json RoutesToJson(const Routes& routes) {
  Json items = Json::array();
  for (const Route& route : routes.routes) {
    items.push_back({{"event", route.event ? EventKindName(*route.event) : "*"},
                     {"severity", route.severity ? SeverityName(*route.severity) : "*"},
                     {"policy", route.policy}});
  }
  return {{"routes", std::move(items)}};
}

std::optional<std::string> RouteEvent(const Routes& routes, EventKind kind, Severity severity) {
  for (const Route& route : routes.routes) {
    if (route.Matches(kind, severity)) return route.policy;
  }
  return std::nullopt;
}

}  // namespace dv::duty
