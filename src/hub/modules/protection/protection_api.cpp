// SPDX-License-Identifier: Apache-2.0
// /api/v1/protection/…: members' protection feeds (issue 14, docs/protect.md).
//   members/{code}/profile          the feed settings (GET, PUT)
//   members/{code}/{feed,rpz,rpz/mapping,lists/<format>}
//                                   the feed report, the RPZ zone with its
//                                   owner-name mapping, the firewall lists
//   members/{code}/tokens           read-only feed tokens (GET, POST, DELETE …/{id})
//   feeds/{token}/<format>          the same feed, for a resolver or firewall
//                                   that cannot send an Authorization header
//   members/{code}/history          every serial, what it added and withdrew, why
//   members/{code}/pin              roll the feed back to an earlier serial (PUT, DELETE)
//   freeze                          the coordinator's national freeze (GET, PUT)
//   never-block                     the national never-block list (GET, PUT)
//   national                        the coordinator's view of every member's feed
//
// Candidates are the indicators the member may read, as the indicators
// module's board (hub/modules/indicators/indicator_board.h) shows them to the
// member's organisation: only active ones (not a false positive, expired,
// decayed or revoked). A candidate is corroborated when a sensor of another
// organisation than its producer sighted it (a sighting the member may see);
// the coordinator's own indicators count as approved (protect/feed.h).
// Never-block: the public sector's services (protect::PublicSectorNeverBlock),
// the coordinator's list and every member's proven domains (the register),
// for every member; the member's allow-list and registered prefixes for its
// own feed; the bundled warning lists (WarningLists::BuiltIn()).
//
// The serial only grows: it is kept per member as the versions of a record
// (protection.serial, feed_history.h) with a digest of the feed's content and
// what changed, and moves to max(last serial + 1, the newest change-feed
// sequence the member sees) when the content differs — so a verdict or a
// decay that changes no STIX object still gives a new serial, and an
// unchanged feed keeps its ETag. A rollback writes a new serial whose entries
// are an earlier serial's and pins the feed there until the member lifts it;
// a national freeze serves every member the entries of its last serial.
//
// Who reads what: the profile is read by the member's own principals and
// coordinators, and written by the member's people and administrators. The
// feed (report, zone, lists, history) is read by the member's own principals
// (persons, sensors, feed tokens) and administrators; anyone else gets 403
// (audited). An administrator's copy holds only what both the member and the
// administrator may see, so the feed never shows anyone a value its TLP
// withholds. Tokens, rollback: the member's people and administrators. The
// freeze and the never-block list are read by every principal and written by
// coordinators; the national view is the coordinators'.
//
// A feed token is a random 256-bit secret ("dvf_…"), stored as its SHA-256
// hash in a protection.token record; it authenticates nothing but the feed
// routes of its member, and every fetch with it is audited under its id.
//
// Cost: a feed is built at most once per kCacheMs per (reader, member)
// and per write through this module, so polling resolvers and floods share
// one build; the cache is per process (several hub instances each keep one).

#include <httplib.h>
#include <openssl/crypto.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>

#include "detect/indicators/warning_list.h"
#include "hub/api.h"
#include "hub/auth.h"
#include "hub/module.h"
#include "hub/modules/indicators/indicator_board.h"
#include "hub/modules/protection/feed_history.h"
#include "hub/router.h"
#include "protect/feed.h"
#include "protect/lists.h"
#include "protect/rpz.h"
#include "protect/value.h"
#include "register/register_store.h"

