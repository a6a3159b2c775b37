// SPDX-License-Identifier: Apache-2.0
// The OpenAPI document is the API's contract: every route the hub registers
// under /api and /healthz has its path and method in the document, and every
// path and method in the document is served by a route. Routes are compared
// as templates: a route's capture groups and the document's {parameters}
// both become "{}".
//
// Left to their own contract: TAXII 2.1 under /taxii2/ (the OASIS
// specification; tests/integration/taxii_test.cpp walks it) and the
// catch-all routes that answer 404 for unknown paths (patterns with ".*").
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <set>
#include <string>

#include "support/test_hub.h"

namespace dv {
namespace {

using Json = nlohmann::json;

// "/api/v1/assets/([^/]+)/import" -> "/api/v1/assets/{}/import"; an optional
// trailing "/?" is dropped.
std::string RouteTemplate(const std::string& pattern) {
  std::string out;
  for (std::size_t idx = 0; idx < pattern.size(); ++idx) {
    const char c = pattern[idx];
    if (c == '\\' && idx + 1 < pattern.size()) {
      out += pattern[++idx];
    } else if (c == '(') {
      int depth = 1;
      while (++idx < pattern.size() && depth > 0) {
        if (pattern[idx] == '\\') {
          ++idx;
        } else if (pattern[idx] == '(') {
          ++depth;
        } else if (pattern[idx] == ')') {
          --depth;
        }
      }
      --idx;
      out += "{}";
    } else if (c == '?' && !out.empty() && out.back() == '/') {
      out.pop_back();
    } else {
      out += c;
    }
  }
  return out;
}

// "/api/v1/assets/{code}/import" -> "/api/v1/assets/{}/import" (without
// std::regex, which GCC 12 warns about under the sanitizers).
std::string DocumentTemplate(const std::string& path) {
  std::string out;
  for (std::size_t idx = 0; idx < path.size(); ++idx) {
    if (path[idx] != '{') {
      out += path[idx];
      continue;
    }
    const std::size_t close = path.find('}', idx);
    if (close == std::string::npos) return out + path.substr(idx);
    out += "{}";
    idx = close;
  }
  return out;
}

std::string Upper(std::string text) {
  for (auto& c : text) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return text;
}

TEST(OpenApiContract, EveryRouteIsDocumentedAndEveryDocumentedPathIsServed) {
  test::TestHub hub("openapi-routes");
  HubServer server(hub.store(), test::TestHub::Options());
  const std::string answer = server.HandleBytes("GET /api/v1/openapi.json HTTP/1.1\r\nHost: x\r\n\r\n");
  ASSERT_EQ(answer.rfind("HTTP/1.1 200", 0), 0u) << answer.substr(0, 200);
  const Json doc = Json::parse(answer.substr(answer.find("\r\n\r\n") + 4));

  std::set<std::string> documented;
  for (const auto& [path, item] : doc.at("paths").items()) {
    for (const auto& [method, operation] : item.items()) {
      if (method == "parameters" || method == "summary" || method == "description") continue;
      documented.insert(Upper(method) + " " + DocumentTemplate(path));
    }
  }
  std::set<std::string> served;
  int routes = 0;
  for (const auto& [method, pattern] : server.RouteTable()) {
    if (pattern.rfind("/taxii2", 0) == 0 || pattern.find(".*") != std::string::npos) continue;
    ++routes;
    served.insert(method + " " + RouteTemplate(pattern));
  }
  for (const auto& route : served)
    EXPECT_TRUE(documented.count(route)) << "route not in the OpenAPI document: " << route;
  for (const auto& path : documented) EXPECT_TRUE(served.count(path)) << "documented but not served: " << path;
  EXPECT_GT(routes, 40) << "the route table looks incomplete";
  std::printf("OpenAPI contract: %d routes, %zu documented operations\n", routes, documented.size());
}

}  // namespace
}  // namespace dv
