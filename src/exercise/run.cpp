// SPDX-License-Identifier: Apache-2.0
#include "exercise/run.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <map>

#include "core/text.h"
#include "core/uuid.h"
#include "incident/reports.h"

namespace dv::exercise {

namespace {

using Json = nlohmann::json;

// The namespace of the ids of exercise objects: V5 of "<run>/<inject>/<org>".
const Uuid& ExerciseNamespace() {
  static const Uuid ns = Uuid::Parse("5d1e7a0c-2f4b-4c8e-9a61-0e5b3c7d9f21").value();
  return ns;
}

std::string ObjectId(std::string_view type, std::string_view run_id, std::size_t index, std::string_view org) {
  std::string name(run_id);
  name += '/';
  name += std::to_string(index);
  name += '/';
  name += org;
  name += '/';
  name += type;
  return std::string(type) + "--" + Uuid::V5(ExerciseNamespace(), name).ToString();
}

Json Banner() { return {{"da", kBannerDa}, {"en", kBannerEn}}; }

Json Prefixed(const Json& text) {
  return {{"da", std::string(kBannerDa) + ": " + text.value("da", "")},
          {"en", std::string(kBannerEn) + ": " + text.value("en", "")}};
}

// The inject with `label` (an earlier one; the parser checked it exists).
std::optional<std::size_t> LabelIndex(const Scenario& scenario, std::string_view label) {
  for (std::size_t idx = 0; idx < scenario.injects.size(); ++idx) {
    if (scenario.injects[idx].label == label) return idx;
  }
  return std::nullopt;
}

Json Title(const Scenario& scenario, const Inject& inject) {
  const Json& payload = inject.payload;
  switch (inject.kind) {
    case InjectKind::kIndicator:
      return Prefixed({{"da", "Ny indikator: " + payload.value("name", "")},
                       {"en", "New indicator: " + payload.value("name", "")}});
    case InjectKind::kSighting:
      return Prefixed(
          {{"da", "Observation hos " + payload.value("by", "")}, {"en", "Sighting at " + payload.value("by", "")}});
    case InjectKind::kKev:
      return Prefixed({{"da", "Kendt udnyttet sårbarhed: " + payload.value("cve", "")},
                       {"en", "Known exploited vulnerability: " + payload.value("cve", "")}});
    case InjectKind::kExposure:
      return Prefixed({{"da", payload.value("cve", "") + " rammer " + payload.value("product", "")},
                       {"en", payload.value("cve", "") + " affects " + payload.value("product", "")}});
    case InjectKind::kIncident:
    case InjectKind::kGuidance:
    case InjectKind::kMessage:
      return Prefixed(payload.value("title", Json::object()));
  }
  (void)scenario;
  return Prefixed(Json::object());
}

}  // namespace

std::int64_t ScenarioSeconds(const RunClock& clock, Timestamp now) {
  const std::int64_t elapsed_ms = now.unix_ms() - clock.started.unix_ms();
  if (elapsed_ms <= 0) return 0;
  return elapsed_ms * std::max(1, clock.speed) / 1000;
}

Timestamp RealTime(const RunClock& clock, std::int64_t seconds) {
  const int speed = std::max(1, clock.speed);
  // Rounded up, so that ScenarioSeconds(RealTime(s)) >= s.
  return Timestamp(clock.started.unix_ms() + (seconds * 1000 + speed - 1) / speed);
}

std::size_t DueCount(const Scenario& scenario, std::int64_t seconds) {
  const auto end = std::upper_bound(scenario.injects.begin(), scenario.injects.end(), seconds,
                                    [](std::int64_t at, const Inject& inject) { return at < inject.at_seconds; });
  return static_cast<std::size_t>(end - scenario.injects.begin());
}

const std::vector<std::string>& Recipients(const Scenario& scenario, std::size_t index) {
  const Inject& inject = scenario.injects.at(index);
  return inject.to.empty() ? scenario.participants : inject.to;
}

std::string FormatOffset(std::int64_t seconds) {
  std::array<char, 32> out{};
  std::snprintf(out.data(), out.size(), "+%02lld:%02lld:%02lld", static_cast<long long>(seconds / 3600),
                static_cast<long long>(seconds / 60 % 60), static_cast<long long>(seconds % 60));
  return out.data();
}

Json InjectFor(const Scenario& scenario, std::string_view run_id, std::size_t index, std::string_view org,
               Timestamp delivered) {
  const Inject& inject = scenario.injects.at(index);
  const Json& payload = inject.payload;
  const std::string when = delivered.ToRfc3339();
  Json object;
  switch (inject.kind) {
    case InjectKind::kIndicator: {
      const std::int64_t valid_days = payload.value("valid_days", 30);
      object = {{"type", "indicator"},
                {"spec_version", "2.1"},
                {"id", ObjectId("indicator", run_id, index, org)},
                {"created", when},
                {"modified", when},
                {"name", std::string(kBannerDa) + ": " + payload.value("name", "")},
                {"pattern", payload.value("pattern", "")},
                {"pattern_type", "stix"},
                {"valid_from", when},
                {"valid_until", Timestamp(delivered.unix_ms() + valid_days * 86'400'000).ToRfc3339()},
                {"confidence", payload.value("confidence", 80)},
                {"x_dannevirke_tlp", payload.value("tlp", "GREEN")}};
      break;
    }
    case InjectKind::kSighting: {
      const auto of = LabelIndex(scenario, payload.value("of", ""));
      object = {{"type", "sighting"},
                {"spec_version", "2.1"},
                {"id", ObjectId("sighting", run_id, index, org)},
                {"created", when},
                {"modified", when},
                {"first_seen", when},
                {"last_seen", when},
                {"count", payload.value("count", 1)},
                {"sighting_of_ref", of ? ObjectId("indicator", run_id, *of, org) : std::string()},
                {"x_dannevirke_seen_by", payload.value("by", "")}};
      break;
    }
    default:
      object = payload;
      break;
  }
  object[std::string(kExerciseProperty)] = std::string(run_id);
  return {{"exercise", std::string(run_id)},
          {"inject", index},
          {"label", inject.label},
          {"kind", InjectKindName(inject.kind)},
          {"at", FormatOffset(inject.at_seconds)},
          {"delivered", when},
          {"organisation", std::string(org)},
          {"banner", Banner()},
          {"title", Title(scenario, inject)},
          {"object", std::move(object)}};
}

std::string_view OutcomeName(Outcome outcome) {
  switch (outcome) {
    case Outcome::kOnTime:
      return "on_time";
    case Outcome::kLate:
      return "late";
    case Outcome::kMissed:
      return "missed";
    case Outcome::kPending:
      return "pending";
    case Outcome::kNotStarted:
      return "not_started";
  }
  return "not_started";
}

std::vector<Assessment> Assess(const Scenario& scenario, const RunClock& clock, std::size_t delivered,
                               const std::vector<TakenAction>& actions, Timestamp now, std::optional<Timestamp> end) {
  const Timestamp horizon = end ? std::min(*end, now) : now;
  std::vector<Assessment> out;
  for (const auto& expected : scenario.expect) {
    for (const auto& org : expected.who) {
      Assessment item;
      item.org = org;
      item.what = expected.what;
      item.line = expected.line;
      item.within = expected.within_seconds;
      const bool started = expected.after_inject < 0 || static_cast<std::size_t>(expected.after_inject) < delivered;
      if (!started) {
        out.push_back(std::move(item));
        continue;
      }
      const std::int64_t from =
          expected.after_inject < 0 ? 0 : scenario.injects[static_cast<std::size_t>(expected.after_inject)].at_seconds;
      item.clock = RealTime(clock, from);
      item.due = RealTime(clock, from + expected.within_seconds);
      for (const auto& action : actions) {
        if (action.org != org || action.what != expected.what || action.at < *item.clock) continue;
        if (!item.done || action.at < *item.done) item.done = action.at;
      }
      if (item.done) {
        item.taken = (item.done->unix_ms() - item.clock->unix_ms()) * std::max(1, clock.speed) / 1000;
        item.outcome = *item.done <= *item.due ? Outcome::kOnTime : Outcome::kLate;
      } else {
        item.outcome = horizon > *item.due ? Outcome::kMissed : Outcome::kPending;
        if (end && item.outcome == Outcome::kPending) item.outcome = Outcome::kMissed;  // the run is over
      }
      out.push_back(std::move(item));
    }
  }
  return out;
}

Json AssessmentJson(const Assessment& assessment) {
  Json out = {{"organisation", assessment.org},
              {"what", ActionKindName(assessment.what)},
              {"line", assessment.line},
              {"within", FormatOffset(assessment.within)},
              {"outcome", OutcomeName(assessment.outcome)}};
  if (assessment.clock) out["clock_started"] = assessment.clock->ToRfc3339();
  if (assessment.due) out["due"] = assessment.due->ToRfc3339();
  if (assessment.done) out["done"] = assessment.done->ToRfc3339();
  if (assessment.taken) out["taken"] = FormatOffset(*assessment.taken);
  return out;
}

namespace {

std::string_view ActionDa(ActionKind kind) {
  switch (kind) {
    case ActionKind::kAcknowledge:
      return "Kvittere";
    case ActionKind::kDecide:
      return "Træffe beslutning";
    case ActionKind::kEarlyWarning:
      return "Indsende tidlig varsling (NIS2)";
    case ActionKind::kNotification:
      return "Indsende hændelsesunderretning (NIS2)";
    case ActionKind::kFinalReport:
      return "Indsende endelig rapport (NIS2)";
  }
  return "";
}

std::string_view ActionEn(ActionKind kind) {
  switch (kind) {
    case ActionKind::kAcknowledge:
      return "Acknowledge";
    case ActionKind::kDecide:
      return "Decide";
    case ActionKind::kEarlyWarning:
      return "Submit the NIS2 early warning";
    case ActionKind::kNotification:
      return "Submit the NIS2 incident notification";
    case ActionKind::kFinalReport:
      return "Submit the NIS2 final report";
  }
  return "";
}

std::string_view OutcomeDa(Outcome outcome) {
  switch (outcome) {
    case Outcome::kOnTime:
      return "Til tiden";
    case Outcome::kLate:
      return "For sent";
    case Outcome::kMissed:
      return "Ikke gjort";
    case Outcome::kPending:
      return "Afventer";
    case Outcome::kNotStarted:
      return "Ikke begyndt";
  }
  return "";
}

std::string_view OutcomeEn(Outcome outcome) {
  switch (outcome) {
    case Outcome::kOnTime:
      return "On time";
    case Outcome::kLate:
      return "Late";
    case Outcome::kMissed:
      return "Not done";
    case Outcome::kPending:
      return "Pending";
    case Outcome::kNotStarted:
      return "Not started";
  }
  return "";
}

std::string Local(std::optional<Timestamp> at) {
  if (!at) return "–";
  auto local = incident::TimeJson(*at);
  if (!local.ok()) return XmlEscape(at->ToRfc3339());
  return XmlEscape(local->value("display", at->ToRfc3339()));
}

}  // namespace

std::string AfterActionHtml(const Scenario& scenario, const ReportRun& run, const std::vector<Assessment>& assessments,
                            const std::function<std::string(const std::string&)>& name_of) {
  std::map<Outcome, int> totals;
  for (const auto& item : assessments) ++totals[item.outcome];
  std::string html;
  html += "<!DOCTYPE html>\n<html lang=\"da\">\n<head>\n<meta charset=\"utf-8\">\n<title>";
  html += XmlEscape(std::string(kBannerDa) + ": Evaluering – " + scenario.title.da);
  html +=
      "</title>\n<style>"
      "body{font-family:sans-serif;max-width:60em;margin:2em auto;color:#1a1a1a;line-height:1.4}"
      ".banner{background:#7a2e00;color:#fff;font-weight:bold;padding:.4em .8em;letter-spacing:.1em}"
      "table{border-collapse:collapse;width:100%;margin:1em 0}"
      "th,td{border:1px solid #767676;padding:.3em .5em;text-align:left;vertical-align:top}"
      "th{background:#eee}.en{color:#4a4a4a;font-size:.9em}"
      "@media print{.banner{background:none;color:#000;border:3px solid #000}body{margin:0}}"
      "</style>\n</head>\n<body>\n";
  html += "<p class=\"banner\" role=\"note\">" + std::string(kBannerDa) + " / " + std::string(kBannerEn) +
          " – ikke en virkelig hændelse / not a real incident</p>\n";
  html += "<h1>Evaluering efter øvelse: " + XmlEscape(scenario.title.da) + "</h1>\n";
  html += "<p class=\"en\" lang=\"en\">After-action report: " + XmlEscape(scenario.title.en) + "</p>\n";
  html += "<table>\n";
  html += "<tr><th scope=\"row\">Øvelse <span class=\"en\" lang=\"en\">Exercise</span></th><td>" + XmlEscape(run.id) +
          " (" + XmlEscape(scenario.id) + ")</td></tr>\n";
  html += "<tr><th scope=\"row\">Start</th><td>" + Local(run.clock.started) + "</td></tr>\n";
  html += "<tr><th scope=\"row\">Slut <span class=\"en\" lang=\"en\">End</span></th><td>" + Local(run.end) + " (" +
          XmlEscape(run.state) + ")</td></tr>\n";
  html += "<tr><th scope=\"row\">Tempo <span class=\"en\" lang=\"en\">Speed</span></th><td>" +
          std::to_string(run.clock.speed) + "× </td></tr>\n";
  html += "<tr><th scope=\"row\">Udskrevet <span class=\"en\" lang=\"en\">Generated</span></th><td>" +
          Local(run.generated) + "</td></tr>\n";
  html += "<tr><th scope=\"row\">Resultat <span class=\"en\" lang=\"en\">Result</span></th><td>";
  bool first = true;
  for (const auto outcome :
       {Outcome::kOnTime, Outcome::kLate, Outcome::kMissed, Outcome::kPending, Outcome::kNotStarted}) {
    if (!totals.count(outcome)) continue;
    if (!first) html += ", ";
    first = false;
    html += std::to_string(totals[outcome]) + " " + std::string(OutcomeDa(outcome)) +
            " <span class=\"en\" lang=\"en\">(" + std::string(OutcomeEn(outcome)) + ")</span>";
  }
  if (first) html += "Ingen forventede handlinger <span class=\"en\" lang=\"en\">(no expected actions)</span>";
  html += "</td></tr>\n</table>\n";
  html +=
      "<h2>Handlinger <span class=\"en\" lang=\"en\">Actions</span></h2>\n<table>\n<thead><tr>"
      "<th scope=\"col\">Medlem <span class=\"en\" lang=\"en\">Member</span></th>"
      "<th scope=\"col\">Forventet <span class=\"en\" lang=\"en\">Expected</span></th>"
      "<th scope=\"col\">Frist <span class=\"en\" lang=\"en\">Within</span></th>"
      "<th scope=\"col\">Udført <span class=\"en\" lang=\"en\">Done</span></th>"
      "<th scope=\"col\">Tid brugt <span class=\"en\" lang=\"en\">Time taken</span></th>"
      "<th scope=\"col\">Resultat <span class=\"en\" lang=\"en\">Outcome</span></th>"
      "</tr></thead>\n<tbody>\n";
  for (const auto& item : assessments) {
    html += "<tr><td>" + XmlEscape(name_of(item.org)) + " (" + XmlEscape(item.org) + ")</td><td>" +
            std::string(ActionDa(item.what)) + " <span class=\"en\" lang=\"en\">" + std::string(ActionEn(item.what)) +
            "</span></td><td>" + FormatOffset(item.within) + "</td><td>" + Local(item.done) + "</td><td>" +
            (item.taken ? FormatOffset(*item.taken) : std::string("–")) + "</td><td>" +
            std::string(OutcomeDa(item.outcome)) + " <span class=\"en\" lang=\"en\">" +
            std::string(OutcomeEn(item.outcome)) + "</span></td></tr>\n";
  }
  html += "</tbody>\n</table>\n";
  html +=
      "<p>Tider i scenariets tid; øvelsen kørte med det angivne tempo. Rapporten er dateret dokumentation for "
      "kravene til hændelseshåndtering og beredskab (NIS2 art. 21, stk. 2, litra b og c).</p>\n"
      "<p class=\"en\" lang=\"en\">Times taken are scenario time; the exercise ran at the speed shown. The report is "
      "dated evidence for the incident-handling and continuity requirements (NIS2 Art. 21(2)(b) and (c)).</p>\n";
  html += "</body>\n</html>\n";
  return html;
}

}  // namespace dv::exercise
