// SPDX-License-Identifier: Apache-2.0
#pragma once

// The hub's HTTP server: /healthz, TAXII 2.1 under /taxii2/ (hub/taxii.h),
// the versioned REST API under /api/v1 (described by the OpenAPI document at
// /api/v1/openapi.json) and the static dashboard (with a Content-Security-
// Policy). The HTTP server is hub/http_server.h (Boost.Beast): asynchronous,
// with limits before authentication, so that slow or hostile clients cannot
// hold it (docs/security.md).
//
// Every response to /api and /healthz is JSON; errors are
// {"error": {"kind": "...", "message": "..."}} with the matching status code.
// Each request is logged as one JSON line (the access log) to the sink given
// in HubOptions.
//
// Lifetime and threads: the Store must outlive the server. Serve() blocks on
// the calling thread while a pool of worker threads handles requests; Stop()
// may be called from any thread and makes Serve() return after in-flight
// requests finish.

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.h"
#include "hub/http_limits.h"
#include "hub/taxii.h"
#include "store/store.h"

namespace dv {

struct HubOptions {
  std::string bind_address = "127.0.0.1";
  int port = 8080;       // 0 picks a free port (see Bind)
  std::string web_root;  // the built dashboard (web/dist); empty = none
  // PEM certificate and key. Without them the hub speaks plain HTTP, which it
  // allows only on a loopback address.
  std::string tls_cert;
  std::string tls_key;
  std::string version;  // reported by /healthz
  // Receives one JSON object per request; default: none.
  std::function<void(const std::string&)> access_log;
  hub::TaxiiOptions taxii;
  // Connection, deadline and size limits before authentication (the body
  // limit is taxii.max_content_length).
  hub::HttpLimits http;
};

class HubServer {
 public:
  HubServer(Store& store, HubOptions options);
  ~HubServer();
  HubServer(const HubServer&) = delete;
  HubServer& operator=(const HubServer&) = delete;

  // Binds the listening socket; returns the port (the chosen one when
  // options.port is 0). kIo when the address is taken or invalid.
  Result<int> Bind();
  // Serves until Stop(). Requires a successful Bind().
  Status Serve();
  void Stop();

  // One request as raw HTTP/1.1 bytes through the real parsing, limits,
  // routing and handlers, without a socket (hub::HttpServer::HandleBytes).
  std::string HandleBytes(std::string_view request);

  // Every registered route as (method, path pattern), in registration order:
  // what the OpenAPI coverage test compares with the document.
  std::vector<std::pair<std::string, std::string>> RouteTable() const;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

// The OpenAPI document that GET /api/v1/openapi.json serves: the base
// src/hub/openapi.json with each module's fragment (hub/module.h) merged
// in, paths and components/schemas. The integration tests hold every REST
// response they receive to it (tests/support/hub_client.h).
std::string HubOpenApiDocument();

}  // namespace dv