namespace dv::hub {

namespace {

constexpr std::string_view kProfileKind = "protection.profile";
constexpr std::string_view kSerialKind = "protection.serial";
constexpr std::string_view kTokenKind = "protection.token";
constexpr std::string_view kPinKind = "protection.pin";
constexpr std::string_view kFreezeKind = "protection.freeze";
constexpr std::string_view kNeverBlockKind = "protection.never_block";
constexpr std::string_view kNational = "national";  // the record id of the freeze and the never-block list
constexpr std::string_view kFetchAction = "protection.feed.fetch";
constexpr std::string_view kPinAction = "protection.rollback";
constexpr std::string_view kUnpinAction = "protection.rollback.end";
constexpr std::string_view kFreezeAction = "protection.freeze";
constexpr std::string_view kThawAction = "protection.thaw";

// A member's stored profile: protect's Profile and the member's allow-list.
struct MemberProfile {
  protect::Profile profile;
  protect::ProtectedValues allow;
};

Json ProfileJson(const MemberProfile& stored) {
  const protect::Profile& profile = stored.profile;
  Json kinds = Json::array();
  for (const auto kind : profile.kinds) kinds.push_back(protect::ValueKindName(kind));
  return {{"min_confidence", profile.min_confidence},
          {"trusted_producers", profile.trusted_producers},
          {"collections", profile.collections},
          {"kinds", std::move(kinds)},
          {"max_entries", profile.max_entries},
          {"action", protect::ActionName(profile.action)},
          {"walled_garden", profile.walled_garden},
          {"monitor_only", profile.monitor_only},
          {"require_corroboration", profile.require_corroboration},
          {"min_prefix_v4", profile.min_prefix_v4},
          {"min_prefix_v6", profile.min_prefix_v6},
          {"allow", {{"domains", stored.allow.domains}, {"networks", stored.allow.networks}}}};
}

Error FieldError(const std::string& field, const std::string& what) {
  return Error::InvalidArgument(field + ": " + what);
}

Result<std::vector<std::string>> StringList(const Json& value, const std::string& field) {
  if (!value.is_array()) return FieldError(field, "must be an array of strings");
  std::vector<std::string> out;
  for (std::size_t idx = 0; idx < value.size(); ++idx) {
    if (!value[idx].is_string()) return FieldError(field + "[" + std::to_string(idx) + "]", "must be a string");
    out.push_back(value[idx].get<std::string>());
  }
  return out;
}

Result<int> Integer(const Json& value, const std::string& field, std::int64_t max) {
  if (!value.is_number_integer() || value.get<std::int64_t>() < 0 || value.get<std::int64_t>() > max) {
    return FieldError(field, "must be an integer from 0 to " + std::to_string(max));
  }
  return static_cast<int>(value.get<std::int64_t>());
}

Result<bool> Boolean(const Json& value, const std::string& field) {
  if (!value.is_boolean()) return FieldError(field, "must be true or false");
  return value.get<bool>();
}

Status ReadAllow(const Json& value, protect::ProtectedValues& allow) {
  if (!value.is_object()) return FieldError("allow", "must be an object with 'domains' and 'networks'");
  for (const auto& [key, item] : value.items()) {
    const std::string field = "allow." + key;
    if (key != "domains" && key != "networks") return FieldError(field, "unknown field");
    auto list = StringList(item, field);
    if (!list.ok()) return list.error();
    for (std::size_t idx = 0; idx < list->size(); ++idx) {
      const std::string where = field + "[" + std::to_string(idx) + "]";
      if (key == "domains") {
        if (auto domain = protect::NormaliseDomain((*list)[idx]); !domain.ok()) {
          return domain.error().WithContext(where);
        }
      } else if (auto network = protect::ParseNetwork((*list)[idx]); !network.ok()) {
        return network.error().WithContext(where);
      }
    }
    (key == "domains" ? allow.domains : allow.networks) = std::move(list).value();
  }
  return Ok();
}

Status ReadField(const std::string& key, const Json& value, MemberProfile& out) {
  protect::Profile& profile = out.profile;
  if (key == "min_confidence") {
    if (!value.is_number()) return FieldError(key, "must be a number from 0 to 100");
    profile.min_confidence = value.get<double>();
  } else if (key == "trusted_producers" || key == "collections") {
    auto list = StringList(value, key);
    if (!list.ok()) return list.error();
    (key == "collections" ? profile.collections : profile.trusted_producers) = std::move(list).value();
  } else if (key == "kinds") {
    auto list = StringList(value, key);
    if (!list.ok()) return list.error();
    profile.kinds.clear();
    for (std::size_t idx = 0; idx < list->size(); ++idx) {
      const auto kind = protect::ValueKindFromName((*list)[idx]);
      if (!kind) return FieldError("kinds[" + std::to_string(idx) + "]", "domain, ipv4, ipv6, prefix or url");
      profile.kinds.push_back(*kind);
    }
  } else if (key == "max_entries") {
    auto number = Integer(value, key, 10'000'000);
    if (!number.ok()) return number.error();
    profile.max_entries = static_cast<std::size_t>(*number);
  } else if (key == "action") {
    const auto action = value.is_string() ? protect::ActionFromName(value.get<std::string>()) : std::nullopt;
    if (!action) return FieldError(key, "must be nxdomain, nodata, drop or walled-garden");
    profile.action = *action;
  } else if (key == "walled_garden") {
    if (!value.is_string()) return FieldError(key, "must be a host name");
    profile.walled_garden = value.get<std::string>();
  } else if (key == "monitor_only" || key == "require_corroboration") {
    auto flag = Boolean(value, key);
    if (!flag.ok()) return flag.error();
    (key == "monitor_only" ? profile.monitor_only : profile.require_corroboration) = *flag;
  } else if (key == "min_prefix_v4" || key == "min_prefix_v6") {
    auto number = Integer(value, key, 128);
    if (!number.ok()) return number.error();
    (key == "min_prefix_v4" ? profile.min_prefix_v4 : profile.min_prefix_v6) = *number;
  } else if (key == "allow") {
    return ReadAllow(value, out.allow);
  } else {
    return FieldError(key, "unknown field");
  }
  return Ok();
}

// A profile from JSON: every field optional (the default where absent); an
// unknown field or a bad value is refused naming the field.
Result<MemberProfile> ProfileFromJson(const Json& body) {
  MemberProfile out;
  if (!body.is_object()) return Error::InvalidArgument("request body: must be a JSON object");
  for (const auto& [key, value] : body.items()) {
    if (auto status = ReadField(key, value, out); !status.ok()) return status.error();
  }
  if (auto status = protect::ValidateProfile(out.profile); !status.ok()) return status.error();
  return out;
}

// True when an If-None-Match header names `etag` (or is "*").
bool NotModified(const httplib::Request& req, const std::string& etag) {
  const std::string header = req.get_header_value("If-None-Match");
  std::size_t start = 0;
  while (start <= header.size()) {
    std::size_t end = header.find(',', start);
    if (end == std::string::npos) end = header.size();
    std::string_view tag(header.data() + start, end - start);
    while (!tag.empty() && tag.front() == ' ') tag.remove_prefix(1);
    while (!tag.empty() && tag.back() == ' ') tag.remove_suffix(1);
    if (tag.starts_with("W/")) tag.remove_prefix(2);
    if (tag == "*" || tag == etag) return true;
    start = end + 1;
  }
  return false;
}

// A feed token's record id: "ft-" and the first 24 hex digits of its hash
// (the full hash is in the body and compared in constant time).
std::string TokenRecordId(const std::string& hash) { return "ft-" + hash.substr(0, 24); }

bool SameHash(const std::string& left, const std::string& right) {
  return left.size() == right.size() && CRYPTO_memcmp(left.data(), right.data(), left.size()) == 0;
}

// A list of domains and networks from JSON, each validated; the error names
// the field and the index. At most kMaxListed of each.
constexpr std::size_t kMaxListed = 10'000;
Result<protect::ProtectedValues> ProtectedFromJson(const Json& body) {
  if (!body.is_object()) return Error::InvalidArgument("request body: must be a JSON object");
  protect::ProtectedValues out;
  for (const auto& [key, item] : body.items()) {
    if (key != "domains" && key != "networks") return FieldError(key, "unknown field");
    auto list = StringList(item, key);
    if (!list.ok()) return list.error();
    if (list->size() > kMaxListed) return FieldError(key, "at most " + std::to_string(kMaxListed) + " values");
    for (std::size_t idx = 0; idx < list->size(); ++idx) {
      const std::string where = key + "[" + std::to_string(idx) + "]";
      if (key == "domains") {
        auto domain = protect::NormaliseDomain((*list)[idx]);
        if (!domain.ok()) return domain.error().WithContext(where);
        (*list)[idx] = *domain;
      } else {
        auto network = protect::ParseNetwork((*list)[idx]);
        if (!network.ok()) return network.error().WithContext(where);
        (*list)[idx] = protect::FormatNetwork(*network);
      }
    }
    (key == "domains" ? out.domains : out.networks) = std::move(list).value();
  }
  return out;
}

std::string ReasonOfStatus(IndicatorStatus status) { return std::string(IndicatorStatusName(status)); }

// What a fetch receives: the entries, the profile that renders them, and the
// serial they carry.
struct Served {
  MemberProfile profile;
  std::vector<protect::Candidate> candidates;
  protect::Feed feed;
  std::uint32_t serial = 1;
  std::string mode = "live";  // "live", "frozen" or "pinned"
  std::optional<std::int64_t> pinned_to;
};

// The member's recorded history as of its newest serial (feed_history.h).
struct MemberState {
  std::int64_t record_version = 0;
  std::int64_t serial = 0;
  std::string digest;
  protection::EntrySet entries;
};

// A build for one (reader, member) is reused while its inputs have not
// changed (the indicator board's generation, the versions of the records it
// is built from, the register's proven presence) and for at most kCacheMs
// (decay moves with time): resolvers and floods polling an unchanged feed
// cost a board refresh and a few record reads each, not a build.
constexpr std::int64_t kCacheMs = 30'000;
constexpr std::size_t kMaxCached = 512;
constexpr std::size_t kMaxTokensPerMember = 20;
constexpr std::int64_t kLastUsedIntervalMs = 600'000;

class ProtectionApi {
 public:
  explicit ProtectionApi(ApiContext& context) : context_(context), board_(SharedBoard(context)) {}

  void Register(Router& server) {
    const std::string member = R"(/api/v1/protection/members/([A-Za-z0-9_.-]{1,64}))";
    server.Get(member + "/profile", context_.Route(this, &ProtectionApi::GetProfile));
    server.Put(member + "/profile", context_.Route(this, &ProtectionApi::PutProfile));
    server.Get(member + "/history", context_.Route(this, &ProtectionApi::GetHistory));
    server.Put(member + "/pin", context_.Route(this, &ProtectionApi::PutPin));
    server.Delete(member + "/pin", context_.Route(this, &ProtectionApi::DeletePin));
    server.Get(member + "/tokens", context_.Route(this, &ProtectionApi::ListTokens));
    server.Post(member + "/tokens", context_.Route(this, &ProtectionApi::CreateToken));
    server.Delete(member + "/tokens/(ft-[0-9a-f]{24})", context_.Route(this, &ProtectionApi::RevokeToken));
    server.Get("/api/v1/protection/freeze", context_.Route(this, &ProtectionApi::GetFreeze));
    server.Put("/api/v1/protection/freeze", context_.Route(this, &ProtectionApi::PutFreeze));
    server.Get("/api/v1/protection/never-block", context_.Route(this, &ProtectionApi::GetNeverBlock));
    server.Put("/api/v1/protection/never-block", context_.Route(this, &ProtectionApi::PutNeverBlock));
    server.Get("/api/v1/protection/national", context_.Route(this, &ProtectionApi::GetNational));
    // One route per format, as the OpenAPI document has one path per format;
    // the lists share one with the list's name as the last match.
    const std::string token = R"(/api/v1/protection/feeds/(dvf_[0-9a-f]{64}))";
    for (const std::string format : {"feed", "rpz", "rpz/mapping", "lists"}) {
      const std::string suffix =
          format == "lists" ? "/lists/(paloalto|fortigate|mikrotik|nftables|ipset)" : "/" + format;
      const auto name = [format](const httplib::Request& req) {
        return format == "lists" ? "lists/" + req.matches[2].str() : format;
      };
      server.Get(member + suffix, [this, name](const httplib::Request& req, httplib::Response& res) {
        context_.Authed(req, res, [&](const Principal& principal) { ServeMember(req, res, principal, name(req)); });
      });
      server.Get(token + suffix, [this, name](const httplib::Request& req, httplib::Response& res) {
        ServeToken(req, res, name(req));
      });
    }
  }

