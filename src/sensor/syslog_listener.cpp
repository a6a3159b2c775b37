// SPDX-License-Identifier: Apache-2.0
#include "sensor/syslog_listener.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <mutex>
#include <thread>

namespace dv::sensor {
namespace {

constexpr int kPollMs = 200;  // how often blocked threads look at the stop flag

std::string PeerName(const sockaddr_storage& address) {
  char host[INET6_ADDRSTRLEN] = {};
  std::uint16_t port = 0;
  if (address.ss_family == AF_INET) {
    const auto* v4 = reinterpret_cast<const sockaddr_in*>(&address);
    ::inet_ntop(AF_INET, &v4->sin_addr, host, sizeof host);
    port = ntohs(v4->sin_port);
    return std::string(host) + ":" + std::to_string(port);
  }
  if (address.ss_family == AF_INET6) {
    const auto* v6 = reinterpret_cast<const sockaddr_in6*>(&address);
    ::inet_ntop(AF_INET6, &v6->sin6_addr, host, sizeof host);
    port = ntohs(v6->sin6_port);
    return "[" + std::string(host) + "]:" + std::to_string(port);
  }
  return "?";
}

std::string_view TrimTrailer(std::string_view text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == '\0')) text.remove_suffix(1);
  return text;
}

// Opens a socket of `type` bound to `text`; returns the descriptor.
Result<int> Bind(const std::string& option, const std::string& text, int type) {
  auto address = ParseListenAddress(text);
  if (!address.ok()) return address.error().WithContext(option);
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = type;
  hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
  addrinfo* found = nullptr;
  const std::string port = std::to_string(address->port);
  if (const int rc = ::getaddrinfo(address->host.c_str(), port.c_str(), &hints, &found); rc != 0) {
    return Error::InvalidArgument(option + " " + text + ": " + ::gai_strerror(rc));
  }
  std::string problem = "no address";
  int fd = -1;
  for (addrinfo* candidate = found; candidate != nullptr; candidate = candidate->ai_next) {
    fd = ::socket(candidate->ai_family, candidate->ai_socktype | SOCK_CLOEXEC, candidate->ai_protocol);
    if (fd < 0) {
      problem = std::string("socket: ") + std::strerror(errno);
      continue;
    }
    const int one = 1;
    (void)::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (type == SOCK_DGRAM) {
      const int buffer = 8 << 20;  // bursts: let the kernel hold more than the default
      (void)::setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &buffer, sizeof buffer);
    }
    if (::bind(fd, candidate->ai_addr, candidate->ai_addrlen) != 0) {
      problem = std::string("bind: ") + std::strerror(errno);
      ::close(fd);
      fd = -1;
      continue;
    }
    if (type == SOCK_STREAM && ::listen(fd, 128) != 0) {
      problem = std::string("listen: ") + std::strerror(errno);
      ::close(fd);
      fd = -1;
      continue;
    }
    break;
  }
  ::freeaddrinfo(found);
  if (fd < 0) return Error::Io(option + " " + text + ": " + problem);
  return fd;
}

std::uint16_t LocalPort(int fd) {
  if (fd < 0) return 0;
  sockaddr_storage address{};
  socklen_t size = sizeof address;
  if (::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &size) != 0) return 0;
  if (address.ss_family == AF_INET) return ntohs(reinterpret_cast<sockaddr_in*>(&address)->sin_port);
  return ntohs(reinterpret_cast<sockaddr_in6*>(&address)->sin6_port);
}

}  // namespace

Result<ListenAddress> ParseListenAddress(std::string_view text) {
  ListenAddress address;
  std::string_view port_text = text;
  if (!text.empty() && text.front() == '[') {
    const auto close = text.find(']');
    if (close == std::string_view::npos || close + 1 >= text.size() || text[close + 1] != ':') {
      return Error::InvalidArgument("'" + std::string(text) + "' is not [IPv6]:PORT");
    }
    address.host = std::string(text.substr(1, close - 1));
    port_text = text.substr(close + 2);
  } else if (const auto colon = text.rfind(':'); colon != std::string_view::npos) {
    address.host = std::string(text.substr(0, colon));
    port_text = text.substr(colon + 1);
  }
  if (address.host.empty()) address.host = "127.0.0.1";
  if (port_text.empty() || port_text.size() > 5 ||
      port_text.find_first_not_of("0123456789") != std::string_view::npos ||
      std::stoi(std::string(port_text)) > 65535) {
    return Error::InvalidArgument("'" + std::string(text) + "': the port must be a number from 0 to 65535");
  }
  address.port = static_cast<std::uint16_t>(std::stoi(std::string(port_text)));
  return address;
}

