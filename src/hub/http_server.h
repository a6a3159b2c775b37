// SPDX-License-Identifier: Apache-2.0
#pragma once

// The hub's HTTP/1.1 server, on Boost.Beast and Asio (Debian's Boost 1.74).
// It exists so that no client, however slow or hostile, can hold the hub:
//
//   - Connections are asynchronous: an idle or slow client holds a socket and
//     a small buffer, never a thread. A few I/O threads read and write; the
//     route handlers run on a fixed pool of worker threads.
//   - Limits before work, in this order, all before authentication:
//     total and per-address connection caps (excess connections are closed
//     at once); an absolute deadline for the request head, another for the
//     body and one for writing the answer (a client that sends one header
//     line every few seconds is cut off when the head deadline passes, not
//     kept alive by each byte); a head size limit (431); a per-address token
//     bucket (429); bodies with a Content-Encoding are refused (415, nothing
//     is ever inflated); Content-Length over the limit is refused before a
//     byte of the body is read (413), chunked bodies are counted as they
//     arrive and cut off at the same limit (413); a request with a body but
//     no credentials is answered 401 before its body is read; the bytes of
//     bodies being read at once are bounded per address and in total (503).
//   - The worker queue is bounded: when full, the answer is 503 with
//     Retry-After, written by the I/O thread without running a handler.
//
// Routes come from a hub::Router; requests that match none go to the
// fallback handler (static files, 404s).
//
// Thread safety: configure before Bind(); Serve() blocks the calling thread;
// Stop() may be called from any thread, also before Serve() runs.

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "core/result.h"
#include "hub/http_limits.h"
#include "hub/router.h"

namespace dv::hub {

// Called once per finished request (also for requests refused by a limit,
// whose handler never ran); `elapsed` runs from the complete request head.
using AccessLogger = std::function<void(const Request&, const Response&, std::chrono::nanoseconds elapsed)>;
// Called for requests refused by the per-address limiter before
// authentication: the address and how many were refused since the last call
// for it (at most one call per address per minute).
using RefusalReporter = std::function<void(const std::string& address, std::size_t refused)>;

class HttpServer {
 public:
  struct Options {
    std::string bind_address = "127.0.0.1";
    int port = 0;
    std::string tls_cert;  // PEM; both empty: plain HTTP
    std::string tls_key;
    HttpLimits limits;
    // Headers added to every response that does not set them itself.
    std::vector<std::pair<std::string, std::string>> default_headers;
    // Answers requests that match no route (status left at -1 by it means 404).
    Handler fallback;
    // Fills the body of error answers (>= 400) that a handler or a limit left
    // empty, given a message saying why; defaults to a plain JSON error.
    std::function<void(const Request&, Response&, const std::string& message)> error_body;
    AccessLogger access_log;
    RefusalReporter refusals;
  };

  HttpServer(const Router& router, Options options);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Opens the listening socket; returns the port. kInvalidArgument for an
  // unusable TLS certificate/key, kIo when the address cannot be bound.
  Result<int> Bind();
  // Serves until Stop(). Requires a successful Bind().
  Status Serve();
  void Stop();

  // Connections open now (for tests and /healthz).
  std::size_t OpenConnections() const;

  // Handles one request given as raw HTTP/1.1 bytes without a socket: the
  // same parsing, limits, routing and handlers as a connection, on the calling
  // thread; returns the raw answer. For the fuzz target and tests.
  std::string HandleBytes(std::string_view request);

  class Impl;  // opaque; public only so the connection sessions in the .cpp can name it

 private:
  std::shared_ptr<Impl> impl_;
};

}  // namespace dv::hub
