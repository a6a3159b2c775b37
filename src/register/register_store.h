// SPDX-License-Identifier: Apache-2.0
#pragma once

// The members' register in the hub's store (docs/register.md): each member's
// registration, the proof of each of its domains, and the coordinator's
// resolutions of conflicts; and what the rest of the hub reads from them —
// the routing table, every member's proven presence (for the protection
// feeds' never-block list), the open conflicts and the coverage figures.
//
// Records (store/record.h; every write versioned and audited by the store):
//   register.presence     id = org code   the registration (registration.h)
//   register.proofs       id = org code   {"domains": {name: proof}}
//   register.resolutions  id = "national" {"resolutions": [...]}
// A read-modify-write names the version it replaces: a concurrent write
// (another hub instance) is kConflict, never a lost update.
//
// Who may call what is the hub module's business (hub/modules/register);
// these functions trust their caller. Thread-safe as the Store is.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "register/registration.h"
#include "register/routing_table.h"
#include "register/txt_resolver.h"
#include "store/store.h"

namespace dv::reg {

inline constexpr std::string_view kPresenceKind = "register.presence";
inline constexpr std::string_view kProofsKind = "register.proofs";
inline constexpr std::string_view kResolutionsKind = "register.resolutions";
// The coordinator's approvals of prefixes nested inside another member's.
inline constexpr std::string_view kNestingKind = "register.nesting";
// The TXT record a member publishes: "_dannevirke-challenge.<domain>".
inline constexpr std::string_view kChallengeLabel = "_dannevirke-challenge";
// Audit actions written here (besides the store's record.<kind>.put).
inline constexpr std::string_view kProveAction = "register.domain.prove";
inline constexpr std::string_view kProveFailedAction = "register.domain.prove_failed";
inline constexpr std::string_view kApproveAction = "register.domain.approve";
inline constexpr std::string_view kResolveAction = "register.conflict.resolve";
inline constexpr std::string_view kNestingAction = "register.nesting.approve";

enum class ProofStatus { kUnproven, kPending, kProven, kApproved };
std::string_view ProofStatusName(ProofStatus status);  // "unproven", "pending", "proven", "approved"

struct DomainProof {
  ProofStatus status = ProofStatus::kUnproven;
  std::string token;   // the challenge issued (pending; kept after proof)
  std::string issued;  // RFC 3339, when the token was issued
  std::string at;      // when it was proven or approved
  std::string by;      // who proved (the actor that asked to verify) or approved
  std::string method;  // "dns" or "coordinator"
  std::string reason;  // the coordinator's reason
  bool counts() const { return status == ProofStatus::kProven || status == ProofStatus::kApproved; }
};

// One claim that a coordinator decided: `owner` keeps the key, each of
// `overruled` loses it (its claim stays in its registration but routes
// nowhere). A claimant not named in either reopens the conflict.
struct Resolution {
  ClaimKind kind = ClaimKind::kDomain;
  std::string key;  // as Entry::key
  std::string owner;
  std::vector<std::string> overruled;
  std::string reason;
  std::string by;
  std::string at;
};

// A key claimed by more than one member and not (or no longer) resolved.
struct Conflict {
  ClaimKind kind = ClaimKind::kDomain;
  std::string key;
  std::vector<std::string> claimants;  // sorted
  std::vector<std::string> proven;     // for domains: the claimants that proved it
};

struct MemberRegister {
  std::string org_code;
  Registration registration;
  std::int64_t version = 0;  // of the presence record; 0 when never registered
  std::string updated;       // RFC 3339 of that version; empty when never
  std::int64_t proofs_version = 0;
  std::map<std::string, DomainProof> proofs;  // by domain, only domains in the registration
  // The proof of `domain`; an unproven one when none.
  DomainProof Proof(const std::string& domain) const;
};

Result<MemberRegister> LoadMember(Store& store, std::string_view org_code);
// Every member that has registered anything, ordered by code.
Result<std::vector<MemberRegister>> LoadMembers(Store& store);
Result<std::vector<Resolution>> LoadResolutions(Store& store);

// Replaces the member's registration; the proofs of domains it no longer
// lists are dropped (a domain removed and added again must be proven again).
// `expected_version` as RecordWrite (nullopt: regardless).
Result<MemberRegister> SaveRegistration(Store& store, std::string_view org_code, const Registration& registration,
                                        std::string_view actor, std::optional<std::int64_t> expected_version);

// Issues a fresh challenge token for a domain the member has registered
// (kNotFound otherwise) and returns it; a new challenge replaces a pending
// one, and leaves a proven domain proven.
Result<std::string> IssueChallenge(Store& store, std::string_view org_code, std::string_view domain,
                                   std::string_view actor);

struct VerifyOutcome {
  bool proven = false;
  std::string reason;  // why not, when not
  DomainProof proof;
};
// Looks up TXT _dannevirke-challenge.<domain> with `resolver` and marks the
// domain proven when one of the strings equals the member's own pending
// token. Audited either way (kProveAction / kProveFailedAction). kNotFound
// when the domain is not registered; kConflict when no challenge was issued.
// A resolver failure is an outcome (proven = false, the reason), not an error.
Result<VerifyOutcome> VerifyDomain(Store& store, std::string_view org_code, std::string_view domain,
                                   TxtResolver& resolver, std::string_view actor);

// A coordinator's approval of a registered domain without DNS proof;
// `reason` must not be empty. Audited (kApproveAction).
Result<DomainProof> ApproveDomain(Store& store, std::string_view org_code, std::string_view domain,
                                  std::string_view reason, std::string_view actor);

// Open conflicts, in kind then key order; of one member when `org_code` is set.
Result<std::vector<Conflict>> OpenConflicts(Store& store, std::optional<std::string_view> org_code = std::nullopt);
// Resolves the open conflict on (kind, key) for `owner`, one of its
// claimants; every other claimant is overruled. kNotFound when no such
// conflict is open; kInvalidArgument when `owner` does not claim it or the
// reason is empty. `recorded_by_org` is the organisation of the coordinator
// (the resolutions record belongs to it). Audited (kResolveAction).
Result<Resolution> ResolveConflict(Store& store, ClaimKind kind, std::string_view key, std::string_view owner,
                                   std::string_view reason, std::string_view actor, std::string_view recorded_by_org);

// Every member's routable presence: its proven or approved domains, its
// prefixes and AS numbers, less what a coordinator overruled. Ordered by
// code. This is what the protection feeds add to the national never-block
// list, and what the routing table is built from.
Result<std::vector<Presence>> LoadProvenPresence(Store& store);
// A prefix registered inside another member's prefix (a municipality's /24
// inside its region's /16 — or a member trying to take over part of
// another's space by longest match). Such a prefix routes only once a
// coordinator approved it for its owner; until then the outer prefix's owner
// keeps the addresses. Listed for the coordinator, approved or not.
struct Nested {
  std::string inner;
  std::vector<std::string> inner_owners;
  std::string outer;
  std::vector<std::string> outer_owners;
  std::vector<std::string> approved;  // inner owners a coordinator approved for this prefix
};
Result<std::vector<Nested>> LoadNested(Store& store);
struct NestingApproval {
  std::string prefix;  // as Entry::key
  std::string owner;
  std::string reason;
  std::string by;
  std::string at;
};
Result<std::vector<NestingApproval>> LoadNestingApprovals(Store& store);
// Approves `prefix` (which `owner` must have registered) to route to `owner`
// although it lies inside another member's prefix. The record belongs to
// `recorded_by_org` (the coordinator's organisation). Audited
// (kNestingAction). kNotFound when the owner has not registered the prefix;
// kInvalidArgument for a bad prefix or an empty reason.
Result<NestingApproval> ApproveNesting(Store& store, std::string_view prefix, std::string_view owner,
                                       std::string_view reason, std::string_view actor,
                                       std::string_view recorded_by_org);
// The table reports are routed with: the proven presence, less prefixes
// nested inside another member's that a coordinator has not approved.
Result<RoutingTable> LoadRoutingTable(Store& store, const PublicSuffixList& suffixes = PublicSuffixList::System());

struct Coverage {
  std::int64_t organisations = 0;  // in the register of organisations
  std::int64_t registered = 0;     // members that registered anything
  std::int64_t with_domains = 0;
  std::int64_t with_prefixes = 0;
  std::int64_t with_asns = 0;
  std::int64_t with_proven_domain = 0;  // members with at least one proven or approved domain
  std::int64_t domains = 0;
  std::int64_t domains_proven = 0;    // by DNS
  std::int64_t domains_approved = 0;  // by a coordinator
  std::int64_t prefixes = 0;
  std::int64_t asns = 0;
  std::int64_t urls = 0;
  std::int64_t open_conflicts = 0;
};
Result<Coverage> LoadCoverage(Store& store);

}  // namespace dv::reg
