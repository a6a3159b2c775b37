// SPDX-License-Identifier: Apache-2.0
#include "posture/smtp_probe.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <memory>

namespace dv::posture {
namespace {

constexpr std::size_t kMaxReplyBytes = 16 * 1024;

class Socket {
 public:
  explicit Socket(int fd) : fd_(fd) {}
  ~Socket() {
    if (fd_ >= 0) ::close(fd_);
  }
  Socket(const Socket&) = delete;
  Socket& operator=(const Socket&) = delete;
  int fd() const { return fd_; }

 private:
  int fd_;
};

Result<int> Connect(std::string_view address, int port, std::chrono::milliseconds timeout) {
  sockaddr_in v4{};
  sockaddr_in6 v6{};
  const std::string text(address);
  const sockaddr* target = nullptr;
  socklen_t length = 0;
  int family = AF_INET;
  if (::inet_pton(AF_INET, text.c_str(), &v4.sin_addr) == 1) {
    v4.sin_family = AF_INET;
    v4.sin_port = htons(static_cast<std::uint16_t>(port));
    target = reinterpret_cast<const sockaddr*>(&v4);
    length = sizeof v4;
  } else if (::inet_pton(AF_INET6, text.c_str(), &v6.sin6_addr) == 1) {
    v6.sin6_family = AF_INET6;
    v6.sin6_port = htons(static_cast<std::uint16_t>(port));
    target = reinterpret_cast<const sockaddr*>(&v6);
    length = sizeof v6;
    family = AF_INET6;
  } else {
    return Error::InvalidArgument("'" + text + "' is not an IP address");
  }
  const int fd = ::socket(family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return Error::Io(std::string("socket: ") + std::strerror(errno));
  if (::connect(fd, target, length) != 0 && errno != EINPROGRESS) {
    const std::string why = std::strerror(errno);
    ::close(fd);
    return Error::Io("connect to " + text + " port " + std::to_string(port) + ": " + why);
  }
  pollfd descriptor{fd, POLLOUT, 0};
  if (::poll(&descriptor, 1, static_cast<int>(timeout.count())) != 1) {
    ::close(fd);
    return Error::Io("connect to " + text + " port " + std::to_string(port) + ": no answer in time");
  }
  int error = 0;
  socklen_t size = sizeof error;
  ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &size);
  if (error != 0) {
    ::close(fd);
    return Error::Io("connect to " + text + " port " + std::to_string(port) + ": " + std::strerror(error));
  }
  // Each read and write is bounded by the timeout (poll, and SO_RCVTIMEO once blocking for TLS).
  timeval limit{static_cast<time_t>(timeout.count() / 1000), static_cast<suseconds_t>(timeout.count() % 1000 * 1000)};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, sizeof limit);
  ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &limit, sizeof limit);
  return fd;
}

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

dv::Status Send(int fd, std::string_view line) {
  const std::string text = std::string(line) + "\r\n";
  std::size_t sent = 0;
  while (sent < text.size()) {
    pollfd descriptor{fd, POLLOUT, 0};
    if (::poll(&descriptor, 1, 10'000) != 1) return Error::Io("could not send to the server");
    const ssize_t wrote = ::send(fd, text.data() + sent, text.size() - sent, MSG_NOSIGNAL);
    if (wrote <= 0) return Error::Io("could not send to the server");
    sent += static_cast<std::size_t>(wrote);
  }
  return Ok();
}

std::string NameLine(X509_NAME* name) {
  if (name == nullptr) return {};
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), &BIO_free);
  X509_NAME_print_ex(bio.get(), name, 0, XN_FLAG_ONELINE & ~ASN1_STRFLGS_ESC_MSB);
  char* data = nullptr;
  const long length = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(length));
}

std::optional<Timestamp> NotAfter(X509* certificate) {
  const ASN1_TIME* when = X509_get0_notAfter(certificate);
  std::tm parts{};
  if (when == nullptr || ASN1_TIME_to_tm(when, &parts) != 1) return std::nullopt;
  return Timestamp::FromCivil(parts.tm_year + 1900, parts.tm_mon + 1, parts.tm_mday, parts.tm_hour, parts.tm_min,
                              parts.tm_sec);
}

std::string SpkiSha256(X509* certificate) {
  unsigned char* der = nullptr;
  const int length = i2d_X509_PUBKEY(X509_get_X509_PUBKEY(certificate), &der);
  if (length <= 0) return {};
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  EVP_Digest(der, static_cast<std::size_t>(length), digest, &size, EVP_sha256(), nullptr);
  OPENSSL_free(der);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned int index = 0; index < size; ++index) {
    out.push_back(kHex[digest[index] >> 4]);
    out.push_back(kHex[digest[index] & 0xf]);
  }
  return out;
}

}  // namespace

