// SPDX-License-Identifier: Apache-2.0
#pragma once

// Playing a scenario (scenario.h) on a clock: which injects are due at an
// instant, what each becomes for a participant (an object marked as exercise
// in every place a person or a program could see it), and the after-action
// assessment of what the participants did against what was expected of them.
// Pure: no storage, no clock of its own; the hub's exercise module stores and
// delivers (docs/exercise.md).
//
// Time. A run starts at a real instant and plays `speed` scenario seconds per
// real second (1: real time; 60: an hour of scenario in a minute). Offsets in
// the scenario ("+00:15", "within: +04:00") are scenario time; reports give
// both the real instant and the scenario time an action took.

#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/time.h"
#include "exercise/scenario.h"

namespace dv::exercise {

// The property every exercise object carries, with the run id as its value.
inline constexpr std::string_view kExerciseProperty = "x_dannevirke_exercise";
// The banner on every page and notification of an exercise.
inline constexpr std::string_view kBannerDa = "ØVELSE";
inline constexpr std::string_view kBannerEn = "EXERCISE";
inline constexpr int kMaxSpeed = 3600;

struct RunClock {
  Timestamp started;
  int speed = 1;  // scenario seconds per real second, 1..kMaxSpeed
};

// Scenario seconds elapsed at `now` (0 before the start).
std::int64_t ScenarioSeconds(const RunClock& clock, Timestamp now);
// The real instant at which scenario time `seconds` is reached.
Timestamp RealTime(const RunClock& clock, std::int64_t seconds);
// How many injects are due at scenario time `seconds`: the injects are in
// time order, so these are the first DueCount of them.
std::size_t DueCount(const Scenario& scenario, std::int64_t seconds);
// The organisations inject `index` is for: its `to`, or every participant.
const std::vector<std::string>& Recipients(const Scenario& scenario, std::size_t index);

// What inject `index` of run `run_id` becomes for participant `org`,
// delivered at `delivered`:
//   {"exercise", "inject", "label", "kind", "at" ("+HH:MM:SS"), "delivered",
//    "banner": {"da", "en"}, "title": {"da", "en"}, "object": {...}}
// `object` is a STIX 2.1 object for indicator (an indicator) and sighting (a
// sighting of the indicator inject it names), and the payload otherwise; every
// object carries kExerciseProperty = run_id, and names and titles start with
// the banner. Ids are derived from the run and the inject, so a delivery
// repeated after a crash makes the same object.
nlohmann::json InjectFor(const Scenario& scenario, std::string_view run_id, std::size_t index, std::string_view org,
                         Timestamp delivered);

// "+HH:MM:SS".
std::string FormatOffset(std::int64_t seconds);

// An action a participant recorded (or the duty chain recorded for it: an
// acknowledged exercise notification is an acknowledge).
struct TakenAction {
  std::string org;
  ActionKind what = ActionKind::kAcknowledge;
  Timestamp at;
};

enum class Outcome { kOnTime, kLate, kMissed, kPending, kNotStarted };
// "on_time", "late", "missed", "pending", "not_started".
std::string_view OutcomeName(Outcome outcome);

// One expected action of one participant, judged.
struct Assessment {
  std::string org;
  ActionKind what = ActionKind::kAcknowledge;
  int line = 0;                       // of the expectation in the scenario file
  std::optional<Timestamp> clock;     // when its clock started (its inject was delivered)
  std::optional<Timestamp> due;       // clock + within, in real time
  std::optional<Timestamp> done;      // the first such action at or after the clock
  std::optional<std::int64_t> taken;  // done - clock, in scenario seconds
  std::int64_t within = 0;            // scenario seconds
  Outcome outcome = Outcome::kNotStarted;
};

// Every (expected action × participant it names), in scenario order then by
// organisation. `delivered`: how many injects were delivered; `end`: when the
// run stopped (nullopt while it runs); an action not done by its due time is
// missed once `now` (or `end`) passes it.
std::vector<Assessment> Assess(const Scenario& scenario, const RunClock& clock, std::size_t delivered,
                               const std::vector<TakenAction>& actions, Timestamp now, std::optional<Timestamp> end);

nlohmann::json AssessmentJson(const Assessment& assessment);

// The after-action report as a self-contained, printable HTML page, Danish
// first (English beside it): the scenario, the run, per participant each
// expectation with its outcome, and totals. Everything from the scenario or
// the federation is escaped. `names` maps organisation codes to names.
struct ReportRun {
  std::string id;
  RunClock clock;
  std::optional<Timestamp> end;
  Timestamp generated;
  std::string state;  // "running", "finished", "stopped"
};
std::string AfterActionHtml(const Scenario& scenario, const ReportRun& run, const std::vector<Assessment>& assessments,
                            const std::function<std::string(const std::string&)>& name_of);

}  // namespace dv::exercise
