// SPDX-License-Identifier: Apache-2.0
#pragma once

// The connection and TLS handshake the probes share (smtp_probe.h,
// web_probe.h); internal to dv_posture_net. Every step is bounded by the
// timeout given; nothing here keeps state between calls (thread-safe).
//
// The handshake accepts any version from TLS 1.0 (or up to a chosen
// maximum) and any certificate, so that what the server offers is recorded,
// not hidden: the certificate's validity for the host is recorded in the
// session (TlsSession::certificate_valid), and the checks judge it.
//
// The process must ignore SIGPIPE (the program does, in cli/main.cpp):
// OpenSSL writes to the socket without MSG_NOSIGNAL, so a server that
// resets the connection mid-handshake would otherwise end the process.

#include <openssl/ssl.h>

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include "core/result.h"
#include "posture/checks.h"

namespace dv::posture::net {

// An open TCP connection; closes on destruction.
class Socket {
 public:
  explicit Socket(int fd) : fd_(fd) {}
  Socket(Socket&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
  Socket& operator=(Socket&&) = delete;
  Socket(const Socket&) = delete;
  Socket& operator=(const Socket&) = delete;
  ~Socket();
  int fd() const { return fd_; }

 private:
  int fd_;
};

// Connects to `address` (IPv4 or IPv6 text) and `port` within `timeout`;
// reads and writes on the socket are bounded by the timeout too.
// kNotFound when the port refused the connection (nothing listens),
// kIo for every other failure (no answer in time, unreachable).
Result<Socket> Connect(std::string_view address, int port, std::chrono::milliseconds timeout);

// Sends all of `text` (plain TCP); kIo when it cannot within the timeout.
dv::Status SendAll(int fd, std::string_view text, std::chrono::milliseconds timeout);

struct HandshakeOptions {
  std::string ca_file;  // trust anchors (PEM); empty: the system's
  // 0: any version the library supports from TLS 1.0; else the highest
  // version to offer (TLS1_1_VERSION to ask whether a server still accepts
  // TLS 1.0/1.1).
  int max_version = 0;
};

// A TLS connection over a socket the caller keeps open.
class TlsConnection {
 public:
  TlsConnection(TlsConnection&&) noexcept = default;
  ~TlsConnection();
  SSL* ssl() const { return ssl_.get(); }
  // The negotiated version, cipher and the presented certificate chain.
  TlsSession Describe() const;
  // Sends all of `text`; kIo when the connection fails.
  dv::Status Write(std::string_view text);
  // Reads until the server closes, `max_bytes` were read (then
  // `truncated`) or `deadline` passed (a server that sends slowly is cut
  // off, then `truncated` too); kIo when nothing at all could be read.
  Result<std::string> ReadToEnd(std::size_t max_bytes, std::chrono::steady_clock::time_point deadline, bool& truncated);

 private:
  friend Result<TlsConnection> Handshake(int fd, std::string_view host, const HandshakeOptions& options);
  TlsConnection(std::unique_ptr<SSL_CTX, decltype(&SSL_CTX_free)> context,
                std::unique_ptr<SSL, decltype(&SSL_free)> ssl)
      : context_(std::move(context)), ssl_(std::move(ssl)) {}
  std::unique_ptr<SSL_CTX, decltype(&SSL_CTX_free)> context_;
  std::unique_ptr<SSL, decltype(&SSL_free)> ssl_;
};

// A TLS handshake on `fd` (switched to blocking; bounded by the socket's
// timeouts) with `host` as SNI and as the name the certificate is checked
// against. kIo naming OpenSSL's reason when the handshake fails.
Result<TlsConnection> Handshake(int fd, std::string_view host, const HandshakeOptions& options);

}  // namespace dv::posture::net
