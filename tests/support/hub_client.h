// SPDX-License-Identifier: Apache-2.0
#pragma once

// The one HTTP client of the integration and adversarial tests. It speaks to
// a hub on loopback and holds every response it receives from the REST API
// (/api/…, /healthz) to the hub's OpenAPI document (tests/support/
// openapi_contract.h): a response the document does not describe, or whose
// body its schema refuses, fails the calling test with the path, the status
// and valijson's error paths. TAXII 2.1 (/taxii2/…) answers to its OASIS
// specification instead and is not checked here.
//
// The document is the one the hub serves at /api/v1/openapi.json
// (HubOpenApiDocument), compiled once per process; checking adds no request
// to the hub under test. The number of validated responses is printed when
// the test binary ends ("validated N responses against the OpenAPI
// document").
//
// A HubClient is one httplib::Client: requests on it may share a kept-alive
// connection. It is not thread-safe; use one per thread.

#include <httplib.h>

#include <string>

namespace dv::test {

inline constexpr const char* kJsonType = "application/json";

// {"Authorization": "Bearer <token>"}, plus {"Accept": accept} when given.
httplib::Headers BearerHeaders(const std::string& token, const std::string& accept = "");

class HubClient {
 public:
  // A client of the hub on 127.0.0.1:`port`, with a read timeout of
  // `read_timeout_seconds` (the hub's analyses can take a while under the
  // sanitizers).
  explicit HubClient(int port, int read_timeout_seconds = 120);

  httplib::Result Get(const std::string& path, const httplib::Headers& headers = {});
  httplib::Result Post(const std::string& path, const httplib::Headers& headers, const std::string& body,
                       const std::string& content_type = kJsonType);
  httplib::Result Put(const std::string& path, const httplib::Headers& headers, const std::string& body,
                      const std::string& content_type = kJsonType);
  httplib::Result Delete(const std::string& path, const httplib::Headers& headers = {});
  // `method` is GET, POST, PUT or DELETE; the body and its type are sent
  // with POST and PUT only.
  httplib::Result Send(const std::string& method, const std::string& path, const httplib::Headers& headers,
                       const std::string& body = "", const std::string& content_type = kJsonType);

  // The underlying client, for its settings (timeouts, keep-alive, basic auth).
  httplib::Client& connection() { return client_; }

 private:
  // Checks the response against the OpenAPI document (see above) and returns it.
  httplib::Result Checked(const std::string& method, const std::string& path, httplib::Result result);

  httplib::Client client_;
};

// Responses this process has validated against the OpenAPI document so far.
int ValidatedResponses();

}  // namespace dv::test