void SyslogFramer::Feed(std::string_view bytes, const std::function<void(std::string_view)>& on_message) {
  buffer_.append(bytes);
  std::size_t pos = 0;
  for (;;) {
    if (skipping_) {
      const auto end = buffer_.find_first_of(std::string_view("\n\0", 2), pos);
      if (end == std::string::npos) {
        pos = buffer_.size();
        break;
      }
      skipping_ = false;
      pos = end + 1;
    }
    while (pos < buffer_.size() && (buffer_[pos] == '\n' || buffer_[pos] == '\r' || buffer_[pos] == '\0')) ++pos;
    if (pos >= buffer_.size()) break;
    // Octet counting: digits, one space, then exactly that many bytes.
    std::size_t digits = pos;
    while (digits < buffer_.size() && digits - pos < 8 && buffer_[digits] >= '0' && buffer_[digits] <= '9') ++digits;
    if (digits > pos && digits < buffer_.size() && buffer_[digits] == ' ') {
      const std::size_t length = std::stoul(buffer_.substr(pos, digits - pos));
      if (length > max_) {
        ++errors_;
        skipping_ = true;  // the count cannot be trusted: resynchronise at the next line ending
        continue;
      }
      if (buffer_.size() - (digits + 1) < length) break;  // wait for the rest
      on_message(TrimTrailer(std::string_view(buffer_).substr(digits + 1, length)));
      pos = digits + 1 + length;
      continue;
    }
    if (digits == buffer_.size() && digits - pos < 8) break;  // digits only so far: wait
    const auto end = buffer_.find_first_of(std::string_view("\n\0", 2), pos);
    if (end == std::string::npos) {
      if (buffer_.size() - pos > max_) {
        ++errors_;
        skipping_ = true;
        pos = buffer_.size();
      }
      break;
    }
    if (end - pos > max_) {
      ++errors_;
    } else {
      on_message(TrimTrailer(std::string_view(buffer_).substr(pos, end - pos)));
    }
    pos = end + 1;
  }
  buffer_.erase(0, pos);
}

void SyslogFramer::Finish(const std::function<void(std::string_view)>& on_message) {
  const std::string_view rest = TrimTrailer(buffer_);
  if (!skipping_ && !rest.empty()) on_message(rest);
  buffer_.clear();
  skipping_ = false;
}

Status DecodeSyslog(const SyslogMessage& message, LineParser& parser, Event& event) {
  LogFormat format = LogFormat::kPlain;
  DV_TRY(parser.ParseLine(message.text, event, format));
  event.origin = message.peer;
  return Ok();
}

struct SyslogListener::Impl {
  SyslogListenerOptions options;
  int udp_fd = -1;
  int tcp_fd = -1;
  std::atomic<bool> stopping{false};

  mutable std::mutex mutex;
  std::condition_variable not_empty;
  std::condition_variable not_full;
  std::deque<SyslogMessage> queue;
  SyslogListenerStats stats;
  int open_connections = 0;

  std::thread udp_thread;
  std::thread accept_thread;
  std::condition_variable connections_done;  // open_connections fell to 0

  ~Impl() {
    Stop();
    if (udp_fd >= 0) ::close(udp_fd);
    if (tcp_fd >= 0) ::close(tcp_fd);
  }

  void Stop() {
    stopping = true;
    not_full.notify_all();
    not_empty.notify_all();
    if (udp_thread.joinable()) udp_thread.join();
    if (accept_thread.joinable()) accept_thread.join();
    // Connection threads are detached (a long-running sensor sees many
    // connections come and go); wait until each has left.
    std::unique_lock lock(mutex);
    connections_done.wait(lock, [&] { return open_connections == 0; });
  }

  void RunUdp() {
    constexpr int kBatch = 64;
    const std::size_t size = options.max_message_bytes + 1;
    std::vector<std::string> buffers(kBatch, std::string(size, '\0'));
    std::vector<iovec> iovecs(kBatch);
    std::vector<sockaddr_storage> peers(kBatch);
    std::vector<mmsghdr> headers(kBatch);
    std::vector<SyslogMessage> batch;
    while (!stopping) {
      pollfd waiting{udp_fd, POLLIN, 0};
      if (::poll(&waiting, 1, kPollMs) <= 0) continue;
      for (int idx = 0; idx < kBatch; ++idx) {
        iovecs[idx] = {buffers[idx].data(), size};
        headers[idx] = {};
        headers[idx].msg_hdr.msg_iov = &iovecs[idx];
        headers[idx].msg_hdr.msg_iovlen = 1;
        headers[idx].msg_hdr.msg_name = &peers[idx];
        headers[idx].msg_hdr.msg_namelen = sizeof(sockaddr_storage);
      }
      const int got = ::recvmmsg(udp_fd, headers.data(), kBatch, MSG_DONTWAIT, nullptr);
      if (got <= 0) continue;
      batch.clear();
      for (int idx = 0; idx < got; ++idx) {
        const std::size_t length = std::min<std::size_t>(headers[idx].msg_len, options.max_message_bytes);
        const std::string_view text = TrimTrailer(std::string_view(buffers[idx].data(), length));
        if (text.empty()) continue;
        batch.push_back(SyslogMessage{std::string(text), "udp " + PeerName(peers[idx])});
      }
      std::lock_guard lock(mutex);
      for (auto& message : batch) {
        if (queue.size() >= options.queue_capacity) {
          ++stats.dropped_queue_full;
          continue;
        }
        ++stats.udp_messages;
        queue.push_back(std::move(message));
      }
      not_empty.notify_one();
    }
  }