 private:
  // The organisation named in the path; kNotFound when none has the code.
  Result<Organisation> PathOrganisation(const httplib::Request& req) {
    const std::string code = req.matches[1].str();
    auto organisation = context_.store().GetOrganisation(code);
    if (!organisation.ok() && organisation.error().kind() == ErrorKind::kNotFound) {
      return Error::NotFound("no organisation has the code '" + code + "'");
    }
    return organisation;
  }

  Result<MemberProfile> LoadProfile(const std::string& code) {
    auto record = context_.store().GetRecord(kProfileKind, code);
    if (!record.ok()) {
      if (record.error().kind() == ErrorKind::kNotFound) return MemberProfile{};
      return record.error();
    }
    const Json body = Json::parse(record->body, nullptr, /*allow_exceptions=*/false);
    auto profile = ProfileFromJson(body);
    if (!profile.ok())
      return Error::Internal("stored protection profile of " + code + ": " + profile.error().message());
    return profile;
  }

  // The record `kind`/`id` as JSON; nullopt when there is none.
  Result<std::optional<Json>> LoadJsonRecord(std::string_view kind, std::string_view id) {
    auto record = context_.store().GetRecord(kind, id);
    if (!record.ok()) {
      if (record.error().kind() == ErrorKind::kNotFound) return std::optional<Json>();
      return record.error();
    }
    Json body = Json::parse(record->body, nullptr, /*allow_exceptions=*/false);
    if (!body.is_object()) return Error::Internal("stored record " + std::string(kind) + "/" + std::string(id));
    body["_at"] = record->at.ToRfc3339();
    body["_version"] = record->version;
    return std::optional<Json>(std::move(body));
  }

  Result<bool> Frozen() {
    auto freeze = LoadJsonRecord(kFreezeKind, kNational);
    if (!freeze.ok()) return freeze.error();
    return freeze->has_value() && (**freeze).value("frozen", false);
  }

  Result<protect::ProtectedValues> NationalNeverBlock() {
    protect::ProtectedValues out = protect::PublicSectorNeverBlock();
    auto stored = LoadJsonRecord(kNeverBlockKind, kNational);
    if (!stored.ok()) return stored.error();
    if (stored->has_value()) {
      Json lists = **stored;
      lists.erase("_at");
      lists.erase("_version");
      auto values = ProtectedFromJson(lists);
      if (!values.ok()) return Error::Internal("stored never-block list: " + values.error().message());
      out.domains.insert(out.domains.end(), values->domains.begin(), values->domains.end());
      out.networks.insert(out.networks.end(), values->networks.begin(), values->networks.end());
    }
    return out;
  }

  // ---- Profile ----

  void GetProfile(const httplib::Request& req, httplib::Response& res, const Principal& principal) {
    if (auto status = CheckParams(req, {}); !status.ok()) return SendError(res, status.error());
    auto organisation = PathOrganisation(req);
    if (!organisation.ok()) return SendError(res, organisation.error());
    if (!CanReadOrgRecords(principal, organisation->code)) {
      return context_.Forbid(principal, req, res, "the protection profile of " + organisation->code);
    }
    auto record = context_.store().GetRecord(kProfileKind, organisation->code);
    auto profile = LoadProfile(organisation->code);
    if (!profile.ok()) return SendError(res, profile.error());
    SendJson(res, 200,
             {{"organisation", organisation->code},
              {"stored", record.ok()},
              {"version", record.ok() ? record->version : 0},
              {"profile", ProfileJson(*profile)}});
  }

  void PutProfile(const httplib::Request& req, httplib::Response& res, const Principal& principal) {
    if (auto status = CheckParams(req, {}); !status.ok()) return SendError(res, status.error());
    auto organisation = PathOrganisation(req);
    if (!organisation.ok()) return SendError(res, organisation.error());
    if (!CanWriteOrgRecords(principal, organisation->code)) {
      return context_.Forbid(principal, req, res, "the protection profile of " + organisation->code);
    }
    auto body = JsonBody(req);
    if (!body.ok()) return SendError(res, body.error());
    auto profile = ProfileFromJson(*body);
    if (!profile.ok()) return SendError(res, profile.error());
    const Json stored = ProfileJson(*profile);
    RecordWrite write{std::string(kProfileKind), organisation->code, organisation->code, stored.dump(), std::nullopt};
    auto record = context_.store().PutRecord(write, ApiContext::Actor(principal));
    if (!record.ok()) return SendError(res, record.error());
    SendJson(
        res, 200,
        {{"organisation", organisation->code}, {"stored", true}, {"version", record->version}, {"profile", stored}});
  }

  // ---- Feed tokens ----

  static Json TokenJson(const Record& record) {
    const Json body = Json::parse(record.body, nullptr, /*allow_exceptions=*/false);
    Json out = {{"id", record.id},
                {"label", body.is_object() ? body.value("label", std::string()) : std::string()},
                {"created", body.is_object() ? body.value("created", std::string()) : std::string()},
                {"last_used", nullptr}};
    if (body.is_object() && body.contains("last_used") && body["last_used"].is_string()) {
      out["last_used"] = body["last_used"];
    }
    return out;
  }

  void ListTokens(const httplib::Request& req, httplib::Response& res, const Principal& principal) {
    if (auto status = CheckParams(req, {}); !status.ok()) return SendError(res, status.error());
    auto organisation = PathOrganisation(req);
    if (!organisation.ok()) return SendError(res, organisation.error());
    if (!CanWriteOrgRecords(principal, organisation->code)) {
      return context_.Forbid(principal, req, res, "the feed tokens of " + organisation->code);
    }
    auto records = context_.store().ListRecords({std::string(kTokenKind), organisation->code, false});
    if (!records.ok()) return SendError(res, records.error());
    Json tokens = Json::array();
    for (const auto& record : *records) tokens.push_back(TokenJson(record));
    SendJson(res, 200, {{"organisation", organisation->code}, {"tokens", std::move(tokens)}});
  }

  void CreateToken(const httplib::Request& req, httplib::Response& res, const Principal& principal) {
    if (auto status = CheckParams(req, {}); !status.ok()) return SendError(res, status.error());
    auto organisation = PathOrganisation(req);
    if (!organisation.ok()) return SendError(res, organisation.error());
    if (!CanWriteOrgRecords(principal, organisation->code)) {
      return context_.Forbid(principal, req, res, "the feed tokens of " + organisation->code);
    }
    auto body = JsonBody(req);
    if (!body.ok()) return SendError(res, body.error());
    if (!body->is_object()) return SendError(res, Error::InvalidArgument("request body: must be a JSON object"));
    std::string label;
    for (const auto& [key, value] : body->items()) {
      if (key != "label") return SendError(res, FieldError(key, "unknown field"));
      if (!value.is_string() || value.get<std::string>().size() > 200) {
        return SendError(res, FieldError(key, "must be a string of at most 200 characters"));
      }
      label = value.get<std::string>();
    }
    auto existing = context_.store().ListRecords({std::string(kTokenKind), organisation->code, false});
    if (!existing.ok()) return SendError(res, existing.error());
    if (existing->size() >= kMaxTokensPerMember) {
      return SendError(res, Error::Conflict(organisation->code + " has " + std::to_string(kMaxTokensPerMember) +
                                            " feed tokens; revoke one first"));
    }
    const std::string token = "dvf_" + NewToken().substr(4);
    const std::string hash = HashToken(token);
    const std::string id = TokenRecordId(hash);
    const Json stored = {{"hash", hash}, {"label", label}, {"created", Timestamp::Now().ToRfc3339()}};
    RecordWrite write{std::string(kTokenKind), id, organisation->code, stored.dump(), std::int64_t{0}};
    auto record = context_.store().PutRecord(write, ApiContext::Actor(principal));
    if (!record.ok()) return SendError(res, record.error());
    Json out = TokenJson(*record);
    out["token"] = token;
    const std::string base = "/api/v1/protection/feeds/" + token;
    out["urls"] = {{"rpz", base + "/rpz"},
                   {"rpz_monitor", base + "/rpz?part=monitor"},
                   {"mapping", base + "/rpz/mapping"},
                   {"paloalto", base + "/lists/paloalto"},
                   {"fortigate", base + "/lists/fortigate"},
                   {"mikrotik", base + "/lists/mikrotik"},
                   {"nftables", base + "/lists/nftables"},
                   {"ipset", base + "/lists/ipset"}};
    SendJson(res, 201, out);
  }

