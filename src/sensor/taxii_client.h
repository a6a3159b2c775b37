// SPDX-License-Identifier: Apache-2.0
#pragma once

// The sensor's side of TAXII 2.1: reading a collection's objects page by page
// and posting envelopes. HubClient is the interface the Sensor uses, so that
// everything above the network can be tested with a fake; TaxiiClient is the
// real one, on cpp-httplib's client (HTTP and HTTPS).
//
// Errors name the URL, the HTTP status and, when the hub sent a TAXII error
// message, its title and description:
//   "GET https://hub/taxii2/dannevirke/collections/…/objects/: HTTP 403 Forbidden: member …"
// Kinds: kUnauthorized (401), kForbidden (403), kNotFound (404),
// kInvalidArgument (other 4xx), kIo (network failures, 429 and 5xx after the
// retries are spent), kParse (a body that is not the expected JSON).
//
// Retries: network failures, 429 and 5xx are retried with exponential
// backoff (RetryPolicy), honouring a Retry-After of whole seconds; other
// answers are final. A TaxiiClient is not thread-safe; use one per thread.

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace dv::sensor {

// One page of GET …/objects/.
struct ObjectsPage {
  std::vector<std::string> objects;  // each object's JSON text
  bool more = false;
  std::string next;  // the `next` value to ask for the following page; empty when !more
  // X-TAXII-Date-Added-First/Last as the hub sent them; empty when the page is empty.
  std::string date_added_first;
  std::string date_added_last;
};

struct ObjectsQuery {
  std::string collection_id;
  std::string added_after;         // RFC 3339 as the hub gave it; empty: from the start
  std::string next;                // empty: the first page
  std::vector<std::string> types;  // match[type]; empty: every type
  int limit = 0;                   // 0: the hub's default page size
};

// The status resource a POST answers with.
struct PostStatus {
  std::string id;
  std::string status;  // "complete" or "pending"
  std::int64_t total = 0;
  std::int64_t success = 0;
  std::int64_t failure = 0;
  std::int64_t pending = 0;
  std::vector<std::string> failures;  // "<id>: <message>" for each refused object
};

// One entry of the hub's indicator state (GET /api/v1/indicators/state):
// an indicator the member's sensors must not alert on now.
struct InactiveIndicator {
  std::string id;      // "indicator--…"
  std::string reason;  // "false_positive", "expired", "revoked"
  std::string detail;
};

// The hub's indicator state, whole or since a cursor.
struct IndicatorState {
  // true: `inactive` is every inactive indicator. false: only the ones whose
  // status changed since the cursor asked with: `inactive` are inactive now,
  // `active` are active now, all others are as they were.
  bool complete = true;
  std::vector<InactiveIndicator> inactive;
  std::vector<std::string> active;
  std::string cursor;  // for the next request; empty when the hub gave none
};

class HubClient {
 public:
  virtual ~HubClient() = default;
  // GET /api/v1/indicators/state: the indicators this member's sensors must
  // not alert on now. A hub without the endpoint (404) gives an empty list.
  virtual Result<std::vector<InactiveIndicator>> GetIndicatorState() = 0;
  // The same since `cursor` (from an earlier answer; empty: the whole
  // state). The default asks GetIndicatorState for the whole state.
  virtual Result<IndicatorState> GetIndicatorStateSince(const std::string& cursor);
  virtual Result<ObjectsPage> GetObjects(const ObjectsQuery& query) = 0;
  // Posts {"objects": [...]} (each element already JSON text).
  virtual Result<PostStatus> PostObjects(const std::string& collection_id, const std::vector<std::string>& objects) = 0;
  // GET …/status/{id}/.
  virtual Result<PostStatus> GetStatus(const std::string& status_id) = 0;
  // GET /api/v1/protection/members/{org_code}/rpz/mapping: the owner names
  // of the member's RPZ zones and the indicators behind them, as JSON text
  // (sensor/blocks.h). Clients that cannot fetch it answer kNotFound.
  virtual Result<std::string> GetRpzMapping(const std::string& org_code);
  // GET /api/v1/changes (the hub's change feed): waits up to `wait` for an
  // indicator this member may see to be added after each cursor's
  // added_after; returns the collections with news (empty: none within the
  // wait). Clients or hubs without the feed answer kNotFound.
  virtual Result<std::vector<std::string>> WaitForChanges(
      const std::vector<std::pair<std::string, std::string>>& cursors, std::chrono::seconds wait);
};

struct RetryPolicy {
  int attempts = 5;  // in all, the first one included
  std::chrono::milliseconds initial_delay{200};
  std::chrono::milliseconds max_delay{10'000};
};

// The delay before retry number `retry` (1-based): initial_delay doubled per
// retry, capped at max_delay; a server's Retry-After (seconds) wins when longer.
std::chrono::milliseconds BackoffDelay(const RetryPolicy& policy, int retry,
                                       std::optional<int> retry_after_seconds = std::nullopt);

// Builds the message of a failed TAXII exchange from the request, the HTTP
// status and the body (a TAXII error message, or anything else).
Error TaxiiError(const std::string& method, const std::string& url, int http_status, const std::string& body);

struct TaxiiClientOptions {
  std::string hub_url;  // "https://hub.example:8443" or "http://127.0.0.1:8080"; a path is ignored
  std::string api_root = "/taxii2/dannevirke/";
  std::string token;  // sent as "Authorization: Bearer <token>"
  RetryPolicy retry;
  std::chrono::seconds timeout{30};
  std::string ca_file;  // PEM bundle to verify the hub with; empty: the system's
  // Called instead of sleeping between retries (tests); default: sleep.
  std::function<void(std::chrono::milliseconds)> sleep;
};

// Whether a client may send its token to `hub_url`: https:// to any host;
// plain http:// only to a loopback host (127.0.0.0/8, [::1], localhost), where
// the token never crosses a network. User information in the URL is refused.
// kInvalidArgument naming the URL and the rule otherwise.
Status CheckHubTransport(std::string_view hub_url);

class TaxiiClient final : public HubClient {
 public:
  // kInvalidArgument when hub_url fails CheckHubTransport.
  static Result<std::unique_ptr<TaxiiClient>> Create(TaxiiClientOptions options);
  ~TaxiiClient() override;

  Result<ObjectsPage> GetObjects(const ObjectsQuery& query) override;
  Result<PostStatus> PostObjects(const std::string& collection_id, const std::vector<std::string>& objects) override;
  Result<PostStatus> GetStatus(const std::string& status_id) override;
  Result<std::vector<InactiveIndicator>> GetIndicatorState() override;
  Result<IndicatorState> GetIndicatorStateSince(const std::string& cursor) override;
  Result<std::string> GetRpzMapping(const std::string& org_code) override;
  // Needs options.timeout longer than `wait`.
  Result<std::vector<std::string>> WaitForChanges(const std::vector<std::pair<std::string, std::string>>& cursors,
                                                  std::chrono::seconds wait) override;
  // Ends a request in progress on another thread (it fails at once, without
  // retries) and every later one: for stopping a thread that waits.
  void Interrupt();

 private:
  struct Impl;
  explicit TaxiiClient(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// Parses a status resource's JSON; errors name `where`.
Result<PostStatus> ParseStatus(const std::string& body, const std::string& where);
// Parses the indicator state's JSON ({"generated": …, "inactive": [{"id",
// "reason", "detail"}]}); entries without a string id are errors naming `where`.
Result<std::vector<InactiveIndicator>> ParseIndicatorState(const std::string& body, const std::string& where);
// The same with "cursor", "complete" and "active" (strings); an answer
// without "complete" is complete.
Result<IndicatorState> ParseIndicatorStateAnswer(const std::string& body, const std::string& where);
// Parses an objects envelope's JSON (headers are added by the caller).
Result<ObjectsPage> ParseEnvelope(const std::string& body, const std::string& where);

}  // namespace dv::sensor
