// SPDX-License-Identifier: Apache-2.0
#include "duty/policy.h"

#include <algorithm>
#include <array>
#include <map>
#include <nlohmann/json.hpp>

#include "core/organisation.h"
#include "duty/ids.h"
#include "duty/json_read.h"

namespace dv::duty {

namespace {

using Json = nlohmann::json;
using internal::Index;
using internal::Invalid;
using internal::Join;

constexpr std::array<TargetKind, 5> kTargetKinds = {TargetKind::kContact, TargetKind::kRota, TargetKind::kPool,
                                                    TargetKind::kCoordinator, TargetKind::kPolicy};

Result<int> MinutesField(const Json& object, std::string_view name, std::string_view path, int fallback, int min,
                         int max) {
  auto value = OptionalIntField(object, name, path);
  if (!value.ok()) return value.error();
  const std::int64_t minutes = value->value_or(fallback);
  if (minutes < min || minutes > max) {
    return Invalid(Join(path, name), "must be " + std::to_string(min) + "–" + std::to_string(max) + " minutes, got " +
                                         std::to_string(minutes));
  }
  return static_cast<int>(minutes);
}

Result<Target> ParseTarget(const Json& json, const std::string& path) {
  DV_TRY(internal::ExpectObject(json, path));
  DV_TRY(internal::RefuseUnknownFields(json, {"kind", "ref"}, path));
  auto kind_name = StringField(json, "kind", path);
  if (!kind_name.ok()) return kind_name.error();
  Target target;
  const auto kind = std::find_if(kTargetKinds.begin(), kTargetKinds.end(),
                                 [&](TargetKind candidate) { return TargetKindName(candidate) == *kind_name; });
  if (kind == kTargetKinds.end()) {
    return Invalid(Join(path, "kind"),
                   "expected contact, rota, pool, coordinator or policy, got " + Quoted(*kind_name));
  }
  target.kind = *kind;
  auto ref = OptionalStringField(json, "ref", path);
  if (!ref.ok()) return ref.error();
  target.ref = ref->value_or("");
  const std::string ref_path = Join(path, "ref");
  if (target.kind == TargetKind::kCoordinator) {
    if (!target.ref.empty() && !IsValidOrgCode(target.ref)) {
      return Invalid(ref_path, Quoted(target.ref) +
                                   " is not an organisation code (leave it out for this hub's "
                                   "coordinator)");
    }
  } else if (!ref->has_value()) {
    return Error::Parse(path + ": missing 'ref'");
  } else if (!IsValidId(target.ref)) {
    return Invalid(ref_path, Quoted(target.ref) + " is not an id (" + std::string(kIdForm) + ")");
  }
  return target;
}

Result<Step> ParseStep(const Json& json, const std::string& path, bool first) {
  DV_TRY(internal::ExpectObject(json, path));
  DV_TRY(internal::RefuseUnknownFields(json, {"delay_minutes", "targets"}, path));
  Step step;
  auto delay = MinutesField(json, "delay_minutes", path, 0, 0, kMaxDelayMinutes);
  if (!delay.ok()) return delay.error();
  if (first && *delay != 0) {
    return Invalid(Join(path, "delay_minutes"),
                   "the first step starts at once: must be 0, got " + std::to_string(*delay));
  }
  step.delay_minutes = *delay;
  auto targets = internal::BoundedArrayField(json, "targets", path, 1, kMaxTargetsPerStep);
  if (!targets.ok()) return targets.error();
  for (std::size_t target_idx = 0; target_idx < (*targets)->size(); ++target_idx) {
    auto target = ParseTarget((**targets)[target_idx], Index(Join(path, "targets"), target_idx));
    if (!target.ok()) return target.error();
    step.targets.push_back(std::move(*target));
  }
  return step;
}

// Where target `target_idx` of step `step_idx` is written.
std::string TargetPath(std::size_t step_idx, std::size_t target_idx) {
  return "steps[" + std::to_string(step_idx) + "].targets[" + std::to_string(target_idx) + "]";
}

// Follows the hand-overs from `self_id`; returns the chain that closes a
// loop ("a → b → a"), or an empty string. `self` stands for `self_id`.
std::string FindLoop(std::string_view self_id, const Policy& self, const Directory& directory) {
  std::vector<std::string> chain = {std::string(self_id)};
  const Policy* current = &self;
  // A policy hands over to at most one other, so the walk is a path: it
  // loops exactly when it meets a policy already on it.
  while (const Target* next = current->HandOver()) {
    const bool seen = std::find(chain.begin(), chain.end(), next->ref) != chain.end();
    chain.push_back(next->ref);
    if (seen) {
      std::string text;
      for (const std::string& id : chain) text += (text.empty() ? "" : " → ") + id;
      return text;
    }
    current = next->ref == self_id ? &self : directory.FindPolicy(next->ref);
    if (current == nullptr) return "";
  }
  return "";
}

void AddUnique(std::vector<std::string>& participants, const std::string& participant) {
  if (std::find(participants.begin(), participants.end(), participant) == participants.end()) {
    participants.push_back(participant);
  }
}

}  // namespace

std::string_view TargetKindName(TargetKind kind) {
  switch (kind) {
    case TargetKind::kContact:
      return "contact";
    case TargetKind::kRota:
      return "rota";
    case TargetKind::kPool:
      return "pool";
    case TargetKind::kCoordinator:
      return "coordinator";
    case TargetKind::kPolicy:
      return "policy";
  }
  return "contact";
}

std::string Target::Describe() const {
  if (ref.empty()) return std::string(TargetKindName(kind));
  return std::string(TargetKindName(kind)) + ":" + ref;
}

const Target* Policy::HandOver() const {
  if (steps.empty()) return nullptr;
  for (const Target& target : steps.back().targets) {
    if (target.kind == TargetKind::kPolicy) return &target;
  }
  return nullptr;
}

Result<Policy> ParsePolicy(const Json& json) {
  DV_TRY(internal::ExpectObject(json, ""));
  DV_TRY(internal::RefuseUnknownFields(json, {"name", "steps", "repeat", "final_wait_minutes"}, ""));
  Policy policy;
  auto name = internal::OptionalTextField(json, "name", "", 200);
  if (!name.ok()) return name.error();
  policy.name = name->value_or("");
  auto steps = internal::BoundedArrayField(json, "steps", "", 1, kMaxSteps);
  if (!steps.ok()) return steps.error();
  for (std::size_t step_idx = 0; step_idx < (*steps)->size(); ++step_idx) {
    auto step = ParseStep((**steps)[step_idx], Index("steps", step_idx), step_idx == 0);
    if (!step.ok()) return step.error();
    policy.steps.push_back(std::move(*step));
  }
  auto repeat = OptionalIntField(json, "repeat", "");
  if (!repeat.ok()) return repeat.error();
  if (repeat->value_or(0) < 0 || repeat->value_or(0) > kMaxRepeat) {
    return Invalid("repeat", "must be 0–" + std::to_string(kMaxRepeat) + ", got " + std::to_string(**repeat));
  }
  policy.repeat = static_cast<int>(repeat->value_or(0));
  auto final_wait = MinutesField(json, "final_wait_minutes", "", kDefaultFinalWaitMinutes, 1, kMaxDelayMinutes);
  if (!final_wait.ok()) return final_wait.error();
  policy.final_wait_minutes = *final_wait;

  for (std::size_t step_idx = 0; step_idx < policy.steps.size(); ++step_idx) {
    const Step& step = policy.steps[step_idx];
    for (std::size_t target_idx = 0; target_idx < step.targets.size(); ++target_idx) {
      if (step.targets[target_idx].kind != TargetKind::kPolicy) continue;
      if (step_idx + 1 != policy.steps.size() || step.targets.size() != 1) {
        return Invalid(TargetPath(step_idx, target_idx),
                       "a hand-over to another policy must be the only target of the last step");
      }
      if (policy.repeat != 0) {
        return Invalid("repeat",
                       "a policy that hands over to another cannot repeat (the other policy's repeat "
                       "applies)");
      }
    }
  }
  return policy;
}

Status CheckPolicyRefs(const Policy& policy, std::string_view policy_id, const Directory& directory) {
  for (std::size_t step_idx = 0; step_idx < policy.steps.size(); ++step_idx) {
    const Step& step = policy.steps[step_idx];
    for (std::size_t target_idx = 0; target_idx < step.targets.size(); ++target_idx) {
      const Target& target = step.targets[target_idx];
      const std::string place = Join(TargetPath(step_idx, target_idx), "ref");
      switch (target.kind) {
        case TargetKind::kContact:
          if (!directory.HasContact(target.ref)) return Invalid(place, "no contact " + Quoted(target.ref));
          break;
        case TargetKind::kRota:
          if (directory.FindRota(target.ref) == nullptr) return Invalid(place, "no rota " + Quoted(target.ref));
          break;
        case TargetKind::kPool:
          if (directory.FindPool(target.ref) == nullptr) return Invalid(place, "no pool " + Quoted(target.ref));
          break;
        case TargetKind::kCoordinator:
          if (directory.CoordinatorRota(target.ref) == nullptr) {
            return Invalid(target.ref.empty() ? TargetPath(step_idx, target_idx) : place,
                           target.ref.empty() ? std::string("this hub has no coordinator rota")
                                              : "no coordinator rota for " + Quoted(target.ref));
          }
          break;
        case TargetKind::kPolicy:
          if (target.ref != policy_id && directory.FindPolicy(target.ref) == nullptr) {
            return Invalid(place, "no policy " + Quoted(target.ref));
          }
          break;
      }
    }
  }
  const std::string loop = FindLoop(policy_id, policy, directory);
  if (!loop.empty()) {
    return Invalid(Join(TargetPath(policy.steps.size() - 1, 0), "ref"), "hands over in a loop: " + loop);
  }
  return Ok();
}

Result<Policy> PolicyFromJson(const Json& json, std::string_view policy_id, const Directory& directory) {
  auto policy = ParsePolicy(json);
  if (!policy.ok()) return policy;
  DV_TRY(CheckPolicyRefs(*policy, policy_id, directory));
  return policy;
}

Json PolicyToJson(const Policy& policy) {
  Json steps = Json::array();
  for (const Step& step : policy.steps) {
    Json targets = Json::array();
    for (const Target& target : step.targets) {
      Json item = {{"kind", TargetKindName(target.kind)}};
      if (!target.ref.empty()) item["ref"] = target.ref;
      targets.push_back(std::move(item));
    }
    steps.push_back({{"delay_minutes", step.delay_minutes}, {"targets", std::move(targets)}});
  }
  Json out = {
      {"steps", std::move(steps)}, {"repeat", policy.repeat}, {"final_wait_minutes", policy.final_wait_minutes}};
  if (!policy.name.empty()) out["name"] = policy.name;
  return out;
}

Result<Pool> ParsePool(const Json& json) {
  DV_TRY(internal::ExpectObject(json, ""));
  DV_TRY(internal::RefuseUnknownFields(json, {"name", "rotas"}, ""));
  Pool pool;
  auto name = internal::OptionalTextField(json, "name", "", 200);
  if (!name.ok()) return name.error();
  pool.name = name->value_or("");
  auto rotas = internal::BoundedArrayField(json, "rotas", "", 1, kMaxPoolRotas);
  if (!rotas.ok()) return rotas.error();
  for (std::size_t rota_idx = 0; rota_idx < (*rotas)->size(); ++rota_idx) {
    const Json& rota = (**rotas)[rota_idx];
    const std::string place = Index("rotas", rota_idx);
    if (!rota.is_string()) return Error::Parse(place + ": expected a string");
    const std::string id = rota.get<std::string>();
    if (!IsValidId(id)) return Invalid(place, Quoted(id) + " is not an id (" + std::string(kIdForm) + ")");
    if (std::find(pool.rotas.begin(), pool.rotas.end(), id) != pool.rotas.end()) {
      return Invalid(place, Quoted(id) + " is listed twice");
    }
    pool.rotas.push_back(id);
  }
  return pool;
}

Result<Pool> PoolFromJson(const Json& json, const Directory& directory) {
  auto pool = ParsePool(json);
  if (!pool.ok()) return pool;
  for (std::size_t rota_idx = 0; rota_idx < pool->rotas.size(); ++rota_idx) {
    if (directory.FindRota(pool->rotas[rota_idx]) == nullptr) {
      return Invalid(Index("rotas", rota_idx), "no rota " + Quoted(pool->rotas[rota_idx]));
    }
  }
  return pool;
}

Json PoolToJson(const Pool& pool) {
  Json out = {{"rotas", pool.rotas}};
  if (!pool.name.empty()) out["name"] = pool.name;
  return out;
}

Resolution Resolve(const Target& target, Timestamp at, const Directory& directory) {
  Resolution resolution;
  const auto on_duty = [&](const Rota& rota) {
    if (auto participant = OnDuty(rota, at)) AddUnique(resolution.participants, *participant);
  };
  switch (target.kind) {
    case TargetKind::kContact:
      if (directory.HasContact(target.ref)) {
        resolution.participants.push_back(target.ref);
      } else {
        resolution.problems.push_back("no contact " + Quoted(target.ref));
      }
      break;
    case TargetKind::kRota:
      if (const Rota* rota = directory.FindRota(target.ref)) {
        on_duty(*rota);
      } else {
        resolution.problems.push_back("no rota " + Quoted(target.ref));
      }
      break;
    case TargetKind::kPool:
      if (const Pool* pool = directory.FindPool(target.ref)) {
        for (const std::string& rota_id : pool->rotas) {
          if (const Rota* rota = directory.FindRota(rota_id)) {
            on_duty(*rota);
          } else {
            resolution.problems.push_back("pool " + Quoted(target.ref) + ": no rota " + Quoted(rota_id));
          }
        }
      } else {
        resolution.problems.push_back("no pool " + Quoted(target.ref));
      }
      break;
    case TargetKind::kCoordinator:
      if (const Rota* rota = directory.CoordinatorRota(target.ref)) {
        on_duty(*rota);
      } else {
        resolution.problems.push_back("no coordinator rota" + (target.ref.empty() ? "" : " for " + Quoted(target.ref)));
      }
      break;
    case TargetKind::kPolicy:
      break;
  }
  return resolution;
}

}  // namespace dv::duty
