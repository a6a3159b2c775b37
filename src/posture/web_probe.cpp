// SPDX-License-Identifier: Apache-2.0
#include "posture/web_probe.h"

#include <openssl/ssl.h>
#include <poll.h>
#include <sys/socket.h>

#include <algorithm>
#include <string>
#include <utility>

#include "core/text.h"
#include "posture/records.h"
#include "posture/tls_client.h"

namespace dv::posture {
namespace {

constexpr std::size_t kMaxHeadBytes = 32 * 1024;

// Reads a plain-HTTP answer until the server closes, `max_bytes` were read
// or the deadline passed.
Result<std::string> ReadPlain(int fd, std::size_t max_bytes, std::chrono::steady_clock::time_point deadline,
                              bool& truncated) {
  std::string out;
  truncated = false;
  char chunk[4096];
  for (;;) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    pollfd descriptor{fd, POLLIN, 0};
    if (left.count() <= 0 || ::poll(&descriptor, 1, static_cast<int>(left.count())) != 1) {
      if (out.empty()) return Error::Io("no answer in time");
      truncated = true;
      return out;
    }
    const ssize_t got = ::recv(fd, chunk, sizeof chunk, 0);
    if (got < 0 && out.empty()) return Error::Io("the connection failed before an answer");
    if (got <= 0) return out;
    const std::size_t room = max_bytes - out.size();
    out.append(chunk, std::min(static_cast<std::size_t>(got), room));
    if (static_cast<std::size_t>(got) > room) {
      truncated = true;
      return out;
    }
  }
}

}  // namespace

