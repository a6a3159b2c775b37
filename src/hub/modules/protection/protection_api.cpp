// SPDX-License-Identifier: Apache-2.0
// /api/v1/protection/members/{code}/…: a member's protection feed (issue 14,
// docs/protect.md) — its profile, the feed report, the RPZ zone with its
// owner-name mapping, and the firewall lists.
//
// Candidates are the indicators the member may read, as the indicators
// module's board (hub/modules/indicators/indicator_board.h) shows them to the
// member's organisation: only active ones (not a false positive, expired,
// decayed or revoked). A candidate is corroborated when a sensor of another
// organisation than its producer sighted it (a sighting the member may see);
// the coordinator's own indicators count as approved (protect/feed.h).
//
// The serial only grows: it is kept per member as a record
// (protection.serial) with a digest of the feed's content, and moves to
// max(last serial + 1, the newest change-feed sequence the member sees) when
// the content differs — so a verdict or a decay that changes no STIX object
// still gives a new serial, and an unchanged feed keeps its ETag.
//
// Who reads what: the profile is read by the member's own principals and
// coordinators, and written by the member's people and administrators. The
// feed (report, zone, lists) is read by the member's own principals (persons
// and sensors) and administrators; anyone else gets 403 (audited). An
// administrator's copy holds only what both the member and the administrator
// may see, so the feed never shows anyone a value its TLP withholds.

#include <httplib.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <mutex>
#include <set>

#include "hub/api.h"
#include "hub/auth.h"
#include "hub/module.h"
#include "hub/modules/indicators/indicator_board.h"
#include "hub/router.h"
#include "protect/feed.h"
#include "protect/lists.h"
#include "protect/rpz.h"
#include "protect/value.h"

namespace dv::hub {

namespace {

constexpr std::string_view kProfileKind = "protection.profile";
constexpr std::string_view kSerialKind = "protection.serial";
constexpr std::string_view kFetchAction = "protection.feed.fetch";

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

struct BuiltFeed {
  MemberProfile profile;
  std::vector<protect::Candidate> candidates;
  protect::Feed feed;
  std::uint32_t serial = 1;
};

class ProtectionApi {
 public:
  explicit ProtectionApi(ApiContext& context) : context_(context), board_(context.store()) {}

