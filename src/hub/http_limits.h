// SPDX-License-Identifier: Apache-2.0
#pragma once

// The limits the hub's HTTP server (hub/http_server.h) applies to every
// client before any authentication or routing. The defaults suit a national
// hub behind nothing; tests raise the per-address rate.

#include <chrono>
#include <cstddef>

namespace dv::hub {

struct HttpLimits {
  std::size_t max_connections = 20000;
  std::size_t max_connections_per_address = 128;
  std::size_t max_header_bytes = 32 * 1024;
  std::size_t max_body_bytes = 10 * 1024 * 1024;
  // Bytes of request bodies being read at once: reserved from Content-Length,
  // or twice the body limit for a chunked body (its buffer grows by doubling).
  std::size_t max_body_bytes_in_flight = 48 * 1024 * 1024;
  std::size_t max_body_bytes_in_flight_per_address = 24 * 1024 * 1024;
  std::chrono::milliseconds header_deadline{10'000};  // from the first wait for a request
  std::chrono::milliseconds body_deadline{60'000};
  std::chrono::milliseconds write_deadline{30'000};
  // Requests per second per client address, before authentication.
  double address_requests_per_second = 200;
  double address_burst = 400;
  int io_threads = 2;
  int workers = 8;
  std::size_t max_queued_requests = 1024;
};

}  // namespace dv::hub
