// SPDX-License-Identifier: Apache-2.0
// GET /api/v1/changes: the pushed change feed (hub/modules/changes/
// change_feed.h) as a long poll. A sensor names the collections it pulls and
// the date_added it has of each; the answer comes as soon as an object it may
// see is added after that, or {"changed": false} when `wait` seconds pass.
//
//   ?collection=ID[@DATE_ADDED]   repeated, 1..32; without @: from the start
//   &type=indicator               repeated, 0..16; none: every type
//   &wait=25                      seconds, 0..55 (default 25)
//
// The request holds no thread while it waits (hub/router.h, deferred
// routes). Anyone with a token may ask, for the collections it may read
// (403, audited, for another); the answer names collections only.

#include <httplib.h>

#include <algorithm>
#include <array>
#include <memory>

#include "hub/api.h"
#include "hub/module.h"
#include "hub/modules/changes/change_feed.h"
#include "hub/router.h"

namespace dv::hub {

namespace {

constexpr int kDefaultWaitSeconds = 25;
constexpr int kMaxWaitSeconds = 55;

// A STIX type name: lower-case letters, digits and hyphens, 1..250.
bool IsTypeName(std::string_view text) {
  if (text.empty() || text.size() > 250 || text.front() == '-') return false;
  return std::all_of(text.begin(), text.end(),
                     [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'; });
}

class ChangesApi {
 public:
  explicit ChangesApi(ApiContext& context) : context_(context), feed_(context.store(), ChangeFeed::Options{}) {}

  void Register(Router& router) {
    router.GetDeferred("/api/v1/changes", [this](const httplib::Request& req, Reply reply) { Get(req, reply); });
  }

 private:
  void Get(const httplib::Request& req, const Reply& reply) {
    httplib::Response res;
    bool parked = false;
    context_.Authed(req, res, [&](const Principal& principal) {
      auto request = ReadRequest(req, principal);
      if (!request.ok()) return SendError(res, request.error());
      const Status waiting = feed_.Wait(std::move(request).value(), [reply](Result<ChangeNews> news) {
        httplib::Response answer;
        if (!news.ok()) {
          SendError(answer, news.error());
        } else {
          SendJson(answer, 200, {{"changed", news->changed}, {"collections", news->collections}});
          answer.set_header("Cache-Control", "no-store");
        }
        reply(std::move(answer));
      });
      if (!waiting.ok()) {
        if (waiting.error().kind() == ErrorKind::kConflict) {
          res.set_header("Retry-After", "5");
          return SendJson(res, 429, {{"error", {{"kind", "rate_limited"}, {"message", waiting.error().message()}}}});
        }
        return SendError(res, waiting.error());
      }
      parked = true;
    });
    if (!parked) reply(std::move(res));
  }

  static Result<ChangeWait> ReadRequest(const httplib::Request& req, const Principal& principal) {
    DV_TRY(CheckParams(req, {"collection", "type", "wait"}));
    ChangeWait request;
    request.principal = principal;
    for (const auto& [name, value] : req.params) {
      if (name == "collection") {
        ChangeCursor cursor;
        const auto at = value.find('@');
        cursor.collection_id = value.substr(0, at);
        if (cursor.collection_id.empty() || cursor.collection_id.size() > 128) {
          return Error::InvalidArgument("parameter 'collection': '" + value + "' names no collection");
        }
        if (at != std::string::npos) {
          const auto micros = ParseMicros(value.substr(at + 1));
          if (!micros) {
            return Error::InvalidArgument("parameter 'collection': '" + value.substr(at + 1) +
                                          "' is not an RFC 3339 date_added");
          }
          cursor.added_after_us = *micros;
        }
        request.cursors.push_back(std::move(cursor));
      } else if (name == "type") {
        if (!IsTypeName(value)) {
          return Error::InvalidArgument("parameter 'type': '" + value + "' is not a STIX type name");
        }
        request.types.push_back(value);
      }
    }
    if (request.cursors.empty()) return Error::InvalidArgument("parameter 'collection' is required");
    auto wait = IntParam(req, "wait", kDefaultWaitSeconds);
    if (!wait.ok()) return wait.error();
    if (*wait < 0 || *wait > kMaxWaitSeconds) {
      return Error::InvalidArgument("parameter 'wait' must be between 0 and " + std::to_string(kMaxWaitSeconds) +
                                    " seconds");
    }
    request.wait = std::chrono::seconds(*wait);
    return request;
  }

  ApiContext& context_;
  ChangeFeed feed_;
};

void RegisterChangesApi(Router& router, ApiContext& context) {
  auto module = std::make_shared<ChangesApi>(context);
  module->Register(router);
  context.Keep(module);
}

constexpr std::array<std::string_view, 1> kChangesPathPrefixes = {"/api/v1/changes"};

}  // namespace

extern const Module kChangesModule;
constinit const Module kChangesModule{
    .name = "changes",
    .register_routes = &RegisterChangesApi,
    .openapi_fragment = "changes.openapi.json",
    .path_prefixes = kChangesPathPrefixes,
};

}  // namespace dv::hub
