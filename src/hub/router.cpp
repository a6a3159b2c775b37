// SPDX-License-Identifier: Apache-2.0
#include "hub/router.h"

namespace dv::hub {

// The only place where the hub builds and runs std::regex: GCC 12 reports
// false -Wmaybe-uninitialized warnings inside <regex> when it inlines it
// under the sanitizers, so this file alone is compiled
// without that warning (src/hub/CMakeLists.txt).

Router& Router::Add(const std::string& method, const std::string& pattern, Handler handler) {
  routes_.push_back({method, pattern, std::regex(pattern), std::move(handler), nullptr});
  return *this;
}

Router& Router::GetDeferred(const std::string& pattern, DeferredHandler handler) {
  routes_.push_back({"GET", pattern, std::regex(pattern), nullptr, std::move(handler)});
  return *this;
}

const Router::Route* Router::Find(Request& req) const {
  for (const auto& route : routes_) {
    if (route.method != req.method && !(req.method == "HEAD" && route.method == "GET")) continue;
    std::smatch matches;
    if (!std::regex_match(req.path, matches, route.regex)) continue;
    req.matches = std::move(matches);
    return &route;
  }
  return nullptr;
}

}  // namespace dv::hub
