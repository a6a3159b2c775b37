// SPDX-License-Identifier: Apache-2.0
// /api/v1/register/…: the members' register (issue 15, docs/register.md).
//   members/{code}                               the member's registration (GET, PUT: JSON or CSV)
//   members/{code}/domains/{domain}/challenge    a token to publish as TXT (POST)
//   members/{code}/domains/{domain}/verify       the hub looks the TXT record up (POST)
//   members/{code}/domains/{domain}/approve      a coordinator's approval with a reason (POST)
//   conflicts, conflicts/resolve                 the coordinator's list and decision
//   nested/approve                               a prefix inside another member's routes once approved
//   coverage                                     how much of the federation has registered
//   route                                        who an address, a name or an AS routes to
//
// Who reads what: a member's registration (with its proofs and the conflicts
// it is party to) is read by the member's own principals and coordinators,
// and written — registration, challenge, verify — by the member's people and
// administrators; anyone else gets 403 (audited). Approval, conflicts,
// coverage and routing are the coordinators'. A conflict names every
// claimant, so both members of a conflict see each other's claim on that
// one key, and nothing else of each other's registration.
//
// The TXT look-up uses the resolver named by DV_REGISTER_RESOLVER
// ("127.0.0.1@5353"), or the system's; it blocks the request's worker for at
// most 5 s.

#include <httplib.h>

#include <array>
#include <memory>

#include "hub/api.h"
#include "hub/module.h"
#include "hub/router.h"
#include "protect/value.h"
#include "register/register_store.h"

namespace dv::hub {

namespace {

using reg::ClaimKind;

Json ProofJson(const std::string& domain, const reg::DomainProof& proof) {
  Json out = {{"name", domain}, {"status", reg::ProofStatusName(proof.status)}};
  if (!proof.method.empty()) out["method"] = proof.method;
  if (!proof.at.empty()) out["at"] = proof.at;
  if (!proof.by.empty()) out["by"] = proof.by;
  if (!proof.reason.empty()) out["reason"] = proof.reason;
  if (!proof.token.empty()) {
    out["challenge"] = {
        {"record", std::string(reg::kChallengeLabel) + "." + domain}, {"token", proof.token}, {"issued", proof.issued}};
  }
  return out;
}

Json ConflictJson(const reg::Conflict& conflict) {
  return {{"kind", reg::ClaimKindName(conflict.kind)},
          {"key", conflict.key},
          {"claimants", conflict.claimants},
          {"proven", conflict.proven}};
}

Json EntryJson(const reg::Entry* entry) {
  if (entry == nullptr) return nullptr;
  return {{"kind", reg::ClaimKindName(entry->kind)},
          {"key", entry->key},
          {"owners", entry->owners},
          {"conflict", entry->conflict()}};
}

std::optional<ClaimKind> KindNamed(const std::string& name) {
  for (const auto kind : {ClaimKind::kPrefix, ClaimKind::kDomain, ClaimKind::kAsn}) {
    if (reg::ClaimKindName(kind) == name) return kind;
  }
  return std::nullopt;
}

// A body {"reason": "..."} (and the fields in `more`); kInvalidArgument
// naming an unknown field or a missing reason.
Result<Json> ReasonBody(const httplib::Request& req, const std::set<std::string>& more = {}) {
  auto body = JsonBody(req);
  if (!body.ok()) return body.error();
  for (const auto& [key, value] : body->items()) {
    if (key != "reason" && !more.count(key)) return Error::InvalidArgument(key + ": unknown field");
    if (!value.is_string()) return Error::InvalidArgument(key + ": must be a string");
  }
  if (!body->contains("reason")) return Error::InvalidArgument("reason: required");
  return body;
}

class RegisterApi {
 public:
  explicit RegisterApi(ApiContext& context) : context_(context) {}

