// SPDX-License-Identifier: Apache-2.0
#include "notify/http_client.h"

#include <netinet/in.h>
#include <sys/socket.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <memory>

#include "notify/address_policy.h"
#include "notify/curl_support.h"

namespace dv::notify {
namespace {

constexpr std::size_t kMaxUrlLength = 8192;

using internal::CurlUrl;
using internal::UrlPart;

struct ParsedTarget {
  HttpTarget target;
  CurlUrl url;  // handed to libcurl as it is (CURLOPT_CURLU): it sends what was checked
};

Result<ParsedTarget> ParseTarget(std::string_view text, const HttpPolicy& policy, std::string_view purpose) {
  const std::string what(purpose);
  if (text.empty()) return Error::InvalidArgument(what + " URL is empty");
  if (text.size() > kMaxUrlLength) {
    return Error::InvalidArgument(what + " URL is longer than " + std::to_string(kMaxUrlLength) + " characters");
  }
  for (char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte <= 0x20 || byte >= 0x7f) {
      return Error::InvalidArgument(what + " URL contains a space, control or non-ASCII character");
    }
  }
  internal::EnsureCurlInitialised();
  CurlUrl url(curl_url());
  if (!url) return Error::Internal("out of memory parsing the " + what + " URL");
  const std::string copy(text);
  if (curl_url_set(url.get(), CURLUPART_URL, copy.c_str(), 0) != CURLUE_OK) {
    return Error::InvalidArgument(what + " URL is not a valid absolute URL");
  }
  ParsedTarget parsed;
  parsed.target.scheme = UrlPart(url.get(), CURLUPART_SCHEME);
  if (parsed.target.scheme != "https" && !(parsed.target.scheme == "http" && policy.allow_loopback_and_private)) {
    return Error::InvalidArgument(what + " URL must use https");
  }
  if (!UrlPart(url.get(), CURLUPART_USER).empty() || !UrlPart(url.get(), CURLUPART_PASSWORD).empty()) {
    return Error::InvalidArgument(what + " URL must not hold a user name or password; put credentials in a header");
  }
  if (!UrlPart(url.get(), CURLUPART_ZONEID).empty()) {
    return Error::InvalidArgument(what + " URL must not name an IPv6 zone");
  }
  std::string host = UrlPart(url.get(), CURLUPART_HOST);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  if (host.empty()) return Error::InvalidArgument(what + " URL has no host");
  parsed.target.host = host;
  const std::string port = UrlPart(url.get(), CURLUPART_PORT, CURLU_DEFAULT_PORT);
  parsed.target.port = port.empty() ? 0 : std::strtol(port.c_str(), nullptr, 10);
  if (parsed.target.port <= 0 || parsed.target.port > 65535) {
    return Error::InvalidArgument(what + " URL has an invalid port");
  }
  parsed.url = std::move(url);
  return parsed;
}

bool IsTokenChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

// Refuses every connection to an address that was not checked.
struct SocketGuard {
  const std::vector<IpAddress>* allowed = nullptr;
  bool refused = false;
};

curl_socket_t OpenCheckedSocket(void* clientp, curlsocktype /*purpose*/, curl_sockaddr* address) {
  auto* guard = static_cast<SocketGuard*>(clientp);
  IpAddress target;
  if (address->family == AF_INET && address->addrlen >= sizeof(sockaddr_in)) {
    const auto* v4 = reinterpret_cast<const sockaddr_in*>(&address->addr);
    std::memcpy(target.bytes.data(), &v4->sin_addr, 4);
  } else if (address->family == AF_INET6 && address->addrlen >= sizeof(sockaddr_in6)) {
    const auto* v6 = reinterpret_cast<const sockaddr_in6*>(&address->addr);
    std::memcpy(target.bytes.data(), &v6->sin6_addr, 16);
    target.v6 = true;
  } else {
    guard->refused = true;
    return CURL_SOCKET_BAD;
  }
  if (std::find(guard->allowed->begin(), guard->allowed->end(), target) == guard->allowed->end()) {
    guard->refused = true;
    return CURL_SOCKET_BAD;
  }
  return ::socket(address->family, address->socktype | SOCK_CLOEXEC, address->protocol);
}

struct ResponseSink {
  std::string body;
  std::size_t cap = 0;
  bool truncated = false;
};

std::size_t WriteCapped(char* data, std::size_t size, std::size_t count, void* user) {
  auto* sink = static_cast<ResponseSink*>(user);
  const std::size_t bytes = size * count;
  const std::size_t room = sink->cap - sink->body.size();
  if (bytes > room) {
    sink->body.append(data, room);
    sink->truncated = true;
    return 0;  // stops the transfer: the rest is not read
  }
  sink->body.append(data, bytes);
  return bytes;
}

// "host:port:addr,addr" for CURLOPT_RESOLVE, IPv6 in brackets.
std::string ResolveEntry(const HttpTarget& target, const std::vector<IpAddress>& addresses) {
  std::string entry = target.host + ":" + std::to_string(target.port) + ":";
  for (std::size_t idx = 0; idx < addresses.size(); ++idx) {
    if (idx > 0) entry += ',';
    entry += addresses[idx].v6 ? "[" + FormatIpAddress(addresses[idx]) + "]" : FormatIpAddress(addresses[idx]);
  }
  return entry;
}

}  // namespace