  void RevokeToken(const httplib::Request& req, httplib::Response& res, const Principal& principal) {
    if (auto status = CheckParams(req, {}); !status.ok()) return SendError(res, status.error());
    auto organisation = PathOrganisation(req);
    if (!organisation.ok()) return SendError(res, organisation.error());
    if (!CanWriteOrgRecords(principal, organisation->code)) {
      return context_.Forbid(principal, req, res, "the feed tokens of " + organisation->code);
    }
    const std::string id = req.matches[2].str();
    auto record = context_.store().GetRecord(kTokenKind, id);
    if (!record.ok() || record->org_code != organisation->code) {
      return SendError(res, Error::NotFound(organisation->code + " has no feed token '" + id + "'"));
    }
    auto deleted = context_.store().DeleteRecord(kTokenKind, id, ApiContext::Actor(principal));
    if (!deleted.ok()) return SendError(res, deleted.error());
    res.status = 204;
  }

  // ---- History, rollback, freeze ----

  // Replays the member's history up to its newest serial, from the cached
  // state onwards. Call with serial_mutex_ held.
  Result<MemberState*> LoadState(const std::string& code) {
    MemberState& state = states_[code];
    auto latest = context_.store().ListRecords({std::string(kSerialKind), code, false});
    if (!latest.ok()) return latest.error();
    const std::int64_t newest = latest->empty() ? 0 : latest->front().version;
    if (newest == state.record_version) return &state;
    if (newest < state.record_version) state = MemberState{};
    auto history = context_.store().RecordHistory(kSerialKind, code);
    if (!history.ok()) return history.error();
    for (const auto& record : *history) {
      if (record.version <= state.record_version || record.deleted) continue;
      auto version = protection::VersionFromRecord(record);
      if (!version.ok()) return Error::Internal(version.error().message());
      protection::Apply(*version, state.entries);
      state.record_version = record.version;
      state.serial = version->serial;
      state.digest = version->digest;
    }
    return &state;
  }

  // The versions of the member's history, oldest first.
  Result<std::vector<protection::SerialVersion>> Versions(const std::string& code) {
    auto history = context_.store().RecordHistory(kSerialKind, code);
    if (!history.ok()) {
      if (history.error().kind() == ErrorKind::kNotFound) return std::vector<protection::SerialVersion>();
      return history.error();
    }
    std::vector<protection::SerialVersion> out;
    for (const auto& record : *history) {
      if (record.deleted) continue;
      auto version = protection::VersionFromRecord(record);
      if (!version.ok()) return Error::Internal(version.error().message());
      out.push_back(std::move(version).value());
    }
    return out;
  }

  void GetHistory(const httplib::Request& req, httplib::Response& res, const Principal& principal) {
    if (auto status = CheckParams(req, {"limit"}); !status.ok()) return SendError(res, status.error());
    auto organisation = PathOrganisation(req);
    if (!organisation.ok()) return SendError(res, organisation.error());
    if (principal.member.org_code != organisation->code && principal.member.role != MemberRole::kAdmin) {
      return context_.Forbid(principal, req, res, "the protection feed history of " + organisation->code);
    }
    std::size_t limit = 50;
    if (req.has_param("limit")) {
      const std::string text = req.get_param_value("limit");
      if (text.empty() || text.size() > 4 || text.find_first_not_of("0123456789") != std::string::npos ||
          std::stoi(text) < 1 || std::stoi(text) > 1000) {
        return SendError(res, Error::InvalidArgument("query parameter 'limit' must be an integer from 1 to 1000"));
      }
      limit = static_cast<std::size_t>(std::stoi(text));
    }
    auto versions = Versions(organisation->code);
    if (!versions.ok()) return SendError(res, versions.error());
    auto frozen = Frozen();
    if (!frozen.ok()) return SendError(res, frozen.error());
    auto pin = LoadJsonRecord(kPinKind, organisation->code);
    if (!pin.ok()) return SendError(res, pin.error());
    Json history = Json::array();
    for (auto it = versions->rbegin(); it != versions->rend() && history.size() < limit; ++it) {
      Json item = protection::VersionBody(*it);
      item.erase("digest");
      item["at"] = it->at.ToRfc3339();
      if (!it->rollback_to) item["rollback_to"] = nullptr;
      history.push_back(std::move(item));
    }
    SendJson(res, 200,
             {{"organisation", organisation->code},
              {"serial", versions->empty() ? 0 : versions->back().serial},
              {"frozen", *frozen},
              {"pinned", pin->has_value() ? Json((**pin).value("serial", std::int64_t{0})) : Json(nullptr)},
              {"history", std::move(history)}});
  }

  void PutPin(const httplib::Request& req, httplib::Response& res, const Principal& principal) {
    if (auto status = CheckParams(req, {}); !status.ok()) return SendError(res, status.error());
    auto organisation = PathOrganisation(req);
    if (!organisation.ok()) return SendError(res, organisation.error());
    const std::string& code = organisation->code;
    if (!CanWriteOrgRecords(principal, code)) {
      return context_.Forbid(principal, req, res, "the protection feed of " + code);
    }
    auto body = JsonBody(req);
    if (!body.ok()) return SendError(res, body.error());
    if (!body->is_object()) return SendError(res, Error::InvalidArgument("request body: must be a JSON object"));
    std::optional<std::int64_t> target;
    std::string reason;
    for (const auto& [key, value] : body->items()) {
      if (key == "serial") {
        if (!value.is_number_integer() || value.get<std::int64_t>() < 1) {
          return SendError(res, FieldError(key, "must be a serial of the feed's history"));
        }
        target = value.get<std::int64_t>();
      } else if (key == "reason") {
        if (!value.is_string() || value.get<std::string>().empty() || value.get<std::string>().size() > 1000) {
          return SendError(res, FieldError(key, "must say why, in at most 1000 characters"));
        }
        reason = value.get<std::string>();
      } else {
        return SendError(res, FieldError(key, "unknown field"));
      }
    }
    if (!target) return SendError(res, FieldError("serial", "is required"));
    if (reason.empty()) return SendError(res, FieldError("reason", "is required"));
    auto frozen = Frozen();
    if (!frozen.ok()) return SendError(res, frozen.error());
    if (*frozen) {
      return SendError(res, Error::Conflict("the coordinator has frozen every feed; a rollback waits for the thaw"));
    }
    const std::lock_guard lock(serial_mutex_);
    auto versions = Versions(code);
    if (!versions.ok()) return SendError(res, versions.error());
    protection::EntrySet at_target;
    bool found = false;
    for (const auto& version : *versions) {
      protection::Apply(version, at_target);
      if (version.serial == *target) {
        found = true;
        break;
      }
    }
    if (!found) {
      return SendError(res,
                       FieldError("serial", "the feed of " + code + " never had serial " + std::to_string(*target)));
    }
    auto state = LoadState(code);
    if (!state.ok()) return SendError(res, state.error());
    protection::SerialVersion version;
    version.serial = (*state)->serial + 1;
    version.digest = "rollback:" + std::to_string(*target) + ":" + std::to_string(version.serial);
    version.rollback_to = *target;
    const protection::Delta delta =
        protection::Diff((*state)->entries, at_target, [](const protection::RecordedEntry&) { return "rollback"; });
    version.added = delta.added;
    version.withdrawn = delta.withdrawn;
    for (const auto& [key, entry] : at_target) ++(entry.enforce ? version.enforced : version.monitored);
    RecordWrite write{std::string(kSerialKind), code, code, protection::VersionBody(version).dump(),
                      (*state)->record_version};
    auto stored = context_.store().PutRecord(write, ApiContext::Actor(principal));
    if (!stored.ok()) return SendError(res, stored.error());
    RecordWrite pin{std::string(kPinKind), code, code,
                    Json{{"serial", *target}, {"reason", reason}, {"as_serial", version.serial}}.dump(), std::nullopt};
    auto pinned = context_.store().PutRecord(pin, ApiContext::Actor(principal));
    if (!pinned.ok()) return SendError(res, pinned.error());
    (void)context_.store().Audit(ApiContext::Actor(principal), kPinAction, code,
                                 Json{{"serial", *target}, {"as_serial", version.serial}, {"reason", reason}}.dump());
    SendJson(res, 200,
             {{"organisation", code},
              {"pinned", *target},
              {"serial", version.serial},
              {"added", version.added.size()},
              {"withdrawn", version.withdrawn.size()}});
  }