  void Register(Router& server) {
    const std::string member = R"(/api/v1/register/members/([A-Za-z0-9_.-]{1,64}))";
    const std::string domain = member + R"(/domains/([A-Za-z0-9.-]{1,253}))";
    server.Get(member, context_.Route(this, &RegisterApi::GetMember));
    server.Put(member, context_.Route(this, &RegisterApi::PutMember));
    server.Post(domain + "/challenge", context_.Route(this, &RegisterApi::Challenge));
    server.Post(domain + "/verify", context_.Route(this, &RegisterApi::Verify));
    server.Post(domain + "/approve", context_.Route(this, &RegisterApi::Approve));
    server.Get("/api/v1/register/conflicts", context_.Route(this, &RegisterApi::ListConflicts));
    server.Post("/api/v1/register/conflicts/resolve", context_.Route(this, &RegisterApi::Resolve));
    server.Post("/api/v1/register/nested/approve", context_.Route(this, &RegisterApi::ApproveNested));
    server.Get("/api/v1/register/coverage", context_.Route(this, &RegisterApi::GetCoverage));
    server.Get("/api/v1/register/route", context_.Route(this, &RegisterApi::GetRoute));
  }

 private:
  Result<Organisation> PathOrganisation(const httplib::Request& req) {
    const std::string code = req.matches[1].str();
    auto organisation = context_.store().GetOrganisation(code);
    if (!organisation.ok() && organisation.error().kind() == ErrorKind::kNotFound) {
      return Error::NotFound("no organisation has the code '" + code + "'");
    }
    return organisation;
  }

  Result<Json> MemberJson(const std::string& code) {
    auto member = reg::LoadMember(context_.store(), code);
    if (!member.ok()) return member.error();
    auto conflicts = reg::OpenConflicts(context_.store(), code);
    if (!conflicts.ok()) return conflicts.error();
    Json lists = reg::RegistrationJson(member->registration);
    Json domains = Json::array();
    for (const auto& name : member->registration.domains) domains.push_back(ProofJson(name, member->Proof(name)));
    Json conflict_list = Json::array();
    for (const auto& conflict : *conflicts) conflict_list.push_back(ConflictJson(conflict));
    Json out = {{"organisation", code},
                {"version", member->version},
                {"domains", std::move(domains)},
                {"prefixes", lists["prefixes"]},
                {"asns", lists["asns"]},
                {"urls", lists["urls"]},
                {"conflicts", std::move(conflict_list)}};
    if (!member->updated.empty()) out["updated"] = member->updated;
    return out;
  }

  void GetMember(const httplib::Request& req, httplib::Response& res, const Principal& principal) {
    if (auto status = CheckParams(req, {}); !status.ok()) return SendError(res, status.error());
    auto organisation = PathOrganisation(req);
    if (!organisation.ok()) return SendError(res, organisation.error());
    if (!CanReadOrgRecords(principal, organisation->code)) {
      return context_.Forbid(principal, req, res, "the register entry of " + organisation->code);
    }
    auto out = MemberJson(organisation->code);
    if (!out.ok()) return SendError(res, out.error());
    SendJson(res, 200, *out);
  }

  void PutMember(const httplib::Request& req, httplib::Response& res, const Principal& principal) {
    if (auto status = CheckParams(req, {}); !status.ok()) return SendError(res, status.error());
    auto organisation = PathOrganisation(req);
    if (!organisation.ok()) return SendError(res, organisation.error());
    if (!CanWriteOrgRecords(principal, organisation->code)) {
      return context_.Forbid(principal, req, res, "the register entry of " + organisation->code);
    }
    const bool csv = req.get_header_value("Content-Type").rfind("text/csv", 0) == 0;
    Result<reg::Registration> registration = Error::Internal("unset");
    if (csv) {
      registration = reg::RegistrationFromCsv(req.body);
    } else {
      auto body = JsonBody(req);
      if (!body.ok()) return SendError(res, body.error());
      registration = reg::RegistrationFromJson(*body);
    }
    if (!registration.ok()) return SendError(res, registration.error());
    auto saved = reg::SaveRegistration(context_.store(), organisation->code, *registration,
                                       ApiContext::Actor(principal), std::nullopt);
    if (!saved.ok()) return SendError(res, saved.error());
    auto out = MemberJson(organisation->code);
    if (!out.ok()) return SendError(res, out.error());
    SendJson(res, 200, *out);
  }

