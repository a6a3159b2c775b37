// SPDX-License-Identifier: Apache-2.0
#include "posture/tls_client.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ctime>

namespace dv::posture::net {
namespace {

std::string Hex(const unsigned char* data, std::size_t size) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(size * 2);
  for (std::size_t index = 0; index < size; ++index) {
    out.push_back(kHex[data[index] >> 4]);
    out.push_back(kHex[data[index] & 0xf]);
  }
  return out;
}

std::string Digest(const unsigned char* data, std::size_t size, const EVP_MD* md) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (EVP_Digest(data, size, digest, &length, md, nullptr) != 1) return {};
  return Hex(digest, length);
}

std::string NameLine(X509_NAME* name) {
  if (name == nullptr) return {};
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), &BIO_free);
  if (!bio) return {};
  X509_NAME_print_ex(bio.get(), name, 0, XN_FLAG_ONELINE & ~ASN1_STRFLGS_ESC_MSB);
  char* data = nullptr;
  const long length = BIO_get_mem_data(bio.get(), &data);
  return length > 0 ? std::string(data, static_cast<std::size_t>(length)) : std::string();
}

std::optional<Timestamp> NotAfter(X509* certificate) {
  const ASN1_TIME* when = X509_get0_notAfter(certificate);
  std::tm parts{};
  if (when == nullptr || ASN1_TIME_to_tm(when, &parts) != 1) return std::nullopt;
  return Timestamp::FromCivil(parts.tm_year + 1900, parts.tm_mon + 1, parts.tm_mday, parts.tm_hour, parts.tm_min,
                              parts.tm_sec);
}

CertificateKeys Keys(X509* certificate) {
  CertificateKeys keys;
  unsigned char* der = nullptr;
  int length = i2d_X509(certificate, &der);
  if (length > 0) {
    keys.certificate_der = Hex(der, static_cast<std::size_t>(length));
    keys.certificate_sha256 = Digest(der, static_cast<std::size_t>(length), EVP_sha256());
    keys.certificate_sha512 = Digest(der, static_cast<std::size_t>(length), EVP_sha512());
    OPENSSL_free(der);
  }
  der = nullptr;
  length = i2d_X509_PUBKEY(X509_get_X509_PUBKEY(certificate), &der);
  if (length > 0) {
    keys.spki_der = Hex(der, static_cast<std::size_t>(length));
    keys.spki_sha256 = Digest(der, static_cast<std::size_t>(length), EVP_sha256());
    keys.spki_sha512 = Digest(der, static_cast<std::size_t>(length), EVP_sha512());
    OPENSSL_free(der);
  }
  return keys;
}

std::string OpenSslReason() {
  char reason[256] = "";
  ERR_error_string_n(ERR_get_error(), reason, sizeof reason);
  ERR_clear_error();
  return reason;
}

}  // namespace

Socket::~Socket() {
  if (fd_ >= 0) ::close(fd_);
}