  void DeletePin(const httplib::Request& req, httplib::Response& res, const Principal& principal) {
    if (auto status = CheckParams(req, {}); !status.ok()) return SendError(res, status.error());
    auto organisation = PathOrganisation(req);
    if (!organisation.ok()) return SendError(res, organisation.error());
    if (!CanWriteOrgRecords(principal, organisation->code)) {
      return context_.Forbid(principal, req, res, "the protection feed of " + organisation->code);
    }
    auto deleted = context_.store().DeleteRecord(kPinKind, organisation->code, ApiContext::Actor(principal));
    if (!deleted.ok()) {
      if (deleted.error().kind() == ErrorKind::kNotFound) {
        return SendError(res, Error::NotFound("the feed of " + organisation->code + " is not rolled back"));
      }
      return SendError(res, deleted.error());
    }
    (void)context_.store().Audit(ApiContext::Actor(principal), kUnpinAction, organisation->code, "{}");
    res.status = 204;
  }

  void GetFreeze(const httplib::Request& req, httplib::Response& res, const Principal&) {
    if (auto status = CheckParams(req, {}); !status.ok()) return SendError(res, status.error());
    auto freeze = LoadJsonRecord(kFreezeKind, kNational);
    if (!freeze.ok()) return SendError(res, freeze.error());
    if (!freeze->has_value()) {
      return SendJson(res, 200, {{"frozen", false}, {"reason", ""}, {"by", ""}, {"at", nullptr}});
    }
    const Json& body = **freeze;
    SendJson(res, 200,
             {{"frozen", body.value("frozen", false)},
              {"reason", body.value("reason", std::string())},
              {"by", body.value("by", std::string())},
              {"at", body.value("_at", std::string())}});
  }

  void PutFreeze(const httplib::Request& req, httplib::Response& res, const Principal& principal) {
    if (auto status = CheckParams(req, {}); !status.ok()) return SendError(res, status.error());
    if (!IsCoordinator(principal)) return context_.Forbid(principal, req, res, "the national feed freeze");
    auto body = JsonBody(req);
    if (!body.ok()) return SendError(res, body.error());
    if (!body->is_object()) return SendError(res, Error::InvalidArgument("request body: must be a JSON object"));
    std::optional<bool> frozen;
    std::string reason;
    for (const auto& [key, value] : body->items()) {
      if (key == "frozen") {
        if (!value.is_boolean()) return SendError(res, FieldError(key, "must be true or false"));
        frozen = value.get<bool>();
      } else if (key == "reason") {
        if (!value.is_string() || value.get<std::string>().size() > 1000) {
          return SendError(res, FieldError(key, "must be a string of at most 1000 characters"));
        }
        reason = value.get<std::string>();
      } else {
        return SendError(res, FieldError(key, "unknown field"));
      }
    }
    if (!frozen) return SendError(res, FieldError("frozen", "is required"));
    if (reason.empty()) return SendError(res, FieldError("reason", "is required: say why"));
    const std::string actor = ApiContext::Actor(principal);
    RecordWrite write{std::string(kFreezeKind), std::string(kNational), principal.organisation.code,
                      Json{{"frozen", *frozen}, {"reason", reason}, {"by", actor}}.dump(), std::nullopt};
    auto stored = context_.store().PutRecord(write, actor);
    if (!stored.ok()) return SendError(res, stored.error());
    (void)context_.store().Audit(actor, *frozen ? kFreezeAction : kThawAction, "protection:national",
                                 Json{{"reason", reason}}.dump());
    SendJson(res, 200, {{"frozen", *frozen}, {"reason", reason}, {"by", actor}, {"at", stored->at.ToRfc3339()}});
  }

  void GetNeverBlock(const httplib::Request& req, httplib::Response& res, const Principal&) {
    if (auto status = CheckParams(req, {}); !status.ok()) return SendError(res, status.error());
    auto stored = LoadJsonRecord(kNeverBlockKind, kNational);
    if (!stored.ok()) return SendError(res, stored.error());
    const protect::ProtectedValues& builtin = protect::PublicSectorNeverBlock();
    Json out = {{"domains", Json::array()},
                {"networks", Json::array()},
                {"version", 0},
                {"builtin", {{"domains", builtin.domains}, {"networks", builtin.networks}}}};
    if (stored->has_value()) {
      out["domains"] = (**stored).value("domains", Json::array());
      out["networks"] = (**stored).value("networks", Json::array());
      out["version"] = (**stored).value("_version", std::int64_t{0});
    }
    SendJson(res, 200, out);
  }

  void PutNeverBlock(const httplib::Request& req, httplib::Response& res, const Principal& principal) {
    if (auto status = CheckParams(req, {}); !status.ok()) return SendError(res, status.error());
    if (!IsCoordinator(principal)) return context_.Forbid(principal, req, res, "the national never-block list");
    auto body = JsonBody(req);
    if (!body.ok()) return SendError(res, body.error());
    auto values = ProtectedFromJson(*body);
    if (!values.ok()) return SendError(res, values.error());
    RecordWrite write{std::string(kNeverBlockKind), std::string(kNational), principal.organisation.code,
                      Json{{"domains", values->domains}, {"networks", values->networks}}.dump(), std::nullopt};
    auto stored = context_.store().PutRecord(write, ApiContext::Actor(principal));
    if (!stored.ok()) return SendError(res, stored.error());
    const protect::ProtectedValues& builtin = protect::PublicSectorNeverBlock();
    SendJson(res, 200,
             {{"domains", values->domains},
              {"networks", values->networks},
              {"version", stored->version},
              {"builtin", {{"domains", builtin.domains}, {"networks", builtin.networks}}}});
  }

  // ---- National view ----