  // The organisation and domain of a …/domains/{domain}/… path, for a
  // principal that may write the member's records.
  bool DomainRequest(const httplib::Request& req, httplib::Response& res, const Principal& principal,
                     bool coordinator_only, std::string& code, std::string& domain) {
    if (auto status = CheckParams(req, {}); !status.ok()) {
      SendError(res, status.error());
      return false;
    }
    auto organisation = PathOrganisation(req);
    if (!organisation.ok()) {
      SendError(res, organisation.error());
      return false;
    }
    code = organisation->code;
    domain = req.matches[2].str();
    const bool allowed = coordinator_only ? IsCoordinator(principal) : CanWriteOrgRecords(principal, code);
    if (!allowed) {
      context_.Forbid(
          principal, req, res,
          (coordinator_only ? "approving the domain " : "the proof of the domain ") + domain + " of " + code);
      return false;
    }
    return true;
  }

  void Challenge(const httplib::Request& req, httplib::Response& res, const Principal& principal) {
    std::string code;
    std::string domain;
    if (!DomainRequest(req, res, principal, false, code, domain)) return;
    auto token = reg::IssueChallenge(context_.store(), code, domain, ApiContext::Actor(principal));
    if (!token.ok()) return SendError(res, token.error());
    auto member = reg::LoadMember(context_.store(), code);
    if (!member.ok()) return SendError(res, member.error());
    const std::string name = protect::NormaliseDomain(domain).value();
    Json out = ProofJson(name, member->Proof(name));
    out["instructions"] = "Publish a TXT record at " + std::string(reg::kChallengeLabel) + "." + name +
                          " whose text is the token, then POST …/verify. The token proves this domain for " + code +
                          " only.";
    SendJson(res, 201, out);
  }

  void Verify(const httplib::Request& req, httplib::Response& res, const Principal& principal) {
    std::string code;
    std::string domain;
    if (!DomainRequest(req, res, principal, false, code, domain)) return;
    auto resolver = reg::ResolverFromEnvironment();
    auto outcome = reg::VerifyDomain(context_.store(), code, domain, *resolver, ApiContext::Actor(principal));
    if (!outcome.ok()) return SendError(res, outcome.error());
    const std::string name = protect::NormaliseDomain(domain).value();
    Json out = {{"domain", ProofJson(name, outcome->proof)}, {"proven", outcome->proven}};
    if (!outcome->proven) out["reason"] = outcome->reason;
    SendJson(res, 200, out);
  }

  void Approve(const httplib::Request& req, httplib::Response& res, const Principal& principal) {
    std::string code;
    std::string domain;
    if (!DomainRequest(req, res, principal, true, code, domain)) return;
    auto body = ReasonBody(req);
    if (!body.ok()) return SendError(res, body.error());
    auto proof = reg::ApproveDomain(context_.store(), code, domain, (*body)["reason"].get<std::string>(),
                                    ApiContext::Actor(principal));
    if (!proof.ok()) return SendError(res, proof.error());
    SendJson(res, 200, ProofJson(protect::NormaliseDomain(domain).value(), *proof));
  }

