// SPDX-License-Identifier: Apache-2.0
#pragma once

// The escalation engine: one notification walking through its policy
// (docs/duty.md, "The escalation engine"). Driven entirely by the caller's
// clock: no threads, no sleeping, no I/O. The caller (the hub) keeps the
// NotificationState (as JSON), calls Advance when it is due, sends the
// notifications Advance asks for, and calls Acknowledge when somebody
// acknowledges.
//
// Schedule. Step 0 is due when the notification is created. When step k
// fires, step k+1 is due delay_minutes(k+1) later; after the last step the
// notification waits final_wait_minutes, then the policy runs again from
// step 0 while runs remain (1 + repeat runs in all), else the notification
// ends "unacknowledged". A step that reaches nobody — a rota in a gap, a
// pool whose members are all off duty, references that no longer exist —
// does not wait: the next step (or the end of the run) is due at once,
// since nobody was given anything to acknowledge. A hand-over step
// continues at once with the other policy's step 0 (at most
// kMaxHandOvers hand-overs per notification, so a loop created after
// validation still ends).
//
// Determinism. Who a step reaches is resolved at the instant the step was
// due, not at the instant Advance runs: the same state, policy, directory
// and `now` always give the same result, and a late call (after a hub
// restart) fires the overdue steps in order exactly as an on-time caller
// would have. Within one step each participant is notified once; a later
// step (or run) notifies them again as a reminder.
//
// Pure and thread-compatible: the functions take a state and return a new
// one; the caller serialises access to one notification.

#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "core/time.h"
#include "duty/policy.h"

namespace dv::duty {

inline constexpr int kMaxHandOvers = 10;

enum class Phase {
  kActive,          // escalating
  kAcknowledged,    // somebody acknowledged; nothing more happens
  kUnacknowledged,  // every step of every run fired and nobody acknowledged
};
// "active", "acknowledged", "unacknowledged".
std::string_view PhaseName(Phase phase);

// One participant notified (or to notify) by one step.
struct Notified {
  std::string participant;
  std::string via;     // the target that reached them: "rota:kbh-soc"
  std::string policy;  // the policy whose step it was
  int run = 0;         // 0 for the first run of that policy
  int step = 0;
  Timestamp at;  // when the step was due
  friend bool operator==(const Notified&, const Notified&) = default;
};

// Something the caller should show in the notification's history: a step
// that reached nobody and why, a hand-over.
struct Note {
  Timestamp at;
  std::string text;
  friend bool operator==(const Note&, const Note&) = default;
};

struct Acknowledgement {
  std::string by;
  Timestamp at;
  friend bool operator==(const Acknowledgement&, const Acknowledgement&) = default;
};

struct NotificationState {
  std::string id;              // the caller's notification id
  std::string policy;          // the policy it started with
  std::string current_policy;  // differs from `policy` after a hand-over
  Timestamp created_at;
  Phase phase = Phase::kActive;
  int run = 0;       // runs of current_policy completed so far
  int step = 0;      // the next step to fire; == its step count: the end of the run
  Timestamp due_at;  // when that next step (or the end of the run) is due
  int hand_overs = 0;
  std::vector<Notified> notified;  // everyone notified so far, in order
  std::vector<Note> notes;
  std::optional<Acknowledgement> acknowledged;
  std::optional<Timestamp> unacknowledged_at;  // when the policy was exhausted

  friend bool operator==(const NotificationState&, const NotificationState&) = default;
};

// A new notification under `policy_id`; its first step is due at once.
NotificationState StartNotification(std::string id, std::string policy_id, Timestamp created_at);

struct AdvanceResult {
  NotificationState state;
  std::vector<Notified> notify;  // to send now, in order
  // When to call Advance again; nullopt once the notification has ended
  // (acknowledged or unacknowledged: see state.phase).
  std::optional<Timestamp> next_at;
};

// Fires every step due at or before `now`. `policy` is the policy the
// notification started with (state.policy); hand-over targets are read from
// `directory`. A policy edited since the last call is followed as it now is
// (a step index past its end means the end of the run); a hand-over target
// that no longer exists ends the run with a note.
AdvanceResult Advance(const NotificationState& state, const Policy& policy, const Directory& directory, Timestamp now);

// Records that `by` acknowledged at `at`: the escalation stops. Also
// accepted after the policy was exhausted (the state keeps
// unacknowledged_at, so a report can say "acknowledged late"). Errors:
// kConflict when already acknowledged, kInvalidArgument for an empty or
// malformed `by` or a time before the notification was created. Whether
// `by` may acknowledge is the caller's decision (see WasNotified and
// ack_token.h).
Result<NotificationState> Acknowledge(const NotificationState& state, std::string_view by, Timestamp at);

// True when `participant` was notified by this notification.
bool WasNotified(const NotificationState& state, std::string_view participant);

// The state as JSON (docs/duty.md) and back; FromJson validates the form.
nlohmann::json NotificationToJson(const NotificationState& state);
Result<NotificationState> NotificationFromJson(const nlohmann::json& json);

}  // namespace dv::duty