  void RunAccept() {
    while (!stopping) {
      pollfd waiting{tcp_fd, POLLIN, 0};
      if (::poll(&waiting, 1, kPollMs) <= 0) continue;
      sockaddr_storage peer{};
      socklen_t peer_size = sizeof peer;
      const int fd = ::accept4(tcp_fd, reinterpret_cast<sockaddr*>(&peer), &peer_size, SOCK_CLOEXEC);
      if (fd < 0) continue;
      std::lock_guard lock(mutex);
      if (open_connections >= options.max_tcp_connections) {
        ++stats.tcp_refused;
        ::close(fd);
        continue;
      }
      ++open_connections;
      ++stats.tcp_connections;
      std::thread([this, fd, name = "tcp " + PeerName(peer)] { RunConnection(fd, name); }).detach();
    }
  }

  void RunConnection(int fd, const std::string& peer) {
    SyslogFramer framer(options.max_message_bytes);
    std::string block(64 * 1024, '\0');
    std::uint64_t errors_reported = 0;
    auto push = [&](std::string_view text) {
      if (text.empty()) return;
      std::unique_lock lock(mutex);
      not_full.wait(lock, [&] { return stopping || queue.size() < options.queue_capacity; });
      if (stopping) return;
      ++stats.tcp_messages;
      queue.push_back(SyslogMessage{std::string(text), peer});
      not_empty.notify_one();
    };
    while (!stopping) {
      pollfd waiting{fd, POLLIN, 0};
      const int ready = ::poll(&waiting, 1, kPollMs);
      if (ready == 0) continue;
      if (ready < 0 && errno == EINTR) continue;
      const ssize_t got = ready < 0 ? -1 : ::recv(fd, block.data(), block.size(), 0);
      if (got <= 0) {
        framer.Finish(push);
        break;
      }
      framer.Feed(std::string_view(block.data(), static_cast<std::size_t>(got)), push);
      if (framer.framing_errors() > errors_reported) {
        std::lock_guard lock(mutex);
        stats.framing_errors += framer.framing_errors() - errors_reported;
        errors_reported = framer.framing_errors();
      }
    }
    ::close(fd);
    std::lock_guard lock(mutex);
    if (--open_connections == 0) connections_done.notify_all();
  }
};

SyslogListener::SyslogListener(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

SyslogListener::~SyslogListener() = default;

Result<std::unique_ptr<SyslogListener>> SyslogListener::Start(SyslogListenerOptions options) {
  if (options.udp.empty() && options.tcp.empty()) return Error::InvalidArgument("syslog listener: no address");
  if (options.queue_capacity == 0) options.queue_capacity = 1;
  auto impl = std::make_unique<Impl>();
  impl->options = std::move(options);
  if (!impl->options.udp.empty()) {
    auto fd = Bind("--syslog-udp", impl->options.udp, SOCK_DGRAM);
    if (!fd.ok()) return fd.error();
    impl->udp_fd = *fd;
  }
  if (!impl->options.tcp.empty()) {
    auto fd = Bind("--syslog-tcp", impl->options.tcp, SOCK_STREAM);
    if (!fd.ok()) return fd.error();
    impl->tcp_fd = *fd;
  }
  Impl* raw = impl.get();
  if (raw->udp_fd >= 0) raw->udp_thread = std::thread([raw] { raw->RunUdp(); });
  if (raw->tcp_fd >= 0) raw->accept_thread = std::thread([raw] { raw->RunAccept(); });
  return std::unique_ptr<SyslogListener>(new SyslogListener(std::move(impl)));
}

std::uint16_t SyslogListener::udp_port() const { return LocalPort(impl_->udp_fd); }
std::uint16_t SyslogListener::tcp_port() const { return LocalPort(impl_->tcp_fd); }

bool SyslogListener::Take(std::vector<SyslogMessage>& out, std::size_t max, std::chrono::milliseconds wait) {
  out.clear();
  std::unique_lock lock(impl_->mutex);
  impl_->not_empty.wait_for(lock, wait, [&] { return impl_->stopping || !impl_->queue.empty(); });
  while (!impl_->queue.empty() && out.size() < max) {
    out.push_back(std::move(impl_->queue.front()));
    impl_->queue.pop_front();
  }
  if (!out.empty()) impl_->not_full.notify_all();
  return !(impl_->stopping && out.empty());
}

void SyslogListener::Stop() { impl_->Stop(); }

SyslogListenerStats SyslogListener::stats() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->stats;
}

}  // namespace dv::sensor
