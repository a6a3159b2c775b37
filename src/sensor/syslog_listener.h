// SPDX-License-Identifier: Apache-2.0
#pragma once

// SyslogListener: receives syslog over the network for the sensor.
//
// - UDP (RFC 5426): one message per datagram; a trailing '\n', '\r' or NUL
//   is dropped.
// - TCP (RFC 6587): each frame is either octet-counted ("<LEN> <MSG>", as
//   RFC 5425/6587 senders do; chosen when the frame starts with digits and a
//   space) or non-transparent (ends at '\n' or NUL; "\r\n" is fine). Both may
//   be mixed on one connection. A count beyond max_message_bytes or a line
//   longer than that is a framing error: counted, and the stream goes on
//   from the next line ending.
//
// Received messages go into one bounded queue (queue_capacity messages) that
// the caller drains with Take(). When the queue is full, UDP datagrams are
// dropped and counted (the sender cannot be slowed down); TCP connections
// wait (back-pressure through the TCP window). Messages are parsed by the
// caller (DecodeSyslog), so one bad message is counted and skipped and
// never stops the stream.
//
// Addresses: "HOST:PORT", "[IPv6]:PORT", or ":PORT" / "PORT" for the
// loopback address 127.0.0.1 (the default: listening on other interfaces
// must be asked for). Port 0 picks a free port (udp_port()/tcp_port()).
//
// Threads: one for UDP, one accepting TCP, one per TCP connection (at most
// max_tcp_connections; more are refused). Take() and stats() may be called
// from any one thread. Stop() (or the destructor) ends every thread.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/event.h"
#include "core/result.h"
#include "ingest/line_parser.h"

namespace dv::sensor {

struct SyslogMessage {
  std::string text;  // without framing
  std::string peer;  // "udp 127.0.0.1:40512", "tcp [::1]:5514"
};

struct SyslogListenerOptions {
  std::string udp;  // listen address; empty: no UDP
  std::string tcp;  // listen address; empty: no TCP
  std::size_t queue_capacity = 65536;
  std::size_t max_message_bytes = 64 * 1024;
  int max_tcp_connections = 256;
};

struct SyslogListenerStats {
  std::uint64_t udp_messages = 0;
  std::uint64_t tcp_messages = 0;
  std::uint64_t dropped_queue_full = 0;  // UDP messages lost because the queue was full
  std::uint64_t framing_errors = 0;      // TCP frames that were too long or malformed
  std::uint64_t tcp_connections = 0;     // accepted in all
  std::uint64_t tcp_refused = 0;         // over max_tcp_connections
};

// A listen address; errors name the text.
struct ListenAddress {
  std::string host;
  std::uint16_t port = 0;
};
Result<ListenAddress> ParseListenAddress(std::string_view text);

class SyslogListener {
 public:
  // Binds and starts listening; errors name the address (e.g. "--syslog-udp
  // 127.0.0.1:514: bind: Permission denied").
  static Result<std::unique_ptr<SyslogListener>> Start(SyslogListenerOptions options);
  ~SyslogListener();
  SyslogListener(const SyslogListener&) = delete;
  SyslogListener& operator=(const SyslogListener&) = delete;

  std::uint16_t udp_port() const;
  std::uint16_t tcp_port() const;

  // Moves up to `max` queued messages into `out` (cleared first), waiting up
  // to `wait` for the first one. Returns false when stopped and empty.
  bool Take(std::vector<SyslogMessage>& out, std::size_t max, std::chrono::milliseconds wait);
  void Stop();
  SyslogListenerStats stats() const;

 private:
  struct Impl;
  explicit SyslogListener(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// Cuts TCP stream bytes into messages (RFC 6587 octet counting and
// newline/NUL framing, per frame). Exposed for tests. Not thread-safe.
class SyslogFramer {
 public:
  explicit SyslogFramer(std::size_t max_message_bytes) : max_(max_message_bytes) {}
  // Adds bytes and calls on_message for every complete frame.
  void Feed(std::string_view bytes, const std::function<void(std::string_view)>& on_message);
  // The stream ended: a last unterminated line is a message.
  void Finish(const std::function<void(std::string_view)>& on_message);
  std::uint64_t framing_errors() const { return errors_; }

 private:
  std::size_t max_;
  std::string buffer_;
  bool skipping_ = false;  // inside a line that was too long
  std::uint64_t errors_ = 0;
};

// Parses one received message into `event` with the syslog/CEF/JSON line
// parsers (ingest/line_parser.h); the origin is the peer. Errors give the
// parser's reason.
Status DecodeSyslog(const SyslogMessage& message, LineParser& parser, Event& event);

}  // namespace dv::sensor
