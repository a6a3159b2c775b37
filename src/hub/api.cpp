// SPDX-License-Identifier: Apache-2.0
#include "hub/api.h"

#include <httplib.h>

#include <charconv>

#include "core/json_limits.h"
#include "hub/auth.h"

namespace dv::hub {

int HttpStatusFor(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::kInvalidArgument:
    case ErrorKind::kParse:
      return 400;
    case ErrorKind::kUnauthorized:
      return 401;
    case ErrorKind::kForbidden:
      return 403;
    case ErrorKind::kNotFound:
      return 404;
    case ErrorKind::kConflict:
      return 409;
    case ErrorKind::kUnsupported:
      return 501;
    case ErrorKind::kUnavailable:
      return 503;
    case ErrorKind::kIo:
    case ErrorKind::kInternal:
      return 500;
  }
  return 500;
}

void SendJson(httplib::Response& res, int status, const Json& body) {
  res.status = status;
  res.set_content(body.dump(-1, ' ', false, Json::error_handler_t::replace), "application/json");
}

void SendError(httplib::Response& res, const Error& error) {
  if (error.kind() == ErrorKind::kUnavailable) {
    // The detail names the database's host: for the hub's log, not the client.
    res.set_header("Retry-After", std::to_string(kUnavailableRetrySeconds));
    SendJson(res, 503,
             {{"error", {{"kind", ErrorKindName(error.kind())}, {"message", std::string(kUnavailableMessage)}}}});
    return;
  }
  SendJson(res, HttpStatusFor(error.kind()),
           {{"error", {{"kind", ErrorKindName(error.kind())}, {"message", error.message()}}}});
}

Status CheckParams(const httplib::Request& req, const std::set<std::string>& allowed) {
  // cpp-httplib reads a form body into the parameters; the API takes JSON.
  if (req.method != "GET" && req.get_header_value("Content-Type").rfind("application/x-www-form-urlencoded", 0) == 0) {
    return Error::InvalidArgument("request body: send JSON with 'Content-Type: application/json', not a form");
  }
  for (const auto& [name, value] : req.params) {
    if (!allowed.count(name)) {
      std::string known;
      for (const auto& allowed_name : allowed) known += (known.empty() ? "" : ", ") + allowed_name;
      return Error::InvalidArgument("unknown query parameter '" + name +
                                    "' (known: " + (known.empty() ? "none" : known) + ")");
    }
  }
  return Ok();
}

Result<int> IntParam(const httplib::Request& req, const std::string& name, int fallback) {
  if (!req.has_param(name.c_str())) return fallback;
  const std::string text = req.get_param_value(name.c_str());
  int value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) {
    return Error::InvalidArgument("query parameter '" + name + "' must be a whole number, not '" + text + "'");
  }
  return value;
}

Result<Json> JsonBody(const httplib::Request& req) {
  if (auto depth = CheckJsonDepth(req.body); !depth.ok()) {
    return Error::InvalidArgument("request body: " + depth.error().message());
  }
  try {
    Json body = Json::parse(req.body);
    if (!body.is_object()) return Error::InvalidArgument("request body: must be a JSON object");
    return body;
  } catch (const Json::parse_error& error) {
    return Error::InvalidArgument("request body: not JSON (byte " + std::to_string(error.byte) + "): " + error.what());
  }
}

bool IsCoordinator(const Principal& principal) {
  return principal.member.role == MemberRole::kCoordinator || principal.member.role == MemberRole::kAdmin;
}

bool CanReadOrgRecords(const Principal& principal, std::string_view org_code) {
  return IsCoordinator(principal) || principal.member.org_code == org_code;
}

bool CanReadOrgPeopleRecords(const Principal& principal, std::string_view org_code) {
  if (IsCoordinator(principal)) return true;
  return principal.member.role == MemberRole::kMember && principal.member.org_code == org_code;
}

bool CanWriteOrgRecords(const Principal& principal, std::string_view org_code) {
  if (principal.member.role == MemberRole::kAdmin) return true;
  return principal.member.role == MemberRole::kMember && principal.member.org_code == org_code;
}

ApiContext::ApiContext(Store& store, double requests_per_second, double burst)
    : store_(store), limiter_(requests_per_second, burst) {}

Result<Principal> ApiContext::Authenticate(const httplib::Request& req) {
  if (!req.has_header("Authorization")) {
    return Error::Unauthorized("no credentials; use a Bearer token or HTTP Basic (member id and token)");
  }
  const auto credentials = ParseAuthorization(req.get_header_value("Authorization"));
  if (!credentials) return Error::Unauthorized("the Authorization header is not Basic or Bearer");
  auto member = store_.MemberByTokenHash(HashToken(credentials->token));
  // A database that cannot answer says nothing about the token.
  if (!member.ok() && member.error().kind() != ErrorKind::kUnauthorized) return member.error();
  if (!member.ok()) return Error::Unauthorized("unknown or revoked token");
  if (credentials->user && !ConstantTimeEquals(*credentials->user, member->id)) {
    return Error::Unauthorized("the user name does not match the token");
  }
  auto organisation = store_.GetOrganisation(member->org_code);
  if (!organisation.ok()) return organisation.error();
  return Principal{std::move(member).value(), std::move(organisation).value()};
}