  void GetNational(const httplib::Request& req, httplib::Response& res, const Principal& principal) {
    if (auto status = CheckParams(req, {}); !status.ok()) return SendError(res, status.error());
    if (!IsCoordinator(principal)) return context_.Forbid(principal, req, res, "the national protection view");
    auto serials = context_.store().ListRecords({std::string(kSerialKind), std::nullopt, false});
    if (!serials.ok()) return SendError(res, serials.error());
    std::map<std::string, const Record*> serial_of;
    for (const auto& record : *serials) serial_of[record.org_code] = &record;
    auto profiles = context_.store().ListRecords({std::string(kProfileKind), std::nullopt, false});
    if (!profiles.ok()) return SendError(res, profiles.error());
    std::map<std::string, bool> monitor_only;
    for (const auto& record : *profiles) {
      const Json body = Json::parse(record.body, nullptr, /*allow_exceptions=*/false);
      monitor_only[record.org_code] = !body.is_object() || body.value("monitor_only", true);
    }
    auto frozen = Frozen();
    if (!frozen.ok()) return SendError(res, frozen.error());
    // Blocks counted back by members' sensors in the last 30 days, from the
    // block sightings the coordinator may see.
    if (auto refreshed = board_->Refresh(); !refreshed.ok()) return SendError(res, refreshed.error());
    const Timestamp now = Timestamp::Now();
    const std::int64_t since = now.unix_ms() - std::int64_t{30} * 86'400'000;
    auto views = board_->Views(principal, now);
    if (!views.ok()) return SendError(res, views.error());
    std::map<std::string, std::int64_t> blocks_of;
    std::int64_t blocks = 0;
    std::int64_t indicators_blocked = 0;
    for (const auto& view : *views) {
      bool blocked = false;
      for (const auto& sighting : view.visible_blocks) {
        const std::int64_t last =
            sighting->last_seen ? sighting->last_seen->unix_ms() : sighting->stored.added_us / 1000;
        if (last < since) continue;
        blocks_of[sighting->sighter_org] += sighting->count;
        blocks += sighting->count;
        blocked = true;
      }
      indicators_blocked += blocked ? 1 : 0;
    }
    Json members = Json::array();
    std::int64_t enforcing = 0;
    std::int64_t monitoring = 0;
    std::int64_t not_connected = 0;
    std::int64_t total = 0;
    for (int offset = 0;; offset += Store::kMaxPageSize) {
      OrganisationQuery query;
      query.limit = Store::kMaxPageSize;
      query.offset = offset;
      auto page = context_.store().ListOrganisations(query);
      if (!page.ok()) return SendError(res, page.error());
      for (const auto& organisation : page->items) {
        ++total;
        const auto serial = serial_of.find(organisation.code);
        Json item = {{"organisation", organisation.code},
                     {"name", organisation.name},
                     {"state", "not_connected"},
                     {"serial", nullptr},
                     {"last_change", nullptr},
                     {"enforced", 0},
                     {"monitored", 0},
                     {"blocks", blocks_of.count(organisation.code) > 0 ? blocks_of[organisation.code] : 0}};
        if (serial == serial_of.end()) {
          ++not_connected;
        } else {
          const Json body = Json::parse(serial->second->body, nullptr, /*allow_exceptions=*/false);
          const auto profile = monitor_only.find(organisation.code);
          const bool monitors = profile == monitor_only.end() || profile->second;
          item["state"] = monitors ? "monitoring" : "enforcing";
          ++(monitors ? monitoring : enforcing);
          if (body.is_object()) {
            item["serial"] = body.value("serial", std::int64_t{0});
            item["enforced"] = body.value("enforced", std::int64_t{0});
            item["monitored"] = body.value("monitored", std::int64_t{0});
          }
          item["last_change"] = serial->second->at.ToRfc3339();
        }
        members.push_back(std::move(item));
      }
      if (page->items.size() < static_cast<std::size_t>(Store::kMaxPageSize)) break;
    }
    SendJson(res, 200,
             {{"generated", Timestamp::Now().ToRfc3339()},
              {"frozen", *frozen},
              {"totals",
               {{"members", total},
                {"enforcing", enforcing},
                {"monitoring", monitoring},
                {"not_connected", not_connected},
                {"blocks", blocks},
                {"blocking_members", blocks_of.size()},
                {"indicators_blocked", indicators_blocked}}},
              {"members", std::move(members)}});
  }

  // ---- The feed ----

  // A live build of the feed of `organisation` as `caller` may receive it
  // (see the top of the file), with the serial for its content.
  Result<std::shared_ptr<const Served>> BuildLive(const Principal& caller, const Organisation& organisation,
                                                  const std::vector<reg::Presence>& presence) {
    const Timestamp now = Timestamp::Now();
    const Principal as_member{
        Member{"protection-feed:" + organisation.code, organisation.code, "protection feed", MemberRole::kMember},
        organisation};
    auto views = board_->Views(as_member, now);
    if (!views.ok()) return views.error();
    std::optional<std::set<std::string>> caller_sees;
    if (caller.organisation.code != organisation.code) {
      auto own = board_->Views(caller, now);
      if (!own.ok()) return own.error();
      caller_sees.emplace();
      for (const auto& view : *own) caller_sees->insert(view.fact->stored.id);
    }
    auto members = context_.store().ListMembers();
    if (!members.ok()) return members.error();
    std::set<std::string> coordinators;
    for (const auto& member : *members) {
      if (member.role == MemberRole::kCoordinator) coordinators.insert(member.org_code);
    }
    auto served = std::make_shared<Served>();
    auto profile = LoadProfile(organisation.code);
    if (!profile.ok()) return profile.error();
    served->profile = std::move(profile).value();
    std::int64_t newest_seq = 0;
    std::map<std::string, IndicatorStatus> status_of;
    for (const auto& view : *views) {
      const IndicatorFact& fact = *view.fact;
      if (caller_sees && caller_sees->count(fact.stored.id) == 0) continue;
      newest_seq = std::max(newest_seq, fact.stored.seq);
      status_of[fact.stored.id] = view.status;
      if (view.status != IndicatorStatus::kActive) continue;
      protect::Candidate base;
      base.indicator_id = fact.stored.id;
      base.producer = view.producer_org;
      base.collection = view.collection->id;
      base.confidence = view.confidence;
      base.national_sightings = view.sighting_count;
      base.modified = fact.modified;
      for (const auto& sighting : view.visible_sightings) {
        newest_seq = std::max(newest_seq, sighting->stored.seq);
        if (sighting->measured && !sighting->block && sighting->sighter_org != view.producer_org) {
          base.corroborated = true;
          base.provenance.object_ids.push_back(sighting->stored.id);
          base.provenance.producers.push_back(sighting->sighter_org);
        }
      }
      for (const auto& opinion : view.visible_opinions) newest_seq = std::max(newest_seq, opinion->stored.seq);
      if (coordinators.count(view.producer_org) > 0) base.provenance.approvals.push_back(view.producer_org);
      const protect::BlockablePattern blockable =
          fact.pattern_type == "stix" ? protect::BlockableObservables(fact.pattern)
                                      : protect::BlockablePattern{{}, "pattern type '" + fact.pattern_type + "'"};
      if (blockable.values.empty()) {
        protect::Candidate other = base;
        other.kind = protect::ValueKind::kOther;
        other.other_kind = blockable.reason;
        served->candidates.push_back(std::move(other));
        continue;
      }
      for (const auto& value : blockable.values) {
        protect::Candidate candidate = base;
        candidate.kind = value.kind;
        candidate.value = value.value;
        served->candidates.push_back(std::move(candidate));
      }
    }
    auto never_block = NationalNeverBlock();
    if (!never_block.ok()) return never_block.error();
    // The members' register (hub/modules/register): every member's proven
    // domains are never blocked anywhere; the member's own registered
    // prefixes are never blocked in its own feed. Another member's prefixes
    // are not on the national list: a prefix needs no proof, so a member
    // could otherwise shield any network from everyone's feeds.
    protect::ProtectedValues allow = served->profile.allow;
    for (const auto& member : presence) {
      never_block->domains.insert(never_block->domains.end(), member.domains.begin(), member.domains.end());
      if (member.org_code != organisation.code) continue;
      for (const auto& prefix : member.prefixes) allow.networks.push_back(protect::FormatNetworkWithLength(prefix));
    }
    // Designated, not assigned field by field: GCC 12 warns (wrongly) that
    // the default Profile's kinds may be read uninitialised otherwise.
    const protect::FeedInput input{.candidates = served->candidates,
                                   .profile = served->profile.profile,
                                   .coordinator = coordinators.empty() ? std::string() : *coordinators.begin(),
                                   .never_block = std::move(never_block).value(),
                                   .allow = std::move(allow),
                                   .warning_lists = &warning_lists_,
                                   .now = now};
    auto feed = protect::BuildFeed(input);
    if (!feed.ok()) return feed.error();
    served->feed = std::move(feed).value();
    std::map<std::string, std::string> left_out_reason;
    for (const auto& left : served->feed.left_out) {
      left_out_reason.emplace(left.indicator_id, std::string(protect::LeftOutReasonName(left.reason)));
    }
    const auto reason = [&](const protection::RecordedEntry& entry) -> std::string {
      for (const auto& id : entry.indicators) {
        const auto status = status_of.find(id);
        if (status != status_of.end() && status->second != IndicatorStatus::kActive) {
          return ReasonOfStatus(status->second);
        }
      }
      for (const auto& id : entry.indicators) {
        if (const auto left = left_out_reason.find(id); left != left_out_reason.end()) return left->second;
      }
      for (const auto& id : entry.indicators) {
        if (status_of.count(id) == 0) return "no_longer_visible";
      }
      return "changed";
    };
    auto serial = Serial(organisation.code, *served, newest_seq, caller, reason);
    if (!serial.ok()) return serial.error();
    served->serial = *serial;
    return std::shared_ptr<const Served>(std::move(served));
  }