Result<HttpAnswer> ParseHttpAnswer(std::string_view text, bool truncated, std::size_t max_body) {
  std::size_t head_end = text.find("\r\n\r\n");
  std::size_t body_start = head_end == std::string::npos ? std::string::npos : head_end + 4;
  if (head_end == std::string::npos) {
    head_end = text.find("\n\n");
    body_start = head_end == std::string::npos ? std::string::npos : head_end + 2;
  }
  if (head_end == std::string::npos) {
    if (text.size() >= kMaxHeadBytes) return Error::Io("the answer's headers are longer than 32 KiB");
    return Error::Io("not an HTTP answer (no end of headers)");
  }
  if (head_end > kMaxHeadBytes) return Error::Io("the answer's headers are longer than 32 KiB");
  const std::string_view head(text.data(), head_end);
  std::size_t line_end = head.find('\n');
  std::string_view status_line = head.substr(0, line_end);
  if (!status_line.empty() && status_line.back() == '\r') status_line.remove_suffix(1);
  // "HTTP/1.1 301 Moved Permanently"
  if (status_line.size() < 12 || !status_line.starts_with("HTTP/1.") || status_line[8] != ' ') {
    return Error::Io("not an HTTP answer: '" + std::string(status_line.substr(0, 40)) + "'");
  }
  HttpAnswer answer;
  for (std::size_t index = 9; index < 12; ++index) {
    const char digit = status_line[index];
    if (digit < '0' || digit > '9') return Error::Io("not an HTTP status: '" + std::string(status_line) + "'");
    answer.status = answer.status * 10 + (digit - '0');
  }
  while (line_end != std::string_view::npos && answer.headers.size() < 200) {
    const std::size_t start = line_end + 1;
    line_end = head.find('\n', start);
    std::string_view line =
        head.substr(start, line_end == std::string_view::npos ? head.size() - start : line_end - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    const std::size_t colon = line.find(':');
    if (colon == std::string_view::npos || colon == 0) continue;  // folded or malformed: not read
    answer.headers.emplace_back(AsciiLower(line.substr(0, colon)), std::string(TrimSpace(line.substr(colon + 1))));
  }
  answer.body = std::string(text.substr(std::min(body_start, text.size())));
  answer.truncated = truncated;
  if (answer.body.size() > max_body) {
    answer.body.resize(max_body);
    answer.truncated = true;
  }
  return answer;
}

namespace {

std::string Request(std::string_view host, int port, bool https, std::string_view path,
                    const WebProbeOptions& options) {
  std::string authority(host);
  if (port != (https ? 443 : 80)) authority += ":" + std::to_string(port);
  return "GET " + std::string(path) + " HTTP/1.0\r\nHost: " + authority + "\r\nUser-Agent: " + options.user_agent +
         "\r\nAccept: */*\r\nConnection: close\r\n\r\n";
}

CheckResult Unjudged(std::string_view check, std::string_view domain, Status status, std::string reason) {
  CheckResult result;
  result.check = std::string(check);
  result.domain = AsciiLower(domain);
  result.status = status;
  result.reasons.push_back(std::move(reason));
  return result;
}

}  // namespace

Result<HttpAnswer> FetchHttp(std::string_view host, std::string_view address, std::string_view path, bool https,
                             const WebProbeOptions& options) {
  const int port = https ? options.https_port : options.http_port;
  const auto deadline = std::chrono::steady_clock::now() + 2 * options.timeout;
  auto connected = net::Connect(address, port, options.timeout);
  if (!connected.ok()) return connected.error();
  const net::Socket socket = std::move(connected).value();
  const std::string request = Request(host, port, https, path, options);
  const std::size_t cap = kMaxHeadBytes + options.max_body_bytes;
  bool truncated = false;
  if (!https) {
    DV_TRY(net::SendAll(socket.fd(), request, options.timeout));
    auto text = ReadPlain(socket.fd(), cap, deadline, truncated);
    if (!text.ok()) return text.error();
    return ParseHttpAnswer(*text, truncated, options.max_body_bytes);
  }
  auto tls = net::Handshake(socket.fd(), host, {options.ca_file, 0});
  if (!tls.ok()) return tls.error();
  const TlsSession session = tls->Describe();
  DV_TRY(tls->Write(request));
  auto text = tls->ReadToEnd(cap, deadline, truncated);
  if (!text.ok()) return text.error();
  auto answer = ParseHttpAnswer(*text, truncated, options.max_body_bytes);
  if (!answer.ok()) return answer.error();
  answer->tls = session;
  return answer;
}

Result<std::optional<std::string>> ProbeLegacyTls(std::string_view host, std::string_view address,
                                                  const WebProbeOptions& options) {
  auto connected = net::Connect(address, options.https_port, options.timeout);
  if (!connected.ok()) return connected.error();
  const net::Socket socket = std::move(connected).value();
  auto tls = net::Handshake(socket.fd(), host, {options.ca_file, TLS1_1_VERSION});
  if (!tls.ok()) return std::optional<std::string>();
  return std::optional<std::string>(SSL_get_version(tls->ssl()));
}

std::vector<CheckResult> MeasureWeb(std::string_view domain, const TxtLookup& a, const AddressPolicy& refused,
                                    const WebProbeOptions& options, Timestamp now) {
  static constexpr std::string_view kChecks[] = {"web_tls", "https_redirect", "hsts", "security_txt"};
  std::vector<CheckResult> out;
  const auto all = [&](Status status, const std::string& reason) {
    for (const std::string_view check : kChecks) out.push_back(Unjudged(check, domain, status, reason));
    return out;
  };
  auto addresses = a(domain);
  if (!addresses.ok()) {
    if (addresses.error().kind() == ErrorKind::kNotFound) return out;
    return all(Status::kError,
               "the address lookup of " + std::string(domain) + " failed: " + addresses.error().message());
  }
  if (addresses->empty()) return out;
  const std::string& address = addresses->front();
  if (auto why = refused(address)) return all(Status::kError, address + " is " + *why + ": not connected to");
  if (std::chrono::steady_clock::now() >= options.deadline) {
    return all(Status::kError, "not measured: the time budget of this round was spent");
  }

  const Result<HttpAnswer> https = FetchHttp(domain, address, "/", true, options);
  const Result<std::optional<std::string>> legacy =
      https.ok() ? ProbeLegacyTls(domain, address, options)
                 : Result<std::optional<std::string>>(Error::NotFound("no HTTPS answer"));
  out.push_back(CheckWebTls(domain, https, legacy, now));
  out.push_back(CheckHttpsRedirect(domain, FetchHttp(domain, address, "/", false, options)));
  if (!https.ok()) {
    const bool none = https.error().kind() == ErrorKind::kNotFound;
    const std::string reason =
        none ? "no HTTPS on the domain: " + https.error().message() : "HTTPS not reached: " + https.error().message();
    out.push_back(Unjudged("hsts", domain, none ? Status::kFail : Status::kError, reason));
    out.push_back(Unjudged("security_txt", domain, none ? Status::kFail : Status::kError, reason));
    return out;
  }
  out.push_back(CheckHsts(domain, https->Header("strict-transport-security")));
  const std::string url = "https://" + AsciiLower(domain) + "/.well-known/security.txt";
  auto file = FetchHttp(domain, address, "/.well-known/security.txt", true, options);
  if (!file.ok()) {
    out.push_back(Unjudged("security_txt", domain, Status::kError, url + ": " + file.error().message()));
  } else if (file->status == 200 && file->truncated) {
    out.push_back(Unjudged("security_txt", domain, Status::kFail, url + ": larger than the probe reads (64 KiB)"));
  } else if (file->status == 200) {
    out.push_back(CheckSecurityTxt(domain, file->body, now));
    out.back().evidence.insert(out.back().evidence.begin(), url + ": HTTP 200");
  } else if (file->status >= 500) {
    out.push_back(Unjudged("security_txt", domain, Status::kError, url + ": HTTP " + std::to_string(file->status)));
  } else {
    CheckResult result = CheckSecurityTxt(domain, std::nullopt, now);
    const auto location = file->Header("location");
    result.reasons.push_back(url + ": HTTP " + std::to_string(file->status) +
                             (location ? ", redirects to " + *location + " (not followed)" : std::string()));
    out.push_back(std::move(result));
  }
  return out;
}

CheckResult MeasureMtaSts(std::string_view domain, const TxtLookup& txt, const TxtLookup& a,
                          const AddressPolicy& refused, const std::vector<std::string>& mx_hosts,
                          const WebProbeOptions& options) {
  const std::string name = AsciiLower(domain);
  // The record is read once: to decide whether to fetch, and by the check.
  const std::string record_name = "_mta-sts." + name;
  const Result<std::vector<std::string>> records = txt(record_name);
  const TxtLookup once = [&](std::string_view asked) { return asked == record_name ? records : txt(asked); };
  const bool published = records.ok() && std::any_of(records->begin(), records->end(),
                                                     [](const std::string& record) { return IsMtaStsRecord(record); });
  std::optional<std::string> policy;
  std::string fetch_error = "no MTA-STS record";
  if (published) {
    const std::string host = "mta-sts." + name;
    auto addresses = a(host);
    if (!addresses.ok() || addresses->empty()) {
      fetch_error = host + " has no address" + (addresses.ok() ? std::string() : ": " + addresses.error().message());
    } else if (auto why = refused(addresses->front())) {
      fetch_error = addresses->front() + " is " + *why + ": not connected to";
    } else if (std::chrono::steady_clock::now() >= options.deadline) {
      fetch_error = "not fetched: the time budget of this round was spent";
    } else {
      auto answer = FetchHttp(host, addresses->front(), "/.well-known/mta-sts.txt", true, options);
      if (!answer.ok()) {
        fetch_error = answer.error().message();
      } else if (answer->status != 200) {
        const auto location = answer->Header("location");
        fetch_error = "HTTP " + std::to_string(answer->status) +
                      (location ? ", redirects to " + *location + " (RFC 8461 §3.3: not followed)" : std::string());
      } else if (!answer->tls || !answer->tls->certificate_valid) {
        fetch_error = "the certificate is not valid for " + host + " (" +
                      (answer->tls ? answer->tls->certificate_problem : std::string("no TLS")) +
                      "): RFC 8461 §3.3 requires a valid one";
      } else if (answer->truncated) {
        fetch_error = "the policy is larger than 64 KiB";
      } else {
        policy = answer->body;
      }
    }
  }
  return CheckMtaSts(domain, once, policy, fetch_error, mx_hosts);
}

}  // namespace dv::posture