  void ListConflicts(const httplib::Request& req, httplib::Response& res, const Principal& principal) {
    if (auto status = CheckParams(req, {}); !status.ok()) return SendError(res, status.error());
    if (!IsCoordinator(principal)) return context_.Forbid(principal, req, res, "the register's conflicts");
    auto conflicts = reg::OpenConflicts(context_.store());
    if (!conflicts.ok()) return SendError(res, conflicts.error());
    auto resolutions = reg::LoadResolutions(context_.store());
    if (!resolutions.ok()) return SendError(res, resolutions.error());
    Json open = Json::array();
    for (const auto& conflict : *conflicts) open.push_back(ConflictJson(conflict));
    Json resolved = Json::array();
    for (const auto& resolution : *resolutions) {
      resolved.push_back({{"kind", reg::ClaimKindName(resolution.kind)},
                          {"key", resolution.key},
                          {"owner", resolution.owner},
                          {"overruled", resolution.overruled},
                          {"reason", resolution.reason},
                          {"by", resolution.by},
                          {"at", resolution.at}});
    }
    auto nested = reg::LoadNested(context_.store());
    if (!nested.ok()) return SendError(res, nested.error());
    Json nested_list = Json::array();
    for (const auto& pair : *nested) {
      nested_list.push_back({{"inner", pair.inner},
                             {"inner_owners", pair.inner_owners},
                             {"outer", pair.outer},
                             {"outer_owners", pair.outer_owners},
                             {"approved", pair.approved}});
    }
    SendJson(res, 200,
             {{"open", std::move(open)}, {"resolved", std::move(resolved)}, {"nested", std::move(nested_list)}});
  }

  void Resolve(const httplib::Request& req, httplib::Response& res, const Principal& principal) {
    if (auto status = CheckParams(req, {}); !status.ok()) return SendError(res, status.error());
    if (!IsCoordinator(principal)) return context_.Forbid(principal, req, res, "resolving a register conflict");
    auto body = ReasonBody(req, {"kind", "key", "owner"});
    if (!body.ok()) return SendError(res, body.error());
    for (const auto* field : {"kind", "key", "owner"}) {
      if (!body->contains(field)) return SendError(res, Error::InvalidArgument(std::string(field) + ": required"));
    }
    const auto kind = KindNamed((*body)["kind"].get<std::string>());
    if (!kind) return SendError(res, Error::InvalidArgument("kind: must be prefix, domain or asn"));
    auto resolution = reg::ResolveConflict(context_.store(), *kind, (*body)["key"].get<std::string>(),
                                           (*body)["owner"].get<std::string>(), (*body)["reason"].get<std::string>(),
                                           ApiContext::Actor(principal), principal.member.org_code);
    if (!resolution.ok()) return SendError(res, resolution.error());
    SendJson(res, 200,
             {{"kind", reg::ClaimKindName(resolution->kind)},
              {"key", resolution->key},
              {"owner", resolution->owner},
              {"overruled", resolution->overruled},
              {"reason", resolution->reason},
              {"by", resolution->by},
              {"at", resolution->at}});
  }

  void ApproveNested(const httplib::Request& req, httplib::Response& res, const Principal& principal) {
    if (auto status = CheckParams(req, {}); !status.ok()) return SendError(res, status.error());
    if (!IsCoordinator(principal)) return context_.Forbid(principal, req, res, "approving a nested prefix");
    auto body = ReasonBody(req, {"prefix", "owner"});
    if (!body.ok()) return SendError(res, body.error());
    for (const auto* field : {"prefix", "owner"}) {
      if (!body->contains(field)) return SendError(res, Error::InvalidArgument(std::string(field) + ": required"));
    }
    auto approval = reg::ApproveNesting(context_.store(), (*body)["prefix"].get<std::string>(),
                                        (*body)["owner"].get<std::string>(), (*body)["reason"].get<std::string>(),
                                        ApiContext::Actor(principal), principal.member.org_code);
    if (!approval.ok()) return SendError(res, approval.error());
    SendJson(res, 200,
             {{"prefix", approval->prefix},
              {"owner", approval->owner},
              {"reason", approval->reason},
              {"by", approval->by},
              {"at", approval->at}});
  }