void ApiContext::Authed(const httplib::Request& req, httplib::Response& res,
                        const std::function<void(const Principal&)>& body) {
  auto principal = Authenticate(req);
  if (!principal.ok() && principal.error().kind() != ErrorKind::kUnauthorized) {
    return SendError(res, principal.error());  // the database, not the caller
  }
  if (!principal.ok()) {
    res.set_header("WWW-Authenticate", R"(Bearer realm="dannevirke")");
    AuditUnauthenticated(req, principal.error().message());
    return SendError(res, principal.error());
  }
  if (!AllowRequest(principal->member.id)) {
    res.set_header("Retry-After", "1");
    return SendJson(res, 429,
                    {{"error",
                      {{"kind", "rate_limited"},
                       {"message", "the rate limit for member '" + principal->member.id + "' is exceeded"}}}});
  }
  try {
    body(*principal);
  } catch (const Json::exception& error) {
    SendError(res, Error::InvalidArgument(std::string("JSON: ") + error.what()));
  }
}

std::string RedactedPath(std::string_view path) {
  std::string out;
  std::size_t start = 0;
  while (start <= path.size()) {
    std::size_t end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    const std::string_view segment = path.substr(start, end - start);
    const bool secret = segment.starts_with("dvf_") || segment.starts_with("dvt_") || segment.starts_with("dva_") ||
                        segment.starts_with("dvc_");
    out += secret ? std::string(segment.substr(0, 4)) + "…" : std::string(segment);
    if (end < path.size()) out += '/';
    start = end + 1;
  }
  return out;
}

void ApiContext::AuditUnauthenticated(const httplib::Request& req, const std::string& reason) {
  const auto now = std::chrono::steady_clock::now();
  std::size_t more = 0;
  {
    std::lock_guard lock(refusals_mutex_);
    if (refusals_.size() > 10'000) {
      std::erase_if(refusals_, [&](const auto& entry) { return now - entry.second.start > std::chrono::minutes(1); });
    }
    auto [it, added] = refusals_.try_emplace(req.remote_addr, RefusalWindow{now, 0});
    if (!added && now - it->second.start < std::chrono::minutes(1)) {
      ++it->second.more;
      return;
    }
    more = added ? 0 : it->second.more;
    it->second = RefusalWindow{now, 0};
  }
  std::string detail = reason;
  if (more > 0) detail += " (and " + std::to_string(more) + " more refused from this address in the minute before)";
  (void)store_.Audit("anonymous:" + req.remote_addr, "auth.refused", req.method + " " + RedactedPath(req.path), detail);
}

void ApiContext::Forbid(const Principal& principal, const httplib::Request& req, httplib::Response& res,
                        const std::string& object) {
  (void)store_.Audit(Actor(principal), req.method == "GET" ? "read.refused" : "write.refused", object,
                     req.method + " " + RedactedPath(req.path));
  SendError(res, Error::Forbidden("member '" + principal.member.id + "' of " + principal.organisation.code +
                                  " may not access " + object));
}

std::string ApiContext::Actor(const Principal& principal) { return "member:" + principal.member.id; }

const Organisation* OrganisationLookup::Find(const std::string& code) {
  auto it = organisations_.find(code);
  if (it != organisations_.end()) return it->second ? &*it->second : nullptr;
  if (all_read_) return nullptr;
  if (single_reads_ >= kSingleReads) {
    OrganisationQuery query;
    query.limit = Store::kMaxPageSize;
    bool complete = true;
    for (;;) {
      auto page = store_.ListOrganisations(query);
      if (!page.ok()) {
        complete = false;  // fall back to reading codes one by one
        break;
      }
      for (auto& organisation : page->items) {
        std::string key = organisation.code;
        organisations_.insert_or_assign(std::move(key), std::move(organisation));
      }
      query.offset += static_cast<int>(page->items.size());
      if (page->items.empty() || query.offset >= page->total) break;
    }
    all_read_ = complete;
    if (complete) {
      it = organisations_.find(code);
      return it != organisations_.end() && it->second ? &*it->second : nullptr;
    }
  }
  ++single_reads_;
  auto organisation = store_.GetOrganisation(code);
  it =
      organisations_.emplace(code, organisation.ok() ? std::optional<Organisation>(*organisation) : std::nullopt).first;
  return it->second ? &*it->second : nullptr;
}

std::string OrganisationLookup::Name(const std::string& code) {
  const Organisation* organisation = Find(code);
  return organisation != nullptr ? organisation->name : code;
}

}  // namespace dv::hub
