// SPDX-License-Identifier: Apache-2.0
#pragma once

// The hub's route table: what each REST or TAXII module registers, and what
// the HTTP server (hub/http_server.h) dispatches to. A route is a method and
// a path pattern (an ECMAScript regular expression matched against the whole
// path; capture groups land in Request::matches).
//
// Requests and responses are cpp-httplib's plain data types (method, path,
// headers, params, body; status, headers, body): the modules only read and
// fill them. No cpp-httplib server code runs in the hub.
//
// Thread safety: registration happens before serving; Find() is const and
// safe from any thread afterwards.

#include <httplib.h>

#include <functional>
#include <regex>
#include <string>
#include <vector>

namespace dv::hub {

using Request = httplib::Request;
using Response = httplib::Response;
using Handler = std::function<void(const Request&, Response&)>;
// A deferred route answers later: its handler returns at once and calls the
// Reply, exactly once, from any thread, when the answer is ready (a long
// poll). No worker thread waits meanwhile. A Reply called after the server
// stopped does nothing; a request is answered at most once.
using Reply = std::function<void(Response)>;
using DeferredHandler = std::function<void(const Request&, Reply)>;

class Router {
 public:
  struct Route {
    std::string method;
    std::string pattern;
    std::regex regex;
    Handler handler;           // null for a deferred route
    DeferredHandler deferred;  // null for an ordinary route
  };

  Router& Get(const std::string& pattern, Handler handler) { return Add("GET", pattern, std::move(handler)); }
  Router& Post(const std::string& pattern, Handler handler) { return Add("POST", pattern, std::move(handler)); }
  Router& Put(const std::string& pattern, Handler handler) { return Add("PUT", pattern, std::move(handler)); }
  Router& Patch(const std::string& pattern, Handler handler) { return Add("PATCH", pattern, std::move(handler)); }
  Router& Delete(const std::string& pattern, Handler handler) { return Add("DELETE", pattern, std::move(handler)); }
  Router& GetDeferred(const std::string& pattern, DeferredHandler handler);

  // The first route (in registration order) whose method and pattern match;
  // fills `req.matches`. nullptr when none matches. HEAD is served by GET routes.
  const Route* Find(Request& req) const;

  const std::vector<Route>& routes() const { return routes_; }

 private:
  // Throws std::regex_error for a malformed pattern (a programming error,
  // found when the hub starts).
  Router& Add(const std::string& method, const std::string& pattern, Handler handler);
  std::vector<Route> routes_;
};

}  // namespace dv::hub
