// SPDX-License-Identifier: Apache-2.0
#include "posture/smtp_probe.h"

#include <poll.h>
#include <sys/socket.h>

#include <cctype>
#include <string>
#include <utility>

#include "posture/tls_client.h"

namespace dv::posture {
namespace {

constexpr std::size_t kMaxReplyBytes = 16 * 1024;

// Reads one SMTP reply (all its lines); its code and text. The socket is
// non-blocking: waits with poll up to the timeout.
Result<std::pair<int, std::string>> ReadReply(int fd, std::chrono::milliseconds timeout) {
  std::string buffer;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    // A complete reply: its last line is "ddd " (or "ddd" alone) followed by CRLF.
    std::size_t start = 0;
    while (true) {
      const std::size_t end = buffer.find("\r\n", start);
      if (end == std::string::npos) break;
      const std::string_view line(buffer.data() + start, end - start);
      if (line.size() >= 3 && (line.size() == 3 || line[3] == ' ')) {
        int code = 0;
        for (int index = 0; index < 3; ++index) {
          if (line[index] < '0' || line[index] > '9') return Error::Io("not an SMTP reply: " + std::string(line));
          code = code * 10 + (line[index] - '0');
        }
        return std::make_pair(code, buffer.substr(0, end));
      }
      start = end + 2;
    }
    if (buffer.size() > kMaxReplyBytes) return Error::Io("an SMTP reply longer than 16 KiB");
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return Error::Io("no SMTP reply in time");
    pollfd descriptor{fd, POLLIN, 0};
    if (::poll(&descriptor, 1, static_cast<int>(left.count())) != 1) return Error::Io("no SMTP reply in time");
    char chunk[2048];
    const ssize_t got = ::recv(fd, chunk, sizeof chunk, 0);
    if (got <= 0) return Error::Io("the server closed the connection");
    buffer.append(chunk, static_cast<std::size_t>(got));
  }
}

}  // namespace

Result<SmtpTlsProbe> ProbeSmtpStarttls(std::string_view host, std::string_view address,
                                       const SmtpProbeOptions& options) {
  SmtpTlsProbe probe;
  probe.host = std::string(host);
  probe.address = std::string(address);
  auto connected = net::Connect(address, options.port, options.timeout);
  if (!connected.ok()) return connected.error();
  const net::Socket socket = std::move(connected).value();
  const auto send = [&](const std::string& line) { return net::SendAll(socket.fd(), line + "\r\n", options.timeout); };
  auto greeting = ReadReply(socket.fd(), options.timeout);
  if (!greeting.ok()) return greeting.error().WithContext("greeting");
  if (greeting->first != 220) return Error::Io("greeting: " + greeting->second);
  DV_TRY(send("EHLO " + options.helo));
  auto ehlo = ReadReply(socket.fd(), options.timeout);
  if (!ehlo.ok()) return ehlo.error().WithContext("EHLO");
  if (ehlo->first != 250) return Error::Io("EHLO: " + ehlo->second);
  std::string capabilities = ehlo->second;
  for (char& c : capabilities) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  probe.starttls_offered = capabilities.find("STARTTLS") != std::string::npos;
  if (!probe.starttls_offered) {
    (void)send("QUIT");
    return probe;
  }
  DV_TRY(send("STARTTLS"));
  auto ready = ReadReply(socket.fd(), options.timeout);
  if (!ready.ok()) return ready.error().WithContext("STARTTLS");
  if (ready->first != 220) return Error::Io("STARTTLS: " + ready->second);
  auto tls = net::Handshake(socket.fd(), host, {options.ca_file, 0});
  if (!tls.ok()) return tls.error().WithContext("after STARTTLS");
  probe.tls = tls->Describe();
  // QUIT over TLS; the answer does not matter.
  (void)tls->Write("QUIT\r\n");
  return probe;
}

MailServers ProbeMailServers(std::string_view domain, const TxtLookup& mx, const TxtLookup& a,
                             const std::function<std::optional<std::string>(std::string_view address)>& refused,
                             const SmtpProbeOptions& options) {
  constexpr std::size_t kMaxMx = 10;
  MailServers out;
  out.mx = mx(domain);
  if (!out.mx.ok() || (out.mx->size() == 1 && out.mx->front() == ".")) return out;
  for (const auto& host : *out.mx) {
    if (out.probes.size() == kMaxMx) break;
    MxProbe entry;
    entry.host = host;
    auto addresses = a(host);
    if (!addresses.ok()) {
      entry.probe = addresses.error();
    } else if (addresses->empty()) {
      entry.probe = Error::NotFound("no IPv4 address");
    } else if (auto why = refused(addresses->front())) {
      entry.probe = Error::Forbidden(addresses->front() + " is " + *why + ": not connected to");
    } else if (std::chrono::steady_clock::now() >= options.deadline) {
      entry.probe = Error::Io("not probed: the time budget of this round was spent");
    } else {
      entry.probe = ProbeSmtpStarttls(host, addresses->front(), options);
    }
    out.probes.push_back(std::move(entry));
  }
  return out;
}

}  // namespace dv::posture