  void GetCoverage(const httplib::Request& req, httplib::Response& res, const Principal& principal) {
    if (auto status = CheckParams(req, {}); !status.ok()) return SendError(res, status.error());
    if (!IsCoordinator(principal)) return context_.Forbid(principal, req, res, "the register's coverage");
    auto coverage = reg::LoadCoverage(context_.store());
    if (!coverage.ok()) return SendError(res, coverage.error());
    SendJson(res, 200,
             {{"organisations", coverage->organisations},
              {"registered", coverage->registered},
              {"with_domains", coverage->with_domains},
              {"with_prefixes", coverage->with_prefixes},
              {"with_asns", coverage->with_asns},
              {"with_proven_domain", coverage->with_proven_domain},
              {"domains", coverage->domains},
              {"domains_proven", coverage->domains_proven},
              {"domains_approved", coverage->domains_approved},
              {"prefixes", coverage->prefixes},
              {"asns", coverage->asns},
              {"urls", coverage->urls},
              {"open_conflicts", coverage->open_conflicts}});
  }

  void GetRoute(const httplib::Request& req, httplib::Response& res, const Principal& principal) {
    if (auto status = CheckParams(req, {"address", "domain", "asn"}); !status.ok()) {
      return SendError(res, status.error());
    }
    if (!IsCoordinator(principal)) return context_.Forbid(principal, req, res, "the register's routing table");
    std::optional<IpAddress> address;
    std::string domain;
    std::optional<std::uint32_t> asn;
    if (req.has_param("address")) {
      auto network = protect::ParseNetwork(req.get_param_value("address"));
      if (!network.ok() || network->prefix != (network->address.v6 ? 128 : 32)) {
        return SendError(res, Error::InvalidArgument("query parameter 'address' must be one IPv4 or IPv6 address"));
      }
      address = network->address;
    }
    if (req.has_param("domain")) {
      auto name = protect::NormaliseDomain(req.get_param_value("domain"));
      if (!name.ok()) return SendError(res, name.error().WithContext("query parameter 'domain'"));
      domain = *name;
    }
    if (req.has_param("asn")) {
      auto number = reg::ParseAsn(req.get_param_value("asn"));
      if (!number.ok()) return SendError(res, number.error().WithContext("query parameter 'asn'"));
      asn = *number;
    }
    if (!address && domain.empty() && !asn) {
      return SendError(res, Error::InvalidArgument("give at least one of the query parameters address, domain, asn"));
    }
    auto table = reg::LoadRoutingTable(context_.store());
    if (!table.ok()) return SendError(res, table.error());
    const reg::Route route = table->RouteRow(address, domain, asn);
    Json chain = Json::array();
    if (address) {
      for (const reg::Entry* entry : table->MatchChain(*address)) chain.push_back(EntryJson(entry));
    }
    Json out = {{"match", EntryJson(route.entry)}, {"chain", std::move(chain)}};
    if (route.entry != nullptr) out["by"] = reg::ClaimKindName(route.by);
    SendJson(res, 200, out);
  }

  ApiContext& context_;
};

void RegisterRegisterApi(Router& server, ApiContext& context) {
  auto module = std::make_shared<RegisterApi>(context);
  module->Register(server);
  context.Keep(module);
}

constexpr std::array<std::string_view, 1> kRegisterPathPrefixes = {"/api/v1/register"};
constexpr std::array<std::string_view, 4> kRegisterRecordKinds = {reg::kPresenceKind, reg::kProofsKind,
                                                                  reg::kResolutionsKind, reg::kNestingKind};
constexpr std::array<std::string_view, 5> kRegisterAuditActions = {
    reg::kProveAction, reg::kProveFailedAction, reg::kApproveAction, reg::kResolveAction, reg::kNestingAction};

}  // namespace

extern const Module kRegisterModule;
constinit const Module kRegisterModule{
    .name = "register",
    .register_routes = &RegisterRegisterApi,
    .openapi_fragment = "register.openapi.json",
    .path_prefixes = kRegisterPathPrefixes,
    .record_kinds = kRegisterRecordKinds,
    .audit_actions = kRegisterAuditActions,
    .dashboard_route = "#/register",
};

}  // namespace dv::hub
