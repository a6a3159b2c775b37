// SPDX-License-Identifier: Apache-2.0
#pragma once

// Escalation policies, duty pools, and the directory through which they
// name each other (docs/duty.md, "Escalation policies").
//
// A policy is a list of steps; each step names targets to notify, after a
// delay counted from the previous step. A target is
//   - contact      one participant (a contact id);
//   - rota         whoever is on duty in that rota;
//   - pool         whoever is on duty in any rota of a shared duty pool
//                  (e.g. the municipalities of a region sharing one officer);
//   - coordinator  whoever is on duty in the coordinator's rota (ref: the
//                  coordinating organisation's code; absent: this hub's own);
//   - policy       a hand-over: the notification continues with that policy
//                  from its first step. Only as the sole target of the last
//                  step, and only in a policy that does not repeat.
//
// Objects refer to each other by id (ids.h); the caller (the hub) supplies
// them through a Directory, so this library stores nothing. Pure;
// thread-safe as long as the Directory is.

#include <cstddef>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "core/time.h"
#include "duty/rota.h"

namespace dv::duty {

inline constexpr std::size_t kMaxSteps = 20;
inline constexpr std::size_t kMaxTargetsPerStep = 20;
inline constexpr int kMaxRepeat = 5;
inline constexpr int kMaxDelayMinutes = 1440;
inline constexpr int kDefaultFinalWaitMinutes = 30;
inline constexpr std::size_t kMaxPoolRotas = 100;

enum class TargetKind { kContact, kRota, kPool, kCoordinator, kPolicy };
// "contact", "rota", "pool", "coordinator", "policy".
std::string_view TargetKindName(TargetKind kind);

struct Target {
  TargetKind kind = TargetKind::kContact;
  std::string ref;  // an id (ids.h); for a coordinator an organisation code or empty

  // "rota:kbh-soc", "coordinator" — how notifications say why someone was reached.
  std::string Describe() const;
  friend bool operator==(const Target&, const Target&) = default;
};

struct Step {
  int delay_minutes = 0;  // after the previous step; 0–1440, 0 for the first step
  std::vector<Target> targets;
  friend bool operator==(const Step&, const Step&) = default;
};

struct Policy {
  std::string name;
  std::vector<Step> steps;  // 1 – kMaxSteps
  int repeat = 0;           // 0 – kMaxRepeat further runs of all steps
  // How long to wait after the last step for an acknowledgement before the
  // policy repeats, or, after the last run, gives up ("unacknowledged").
  int final_wait_minutes = kDefaultFinalWaitMinutes;  // 1–1440

  // The hand-over target of the last step, if it has one.
  const Target* HandOver() const;
  friend bool operator==(const Policy&, const Policy&) = default;
};

// A shared duty pool: several members' rotas, any of whose on-duty people
// can take a notification.
struct Pool {
  std::string name;
  std::vector<std::string> rotas;  // rota ids, 1 – kMaxPoolRotas
  friend bool operator==(const Pool&, const Pool&) = default;
};

// The caller's objects, looked up by id. Returned pointers stay valid as
// long as the directory is not changed; nullptr when there is no such
// object. Implementations used from several threads must be thread-safe.
class Directory {
 public:
  virtual ~Directory() = default;
  virtual bool HasContact(std::string_view id) const = 0;
  virtual const Rota* FindRota(std::string_view id) const = 0;
  virtual const Pool* FindPool(std::string_view id) const = 0;
  virtual const Policy* FindPolicy(std::string_view id) const = 0;
  // The rota of the coordinator of `org` (an organisation code), or of this
  // hub's own coordinator when `org` is empty.
  virtual const Rota* CoordinatorRota(std::string_view org) const = 0;
};

// The policy's form (JSON in docs/duty.md): steps, delays, targets,
// repeat, final wait, limits. Errors name the field ("steps[1].delay_minutes:
// …"); unknown fields are refused. References are not looked up.
Result<Policy> ParsePolicy(const nlohmann::json& json);
// Every reference of the policy stored (or to be stored) as `policy_id`
// exists in `directory`, and its hand-overs end: "steps[2].targets[0].ref:
// hands over in a loop: a → b → a". `policy` stands for `policy_id` in the
// walk, so an edit that would close a loop is caught before it is stored.
Status CheckPolicyRefs(const Policy& policy, std::string_view policy_id, const Directory& directory);
// ParsePolicy then CheckPolicyRefs.
Result<Policy> PolicyFromJson(const nlohmann::json& json, std::string_view policy_id, const Directory& directory);
nlohmann::json PolicyToJson(const Policy& policy);

// {"name"?, "rotas": [ids]}: form only.
Result<Pool> ParsePool(const nlohmann::json& json);
// ParsePool, then every rota must exist: "rotas[2]: no rota 'x'".
Result<Pool> PoolFromJson(const nlohmann::json& json, const Directory& directory);
nlohmann::json PoolToJson(const Pool& pool);

// Who a target reaches at `at`: the participants, without duplicates, in
// order (a pool in the order of its rotas), and what could not be read.
//   contact      the contact itself;
//   rota         who is on duty, or nobody in a gap;
//   pool         who is on duty in each of its rotas; nobody when all are
//                off duty (the engine then moves on at once, see
//                escalation.h);
//   coordinator  who is on duty in the coordinator's rota;
//   policy       nobody: a hand-over is the engine's business.
// A reference that no longer exists reaches nobody and is reported in
// `problems` ("no rota 'x'"); a pool with one missing rota still reaches
// the others.
struct Resolution {
  std::vector<std::string> participants;
  std::vector<std::string> problems;
};
Resolution Resolve(const Target& target, Timestamp at, const Directory& directory);

}  // namespace dv::duty
