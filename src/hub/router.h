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

class Router {
 public:
  struct Route {
    std::string method;
    std::string pattern;
    std::regex regex;
    Handler handler;
  };

  Router& Get(const std::string& pattern, Handler handler) { return Add("GET", pattern, std::move(handler)); }
  Router& Post(const std::string& pattern, Handler handler) { return Add("POST", pattern, std::move(handler)); }
  Router& Put(const std::string& pattern, Handler handler) { return Add("PUT", pattern, std::move(handler)); }
  Router& Patch(const std::string& pattern, Handler handler) { return Add("PATCH", pattern, std::move(handler)); }
  Router& Delete(const std::string& pattern, Handler handler) { return Add("DELETE", pattern, std::move(handler)); }

  // The first route (in registration order) whose method and pattern match;
  // fills `req.matches`. nullptr when none matches. `path_matched` is set
  // when some route of another method matched the path (for 405).
  const Route* Find(Request& req, bool* path_matched = nullptr) const {
    for (const auto& route : routes_) {
      std::smatch matches;
      if (!std::regex_match(req.path, matches, route.regex)) continue;
      if (route.method == req.method || (req.method == "HEAD" && route.method == "GET")) {
        req.matches = std::move(matches);
        return &route;
      }
      if (path_matched) *path_matched = true;
    }
    return nullptr;
  }

  const std::vector<Route>& routes() const { return routes_; }

 private:
  Router& Add(const std::string& method, const std::string& pattern, Handler handler) {
    routes_.push_back({method, pattern, std::regex(pattern), std::move(handler)});
    return *this;
  }
  std::vector<Route> routes_;
};

}  // namespace dv::hub
