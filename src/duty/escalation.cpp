// SPDX-License-Identifier: Apache-2.0
#include "duty/escalation.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "duty/ids.h"
#include "duty/json_read.h"

namespace dv::duty {

namespace {

using Json = nlohmann::json;
using internal::Index;
using internal::Invalid;
using internal::Join;

constexpr std::size_t kMaxHistory = 100'000;

Timestamp Plus(Timestamp at, int minutes) { return Timestamp(at.unix_ms() + minutes * kMinuteMs); }

// Fires the step at state.step (which exists) of `policy`; returns whether
// it reached anybody. Hand-overs are handled by the caller.
bool FireStep(NotificationState& state, const Policy& policy, const Directory& directory,
              std::vector<Notified>& notify) {
  const Step& step = policy.steps[state.step];
  const Timestamp at = state.due_at;
  std::vector<std::string> reached;
  for (const Target& target : step.targets) {
    const Resolution resolution = Resolve(target, at, directory);
    for (const std::string& problem : resolution.problems) {
      state.notes.push_back({at, state.current_policy + " step " + std::to_string(state.step) + ": " + problem});
    }
    for (const std::string& participant : resolution.participants) {
      if (std::find(reached.begin(), reached.end(), participant) != reached.end()) continue;
      reached.push_back(participant);
      Notified item{participant, target.Describe(), state.current_policy, state.run, state.step, at};
      notify.push_back(item);
      state.notified.push_back(std::move(item));
    }
  }
  if (reached.empty()) {
    state.notes.push_back(
        {at, state.current_policy + " step " + std::to_string(state.step) + " reached nobody; moving on at once"});
  }
  return !reached.empty();
}

Result<Timestamp> TimeField(const Json& object, std::string_view name, std::string_view path) {
  auto text = StringField(object, name, path);
  if (!text.ok()) return text.error();
  auto at = Timestamp::Parse(*text);
  if (!at.ok()) return Invalid(Join(path, name), at.error().message());
  return *at;
}

Result<int> BoundedInt(const Json& object, std::string_view name, std::string_view path, int max) {
  auto value = IntField(object, name, path);
  if (!value.ok()) return value.error();
  if (*value < 0 || *value > max) {
    return Invalid(Join(path, name), "must be 0–" + std::to_string(max) + ", got " + std::to_string(*value));
  }
  return static_cast<int>(*value);
}

Result<std::string> IdField(const Json& object, std::string_view name, std::string_view path) {
  auto text = StringField(object, name, path);
  if (!text.ok()) return text.error();
  if (!IsValidId(*text)) return Invalid(Join(path, name), Quoted(*text) + " is not an id");
  return text;
}

Result<std::string> TextField(const Json& object, std::string_view name, std::string_view path) {
  auto text = internal::OptionalTextField(object, name, path, 1000);
  if (!text.ok()) return text.error();
  if (!text->has_value() || (*text)->empty()) return Invalid(Join(path, name), "required");
  return **text;
}

}  // namespace

std::string_view PhaseName(Phase phase) {
  switch (phase) {
    case Phase::kActive:
      return "active";
    case Phase::kAcknowledged:
      return "acknowledged";
    case Phase::kUnacknowledged:
      return "unacknowledged";
  }
  return "active";
}

NotificationState StartNotification(std::string id, std::string policy_id, Timestamp created_at) {
  NotificationState state;
  state.id = std::move(id);
  state.current_policy = policy_id;
  state.policy = std::move(policy_id);
  state.created_at = created_at;
  state.due_at = created_at;
  return state;
}

AdvanceResult Advance(const NotificationState& state, const Policy& policy, const Directory& directory, Timestamp now) {
  AdvanceResult result{state, {}, std::nullopt};
  NotificationState& next = result.state;
  const Policy* current = next.current_policy == next.policy ? &policy : directory.FindPolicy(next.current_policy);
  const auto exhaust = [&](Timestamp at) {
    next.phase = Phase::kUnacknowledged;
    next.unacknowledged_at = at;
  };
  if (next.phase == Phase::kActive && current == nullptr && next.due_at <= now) {
    next.notes.push_back({next.due_at, "policy " + Quoted(next.current_policy) + " no longer exists"});
    exhaust(next.due_at);
  }
  // Each pass fires a step, hands over, or ends a run: bounded by the steps
  // of (kMaxHandOvers + 1) policies of at most kMaxRepeat + 1 runs.
  while (next.phase == Phase::kActive && next.due_at <= now) {
    const int step_count = static_cast<int>(current->steps.size());
    if (next.step < step_count) {
      const Step& step = current->steps[next.step];
      const Target* hand_over =
          step.targets.size() == 1 && step.targets[0].kind == TargetKind::kPolicy ? &step.targets[0] : nullptr;
      if (hand_over != nullptr) {
        const Policy* other = next.hand_overs < kMaxHandOvers ? directory.FindPolicy(hand_over->ref) : nullptr;
        if (other == nullptr || other->steps.empty()) {
          next.notes.push_back({next.due_at, next.hand_overs < kMaxHandOvers
                                                 ? "cannot hand over: no policy " + Quoted(hand_over->ref)
                                                 : "cannot hand over to " + Quoted(hand_over->ref) + ": " +
                                                       std::to_string(kMaxHandOvers) + " hand-overs already"});
          next.step = step_count;  // the end of the run, at once: nobody was reached
          continue;
        }
        next.notes.push_back(
            {next.due_at, "handed over from " + Quoted(next.current_policy) + " to " + Quoted(hand_over->ref)});
        next.current_policy = hand_over->ref;
        current = other;
        next.run = 0;
        next.step = 0;
        ++next.hand_overs;
        continue;
      }
      const bool reached = FireStep(next, *current, directory, result.notify);
      ++next.step;
      const int wait = !reached                 ? 0
                       : next.step < step_count ? current->steps[next.step].delay_minutes
                                                : current->final_wait_minutes;
      next.due_at = Plus(next.due_at, wait);
      continue;
    }
    // The end of a run.
    if (next.run < current->repeat) {
      ++next.run;
      next.step = 0;
    } else {
      exhaust(next.due_at);
    }
  }
  if (next.phase == Phase::kActive) result.next_at = next.due_at;
  return result;
}

Result<NotificationState> Acknowledge(const NotificationState& state, std::string_view by, Timestamp at) {
  if (state.acknowledged) {
    return Error::Conflict("notification " + Quoted(state.id) + " was already acknowledged by " +
                           Quoted(state.acknowledged->by) + " at " + state.acknowledged->at.ToRfc3339());
  }
  if (by.empty() || by.size() > 200 || !internal::IsValidUtf8(by) ||
      std::any_of(by.begin(), by.end(), [](char c) { return static_cast<unsigned char>(c) < 0x20; })) {
    return Error::InvalidArgument("acknowledged by: expected a participant or user name (1–200 characters)");
  }
  if (at < state.created_at) {
    return Error::InvalidArgument("acknowledged at " + at.ToRfc3339() + ", before the notification was created (" +
                                  state.created_at.ToRfc3339() + ")");
  }
  NotificationState next = state;
  next.phase = Phase::kAcknowledged;
  next.acknowledged = Acknowledgement{std::string(by), at};
  return next;
}

bool WasNotified(const NotificationState& state, std::string_view participant) {
  return std::any_of(state.notified.begin(), state.notified.end(),
                     [&](const Notified& item) { return item.participant == participant; });
}

Json NotificationToJson(const NotificationState& state) {
  Json notified = Json::array();
  for (const Notified& item : state.notified) {
    notified.push_back({{"participant", item.participant},
                        {"via", item.via},
                        {"policy", item.policy},
                        {"run", item.run},
                        {"step", item.step},
                        {"at", item.at.ToRfc3339()}});
  }
  Json notes = Json::array();
  for (const Note& note : state.notes) notes.push_back({{"at", note.at.ToRfc3339()}, {"text", note.text}});
  Json out = {{"id", state.id},
              {"policy", state.policy},
              {"current_policy", state.current_policy},
              {"created_at", state.created_at.ToRfc3339()},
              {"phase", PhaseName(state.phase)},
              {"run", state.run},
              {"step", state.step},
              {"due_at", state.due_at.ToRfc3339()},
              {"hand_overs", state.hand_overs},
              {"notified", std::move(notified)},
              {"notes", std::move(notes)}};
  if (state.acknowledged) {
    out["acknowledged"] = {{"by", state.acknowledged->by}, {"at", state.acknowledged->at.ToRfc3339()}};
  }
  if (state.unacknowledged_at) out["unacknowledged_at"] = state.unacknowledged_at->ToRfc3339();
  return out;
}

Result<NotificationState> NotificationFromJson(const Json& json) {
  DV_TRY(internal::ExpectObject(json, ""));
  DV_TRY(
      internal::RefuseUnknownFields(json,
                                    {"id", "policy", "current_policy", "created_at", "phase", "run", "step", "due_at",
                                     "hand_overs", "notified", "notes", "acknowledged", "unacknowledged_at"},
                                    ""));
  NotificationState state;
  auto id = TextField(json, "id", "");
  if (!id.ok()) return id.error();
  state.id = std::move(*id);
  auto policy = IdField(json, "policy", "");
  if (!policy.ok()) return policy.error();
  state.policy = std::move(*policy);
  auto current = IdField(json, "current_policy", "");
  if (!current.ok()) return current.error();
  state.current_policy = std::move(*current);
  auto created = TimeField(json, "created_at", "");
  if (!created.ok()) return created.error();
  state.created_at = *created;
  auto phase = StringField(json, "phase", "");
  if (!phase.ok()) return phase.error();
  if (*phase == "active") {
    state.phase = Phase::kActive;
  } else if (*phase == "acknowledged") {
    state.phase = Phase::kAcknowledged;
  } else if (*phase == "unacknowledged") {
    state.phase = Phase::kUnacknowledged;
  } else {
    return Invalid("phase", "expected active, acknowledged or unacknowledged, got " + Quoted(*phase));
  }
  auto run = BoundedInt(json, "run", "", kMaxRepeat);
  if (!run.ok()) return run.error();
  state.run = *run;
  auto step = BoundedInt(json, "step", "", static_cast<int>(kMaxSteps));
  if (!step.ok()) return step.error();
  state.step = *step;
  auto due = TimeField(json, "due_at", "");
  if (!due.ok()) return due.error();
  state.due_at = *due;
  auto hand_overs = BoundedInt(json, "hand_overs", "", kMaxHandOvers);
  if (!hand_overs.ok()) return hand_overs.error();
  state.hand_overs = *hand_overs;

  auto notified = internal::BoundedArrayField(json, "notified", "", 0, kMaxHistory);
  if (!notified.ok()) return notified.error();
  for (std::size_t item_idx = 0; item_idx < (*notified)->size(); ++item_idx) {
    const Json& item = (**notified)[item_idx];
    const std::string path = Index("notified", item_idx);
    DV_TRY(internal::ExpectObject(item, path));
    DV_TRY(internal::RefuseUnknownFields(item, {"participant", "via", "policy", "run", "step", "at"}, path));
    Notified entry;
    auto participant = IdField(item, "participant", path);
    if (!participant.ok()) return participant.error();
    entry.participant = std::move(*participant);
    auto via = TextField(item, "via", path);
    if (!via.ok()) return via.error();
    entry.via = std::move(*via);
    auto item_policy = IdField(item, "policy", path);
    if (!item_policy.ok()) return item_policy.error();
    entry.policy = std::move(*item_policy);
    auto item_run = BoundedInt(item, "run", path, kMaxRepeat);
    if (!item_run.ok()) return item_run.error();
    entry.run = *item_run;
    auto item_step = BoundedInt(item, "step", path, static_cast<int>(kMaxSteps));
    if (!item_step.ok()) return item_step.error();
    entry.step = *item_step;
    auto at = TimeField(item, "at", path);
    if (!at.ok()) return at.error();
    entry.at = *at;
    state.notified.push_back(std::move(entry));
  }
  auto notes = internal::BoundedArrayField(json, "notes", "", 0, kMaxHistory);
  if (!notes.ok()) return notes.error();
  for (std::size_t note_idx = 0; note_idx < (*notes)->size(); ++note_idx) {
    const Json& item = (**notes)[note_idx];
    const std::string path = Index("notes", note_idx);
    DV_TRY(internal::ExpectObject(item, path));
    DV_TRY(internal::RefuseUnknownFields(item, {"at", "text"}, path));
    auto at = TimeField(item, "at", path);
    if (!at.ok()) return at.error();
    auto text = TextField(item, "text", path);
    if (!text.ok()) return text.error();
    state.notes.push_back({*at, std::move(*text)});
  }
  if (const Json* ack = FindField(json, "acknowledged"); ack != nullptr && !ack->is_null()) {
    DV_TRY(internal::ExpectObject(*ack, "acknowledged"));
    DV_TRY(internal::RefuseUnknownFields(*ack, {"by", "at"}, "acknowledged"));
    auto by = TextField(*ack, "by", "acknowledged");
    if (!by.ok()) return by.error();
    auto at = TimeField(*ack, "at", "acknowledged");
    if (!at.ok()) return at.error();
    state.acknowledged = Acknowledgement{std::move(*by), *at};
  }
  if (const Json* exhausted = FindField(json, "unacknowledged_at"); exhausted != nullptr && !exhausted->is_null()) {
    auto at = TimeField(json, "unacknowledged_at", "");
    if (!at.ok()) return at.error();
    state.unacknowledged_at = *at;
  }
  if ((state.phase == Phase::kAcknowledged) != state.acknowledged.has_value()) {
    return Invalid("acknowledged", "present exactly when the phase is acknowledged");
  }
  if (state.phase == Phase::kUnacknowledged && !state.unacknowledged_at) {
    return Invalid("unacknowledged_at", "required when the phase is unacknowledged");
  }
  return state;
}

}  // namespace dv::duty