Status CheckHttpHeaders(const HttpHeaders& headers, std::string_view purpose) {
  for (std::size_t header_idx = 0; header_idx < headers.size(); ++header_idx) {
    const auto& [name, value] = headers[header_idx];
    const std::string place = std::string(purpose) + " header " + std::to_string(header_idx + 1);
    if (name.empty() || !std::all_of(name.begin(), name.end(), IsTokenChar)) {
      return Error::InvalidArgument(place + " has an invalid name");
    }
    for (char c : value) {
      const auto byte = static_cast<unsigned char>(c);
      if ((byte < 0x20 && c != '\t') || byte == 0x7f) {
        return Error::InvalidArgument(place + " (" + name + ") has a line break or control character in its value");
      }
    }
  }
  return Ok();
}

Result<HttpTarget> CheckHttpUrl(std::string_view url, const HttpPolicy& policy, std::string_view purpose) {
  auto parsed = ParseTarget(url, policy, purpose);
  if (!parsed.ok()) return parsed.error();
  return std::move(parsed->target);
}

Result<HttpResponse> SendHttp(const HttpRequest& request, const HttpPolicy& policy, std::string_view purpose) {
  const std::string what(purpose);
  if (request.method != "POST" && request.method != "PUT" && request.method != "GET") {
    return Error::InvalidArgument(what + " method must be POST, PUT or GET");
  }
  auto parsed = ParseTarget(request.url, policy, purpose);
  if (!parsed.ok()) return parsed.error();
  DV_TRY(CheckHttpHeaders(request.headers, purpose));
  const HttpTarget& target = parsed->target;
  auto addresses = ResolvePublic(target.host, policy.allow_loopback_and_private);
  if (!addresses.ok()) return addresses.error().WithContext(what);

  internal::CurlEasy curl = internal::NewCurlEasy();
  if (!curl) return Error::Internal("libcurl could not create a handle");
  CURL* handle = curl.get();
  const bool plain_allowed = policy.allow_loopback_and_private;
  char error_buffer[CURL_ERROR_SIZE] = {};
  SocketGuard guard{&*addresses, false};
  ResponseSink sink{{}, policy.max_response_bytes, false};

  internal::CurlSlist resolve;
  // An address literal is not resolved by libcurl; a name is pinned.
  const bool literal = ParseIpAddress(target.host).ok();
  if (!literal && !internal::AppendSlist(resolve, ResolveEntry(target, *addresses))) {
    return Error::Internal("out of memory");
  }
  internal::CurlSlist headers;
  for (const auto& [name, value] : request.headers) {
    if (!internal::AppendSlist(headers, name + ": " + value)) return Error::Internal("out of memory");
  }
  // No "Expect: 100-continue" round trip for small bodies.
  if (!internal::AppendSlist(headers, "Expect:")) return Error::Internal("out of memory");

  curl_easy_setopt(handle, CURLOPT_CURLU, parsed->url.get());
  curl_easy_setopt(handle, CURLOPT_PROTOCOLS_STR, plain_allowed ? "http,https" : "https");
  curl_easy_setopt(handle, CURLOPT_REDIR_PROTOCOLS_STR, plain_allowed ? "http,https" : "https");
  curl_easy_setopt(handle, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(handle, CURLOPT_NOPROXY, "*");
  curl_easy_setopt(handle, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(handle, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(policy.connect_timeout.count()));
  curl_easy_setopt(handle, CURLOPT_TIMEOUT_MS, static_cast<long>(policy.total_timeout.count()));
  curl_easy_setopt(handle, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt(handle, CURLOPT_SSL_VERIFYHOST, 2L);
  if (!policy.ca_file.empty()) curl_easy_setopt(handle, CURLOPT_CAINFO, policy.ca_file.c_str());
  if (resolve) curl_easy_setopt(handle, CURLOPT_RESOLVE, resolve.get());
  curl_easy_setopt(handle, CURLOPT_OPENSOCKETFUNCTION, &OpenCheckedSocket);
  curl_easy_setopt(handle, CURLOPT_OPENSOCKETDATA, &guard);
  curl_easy_setopt(handle, CURLOPT_HTTPHEADER, headers.get());
  curl_easy_setopt(handle, CURLOPT_USERAGENT, "Dannevirke-notify/1");
  curl_easy_setopt(handle, CURLOPT_WRITEFUNCTION, &WriteCapped);
  curl_easy_setopt(handle, CURLOPT_WRITEDATA, &sink);
  curl_easy_setopt(handle, CURLOPT_ERRORBUFFER, error_buffer);
  if (request.method == "GET") {
    curl_easy_setopt(handle, CURLOPT_HTTPGET, 1L);
  } else {
    curl_easy_setopt(handle, CURLOPT_POST, 1L);
    curl_easy_setopt(handle, CURLOPT_POSTFIELDS, request.body.data());
    curl_easy_setopt(handle, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
    if (request.method == "PUT") curl_easy_setopt(handle, CURLOPT_CUSTOMREQUEST, "PUT");
  }

  const CURLcode code = curl_easy_perform(handle);
  const std::string place = what + " host " + target.host + " port " + std::to_string(target.port);
  if (guard.refused) {
    return Error::Forbidden(place + ": libcurl tried to connect to an address that was not checked; refused");
  }
  long status = 0;
  curl_easy_getinfo(handle, CURLINFO_RESPONSE_CODE, &status);
  const bool capped = code == CURLE_WRITE_ERROR && sink.truncated && status != 0;
  if (code == CURLE_OPERATION_TIMEDOUT) {
    return Error::Io(place + ": timed out (" + internal::DescribeCurlCode(code, error_buffer) + ")");
  }
  if (internal::IsTlsFailure(code)) {
    return Error::Io(place + ": TLS failed: " + internal::DescribeCurlCode(code, error_buffer));
  }
  if (code != CURLE_OK && !capped) return Error::Io(place + ": " + internal::DescribeCurlCode(code, error_buffer));
  if (status < 200 || status > 299) {
    return Error::Io(place + " answered HTTP " + std::to_string(status) +
                     (status >= 300 && status < 400 ? " (redirects are not followed)" : ""));
  }
  return HttpResponse{status, std::move(sink.body), capped};
}

}  // namespace dv::notify
