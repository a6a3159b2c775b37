// SPDX-License-Identifier: Apache-2.0
#include "register/register_store.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <set>

#include "core/time.h"
#include "core/uuid.h"
#include "protect/value.h"

namespace dv::reg {
namespace {

using Json = nlohmann::json;

constexpr std::string_view kNational = "national";

std::optional<ProofStatus> ProofStatusFromName(std::string_view name) {
  for (const auto status :
       {ProofStatus::kUnproven, ProofStatus::kPending, ProofStatus::kProven, ProofStatus::kApproved}) {
    if (ProofStatusName(status) == name) return status;
  }
  return std::nullopt;
}

std::optional<ClaimKind> ClaimKindFromName(std::string_view name) {
  for (const auto kind : {ClaimKind::kPrefix, ClaimKind::kDomain, ClaimKind::kAsn}) {
    if (ClaimKindName(kind) == name) return kind;
  }
  return std::nullopt;
}

Json ProofJson(const DomainProof& proof) {
  return {{"status", ProofStatusName(proof.status)},
          {"token", proof.token},
          {"issued", proof.issued},
          {"at", proof.at},
          {"by", proof.by},
          {"method", proof.method},
          {"reason", proof.reason}};
}

DomainProof ProofFromJson(const Json& body) {
  DomainProof proof;
  if (!body.is_object()) return proof;
  proof.status = ProofStatusFromName(body.value("status", std::string())).value_or(ProofStatus::kUnproven);
  proof.token = body.value("token", std::string());
  proof.issued = body.value("issued", std::string());
  proof.at = body.value("at", std::string());
  proof.by = body.value("by", std::string());
  proof.method = body.value("method", std::string());
  proof.reason = body.value("reason", std::string());
  return proof;
}

// The record, or nullopt when there is none (or it was deleted).
Result<std::optional<Record>> FindRecord(Store& store, std::string_view kind, std::string_view id) {
  auto record = store.GetRecord(kind, id);
  if (record.ok()) return std::optional<Record>(std::move(record).value());
  if (record.error().kind() == ErrorKind::kNotFound) return std::optional<Record>();
  return record.error();
}

Result<Json> ParseStored(const Record& record) {
  Json body = Json::parse(record.body, nullptr, /*allow_exceptions=*/false);
  if (!body.is_object()) return Error::Internal("stored record " + record.kind + " '" + record.id + "' is not JSON");
  return body;
}

Result<MemberRegister> FromRecords(std::string org_code, const std::optional<Record>& presence,
                                   const std::optional<Record>& proofs) {
  MemberRegister out;
  out.org_code = std::move(org_code);
  if (presence) {
    auto body = ParseStored(*presence);
    if (!body.ok()) return body.error();
    auto registration = RegistrationFromJson(*body);
    if (!registration.ok()) {
      return Error::Internal("stored registration of " + out.org_code + ": " + registration.error().message());
    }
    out.registration = std::move(registration).value();
    out.version = presence->version;
    out.updated = presence->at.ToRfc3339();
  }
  if (proofs) {
    auto body = ParseStored(*proofs);
    if (!body.ok()) return body.error();
    out.proofs_version = proofs->version;
    const Json domains = body->value("domains", Json::object());
    for (const auto& domain : out.registration.domains) {
      if (domains.contains(domain)) out.proofs[domain] = ProofFromJson(domains[domain]);
    }
  }
  return out;
}

Json ProofsJson(const std::map<std::string, DomainProof>& proofs) {
  Json domains = Json::object();
  for (const auto& [domain, proof] : proofs) domains[domain] = ProofJson(proof);
  return {{"domains", std::move(domains)}};
}

Status WriteProofs(Store& store, const MemberRegister& member, std::string_view actor) {
  RecordWrite write{std::string(kProofsKind), member.org_code, member.org_code, ProofsJson(member.proofs).dump(),
                    member.proofs_version};
  auto record = store.PutRecord(write, actor);
  if (!record.ok()) return record.error();
  return Ok();
}

// The member and its registered `domain` (normalised); kNotFound when the
// member has not registered it.
Result<std::pair<MemberRegister, std::string>> RegisteredDomain(Store& store, std::string_view org_code,
                                                                std::string_view domain) {
  auto name = protect::NormaliseDomain(domain);
  if (!name.ok()) return name.error().WithContext("domain");
  auto member = LoadMember(store, org_code);
  if (!member.ok()) return member.error();
  const auto& domains = member->registration.domains;
  if (!std::binary_search(domains.begin(), domains.end(), *name)) {
    return Error::NotFound(std::string(org_code) + " has not registered the domain '" + *name + "'");
  }
  return std::make_pair(std::move(member).value(), std::move(name).value());
}

// Every claim on each key: kind, key -> claimants (less the overruled).
using ClaimMap = std::map<std::pair<ClaimKind, std::string>, std::vector<std::string>>;

bool Overruled(const std::vector<Resolution>& resolutions, ClaimKind kind, const std::string& key,
               const std::string& org) {
  for (const auto& resolution : resolutions) {
    if (resolution.kind == kind && resolution.key == key &&
        std::find(resolution.overruled.begin(), resolution.overruled.end(), org) != resolution.overruled.end()) {
      return true;
    }
  }
  return false;
}

ClaimMap Claims(const std::vector<MemberRegister>& members, const std::vector<Resolution>& resolutions) {
  ClaimMap claims;
  const auto add = [&](ClaimKind kind, std::string key, const std::string& org) {
    if (!Overruled(resolutions, kind, key, org)) claims[{kind, std::move(key)}].push_back(org);
  };
  for (const auto& member : members) {
    for (const auto& domain : member.registration.domains) add(ClaimKind::kDomain, domain, member.org_code);
    for (const auto& prefix : member.registration.prefixes) {
      add(ClaimKind::kPrefix, protect::FormatNetworkWithLength(prefix), member.org_code);
    }
    for (const auto asn : member.registration.asns) add(ClaimKind::kAsn, std::to_string(asn), member.org_code);
  }
  return claims;
}

std::vector<Conflict> ConflictsOf(const std::vector<MemberRegister>& members,
                                  const std::vector<Resolution>& resolutions) {
  std::vector<Conflict> out;
  for (auto& [claim, claimants] : Claims(members, resolutions)) {
    if (claimants.size() < 2) continue;
    Conflict conflict{claim.first, claim.second, claimants, {}};
    std::sort(conflict.claimants.begin(), conflict.claimants.end());
    if (claim.first == ClaimKind::kDomain) {
      for (const auto& member : members) {
        if (std::binary_search(conflict.claimants.begin(), conflict.claimants.end(), member.org_code) &&
            member.Proof(claim.second).counts()) {
          conflict.proven.push_back(member.org_code);
        }
      }
    }
    out.push_back(std::move(conflict));
  }
  // Prefixes, domains, AS numbers: the routing table's order.
  std::stable_sort(out.begin(), out.end(), [](const Conflict& a, const Conflict& b) { return a.kind < b.kind; });
  return out;
}

}  // namespace

std::string_view ProofStatusName(ProofStatus status) {
  switch (status) {
    case ProofStatus::kUnproven:
      return "unproven";
    case ProofStatus::kPending:
      return "pending";
    case ProofStatus::kProven:
      return "proven";
    case ProofStatus::kApproved:
      return "approved";
  }
  return "unproven";
}

DomainProof MemberRegister::Proof(const std::string& domain) const {
  const auto found = proofs.find(domain);
  return found == proofs.end() ? DomainProof{} : found->second;
}

Result<MemberRegister> LoadMember(Store& store, std::string_view org_code) {
  auto presence = FindRecord(store, kPresenceKind, org_code);
  if (!presence.ok()) return presence.error();
  auto proofs = FindRecord(store, kProofsKind, org_code);
  if (!proofs.ok()) return proofs.error();
  return FromRecords(std::string(org_code), *presence, *proofs);
}

Result<std::vector<MemberRegister>> LoadMembers(Store& store) {
  auto presences = store.ListRecords({std::string(kPresenceKind), std::nullopt, false});
  if (!presences.ok()) return presences.error();
  auto proofs = store.ListRecords({std::string(kProofsKind), std::nullopt, false});
  if (!proofs.ok()) return proofs.error();
  std::map<std::string, Record> proofs_by_org;
  for (auto& record : *proofs) proofs_by_org.emplace(record.id, std::move(record));
  std::vector<MemberRegister> out;
  for (const auto& presence : *presences) {
    const auto found = proofs_by_org.find(presence.id);
    auto member = FromRecords(presence.id, presence,
                              found == proofs_by_org.end() ? std::nullopt : std::optional<Record>(found->second));
    if (!member.ok()) return member.error();
    out.push_back(std::move(member).value());
  }
  return out;
}

Result<std::vector<Resolution>> LoadResolutions(Store& store) {
  auto record = FindRecord(store, kResolutionsKind, kNational);
  if (!record.ok()) return record.error();
  std::vector<Resolution> out;
  if (!record->has_value()) return out;
  auto body = ParseStored(**record);
  if (!body.ok()) return body.error();
  for (const auto& item : body->value("resolutions", Json::array())) {
    Resolution resolution;
    resolution.kind = ClaimKindFromName(item.value("kind", std::string())).value_or(ClaimKind::kDomain);
    resolution.key = item.value("key", std::string());
    resolution.owner = item.value("owner", std::string());
    resolution.overruled = item.value("overruled", std::vector<std::string>());
    resolution.reason = item.value("reason", std::string());
    resolution.by = item.value("by", std::string());
    resolution.at = item.value("at", std::string());
    out.push_back(std::move(resolution));
  }
  return out;
}

Result<MemberRegister> SaveRegistration(Store& store, std::string_view org_code, const Registration& registration,
                                        std::string_view actor, std::optional<std::int64_t> expected_version) {
  Status written = store.InTransaction([&]() -> Status {
    auto current = LoadMember(store, org_code);
    if (!current.ok()) return current.error();
    RecordWrite write{std::string(kPresenceKind), std::string(org_code), std::string(org_code),
                      RegistrationJson(registration).dump(), expected_version};
    auto record = store.PutRecord(write, actor);
    if (!record.ok()) return record.error();
    // Proofs of the domains no longer listed lapse.
    std::map<std::string, DomainProof> kept;
    for (const auto& [domain, proof] : current->proofs) {
      if (std::binary_search(registration.domains.begin(), registration.domains.end(), domain)) {
        kept.emplace(domain, proof);
      }
    }
    if (kept.size() != current->proofs.size()) {
      current->proofs = std::move(kept);
      return WriteProofs(store, *current, actor);
    }
    return Ok();
  });
  if (!written.ok()) return written.error();
  return LoadMember(store, org_code);
}

Result<std::string> IssueChallenge(Store& store, std::string_view org_code, std::string_view domain,
                                   std::string_view actor) {
  auto found = RegisteredDomain(store, org_code, domain);
  if (!found.ok()) return found.error();
  MemberRegister& member = found->first;
  const std::string& name = found->second;
  DomainProof& proof = member.proofs[name];
  std::string random = Uuid::V4().ToString();
  random.erase(std::remove(random.begin(), random.end(), '-'), random.end());
  const std::string token = "dv-proof-" + random;  // 122 random bits
  proof.token = token;
  proof.issued = Timestamp::Now().ToRfc3339();
  if (!proof.counts()) proof.status = ProofStatus::kPending;
  if (auto status = WriteProofs(store, member, actor); !status.ok()) return status.error();
  return token;
}

Result<VerifyOutcome> VerifyDomain(Store& store, std::string_view org_code, std::string_view domain,
                                   TxtResolver& resolver, std::string_view actor) {
  auto found = RegisteredDomain(store, org_code, domain);
  if (!found.ok()) return found.error();
  MemberRegister& member = found->first;
  const std::string& name = found->second;
  DomainProof& proof = member.proofs[name];
  if (proof.token.empty()) {
    return Error::Conflict("no challenge was issued for '" + name + "'; ask for one first (POST …/challenge)");
  }
  const std::string record_name = std::string(kChallengeLabel) + "." + name;
  VerifyOutcome outcome;
  auto strings = resolver.Lookup(record_name);
  if (!strings.ok()) {
    outcome.reason = strings.error().message();
  } else if (strings->empty()) {
    outcome.reason = "no TXT record at " + record_name;
  } else if (std::find(strings->begin(), strings->end(), proof.token) == strings->end()) {
    outcome.reason = "no TXT record at " + record_name + " holds the token issued to " + std::string(org_code);
  } else {
    outcome.proven = true;
  }
  const std::string object = "register " + std::string(org_code) + " domain " + name;
  if (!outcome.proven) {
    (void)store.Audit(actor, kProveFailedAction, object, outcome.reason);
    outcome.proof = proof;
    return outcome;
  }
  proof.status = ProofStatus::kProven;
  proof.method = "dns";
  proof.at = Timestamp::Now().ToRfc3339();
  proof.by = std::string(actor);
  proof.reason.clear();
  Status written = store.InTransaction([&]() -> Status {
    DV_TRY(WriteProofs(store, member, actor));
    return store.Audit(actor, kProveAction, object, "TXT " + record_name);
  });
  if (!written.ok()) return written.error();
  outcome.proof = proof;
  return outcome;
}

Result<DomainProof> ApproveDomain(Store& store, std::string_view org_code, std::string_view domain,
                                  std::string_view reason, std::string_view actor) {
  if (reason.empty() || reason.size() > 1000) {
    return Error::InvalidArgument("reason: must say why, in 1 to 1000 characters");
  }
  auto found = RegisteredDomain(store, org_code, domain);
  if (!found.ok()) return found.error();
  MemberRegister& member = found->first;
  const std::string& name = found->second;
  DomainProof& proof = member.proofs[name];
  proof.status = ProofStatus::kApproved;
  proof.method = "coordinator";
  proof.at = Timestamp::Now().ToRfc3339();
  proof.by = std::string(actor);
  proof.reason = std::string(reason);
  Status written = store.InTransaction([&]() -> Status {
    DV_TRY(WriteProofs(store, member, actor));
    return store.Audit(actor, kApproveAction, "register " + std::string(org_code) + " domain " + name,
                       std::string(reason));
  });
  if (!written.ok()) return written.error();
  return proof;
}

Result<std::vector<Conflict>> OpenConflicts(Store& store, std::optional<std::string_view> org_code) {
  auto members = LoadMembers(store);
  if (!members.ok()) return members.error();
  auto resolutions = LoadResolutions(store);
  if (!resolutions.ok()) return resolutions.error();
  std::vector<Conflict> out = ConflictsOf(*members, *resolutions);
  if (org_code) {
    std::erase_if(out, [&](const Conflict& conflict) {
      return std::find(conflict.claimants.begin(), conflict.claimants.end(), *org_code) == conflict.claimants.end();
    });
  }
  return out;
}

Result<Resolution> ResolveConflict(Store& store, ClaimKind kind, std::string_view key, std::string_view owner,
                                   std::string_view reason, std::string_view actor, std::string_view recorded_by_org) {
  if (reason.empty() || reason.size() > 1000) {
    return Error::InvalidArgument("reason: must say why, in 1 to 1000 characters");
  }
  auto conflicts = OpenConflicts(store);
  if (!conflicts.ok()) return conflicts.error();
  const auto conflict = std::find_if(conflicts->begin(), conflicts->end(),
                                     [&](const Conflict& open) { return open.kind == kind && open.key == key; });
  if (conflict == conflicts->end()) {
    return Error::NotFound("no open conflict on the " + std::string(ClaimKindName(kind)) + " '" + std::string(key) +
                           "'");
  }
  if (std::find(conflict->claimants.begin(), conflict->claimants.end(), owner) == conflict->claimants.end()) {
    return Error::InvalidArgument("owner: '" + std::string(owner) + "' does not claim it");
  }
  Resolution resolution{kind,
                        std::string(key),
                        std::string(owner),
                        {},
                        std::string(reason),
                        std::string(actor),
                        Timestamp::Now().ToRfc3339()};
  for (const auto& claimant : conflict->claimants) {
    if (claimant != owner) resolution.overruled.push_back(claimant);
  }
  Status written = store.InTransaction([&]() -> Status {
    auto record = FindRecord(store, kResolutionsKind, kNational);
    if (!record.ok()) return record.error();
    Json body = {{"resolutions", Json::array()}};
    std::int64_t version = 0;
    if (record->has_value()) {
      auto stored = ParseStored(**record);
      if (!stored.ok()) return stored.error();
      body = std::move(stored).value();
      version = (*record)->version;
    }
    // A later decision on the same key replaces the earlier one.
    Json kept = Json::array();
    for (const auto& item : body.value("resolutions", Json::array())) {
      if (item.value("kind", std::string()) != ClaimKindName(kind) || item.value("key", std::string()) != key) {
        kept.push_back(item);
      }
    }
    kept.push_back({{"kind", ClaimKindName(kind)},
                    {"key", resolution.key},
                    {"owner", resolution.owner},
                    {"overruled", resolution.overruled},
                    {"reason", resolution.reason},
                    {"by", resolution.by},
                    {"at", resolution.at}});
    body["resolutions"] = std::move(kept);
    RecordWrite write{std::string(kResolutionsKind), std::string(kNational), std::string(recorded_by_org), body.dump(),
                      version};
    auto written_record = store.PutRecord(write, actor);
    if (!written_record.ok()) return written_record.error();
    return store.Audit(actor, kResolveAction, std::string(ClaimKindName(kind)) + " " + resolution.key,
                       "owner " + resolution.owner + ": " + resolution.reason);
  });
  if (!written.ok()) return written.error();
  return resolution;
}

Result<std::vector<Presence>> LoadProvenPresence(Store& store) {
  auto members = LoadMembers(store);
  if (!members.ok()) return members.error();
  auto resolutions = LoadResolutions(store);
  if (!resolutions.ok()) return resolutions.error();
  std::vector<Presence> out;
  for (const auto& member : *members) {
    Presence presence;
    presence.org_code = member.org_code;
    for (const auto& domain : member.registration.domains) {
      if (member.Proof(domain).counts() && !Overruled(*resolutions, ClaimKind::kDomain, domain, member.org_code)) {
        presence.domains.push_back(domain);
      }
    }
    for (const auto& prefix : member.registration.prefixes) {
      if (!Overruled(*resolutions, ClaimKind::kPrefix, protect::FormatNetworkWithLength(prefix), member.org_code)) {
        presence.prefixes.push_back(prefix);
      }
    }
    for (const auto asn : member.registration.asns) {
      if (!Overruled(*resolutions, ClaimKind::kAsn, std::to_string(asn), member.org_code)) {
        presence.asns.push_back(asn);
      }
    }
    out.push_back(std::move(presence));
  }
  return out;
}

Result<std::vector<NestingApproval>> LoadNestingApprovals(Store& store) {
  auto record = FindRecord(store, kNestingKind, kNational);
  if (!record.ok()) return record.error();
  std::vector<NestingApproval> out;
  if (!record->has_value()) return out;
  auto body = ParseStored(**record);
  if (!body.ok()) return body.error();
  for (const auto& item : body->value("approved", Json::array())) {
    out.push_back({item.value("prefix", std::string()), item.value("owner", std::string()),
                   item.value("reason", std::string()), item.value("by", std::string()),
                   item.value("at", std::string())});
  }
  return out;
}

Result<NestingApproval> ApproveNesting(Store& store, std::string_view prefix, std::string_view owner,
                                       std::string_view reason, std::string_view actor,
                                       std::string_view recorded_by_org) {
  auto network = protect::ParseNetwork(prefix);
  if (!network.ok()) return network.error().WithContext("prefix");
  const std::string key = protect::FormatNetworkWithLength(*network);
  if (reason.empty() || reason.size() > 1000) return Error::InvalidArgument("reason: 1-1000 bytes, required");
  auto member = LoadMember(store, owner);
  if (!member.ok()) return member.error();
  const auto& prefixes = member->registration.prefixes;
  if (std::none_of(prefixes.begin(), prefixes.end(),
                   [&](const IpNetwork& registered) { return protect::FormatNetworkWithLength(registered) == key; })) {
    return Error::NotFound(std::string(owner) + " has not registered the prefix " + key);
  }
  NestingApproval approval{key, std::string(owner), std::string(reason), std::string(actor),
                           Timestamp::Now().ToRfc3339()};
  Status written = store.InTransaction([&]() -> Status {
    auto record = FindRecord(store, kNestingKind, kNational);
    if (!record.ok()) return record.error();
    Json body = {{"approved", Json::array()}};
    std::int64_t version = 0;
    if (record->has_value()) {
      auto stored = ParseStored(**record);
      if (!stored.ok()) return stored.error();
      body = std::move(stored).value();
      version = (*record)->version;
    }
    Json kept = Json::array();
    for (const auto& item : body.value("approved", Json::array())) {
      if (item.value("prefix", std::string()) != key || item.value("owner", std::string()) != owner) {
        kept.push_back(item);
      }
    }
    kept.push_back({{"prefix", approval.prefix},
                    {"owner", approval.owner},
                    {"reason", approval.reason},
                    {"by", approval.by},
                    {"at", approval.at}});
    body["approved"] = std::move(kept);
    RecordWrite write{std::string(kNestingKind), std::string(kNational), std::string(recorded_by_org), body.dump(),
                      version};
    auto stored = store.PutRecord(write, actor);
    if (!stored.ok()) return stored.error();
    return store.Audit(actor, kNestingAction, key, "owner " + approval.owner + ": " + approval.reason);
  });
  if (!written.ok()) return written.error();
  return approval;
}

namespace {

bool NestingApproved(const std::vector<NestingApproval>& approvals, const std::string& prefix,
                     const std::string& owner) {
  return std::any_of(approvals.begin(), approvals.end(), [&](const NestingApproval& approval) {
    return approval.prefix == prefix && approval.owner == owner;
  });
}

}  // namespace

Result<RoutingTable> LoadRoutingTable(Store& store, const PublicSuffixList& suffixes) {
  auto presence = LoadProvenPresence(store);
  if (!presence.ok()) return presence.error();
  auto approvals = LoadNestingApprovals(store);
  if (!approvals.ok()) return approvals.error();
  RoutingTable table = RoutingTable::Build(*presence, suffixes);
  // Leave out unapproved prefixes nested inside another member's, until
  // nothing changes (leaving one out can nest a prefix below it in a third
  // member's; each round removes at least one prefix, so this ends).
  for (;;) {
    std::set<std::pair<std::string, std::string>> drop;  // (owner, prefix)
    for (const auto& [inner, outer] : table.NestedAcrossOwners()) {
      for (const auto& owner : inner->owners) {
        const bool also_outer = std::find(outer->owners.begin(), outer->owners.end(), owner) != outer->owners.end();
        if (!also_outer && !NestingApproved(*approvals, inner->key, owner)) drop.insert({owner, inner->key});
      }
    }
    if (drop.empty()) return table;
    for (auto& member : *presence) {
      std::erase_if(member.prefixes, [&](const IpNetwork& prefix) {
        return drop.count({member.org_code, protect::FormatNetworkWithLength(prefix)}) > 0;
      });
    }
    table = RoutingTable::Build(*presence, suffixes);
  }
}

Result<std::vector<Nested>> LoadNested(Store& store) {
  auto presence = LoadProvenPresence(store);
  if (!presence.ok()) return presence.error();
  auto approvals = LoadNestingApprovals(store);
  if (!approvals.ok()) return approvals.error();
  const RoutingTable table = RoutingTable::Build(*presence);
  std::vector<Nested> out;
  for (const auto& [inner, outer] : table.NestedAcrossOwners()) {
    Nested nested{inner->key, inner->owners, outer->key, outer->owners, {}};
    for (const auto& owner : inner->owners) {
      if (NestingApproved(*approvals, inner->key, owner)) nested.approved.push_back(owner);
    }
    out.push_back(std::move(nested));
  }
  return out;
}

Result<Coverage> LoadCoverage(Store& store) {
  Coverage out;
  OrganisationQuery query;
  query.limit = 1;
  auto organisations = store.ListOrganisations(query);
  if (!organisations.ok()) return organisations.error();
  out.organisations = organisations->total;
  auto members = LoadMembers(store);
  if (!members.ok()) return members.error();
  auto resolutions = LoadResolutions(store);
  if (!resolutions.ok()) return resolutions.error();
  for (const auto& member : *members) {
    const Registration& registration = member.registration;
    if (registration.empty()) continue;
    ++out.registered;
    out.with_domains += registration.domains.empty() ? 0 : 1;
    out.with_prefixes += registration.prefixes.empty() ? 0 : 1;
    out.with_asns += registration.asns.empty() ? 0 : 1;
    out.domains += static_cast<std::int64_t>(registration.domains.size());
    out.prefixes += static_cast<std::int64_t>(registration.prefixes.size());
    out.asns += static_cast<std::int64_t>(registration.asns.size());
    out.urls += static_cast<std::int64_t>(registration.urls.size());
    bool any_proven = false;
    for (const auto& domain : registration.domains) {
      const DomainProof proof = member.Proof(domain);
      out.domains_proven += proof.status == ProofStatus::kProven ? 1 : 0;
      out.domains_approved += proof.status == ProofStatus::kApproved ? 1 : 0;
      any_proven = any_proven || proof.counts();
    }
    out.with_proven_domain += any_proven ? 1 : 0;
  }
  out.open_conflicts = static_cast<std::int64_t>(ConflictsOf(*members, *resolutions).size());
  return out;
}

}  // namespace dv::reg
