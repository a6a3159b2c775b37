// SPDX-License-Identifier: Apache-2.0
#pragma once

// What every REST module of the hub shares: JSON responses and errors,
// query-parameter checks, request bodies, authentication and the access
// rules for member-owned data. Internal to the hub.
//
// Each module (hub/module.h, one folder under src/hub/modules/) adds its
// routes under /api/v1 through this context, and describes them in its
// OpenAPI fragment that /api/v1/openapi.json merges in.
//
// Responses are JSON. Errors are {"error": {"kind", "message"}} with the
// status that matches the ErrorKind (400, 401, 403, 404, 409, 413, 429, 500).
// Access for member-owned data:
//   - a member (person or sensor) reads and writes its own organisation's
//     records; sensors only where a module says so;
//   - coordinators and administrators read every member's records and write
//     national data (guidance, the dependency graph); they do not edit a
//     member's own assessment;
//   - everyone else gets 403, and the refusal is audited.
// Thread-safe: routes run on the server's worker threads.

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "hub/access.h"
#include "hub/rate_limiter.h"
#include "store/store.h"

namespace httplib {
struct Request;
struct Response;
}  // namespace httplib

namespace dv::hub {

using Json = nlohmann::json;

int HttpStatusFor(ErrorKind kind);
void SendJson(httplib::Response& res, int status, const Json& body);
// `path` for logs and the audit log: a segment that is a secret (a feed
// token "dvf_…" in the feed URLs a resolver fetches; an API token "dvt_…"
// pasted by mistake) becomes its prefix and "…". Logs are read by more
// people than tokens are.
std::string RedactedPath(std::string_view path);
// kUnavailable (the database cannot be reached) is 503 with Retry-After and
// a fixed message: the error's own names the database's host.
void SendError(httplib::Response& res, const Error& error);
constexpr int kUnavailableRetrySeconds = 5;
constexpr std::string_view kUnavailableMessage = "the hub's database cannot be reached now; try again shortly";
// kInvalidArgument naming the first query parameter not in `allowed`, or
// saying that a POST/PUT sent a form instead of JSON.
Status CheckParams(const httplib::Request& req, const std::set<std::string>& allowed);
// An integer query parameter, or `fallback` when absent.
Result<int> IntParam(const httplib::Request& req, const std::string& name, int fallback);
// The request body as a JSON object; kInvalidArgument naming the line and
// column of a syntax error, or saying the body is not an object.
Result<Json> JsonBody(const httplib::Request& req);

bool IsCoordinator(const Principal& principal);  // coordinator or administrator
// True when the principal may read `org_code`'s own (non-shared) records.
bool CanReadOrgRecords(const Principal& principal, std::string_view org_code);
// True for the organisation's own people (role member, not its sensors) and
// coordinators: records about people or that a sensor has no use for
// (contacts, outside-report notices, duty).
bool CanReadOrgPeopleRecords(const Principal& principal, std::string_view org_code);
// True when the principal may change `org_code`'s own records: a person
// (member role) of that organisation, or an administrator.
bool CanWriteOrgRecords(const Principal& principal, std::string_view org_code);

// Organisations by code, each looked up in the store at most once: one per
// request (not thread-safe; not shared between requests, so a rename shows at
// once). An unknown code is remembered as unknown.
class OrganisationLookup {
 public:
  explicit OrganisationLookup(Store& store) : store_(store) {}
  // The organisation, or null when no organisation has `code`. The first
  // few codes are read one by one; after kSingleReads of them, every
  // organisation is read at once (a read per code costs a round trip on a
  // database server), and later unknown codes cost nothing.
  const Organisation* Find(const std::string& code);
  // Its name, or the code itself when unknown.
  std::string Name(const std::string& code);

  static constexpr int kSingleReads = 4;

 private:
  Store& store_;
  std::map<std::string, std::optional<Organisation>> organisations_;
  int single_reads_ = 0;
  bool all_read_ = false;
};

class ApiContext {
 public:
  ApiContext(Store& store, double requests_per_second, double burst);
  Store& store() { return store_; }

  // Bearer token or HTTP Basic (hub/auth.h). kUnauthorized when absent or
  // bad; the store's own error (kUnavailable, kIo) when it cannot tell.
  Result<Principal> Authenticate(const httplib::Request& req);
  // Authenticates and rate-limits, then runs `body`; sends 401 (audited as
  // "read.refused") or 429 itself. A JSON exception in `body` becomes 400.
  void Authed(const httplib::Request& req, httplib::Response& res, const std::function<void(const Principal&)>& body);
  // The usual route of a module: a handler that runs Authed, then
  // `(api->*handler)(req, res, principal)`. `api` must live as long as the
  // router (a module keeps it with Keep).
  template <class Api>
  auto Route(Api* api, void (Api::*handler)(const httplib::Request&, httplib::Response&, const Principal&)) {
    return [this, api, handler](const httplib::Request& req, httplib::Response& res) {
      Authed(req, res, [&](const Principal& principal) { (api->*handler)(req, res, principal); });
    };
  }
  // Counts one request against the member's budget (REST and TAXII share it);
  // false when the member is over its rate limit.
  bool AllowRequest(const std::string& member_id) { return limiter_.Allow(member_id); }
  // Audits a request refused for missing or bad credentials, aggregated: at
  // most one row per client address per minute, the next row saying how many
  // were refused in between. A flood cannot fill the audit log.
  void AuditUnauthenticated(const httplib::Request& req, const std::string& reason);
  // Sends 403 and audits the refused access to `object`.
  void Forbid(const Principal& principal, const httplib::Request& req, httplib::Response& res,
              const std::string& object);
  // The actor name written to the audit log for a principal.
  static std::string Actor(const Principal& principal);
  // Keeps a module's state alive as long as the context (and so the server
  // whose routes use it).
  void Keep(std::shared_ptr<void> module_state) { modules_.push_back(std::move(module_state)); }
  // A service several modules share, one per hub: made by `make` on first
  // use under `name`, the same object for every later caller. One name, one
  // type (the caller's T must be the type the first caller made).
  template <typename T>
  std::shared_ptr<T> Shared(const std::string& name, const std::function<std::shared_ptr<T>()>& make) {
    std::lock_guard lock(shared_mutex_);
    auto& slot = shared_[name];
    if (!slot) slot = make();
    return std::static_pointer_cast<T>(slot);
  }

 private:
  Store& store_;
  RateLimiter limiter_;
  std::vector<std::shared_ptr<void>> modules_;
  std::mutex shared_mutex_;
  std::map<std::string, std::shared_ptr<void>> shared_;
  struct RefusalWindow {
    std::chrono::steady_clock::time_point start;
    std::size_t more = 0;  // refused since the row that opened the window
  };
  std::mutex refusals_mutex_;
  std::map<std::string, RefusalWindow> refusals_;
};

}  // namespace dv::hub