  void Register(Router& server) {
    const std::string member = R"(/api/v1/protection/members/([A-Za-z0-9_.-]{1,64}))";
    server.Get(member + "/profile", context_.Route(this, &ProtectionApi::GetProfile));
    server.Put(member + "/profile", context_.Route(this, &ProtectionApi::PutProfile));
    server.Get(member + "/feed", [this](const httplib::Request& req, httplib::Response& res) {
      context_.Authed(req, res, [&](const Principal& principal) { Serve(req, res, principal, "feed"); });
    });
    server.Get(member + "/rpz", [this](const httplib::Request& req, httplib::Response& res) {
      context_.Authed(req, res, [&](const Principal& principal) { Serve(req, res, principal, "rpz"); });
    });
    server.Get(member + "/rpz/mapping", [this](const httplib::Request& req, httplib::Response& res) {
      context_.Authed(req, res, [&](const Principal& principal) { Serve(req, res, principal, "mapping"); });
    });
    server.Get(member + R"(/lists/(paloalto|fortigate|mikrotik|nftables|ipset))",
               [this](const httplib::Request& req, httplib::Response& res) {
                 context_.Authed(req, res, [&](const Principal& principal) {
                   Serve(req, res, principal, "lists/" + req.matches[2].str());
                 });
               });
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

  // The feed of `organisation` as `caller` may receive it (see the top of the file).
  Result<BuiltFeed> Build(const Principal& caller, const Organisation& organisation) {
    if (auto refreshed = board_.Refresh(); !refreshed.ok()) return refreshed.error();
    const Timestamp now = Timestamp::Now();
    const Principal as_member{
        Member{"protection-feed:" + organisation.code, organisation.code, "protection feed", MemberRole::kMember},
        organisation};
    auto views = board_.Views(as_member, now);
    if (!views.ok()) return views.error();
    std::optional<std::set<std::string>> caller_sees;
    if (caller.organisation.code != organisation.code) {
      auto own = board_.Views(caller, now);
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
    BuiltFeed built;
    auto profile = LoadProfile(organisation.code);
    if (!profile.ok()) return profile.error();
    built.profile = std::move(profile).value();
    std::int64_t newest_seq = 0;
    for (const auto& view : *views) {
      const IndicatorFact& fact = *view.fact;
      if (caller_sees && caller_sees->count(fact.stored.id) == 0) continue;
      newest_seq = std::max(newest_seq, fact.stored.seq);
      if (view.status != IndicatorStatus::kActive) continue;
      protect::Candidate base;
      base.indicator_id = fact.stored.id;
      base.producer = view.producer_org;
      base.collection = view.collection.id;
      base.confidence = view.confidence;
      base.national_sightings = view.sighting_count;
      base.modified = fact.modified;
      for (const SightingFact* sighting : view.visible_sightings) {
        newest_seq = std::max(newest_seq, sighting->stored.seq);
        if (sighting->measured && !sighting->block && sighting->sighter_org != view.producer_org) {
          base.corroborated = true;
          base.provenance.object_ids.push_back(sighting->stored.id);
          base.provenance.producers.push_back(sighting->sighter_org);
        }
      }
      for (const OpinionFact* opinion : view.visible_opinions) newest_seq = std::max(newest_seq, opinion->stored.seq);
      if (coordinators.count(view.producer_org) > 0) base.provenance.approvals.push_back(view.producer_org);
      const protect::BlockablePattern blockable =
          fact.pattern_type == "stix" ? protect::BlockableObservables(fact.pattern)
                                      : protect::BlockablePattern{{}, "pattern type '" + fact.pattern_type + "'"};
      if (blockable.values.empty()) {
        protect::Candidate other = base;
        other.kind = protect::ValueKind::kOther;
        other.other_kind = blockable.reason;
        built.candidates.push_back(std::move(other));
        continue;
      }
      for (const auto& value : blockable.values) {
        protect::Candidate candidate = base;
        candidate.kind = value.kind;
        candidate.value = value.value;
        built.candidates.push_back(std::move(candidate));
      }
    }
    protect::FeedInput input;
    input.candidates = built.candidates;
    input.profile = built.profile.profile;
    input.coordinator = coordinators.empty() ? std::string() : *coordinators.begin();
    input.allow = built.profile.allow;
    input.now = now;
    auto feed = protect::BuildFeed(input);
    if (!feed.ok()) return feed.error();
    built.feed = std::move(feed).value();
    auto serial = Serial(organisation.code, built, newest_seq, caller);
    if (!serial.ok()) return serial.error();
    built.serial = *serial;
    return built;
  }

  // The member's serial for this content (see the top of the file).
  Result<std::uint32_t> Serial(const std::string& code, const BuiltFeed& built, std::int64_t newest_seq,
                               const Principal& caller) {
    protect::RpzOptions options;
    options.action = built.profile.profile.action;
    options.walled_garden = built.profile.profile.walled_garden;
    std::string content = ProfileJson(built.profile).dump();
    for (const auto part : {protect::RpzPart::kEnforce, protect::RpzPart::kMonitor}) {
      auto zone = protect::WriteRpz(built.feed, options, part);
      if (!zone.ok()) return zone.error();
      content += zone->text;
    }
    for (const auto* entries : {&built.feed.enforce, &built.feed.monitor}) {
      content += "\n--\n";
      for (const auto& entry : *entries) content += entry.value + "\n";
    }
    const std::string digest = HashToken(content);
    const std::lock_guard lock(serial_mutex_);
    std::int64_t last = 0;
    auto record = context_.store().GetRecord(kSerialKind, code);
    if (record.ok()) {
      const Json body = Json::parse(record->body, nullptr, /*allow_exceptions=*/false);
      if (body.is_object() && body.value("digest", std::string()) == digest && body.contains("serial") &&
          body["serial"].is_number_integer()) {
        return static_cast<std::uint32_t>(body["serial"].get<std::int64_t>());
      }
      if (body.is_object() && body.contains("serial") && body["serial"].is_number_integer()) {
        last = body["serial"].get<std::int64_t>();
      }
    } else if (record.error().kind() != ErrorKind::kNotFound) {
      return record.error();
    }
    // An administrator's copy (see the top of the file) may differ from the
    // member's own: it reports the member's serial and never moves it.
    if (caller.organisation.code != code) {
      return static_cast<std::uint32_t>(std::max({last, newest_seq, std::int64_t{1}}));
    }
    const std::int64_t next = std::max({last + 1, newest_seq, std::int64_t{1}});
    RecordWrite write{std::string(kSerialKind), code, code, Json{{"serial", next}, {"digest", digest}}.dump(),
                      record.ok() ? std::optional<std::int64_t>(record->version) : std::optional<std::int64_t>(0)};
    auto stored = context_.store().PutRecord(write, ApiContext::Actor(caller));
    if (!stored.ok()) return stored.error();
    // RFC 1982 serial arithmetic: the low 32 bits keep growing as far as a resolver can tell.
    return static_cast<std::uint32_t>(next);
  }

  void Serve(const httplib::Request& req, httplib::Response& res, const Principal& principal,
             const std::string& format) {
    const bool paloalto_or_forti = format == "lists/paloalto" || format == "lists/fortigate";
    if (auto status = format == "rpz"     ? CheckParams(req, {"part"})
                      : paloalto_or_forti ? CheckParams(req, {"kind"})
                                          : CheckParams(req, {});
        !status.ok()) {
      return SendError(res, status.error());
    }
    auto organisation = PathOrganisation(req);
    if (!organisation.ok()) return SendError(res, organisation.error());
    const bool own = principal.member.org_code == organisation->code;
    if (!own && principal.member.role != MemberRole::kAdmin) {
      return context_.Forbid(principal, req, res, "the protection feed of " + organisation->code);
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
    auto built = Build(principal, *organisation);
    if (!built.ok()) return SendError(res, built.error());
    const std::string etag = "\"" + std::to_string(built->serial) + "\"";
    const bool not_modified = format != "feed" && NotModified(req, etag);
    (void)context_.store().Audit(ApiContext::Actor(principal), kFetchAction, organisation->code,
                                 Json{{"format", format},
                                      {"serial", built->serial},
                                      {"status", not_modified ? 304 : 200},
                                      {"enforced", built->feed.enforce.size()},
                                      {"monitored", built->feed.monitor.size()}}
                                     .dump());
    if (format == "feed") {
      Json report = Json::parse(protect::FeedReportJson(built->feed), nullptr, /*allow_exceptions=*/false);
      report["organisation"] = organisation->code;
      report["serial"] = built->serial;
      report["candidates"] = built->candidates.size();
      report["generated"] = Timestamp::Now().ToRfc3339();
      report["profile"] = ProfileJson(built->profile);
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
      options.serial = built->serial;
      options.action = built->profile.profile.action;
      options.walled_garden = built->profile.profile.walled_garden;
      auto zone = protect::WriteRpz(built->feed, options, part);
      text = zone.ok() ? Result<std::string>(std::move(zone->text)) : Result<std::string>(zone.error());
      type = "text/dns";
    } else if (format == "mapping") {
      text = protect::WriteRpzMapping(built->feed, built->candidates, built->serial);
      type = "application/json";
    } else if (format == "lists/paloalto") {
      text = protect::WritePaloAltoList(built->feed, kind);
    } else if (format == "lists/fortigate") {
      text = protect::WriteFortiGateList(built->feed, kind);
    } else if (format == "lists/mikrotik") {
      text = protect::WriteMikroTikScript(built->feed, built->candidates, {});
    } else if (format == "lists/nftables") {
      text = protect::WriteNftables(built->feed, {});
    } else {
      text = protect::WriteIpsetRestore(built->feed, {});
    }
    if (!text.ok()) return SendError(res, text.error());
    res.status = 200;
    res.set_content(*text, type);
  }

  ApiContext& context_;
  IndicatorBoard board_;
  std::mutex serial_mutex_;
};

void RegisterProtectionApi(Router& server, ApiContext& context) {
  auto module = std::make_shared<ProtectionApi>(context);
  module->Register(server);
  context.Keep(module);
}

constexpr std::array<std::string_view, 1> kPathPrefixes = {"/api/v1/protection"};
constexpr std::array<std::string_view, 2> kRecordKinds = {kProfileKind, kSerialKind};
constexpr std::array<std::string_view, 1> kAuditActions = {kFetchAction};

}  // namespace

extern const Module kProtectionModule;
constinit const Module kProtectionModule{
    .name = "protection",
    .register_routes = &RegisterProtectionApi,
    .openapi_fragment = "protection.openapi.json",
    .path_prefixes = kPathPrefixes,
    .record_kinds = kRecordKinds,
    .audit_actions = kAuditActions,
    .dashboard_route = "",
};

}  // namespace dv::hub