  // The member's serial for this content (see the top of the file); a new
  // one records what changed.
  Result<std::uint32_t> Serial(const std::string& code, const Served& served, std::int64_t newest_seq,
                               const Principal& caller,
                               const std::function<std::string(const protection::RecordedEntry&)>& reason) {
    protect::RpzOptions options;
    options.action = served.profile.profile.action;
    options.walled_garden = served.profile.profile.walled_garden;
    std::string content = ProfileJson(served.profile).dump();
    for (const auto part : {protect::RpzPart::kEnforce, protect::RpzPart::kMonitor}) {
      auto zone = protect::WriteRpz(served.feed, options, part);
      if (!zone.ok()) return zone.error();
      content += zone->text;
    }
    for (const auto* entries : {&served.feed.enforce, &served.feed.monitor}) {
      content += "\n--\n";
      for (const auto& entry : *entries) content += entry.value + "\n";
    }
    const std::string digest = HashToken(content);
    const std::lock_guard lock(serial_mutex_);
    auto state = LoadState(code);
    if (!state.ok()) return state.error();
    const MemberState& current = **state;
    if (current.record_version > 0 && current.digest == digest) return static_cast<std::uint32_t>(current.serial);
    // An administrator's copy (see the top of the file) may differ from the
    // member's own: it reports the member's serial and never moves it.
    if (caller.organisation.code != code) {
      return static_cast<std::uint32_t>(std::max({current.serial, newest_seq, std::int64_t{1}}));
    }
    protection::SerialVersion version;
    version.serial = std::max({current.serial + 1, newest_seq, std::int64_t{1}});
    version.digest = digest;
    version.enforced = served.feed.enforce.size();
    version.monitored = served.feed.monitor.size();
    const protection::EntrySet entries = protection::EntriesOf(served.feed, served.candidates);
    protection::Delta delta = protection::Diff(current.entries, entries, reason);
    version.added = std::move(delta.added);
    version.withdrawn = std::move(delta.withdrawn);
    RecordWrite write{std::string(kSerialKind), code, code, protection::VersionBody(version).dump(),
                      current.record_version};
    auto stored = context_.store().PutRecord(write, ApiContext::Actor(caller));
    if (!stored.ok()) return stored.error();
    MemberState& mutable_state = states_[code];
    mutable_state.entries = entries;
    mutable_state.record_version = stored->version;
    mutable_state.serial = version.serial;
    mutable_state.digest = digest;
    // RFC 1982 serial arithmetic: the low 32 bits keep growing as far as a resolver can tell.
    return static_cast<std::uint32_t>(version.serial);
  }

  // The feed as recorded at the member's newest serial, for a freeze or a
  // rollback; an administrator's copy keeps only entries from indicators the
  // administrator may see.
  Result<std::shared_ptr<const Served>> Recorded(const Principal& caller, const Organisation& organisation,
                                                 std::string mode, std::optional<std::int64_t> pinned_to) {
    auto profile = LoadProfile(organisation.code);
    if (!profile.ok()) return profile.error();
    protection::EntrySet entries;
    std::int64_t serial = 0;
    {
      const std::lock_guard lock(serial_mutex_);
      auto state = LoadState(organisation.code);
      if (!state.ok()) return state.error();
      entries = (*state)->entries;
      serial = (*state)->serial;
    }
    if (caller.organisation.code != organisation.code) {
      auto own = board_->Views(caller, Timestamp::Now());
      if (!own.ok()) return own.error();
      std::set<std::string> caller_sees;
      for (const auto& view : *own) caller_sees.insert(view.fact->stored.id);
      std::erase_if(entries, [&](const auto& item) {
        return std::none_of(item.second.indicators.begin(), item.second.indicators.end(),
                            [&](const std::string& id) { return caller_sees.count(id) > 0; });
      });
    }
    auto served = std::make_shared<Served>();
    served->profile = std::move(profile).value();
    protection::ReplayedFeed replayed = protection::FeedOf(entries);
    served->feed = std::move(replayed.feed);
    served->candidates = std::move(replayed.candidates);
    served->serial = static_cast<std::uint32_t>(std::max<std::int64_t>(serial, 1));
    served->mode = std::move(mode);
    served->pinned_to = pinned_to;
    return std::shared_ptr<const Served>(std::move(served));
  }

  // The version of the record `kind`/`id` (0 when there is none, -1 after a deletion's marker).
  std::int64_t RecordVersion(std::string_view kind, std::string_view id) {
    auto record = context_.store().GetRecord(kind, id);
    return record.ok() ? record->version : (record.error().kind() == ErrorKind::kNotFound ? 0 : -1);
  }

  Result<std::shared_ptr<const Served>> Current(const Principal& caller, const Organisation& organisation) {
    const auto key = std::make_pair(caller.organisation.code, organisation.code);
    // One build at a time: concurrent fetches wait for it and then share it.
    const std::lock_guard build_lock(build_mutex_);
    if (auto refreshed = board_->Refresh(); !refreshed.ok()) return refreshed.error();
    // Everything a feed is built from besides the board, fingerprinted: a
    // write through any module or hub instance (a profile, a freeze, a
    // rollback, the never-block list, a proven domain) changes it.
    auto presence = reg::LoadProvenPresence(context_.store());
    if (!presence.ok()) return presence.error();
    std::string inputs = std::to_string(board_->Generation());
    for (const auto& [kind, id] :
         std::initializer_list<std::pair<std::string_view, std::string_view>>{{kProfileKind, organisation.code},
                                                                              {kPinKind, organisation.code},
                                                                              {kFreezeKind, kNational},
                                                                              {kNeverBlockKind, kNational}}) {
      inputs += "|" + std::to_string(RecordVersion(kind, id));
    }
    for (const auto& member : *presence) {
      inputs += "|" + member.org_code;
      for (const auto& domain : member.domains) inputs += "," + domain;
      for (const auto& prefix : member.prefixes) inputs += "," + protect::FormatNetworkWithLength(prefix);
    }
    const std::string fingerprint = HashToken(inputs);
    const Timestamp now = Timestamp::Now();
    {
      const std::lock_guard lock(cache_mutex_);
      const auto found = cache_.find(key);
      if (found != cache_.end() && found->second.fingerprint == fingerprint &&
          now.unix_ms() - found->second.at.unix_ms() < kCacheMs) {
        return found->second.served;
      }
    }
    auto frozen = Frozen();
    if (!frozen.ok()) return frozen.error();
    auto pin = LoadJsonRecord(kPinKind, organisation.code);
    if (!pin.ok()) return pin.error();
    Result<std::shared_ptr<const Served>> served =
        *frozen            ? Recorded(caller, organisation, "frozen", std::nullopt)
        : pin->has_value() ? Recorded(caller, organisation, "pinned", (**pin).value("serial", std::int64_t{0}))
                           : BuildLive(caller, organisation, *presence);
    if (!served.ok()) return served.error();
    const std::lock_guard lock(cache_mutex_);
    if (cache_.size() >= kMaxCached) cache_.clear();
    cache_[key] = Cached{now, fingerprint, *served};
    return served;
  }

  // The member routes: the member's own principals and administrators.
  void ServeMember(const httplib::Request& req, httplib::Response& res, const Principal& principal,
                   const std::string& format) {
    auto organisation = PathOrganisation(req);
    if (!organisation.ok()) return SendError(res, organisation.error());
    const bool own = principal.member.org_code == organisation->code;
    if (!own && principal.member.role != MemberRole::kAdmin) {
      return context_.Forbid(principal, req, res, "the protection feed of " + organisation->code);
    }
    Serve(req, res, principal, *organisation, format);
  }

