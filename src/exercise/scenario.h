// SPDX-License-Identifier: Apache-2.0
#pragma once

// An exercise scenario ("øvelse"): who takes part, what happens when
// (injects), and what the participants are expected to do by when. Parsed
// from YAML (docs/exercise.md, data/exercise/scenario.schema.json) and checked
// against the federation before anything is created: a scenario with an
// unknown member, a bad time or an inject whose payload does not validate is
// refused with an error naming the file, the line and the field, e.g.
//
//   zyxel.yaml:14: injects[2].payload.pattern: …
//
// Pure: no storage, no clock. Running a scenario is the hub's exercise
// module's job.

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/organisation.h"
#include "core/result.h"

namespace dv::exercise {

struct Text {
  std::string da;
  std::string en;
};

enum class InjectKind { kIndicator, kSighting, kKev, kExposure, kIncident, kGuidance, kMessage };
std::string_view InjectKindName(InjectKind kind);

struct Inject {
  int line = 0;                 // in the scenario file
  std::int64_t at_seconds = 0;  // after the start
  InjectKind kind = InjectKind::kMessage;
  std::string label;            // empty when the scenario gives none
  std::vector<std::string> to;  // organisation codes it is for; empty: every participant
  nlohmann::json payload;       // checked for its kind (see docs/exercise.md)
};

enum class ActionKind { kAcknowledge, kDecide, kEarlyWarning, kNotification, kFinalReport };
std::string_view ActionKindName(ActionKind kind);
std::optional<ActionKind> ParseActionKind(std::string_view name);

struct ExpectedAction {
  int line = 0;
  std::vector<std::string> who;  // organisation codes
  ActionKind what = ActionKind::kAcknowledge;
  int after_inject = -1;  // index into Scenario::injects: the clock starts there
  std::int64_t within_seconds = 0;
};

struct Scenario {
  std::string id;  // lower-case letters, digits and '-'
  Text title;
  Text description;
  std::vector<std::string> participants;  // organisation codes, in the order first named, each once
  std::vector<Inject> injects;            // by time, then as written
  std::vector<ExpectedAction> expect;
  std::int64_t length_seconds = 0;  // the last inject's time, or the last deadline if later
};

// `organisations`: the federation the scenario runs on. Participants are
// named by `member: CODE`, `region: CODE` (its municipalities) or
// `kind: KIND` (every organisation of that kind); an inject's `to` and an
// action's `who` must name participants (or say `participants`).
Result<Scenario> ParseScenario(std::string_view yaml_text, std::string_view file_name,
                               const std::vector<Organisation>& organisations);

// "+HH:MM" or "+HH:MM:SS" (at most +99:59:59): seconds after the start.
Result<std::int64_t> ParseOffset(std::string_view text);

}  // namespace dv::exercise