Result<SmtpTlsProbe> ProbeSmtpStarttls(std::string_view host, std::string_view address,
                                       const SmtpProbeOptions& options) {
  SmtpTlsProbe probe;
  probe.host = std::string(host);
  probe.address = std::string(address);
  auto connected = Connect(address, options.port, options.timeout);
  if (!connected.ok()) return connected.error();
  Socket socket(*connected);
  auto greeting = ReadReply(socket.fd(), options.timeout);
  if (!greeting.ok()) return greeting.error().WithContext("greeting");
  if (greeting->first != 220) return Error::Io("greeting: " + greeting->second);
  DV_TRY(Send(socket.fd(), "EHLO " + options.helo));
  auto ehlo = ReadReply(socket.fd(), options.timeout);
  if (!ehlo.ok()) return ehlo.error().WithContext("EHLO");
  if (ehlo->first != 250) return Error::Io("EHLO: " + ehlo->second);
  std::string capabilities = ehlo->second;
  for (char& c : capabilities) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  probe.starttls_offered = capabilities.find("STARTTLS") != std::string::npos;
  if (!probe.starttls_offered) {
    (void)Send(socket.fd(), "QUIT");
    return probe;
  }
  DV_TRY(Send(socket.fd(), "STARTTLS"));
  auto ready = ReadReply(socket.fd(), options.timeout);
  if (!ready.ok()) return ready.error().WithContext("STARTTLS");
  if (ready->first != 220) return Error::Io("STARTTLS: " + ready->second);

  std::unique_ptr<SSL_CTX, decltype(&SSL_CTX_free)> context(SSL_CTX_new(TLS_client_method()), &SSL_CTX_free);
  if (!context) return Error::Io("TLS: cannot create a context");
  // Whatever the server offers, so that TLS 1.0 or 1.1 is recorded, not hidden.
  SSL_CTX_set_min_proto_version(context.get(), TLS1_VERSION);
  SSL_CTX_set_security_level(context.get(), 0);
  if (options.ca_file.empty()) {
    SSL_CTX_set_default_verify_paths(context.get());
  } else if (SSL_CTX_load_verify_locations(context.get(), options.ca_file.c_str(), nullptr) != 1) {
    return Error::Io("TLS: trust anchors '" + options.ca_file + "' cannot be read");
  }
  SSL_CTX_set_verify(context.get(), SSL_VERIFY_NONE, nullptr);
  std::unique_ptr<SSL, decltype(&SSL_free)> tls(SSL_new(context.get()), &SSL_free);
  const std::string name(host);
  SSL_set_tlsext_host_name(tls.get(), name.c_str());
  SSL_set1_host(tls.get(), name.c_str());
  // The handshake on a blocking descriptor bounded by SO_RCVTIMEO/SO_SNDTIMEO.
  const int fd = socket.fd();
  const int flags = ::fcntl(fd, F_GETFL);
  (void)::fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
  SSL_set_fd(tls.get(), fd);
  if (SSL_connect(tls.get()) != 1) {
    char reason[256] = "";
    ERR_error_string_n(ERR_get_error(), reason, sizeof reason);
    return Error::Io(std::string("TLS handshake after STARTTLS failed: ") + reason);
  }
  probe.tls_version = SSL_get_version(tls.get());
  probe.cipher = SSL_get_cipher_name(tls.get());
  std::unique_ptr<X509, decltype(&X509_free)> certificate(SSL_get1_peer_certificate(tls.get()), &X509_free);
  if (certificate) {
    probe.subject = NameLine(X509_get_subject_name(certificate.get()));
    probe.issuer = NameLine(X509_get_issuer_name(certificate.get()));
    probe.not_after = NotAfter(certificate.get());
    probe.sha256_spki = SpkiSha256(certificate.get());
    const long verified = SSL_get_verify_result(tls.get());
    probe.certificate_valid = verified == X509_V_OK;
    if (!probe.certificate_valid) probe.certificate_problem = X509_verify_cert_error_string(verified);
  } else {
    probe.certificate_problem = "no certificate";
  }
  // QUIT over TLS; the answer does not matter.
  const std::string quit = "QUIT\r\n";
  (void)SSL_write(tls.get(), quit.data(), static_cast<int>(quit.size()));
  SSL_shutdown(tls.get());
  return probe;
}

CheckResult MeasureMailTls(std::string_view domain, const TxtLookup& mx, const TxtLookup& a,
                           const std::function<std::optional<std::string>(std::string_view address)>& refused,
                           const SmtpProbeOptions& options, Timestamp now) {
  constexpr std::size_t kMaxMx = 10;
  const auto exchanges = mx(domain);
  std::vector<MxProbe> probes;
  if (exchanges.ok() && !(exchanges->size() == 1 && exchanges->front() == ".")) {
    for (const auto& host : *exchanges) {
      if (probes.size() == kMaxMx) break;
      MxProbe entry;
      entry.host = host;
      auto addresses = a(host);
      if (!addresses.ok()) {
        entry.probe = addresses.error();
      } else if (addresses->empty()) {
        entry.probe = Error::NotFound("no IPv4 address");
      } else if (auto why = refused(addresses->front())) {
        entry.probe = Error::Forbidden(addresses->front() + " is " + *why + ": not connected to");
      } else {
        entry.probe = ProbeSmtpStarttls(host, addresses->front(), options);
      }
      probes.push_back(std::move(entry));
    }
  }
  return CheckMailTls(domain, exchanges, probes, now);
}

}  // namespace dv::posture
