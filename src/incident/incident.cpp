// SPDX-License-Identifier: Apache-2.0
#include "incident/incident.h"

#include <algorithm>
#include <array>

#include "core/organisation.h"
#include "core/uuid.h"
#include "incident/json_fields.h"

namespace dv::incident {

namespace detail {

namespace {
std::string Name(const std::string& prefix, const std::string& field) { return prefix + field; }
}  // namespace

Result<std::optional<std::string>> Text(const Json& object, const std::string& field, const std::string& prefix,
                                        std::size_t min, std::size_t max, bool required) {
  const auto it = object.find(field);
  if (it == object.end() || it->is_null()) {
    if (required) return FieldError(Name(prefix, field), "is required");
    return std::optional<std::string>();
  }
  if (!it->is_string()) return FieldError(Name(prefix, field), "must be text");
  std::string value = it->get<std::string>();
  const auto first = value.find_first_not_of(" \t\r\n");
  value = first == std::string::npos ? "" : value.substr(first, value.find_last_not_of(" \t\r\n") - first + 1);
  if (value.size() < min || value.size() > max) {
    if (value.empty() && required) return FieldError(Name(prefix, field), "is required");
    return FieldError(Name(prefix, field),
                      "must be " + std::to_string(min) + "-" + std::to_string(max) + " characters");
  }
  return std::optional<std::string>(std::move(value));
}

Result<std::optional<bool>> Bool(const Json& object, const std::string& field, const std::string& prefix,
                                 bool required) {
  const auto it = object.find(field);
  if (it == object.end() || it->is_null()) {
    if (required) return FieldError(Name(prefix, field), "is required (true or false)");
    return std::optional<bool>();
  }
  if (!it->is_boolean()) return FieldError(Name(prefix, field), "must be true or false");
  return std::optional<bool>(it->get<bool>());
}

Result<std::optional<Timestamp>> Time(const Json& object, const std::string& field, const std::string& prefix,
                                      bool required) {
  const auto it = object.find(field);
  if (it == object.end() || it->is_null() || (it->is_string() && it->get<std::string>().empty())) {
    if (required) return FieldError(Name(prefix, field), "is required (an RFC 3339 time)");
    return std::optional<Timestamp>();
  }
  if (!it->is_string()) return FieldError(Name(prefix, field), "must be an RFC 3339 time");
  auto parsed = Timestamp::Parse(it->get<std::string>());
  if (!parsed.ok()) {
    return FieldError(Name(prefix, field), "must be an RFC 3339 time such as 2026-03-28T23:59:00+01:00, not '" +
                                               it->get<std::string>() + "'");
  }
  return std::optional<Timestamp>(*parsed);
}

Result<std::optional<std::int64_t>> Integer(const Json& object, const std::string& field, const std::string& prefix,
                                            std::int64_t min, std::int64_t max, bool required) {
  const auto it = object.find(field);
  if (it == object.end() || it->is_null()) {
    if (required) return FieldError(Name(prefix, field), "is required (a whole number)");
    return std::optional<std::int64_t>();
  }
  if (!it->is_number_integer()) return FieldError(Name(prefix, field), "must be a whole number");
  const auto value = it->get<std::int64_t>();
  if (value < min || value > max) {
    return FieldError(Name(prefix, field), "must be between " + std::to_string(min) + " and " + std::to_string(max));
  }
  return std::optional<std::int64_t>(value);
}

Result<std::vector<std::string>> TextList(const Json& object, const std::string& field, const std::string& prefix,
                                          std::size_t max_items, std::size_t max_length) {
  std::vector<std::string> out;
  const auto it = object.find(field);
  if (it == object.end() || it->is_null()) return out;
  if (!it->is_array()) return FieldError(Name(prefix, field), "must be a list of texts");
  if (it->size() > max_items) {
    return FieldError(Name(prefix, field), "may hold at most " + std::to_string(max_items) + " entries");
  }
  for (std::size_t idx = 0; idx < it->size(); ++idx) {
    const auto& item = (*it)[idx];
    const std::string name = Name(prefix, field) + "[" + std::to_string(idx) + "]";
    if (!item.is_string() || item.get<std::string>().empty() || item.get<std::string>().size() > max_length) {
      return FieldError(name, "must be a text of 1-" + std::to_string(max_length) + " characters");
    }
    out.push_back(item.get<std::string>());
  }
  return out;
}

Status OnlyKnown(const Json& object, const std::vector<std::string>& known, const std::string& prefix,
                 bool (*ignore)(std::string_view)) {
  for (const auto& [key, value] : object.items()) {
    if (std::find(known.begin(), known.end(), key) != known.end()) continue;
    if (ignore != nullptr && ignore(key)) continue;
    std::string list;
    for (const auto& name : known) list += (list.empty() ? "" : ", ") + name;
    return FieldError(prefix + key, "is not a known field (known: " + list + ")");
  }
  return Ok();
}

}  // namespace detail

using detail::FieldError;
using detail::Json;

namespace {

constexpr std::int64_t kFutureSlackMs = 5 * 60 * 1000;
constexpr std::size_t kMaxLinks = 500;

Status CheckIds(const std::vector<std::string>& ids, const std::string& field, std::string_view type) {
  for (std::size_t idx = 0; idx < ids.size(); ++idx) {
    if (!IsStixId(ids[idx], type)) {
      return FieldError(field + "[" + std::to_string(idx) + "]",
                        "must be a STIX id '" + std::string(type) + "--<uuid>', not '" + ids[idx] + "'");
    }
  }
  return Ok();
}

}  // namespace

std::string_view IncidentStatusName(IncidentStatus status) {
  switch (status) {
    case IncidentStatus::kOpen:
      return "open";
    case IncidentStatus::kHandled:
      return "handled";
    case IncidentStatus::kClosed:
      return "closed";
  }
  return "open";
}

std::optional<IncidentStatus> ParseIncidentStatus(std::string_view name) {
  for (auto status : {IncidentStatus::kOpen, IncidentStatus::kHandled, IncidentStatus::kClosed}) {
    if (IncidentStatusName(status) == name) return status;
  }
  return std::nullopt;
}

bool IsStixId(std::string_view text, std::string_view type) {
  if (text.size() != type.size() + 2 + 36 || text.substr(0, type.size()) != type ||
      text.substr(type.size(), 2) != "--") {
    return false;
  }
  return Uuid::Parse(text.substr(type.size() + 2)).ok();
}

bool IsServerField(std::string_view key) {
  static constexpr std::array<std::string_view, 12> kServerFields = {"id",       "org",     "organisation", "version",
                                                                     "versions", "clock",   "reports",      "shares",
                                                                     "created",  "updated", "updated_by",   "region"};
  return std::find(kServerFields.begin(), kServerFields.end(), key) != kServerFields.end();
}

Result<Incident> IncidentFromJson(const Json& json, Timestamp now) {
  if (!json.is_object()) return Error::InvalidArgument("incident: must be a JSON object");
  DV_TRY(detail::OnlyKnown(
      json,
      {"title", "description", "became_aware_at", "started_at", "handled_at", "affected_services", "citizens_affected",
       "suspected_malicious", "cross_member_impact", "cross_border_impact", "status", "indicators", "sightings",
       "vulnerabilities", "new_indicators", "suspected_via", "share_tlp"},
      "", &IsServerField));
  Incident incident;
  auto title = detail::Text(json, "title", "", 1, 200, true);
  if (!title.ok()) return title.error();
  incident.title = **title;
  auto description = detail::Text(json, "description", "", 1, 10000, true);
  if (!description.ok()) return description.error();
  incident.description = **description;
  auto aware = detail::Time(json, "became_aware_at", "", true);
  if (!aware.ok()) return aware.error();
  incident.became_aware_at = **aware;
  auto started = detail::Time(json, "started_at", "", false);
  if (!started.ok()) return started.error();
  incident.started_at = *started;
  auto handled = detail::Time(json, "handled_at", "", false);
  if (!handled.ok()) return handled.error();
  incident.handled_at = *handled;
  auto services = detail::TextList(json, "affected_services", "", 50, 200);
  if (!services.ok()) return services.error();
  incident.affected_services = std::move(services).value();

  if (const auto it = json.find("citizens_affected"); it != json.end() && !it->is_null()) {
    if (!it->is_object()) {
      return FieldError("citizens_affected", "must be an object {\"count\": whole number, \"estimate\": true|false}");
    }
    DV_TRY(detail::OnlyKnown(*it, {"count", "estimate"}, "citizens_affected."));
    auto count = detail::Integer(*it, "count", "citizens_affected.", 0, 10'000'000, true);
    if (!count.ok()) return count.error();
    auto estimate = detail::Bool(*it, "estimate", "citizens_affected.", false);
    if (!estimate.ok()) return estimate.error();
    incident.citizens_affected = CitizensAffected{**count, estimate->value_or(false)};
  }
  for (const auto& [field, target] :
       std::initializer_list<std::pair<const char*, bool*>>{{"suspected_malicious", &incident.suspected_malicious},
                                                            {"cross_member_impact", &incident.cross_member_impact},
                                                            {"cross_border_impact", &incident.cross_border_impact}}) {
    auto value = detail::Bool(json, field, "", false);
    if (!value.ok()) return value.error();
    *target = value->value_or(false);
  }
  if (const auto it = json.find("status"); it != json.end() && !it->is_null()) {
    const auto status = it->is_string() ? ParseIncidentStatus(it->get<std::string>()) : std::nullopt;
    if (!status) return FieldError("status", "must be open, handled or closed");
    incident.status = *status;
  }
  auto indicators = detail::TextList(json, "indicators", "", kMaxLinks, 100);
  if (!indicators.ok()) return indicators.error();
  incident.indicators = std::move(indicators).value();
  DV_TRY(CheckIds(incident.indicators, "indicators", "indicator"));
  auto sightings = detail::TextList(json, "sightings", "", kMaxLinks, 100);
  if (!sightings.ok()) return sightings.error();
  incident.sightings = std::move(sightings).value();
  DV_TRY(CheckIds(incident.sightings, "sightings", "sighting"));
  auto vulnerabilities = detail::TextList(json, "vulnerabilities", "", kMaxLinks, 100);
  if (!vulnerabilities.ok()) return vulnerabilities.error();
  incident.vulnerabilities = std::move(vulnerabilities).value();
  DV_TRY(CheckIds(incident.vulnerabilities, "vulnerabilities", "vulnerability"));

  if (const auto it = json.find("new_indicators"); it != json.end() && !it->is_null()) {
    if (!it->is_array()) return FieldError("new_indicators", "must be a list of {\"name\", \"pattern\"}");
    if (it->size() > 200) return FieldError("new_indicators", "may hold at most 200 entries");
    for (std::size_t idx = 0; idx < it->size(); ++idx) {
      const std::string prefix = "new_indicators[" + std::to_string(idx) + "].";
      const auto& item = (*it)[idx];
      if (!item.is_object()) return FieldError("new_indicators[" + std::to_string(idx) + "]", "must be an object");
      DV_TRY(detail::OnlyKnown(item, {"name", "pattern"}, prefix));
      auto name = detail::Text(item, "name", prefix, 1, 200, true);
      if (!name.ok()) return name.error();
      auto pattern = detail::Text(item, "pattern", prefix, 3, 4000, true);
      if (!pattern.ok()) return pattern.error();
      incident.new_indicators.push_back({**name, **pattern});
    }
  }
  auto via = detail::TextList(json, "suspected_via", "", 20, 16);
  if (!via.ok()) return via.error();
  incident.suspected_via = std::move(via).value();
  for (std::size_t idx = 0; idx < incident.suspected_via.size(); ++idx) {
    if (!IsValidOrgCode(incident.suspected_via[idx])) {
      return FieldError("suspected_via[" + std::to_string(idx) + "]",
                        "must be an organisation code such as KMD, not '" + incident.suspected_via[idx] + "'");
    }
  }
  if (const auto it = json.find("share_tlp"); it != json.end() && !it->is_null()) {
    const auto tlp = it->is_string() ? ParseTlp(it->get<std::string>()) : std::nullopt;
    if (!tlp) return FieldError("share_tlp", "must be a TLP: clear, green, amber, amber+strict or red");
    incident.share_tlp = *tlp;
  }

  const Timestamp latest(now.unix_ms() + kFutureSlackMs);
  if (incident.became_aware_at > latest) return FieldError("became_aware_at", "lies in the future");
  if (incident.started_at && *incident.started_at > incident.became_aware_at) {
    return FieldError("started_at", "must not be after became_aware_at");
  }
  if (incident.handled_at) {
    if (*incident.handled_at > latest) return FieldError("handled_at", "lies in the future");
    if (*incident.handled_at < incident.Start()) return FieldError("handled_at", "must not be before the start");
  }
  if (incident.status != IncidentStatus::kOpen && !incident.handled_at) {
    return FieldError("handled_at", "is required when status is " + std::string(IncidentStatusName(incident.status)));
  }
  if (incident.status == IncidentStatus::kOpen && incident.handled_at) {
    return FieldError("status", "must be handled or closed when handled_at is given");
  }
  return incident;
}

Json IncidentToJson(const Incident& incident) {
  Json new_indicators = Json::array();
  for (const auto& indicator : incident.new_indicators) {
    new_indicators.push_back({{"name", indicator.name}, {"pattern", indicator.pattern}});
  }
  Json json = {
      {"title", incident.title},
      {"description", incident.description},
      {"became_aware_at", incident.became_aware_at.ToRfc3339()},
      {"started_at", incident.started_at ? Json(incident.started_at->ToRfc3339()) : Json()},
      {"handled_at", incident.handled_at ? Json(incident.handled_at->ToRfc3339()) : Json()},
      {"affected_services", incident.affected_services},
      {"citizens_affected", incident.citizens_affected ? Json{{"count", incident.citizens_affected->count},
                                                              {"estimate", incident.citizens_affected->estimate}}
                                                       : Json()},
      {"suspected_malicious", incident.suspected_malicious},
      {"cross_member_impact", incident.cross_member_impact},
      {"cross_border_impact", incident.cross_border_impact},
      {"status", IncidentStatusName(incident.status)},
      {"indicators", incident.indicators},
      {"sightings", incident.sightings},
      {"vulnerabilities", incident.vulnerabilities},
      {"new_indicators", std::move(new_indicators)},
      {"suspected_via", incident.suspected_via},
      {"share_tlp", TlpName(incident.share_tlp)}};
  return json;
}

}  // namespace dv::incident