Result<Socket> Connect(std::string_view address, int port, std::chrono::milliseconds timeout) {
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
  const std::string where = text + " port " + std::to_string(port);
  Socket socket(::socket(family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
  if (socket.fd() < 0) return Error::Io(std::string("socket: ") + std::strerror(errno));
  if (::connect(socket.fd(), target, length) != 0 && errno != EINPROGRESS) {
    if (errno == ECONNREFUSED) return Error::NotFound("connect to " + where + ": refused");
    return Error::Io("connect to " + where + ": " + std::strerror(errno));
  }
  pollfd descriptor{socket.fd(), POLLOUT, 0};
  if (::poll(&descriptor, 1, static_cast<int>(timeout.count())) != 1) {
    return Error::Io("connect to " + where + ": no answer in time");
  }
  int error = 0;
  socklen_t size = sizeof error;
  ::getsockopt(socket.fd(), SOL_SOCKET, SO_ERROR, &error, &size);
  if (error == ECONNREFUSED) return Error::NotFound("connect to " + where + ": refused");
  if (error != 0) return Error::Io("connect to " + where + ": " + std::strerror(error));
  // Each blocking read and write is bounded by the timeout.
  timeval limit{static_cast<time_t>(timeout.count() / 1000), static_cast<suseconds_t>(timeout.count() % 1000 * 1000)};
  ::setsockopt(socket.fd(), SOL_SOCKET, SO_RCVTIMEO, &limit, sizeof limit);
  ::setsockopt(socket.fd(), SOL_SOCKET, SO_SNDTIMEO, &limit, sizeof limit);
  return socket;
}

dv::Status SendAll(int fd, std::string_view text, std::chrono::milliseconds timeout) {
  std::size_t sent = 0;
  while (sent < text.size()) {
    pollfd descriptor{fd, POLLOUT, 0};
    if (::poll(&descriptor, 1, static_cast<int>(timeout.count())) != 1)
      return Error::Io("could not send to the server");
    const ssize_t wrote = ::send(fd, text.data() + sent, text.size() - sent, MSG_NOSIGNAL);
    if (wrote <= 0) return Error::Io("could not send to the server");
    sent += static_cast<std::size_t>(wrote);
  }
  return Ok();
}

TlsConnection::~TlsConnection() {
  if (ssl_) (void)SSL_shutdown(ssl_.get());
}

TlsSession TlsConnection::Describe() const {
  TlsSession session;
  session.version = SSL_get_version(ssl_.get());
  session.cipher = SSL_get_cipher_name(ssl_.get());
  std::unique_ptr<X509, decltype(&X509_free)> certificate(SSL_get1_peer_certificate(ssl_.get()), &X509_free);
  if (!certificate) {
    session.certificate_problem = "no certificate";
    return session;
  }
  session.subject = NameLine(X509_get_subject_name(certificate.get()));
  session.issuer = NameLine(X509_get_issuer_name(certificate.get()));
  session.not_after = NotAfter(certificate.get());
  const long verified = SSL_get_verify_result(ssl_.get());
  session.certificate_valid = verified == X509_V_OK;
  if (!session.certificate_valid) session.certificate_problem = X509_verify_cert_error_string(verified);
  // On the client side the presented chain starts with the server's own certificate.
  STACK_OF(X509)* chain = SSL_get_peer_cert_chain(ssl_.get());
  const int count = chain != nullptr ? sk_X509_num(chain) : 0;
  for (int index = 0; index < count && index < 10; ++index) session.chain.push_back(Keys(sk_X509_value(chain, index)));
  if (session.chain.empty()) session.chain.push_back(Keys(certificate.get()));
  return session;
}

dv::Status TlsConnection::Write(std::string_view text) {
  std::size_t sent = 0;
  while (sent < text.size()) {
    std::size_t wrote = 0;
    if (SSL_write_ex(ssl_.get(), text.data() + sent, text.size() - sent, &wrote) != 1) {
      return Error::Io("TLS: could not send: " + OpenSslReason());
    }
    sent += wrote;
  }
  return Ok();
}

Result<std::string> TlsConnection::ReadToEnd(std::size_t max_bytes, std::chrono::steady_clock::time_point deadline,
                                             bool& truncated) {
  std::string out;
  truncated = false;
  char chunk[4096];
  for (;;) {
    if (std::chrono::steady_clock::now() > deadline) {
      truncated = true;
      if (out.empty()) return Error::Io("TLS: no answer in time");
      break;
    }
    std::size_t got = 0;
    if (SSL_read_ex(ssl_.get(), chunk, sizeof chunk, &got) != 1) {
      const int reason = SSL_get_error(ssl_.get(), 0);
      ERR_clear_error();
      // A close without close_notify is common and ends the answer too.
      if (!out.empty() || reason == SSL_ERROR_ZERO_RETURN || reason == SSL_ERROR_SYSCALL) break;
      return Error::Io("TLS: no answer");
    }
    const std::size_t room = max_bytes - out.size();
    out.append(chunk, std::min(got, room));
    if (got > room) {
      truncated = true;
      break;
    }
  }
  return out;
}

Result<TlsConnection> Handshake(int fd, std::string_view host, const HandshakeOptions& options) {
  std::unique_ptr<SSL_CTX, decltype(&SSL_CTX_free)> context(SSL_CTX_new(TLS_client_method()), &SSL_CTX_free);
  if (!context) return Error::Io("TLS: cannot create a context");
  // Whatever the server offers, so that TLS 1.0 or 1.1 is recorded, not hidden.
  SSL_CTX_set_min_proto_version(context.get(), TLS1_VERSION);
  if (options.max_version != 0) SSL_CTX_set_max_proto_version(context.get(), options.max_version);
  SSL_CTX_set_security_level(context.get(), 0);
  if (options.ca_file.empty()) {
    SSL_CTX_set_default_verify_paths(context.get());
  } else if (SSL_CTX_load_verify_locations(context.get(), options.ca_file.c_str(), nullptr) != 1) {
    ERR_clear_error();
    return Error::Io("TLS: trust anchors '" + options.ca_file + "' cannot be read");
  }
  SSL_CTX_set_verify(context.get(), SSL_VERIFY_NONE, nullptr);
  std::unique_ptr<SSL, decltype(&SSL_free)> ssl(SSL_new(context.get()), &SSL_free);
  if (!ssl) return Error::Io("TLS: cannot create a connection");
  const std::string name(host);
  SSL_set_tlsext_host_name(ssl.get(), name.c_str());
  SSL_set1_host(ssl.get(), name.c_str());
  // The handshake on a blocking descriptor, bounded by SO_RCVTIMEO/SO_SNDTIMEO.
  const int flags = ::fcntl(fd, F_GETFL);
  (void)::fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
  SSL_set_fd(ssl.get(), fd);
  if (SSL_connect(ssl.get()) != 1) return Error::Io("TLS handshake failed: " + OpenSslReason());
  return TlsConnection(std::move(context), std::move(ssl));
}

}  // namespace dv::posture::net