  // The token routes: no Authorization header; the token names the member.
  void ServeToken(const httplib::Request& req, httplib::Response& res, const std::string& format) {
    const std::string hash = HashToken(req.matches[1].str());
    const std::string id = TokenRecordId(hash);
    auto record = context_.store().GetRecord(kTokenKind, id);
    const Json body = record.ok() ? Json::parse(record->body, nullptr, /*allow_exceptions=*/false) : Json();
    if (!record.ok() || !body.is_object() || !SameHash(body.value("hash", std::string()), hash)) {
      if (record.ok() || record.error().kind() == ErrorKind::kNotFound) {
        context_.AuditUnauthenticated(req, "unknown or revoked feed token");
        return SendError(res, Error::NotFound("no feed at this address"));
      }
      return SendError(res, record.error());
    }
    auto organisation = context_.store().GetOrganisation(record->org_code);
    if (!organisation.ok()) return SendError(res, organisation.error());
    const Principal principal{
        Member{"feed-token:" + id, organisation->code, body.value("label", std::string()), MemberRole::kMember},
        *organisation};
    if (!context_.AllowRequest(principal.member.id)) {
      res.set_header("Retry-After", "1");
      return SendJson(
          res, 429,
          {{"error", {{"kind", "rate_limited"}, {"message", "the rate limit for feed token " + id + " is exceeded"}}}});
    }
    const Timestamp now = Timestamp::Now();
    const auto last_used = body.contains("last_used") && body["last_used"].is_string()
                               ? Timestamp::Parse(body["last_used"].get<std::string>())
                               : Result<Timestamp>(Error::NotFound("never used"));
    if (!last_used.ok() || now.unix_ms() - last_used->unix_ms() > kLastUsedIntervalMs) {
      Json updated = body;
      updated["last_used"] = now.ToRfc3339();
      RecordWrite write{std::string(kTokenKind), id, organisation->code, updated.dump(), record->version};
      (void)context_.store().PutRecord(write, ApiContext::Actor(principal));
    }
    Serve(req, res, principal, *organisation, format);
  }

  void Serve(const httplib::Request& req, httplib::Response& res, const Principal& principal,
             const Organisation& organisation, const std::string& format) {
    const bool paloalto_or_forti = format == "lists/paloalto" || format == "lists/fortigate";
    if (auto status = format == "rpz"     ? CheckParams(req, {"part"})
                      : paloalto_or_forti ? CheckParams(req, {"kind"})
                                          : CheckParams(req, {});
        !status.ok()) {
      return SendError(res, status.error());
    }
    protect::RpzPart part = protect::RpzPart::kEnforce;
    if (format == "rpz") {
      const std::string value = req.has_param("part") ? req.get_param_value("part") : "enforce";
      if (value != "enforce" && value != "monitor") {
        return SendError(res, Error::InvalidArgument("query parameter 'part' must be enforce or monitor"));
      }
      part = value == "monitor" ? protect::RpzPart::kMonitor : protect::RpzPart::kEnforce;
    }
    protect::ListKind kind = protect::ListKind::kAddress;
    if (paloalto_or_forti) {
      const std::string value = req.has_param("kind") ? req.get_param_value("kind") : "address";
      if (value != "address" && value != "domain" && value != "url") {
        return SendError(res, Error::InvalidArgument("query parameter 'kind' must be address, domain or url"));
      }
      kind = value == "domain" ? protect::ListKind::kDomain
             : value == "url"  ? protect::ListKind::kUrl
                               : protect::ListKind::kAddress;
    }
    auto current = Current(principal, organisation);
    if (!current.ok()) return SendError(res, current.error());
    const Served& served = **current;
    const std::string etag = "\"" + std::to_string(served.serial) + "\"";
    const bool not_modified = format != "feed" && NotModified(req, etag);
    (void)context_.store().Audit(ApiContext::Actor(principal), kFetchAction, organisation.code,
                                 Json{{"format", format},
                                      {"serial", served.serial},
                                      {"mode", served.mode},
                                      {"status", not_modified ? 304 : 200},
                                      {"enforced", served.feed.enforce.size()},
                                      {"monitored", served.feed.monitor.size()}}
                                     .dump());
    if (format == "feed") {
      Json report = Json::parse(protect::FeedReportJson(served.feed), nullptr, /*allow_exceptions=*/false);
      report["organisation"] = organisation.code;
      report["serial"] = served.serial;
      report["mode"] = served.mode;
      report["pinned_to"] = served.pinned_to ? Json(*served.pinned_to) : Json(nullptr);
      report["candidates"] = served.candidates.size();
      report["generated"] = Timestamp::Now().ToRfc3339();
      report["profile"] = ProfileJson(served.profile);
      return SendJson(res, 200, report);
    }
    res.set_header("ETag", etag);
    res.set_header("Cache-Control", "no-cache");
    if (not_modified) {
      res.status = 304;
      return;
    }
    Result<std::string> text = std::string();
    std::string type = "text/plain; charset=utf-8";
    if (format == "rpz") {
      protect::RpzOptions options;
      options.serial = served.serial;
      options.action = served.profile.profile.action;
      options.walled_garden = served.profile.profile.walled_garden;
      auto zone = protect::WriteRpz(served.feed, options, part);
      text = zone.ok() ? Result<std::string>(std::move(zone->text)) : Result<std::string>(zone.error());
      type = "text/dns";
    } else if (format == "rpz/mapping") {
      text = protect::WriteRpzMapping(served.feed, served.candidates, served.serial);
      type = "application/json";
    } else if (format == "lists/paloalto") {
      text = protect::WritePaloAltoList(served.feed, kind);
    } else if (format == "lists/fortigate") {
      text = protect::WriteFortiGateList(served.feed, kind);
    } else if (format == "lists/mikrotik") {
      text = protect::WriteMikroTikScript(served.feed, served.candidates, {});
    } else if (format == "lists/nftables") {
      text = protect::WriteNftables(served.feed, {});
    } else {
      text = protect::WriteIpsetRestore(served.feed, {});
    }
    if (!text.ok()) return SendError(res, text.error());
    res.status = 200;
    res.set_content(*text, type);
  }

  ApiContext& context_;
  std::shared_ptr<IndicatorBoard> board_;  // one per hub, shared by the modules that read it
  // The bundled warning lists (private ranges, the Danish public sector's
  // and the big vendors' domains), as the sensors use them: never blocked.
  const WarningLists warning_lists_ = WarningLists::BuiltIn();
  std::mutex serial_mutex_;  // the members' serial records and states_
  std::map<std::string, MemberState> states_;
  std::mutex build_mutex_;
  std::mutex cache_mutex_;
  struct Cached {
    Timestamp at;
    std::string fingerprint;  // of the board's generation and the other inputs (Current)
    std::shared_ptr<const Served> served;
  };
  std::map<std::pair<std::string, std::string>, Cached> cache_;
};

void RegisterProtectionApi(Router& server, ApiContext& context) {
  auto module = std::make_shared<ProtectionApi>(context);
  module->Register(server);
  context.Keep(module);
}

constexpr std::array<std::string_view, 1> kProtectionPathPrefixes = {"/api/v1/protection"};
constexpr std::array<std::string_view, 6> kProtectionRecordKinds = {kProfileKind, kSerialKind, kTokenKind,
                                                                    kPinKind,     kFreezeKind, kNeverBlockKind};
constexpr std::array<std::string_view, 5> kProtectionAuditActions = {kFetchAction, kPinAction, kUnpinAction,
                                                                     kFreezeAction, kThawAction};

}  // namespace

extern const Module kProtectionModule;
constinit const Module kProtectionModule{
    .name = "protection",
    .register_routes = &RegisterProtectionApi,
    .openapi_fragment = "protection.openapi.json",
    .path_prefixes = kProtectionPathPrefixes,
    .record_kinds = kProtectionRecordKinds,
    .audit_actions = kProtectionAuditActions,
    .dashboard_route = "#/protection",
};

}  // namespace dv::hub
