// SPDX-License-Identifier: Apache-2.0
#include "hub/http_server.h"

#include <sys/resource.h>

#include <algorithm>
#include <atomic>
#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <future>
#include <map>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "core/text.h"

namespace dv::hub {
namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = net::ip::tcp;
using Clock = std::chrono::steady_clock;

std::string DefaultErrorJson(int status, const std::string& message) {
  std::string body = "{\"error\":{\"kind\":\"http_" + std::to_string(status) + "\",\"message\":";
  AppendJsonString(body, message);
  return body + "}}";
}

// Token buckets per client address, with a count of refusals to report.
// Bounded: when it holds too many addresses, full and quiet buckets go first.
class AddressLimiter {
 public:
  AddressLimiter(double rate, double burst) : rate_(rate), burst_(burst) {}

  bool Allow(const std::string& address) {
    const double now = std::chrono::duration<double>(Clock::now().time_since_epoch()).count();
    std::lock_guard lock(mutex_);
    if (buckets_.size() > kMaxAddresses) Prune(now);
    auto [it, added] = buckets_.try_emplace(address, Bucket{burst_, now, 0});
    Bucket& bucket = it->second;
    bucket.tokens = std::min(burst_, bucket.tokens + (now - bucket.last) * rate_);
    bucket.last = now;
    if (bucket.tokens < 1.0) {
      ++bucket.refused;
      return false;
    }
    bucket.tokens -= 1.0;
    return true;
  }

  std::vector<std::pair<std::string, std::size_t>> TakeRefusals() {
    std::vector<std::pair<std::string, std::size_t>> out;
    std::lock_guard lock(mutex_);
    for (auto& [address, bucket] : buckets_) {
      if (bucket.refused == 0) continue;
      out.emplace_back(address, bucket.refused);
      bucket.refused = 0;
    }
    return out;
  }

 private:
  static constexpr std::size_t kMaxAddresses = 100'000;
  struct Bucket {
    double tokens;
    double last;
    std::size_t refused;
  };
  void Prune(double now) {
    for (auto it = buckets_.begin(); it != buckets_.end();) {
      const bool full = it->second.tokens + (now - it->second.last) * rate_ >= burst_;
      it = (full && it->second.refused == 0) ? buckets_.erase(it) : std::next(it);
    }
  }
  double rate_;
  double burst_;
  std::mutex mutex_;
  std::map<std::string, Bucket> buckets_;
};

std::string AddressOf(const tcp::endpoint& endpoint) {
  auto address = endpoint.address();
  if (address.is_v6() && address.to_v6().is_v4_mapped()) {
    return net::ip::make_address_v4(net::ip::v4_mapped, address.to_v6()).to_string();
  }
  return address.to_string();
}

// Request (cpp-httplib's data type, which the route handlers read) from a
// parsed Beast message: path decoded, query parameters split.
void FillRequest(const http::request<http::string_body>& message, const std::string& address, Request& out) {
  out = Request();
  out.method = std::string(message.method_string());
  out.target = std::string(message.target());
  out.version = message.version() == 10 ? "HTTP/1.0" : "HTTP/1.1";
  const auto query = out.target.find('?');
  out.path = httplib::detail::decode_url(out.target.substr(0, query), false);
  if (query != std::string::npos) httplib::detail::parse_query_text(out.target.substr(query + 1), out.params);
  for (const auto& field : message) out.headers.emplace(std::string(field.name_string()), std::string(field.value()));
  out.remote_addr = address;
}

// A Content-Encoding other than identity: such bodies are refused, never inflated.
bool EncodedBody(const http::request<http::string_body>& message) {
  const auto encoding = message[http::field::content_encoding];
  return !encoding.empty() && !beast::iequals(encoding, "identity");
}

}  // namespace

class HttpServer::Impl {
 public:
  Impl(const Router& router, Options options)
      : router_(router),
        options_(std::move(options)),
        limiter_(options_.limits.address_requests_per_second, options_.limits.address_burst),
        workers_(static_cast<std::size_t>(std::max(1, options_.limits.workers))),
        acceptor_(ioc_),
        refusal_timer_(ioc_) {}

  ~Impl() {
    // Requests parked by deferred routes are dropped (their sessions close)
    // while the counters they release still exist; a Reply that comes later
    // finds the registry closed and does nothing.
    {
      std::lock_guard lock(deferred_->mutex);
      deferred_->closed = true;
      deferred_->pending.clear();
    }
    // Handlers still queued finish first; what they post back to the I/O
    // context is dropped with it (sessions release their counters then).
    workers_.join();
  }

  Result<int> Bind() {
    if (!options_.tls_cert.empty() || !options_.tls_key.empty()) {
      try {
        tls_.emplace(net::ssl::context::tls_server);
        tls_->set_options(net::ssl::context::default_workarounds | net::ssl::context::no_sslv2 |
                          net::ssl::context::no_sslv3 | net::ssl::context::no_tlsv1 | net::ssl::context::no_tlsv1_1);
        tls_->use_certificate_chain_file(options_.tls_cert);
        tls_->use_private_key_file(options_.tls_key, net::ssl::context::pem);
      } catch (const std::exception&) {
        tls_.reset();
        return Error::InvalidArgument("cannot use TLS certificate '" + options_.tls_cert + "' with key '" +
                                      options_.tls_key + "' (unreadable, or they do not match)");
      }
    }
    boost::system::error_code ec;
    const std::string host = options_.bind_address == "localhost" ? "127.0.0.1" : options_.bind_address;
    const auto address = net::ip::make_address(host, ec);
    if (ec) return Error::Io("cannot listen on '" + options_.bind_address + "': not an IP address");
    const tcp::endpoint endpoint(address, static_cast<unsigned short>(options_.port));
    acceptor_.open(endpoint.protocol(), ec);
    if (!ec) acceptor_.set_option(net::socket_base::reuse_address(true), ec);
    if (!ec) acceptor_.bind(endpoint, ec);
    if (!ec) acceptor_.listen(net::socket_base::max_listen_connections, ec);
    if (ec) {
      return Error::Io("cannot listen on " + options_.bind_address + ":" + std::to_string(options_.port) + " (" +
                       ec.message() + ")");
    }
    return static_cast<int>(acceptor_.local_endpoint().port());
  }

  Status Serve() {
    if (!acceptor_.is_open()) return Error::Internal("Serve() before a successful Bind()");
    RaiseFileLimit();
    Accept();
    ScheduleRefusalReport();
    std::vector<std::thread> io;
    for (int idx = 1; idx < std::max(1, options_.limits.io_threads); ++idx) io.emplace_back([this] { RunIo(); });
    RunIo();
    for (auto& thread : io) thread.join();
    workers_.join();
    return Ok();
  }

  void Stop() {
    // ioc.stop() is sticky: a Stop() before Serve() makes Serve() return at once.
    net::post(ioc_, [this] {
      boost::system::error_code ec;
      acceptor_.close(ec);
      refusal_timer_.cancel();
    });
    ioc_.stop();
  }

  std::size_t OpenConnections() const {
    std::lock_guard lock(mutex_);
    return connections_;
  }

  // --- used by sessions ---

  const HttpLimits& limits() const { return options_.limits; }
  net::ssl::context* tls() { return tls_ ? &*tls_ : nullptr; }
  AddressLimiter& limiter() { return limiter_; }

  bool AdmitConnection(const std::string& address) {
    std::lock_guard lock(mutex_);
    if (connections_ >= options_.limits.max_connections) return false;
    auto& count = per_address_[address].connections;
    if (count >= options_.limits.max_connections_per_address) return false;
    ++count;
    ++connections_;
    return true;
  }
  void ReleaseConnection(const std::string& address) {
    std::lock_guard lock(mutex_);
    --connections_;
    auto it = per_address_.find(address);
    if (it != per_address_.end() && --it->second.connections == 0 && it->second.body_bytes == 0) {
      per_address_.erase(it);
    }
  }
  bool ReserveBody(const std::string& address, std::size_t bytes) {
    std::lock_guard lock(mutex_);
    auto& usage = per_address_[address];
    if (body_bytes_ + bytes > options_.limits.max_body_bytes_in_flight ||
        usage.body_bytes + bytes > options_.limits.max_body_bytes_in_flight_per_address) {
      return false;
    }
    usage.body_bytes += bytes;
    body_bytes_ += bytes;
    return true;
  }
  void ReleaseBody(const std::string& address, std::size_t bytes) {
    std::lock_guard lock(mutex_);
    body_bytes_ -= bytes;
    per_address_[address].body_bytes -= bytes;
  }

  bool TryQueue() {
    if (queued_.fetch_add(1) >= options_.limits.max_queued_requests) {
      queued_.fetch_sub(1);
      return false;
    }
    return true;
  }
  // Runs the request's handler on a worker; `done` gets the answer. `keep`
  // (the session) is held while a deferred route's answer is pending.
  template <class Done>
  void RunHandler(Request& req, std::shared_ptr<void> keep, Done done) {
    net::post(workers_, [this, &req, keep = std::move(keep), done = std::move(done)]() mutable {
      const Router::Route* route = FindRoute(req);
      if (route != nullptr && route->deferred) {
        Defer(*route, req, std::move(keep), std::move(done));
        queued_.fetch_sub(1);
        return;
      }
      auto res = std::make_shared<Response>();
      Handle(req, *res, route);  // catches whatever a handler or an error body throws
      queued_.fetch_sub(1);
      done(std::move(res));
    });
  }

  // Fills an error answer's body when nothing else did.
  void ErrorBody(const Request& req, Response& res, const std::string& message) {
    if (!res.body.empty()) return;
    if (options_.error_body) options_.error_body(req, res, message);
    if (res.body.empty()) res.set_content(DefaultErrorJson(res.status, message), "application/json");
  }

  void Finish(const Request& req, Response& res, Clock::time_point start) {
    for (const auto& [name, value] : options_.default_headers) {
      if (!res.has_header(name)) res.set_header(name, value);
    }
    if (!options_.access_log) return;
    try {
      options_.access_log(req, res, Clock::now() - start);
    } catch (...) {
      // A log line that cannot be written must not take the connection down.
    }
  }

  std::string HandleBytes(std::string_view bytes) {
    http::request_parser<http::string_body> parser;
    parser.header_limit(static_cast<std::uint32_t>(options_.limits.max_header_bytes));
    parser.body_limit(options_.limits.max_body_bytes);
    parser.eager(true);
    beast::error_code ec;
    std::size_t used = 0;
    while (!ec && !parser.is_done() && used < bytes.size()) {
      const std::size_t n = parser.put(net::buffer(bytes.data() + used, bytes.size() - used), ec);
      if (ec == http::error::need_more) ec = {};
      if (n == 0) break;
      used += n;
    }
    // put_eof requires that the parser got some bytes (Beast asserts it); with
    // nothing at all the request is simply incomplete.
    if (!ec && !parser.is_done() && parser.got_some()) parser.put_eof(ec);
    Request req;
    Response res;
    const auto start = Clock::now();
    if (ec == http::error::header_limit) {
      res.status = 431;
    } else if (ec == http::error::body_limit) {
      res.status = 413;
    } else if (ec || !parser.is_done()) {
      res.status = 400;
    } else if (EncodedBody(parser.get())) {
      FillRequest(parser.get(), "fuzz", req);
      res.status = 415;
    } else {
      FillRequest(parser.get(), "fuzz", req);
      req.body = parser.get().body();
      const Router::Route* route = FindRoute(req);
      if (route != nullptr && route->deferred) {
        auto answer = std::make_shared<std::promise<Response>>();
        auto future = answer->get_future();
        auto answered = std::make_shared<std::once_flag>();
        try {
          route->deferred(req, [answer, answered](Response reply) {
            std::call_once(*answered, [&] { answer->set_value(std::move(reply)); });
          });
        } catch (...) {
          Response failed;
          failed.status = 500;
          std::call_once(*answered, [&] { answer->set_value(std::move(failed)); });
        }
        res = future.get();
        Finalize(req, res);
      } else {
        Handle(req, res, route);
      }
    }
    if (res.status >= 400) ErrorBody(req, res, "refused");
    Finish(req, res, start);
    std::string out = "HTTP/1.1 " + std::to_string(res.status) + "\r\n";
    for (const auto& [name, value] : res.headers) out += name + ": " + value + "\r\n";
    return out + "\r\n" + res.body;
  }

 private:
  const Router::Route* FindRoute(Request& req) {
    try {
      return router_.Find(req);
    } catch (...) {
      return nullptr;  // answered by the fallback
    }
  }

  void Handle(Request& req, Response& res, const Router::Route* route) {
    try {
      if (route) {
        route->handler(req, res);
      } else if (options_.fallback) {
        options_.fallback(req, res);
        if (res.status == -1 && res.body.empty()) res.status = 404;
      } else {
        res.status = 404;
      }
    } catch (...) {
      res = Response();
      res.status = 500;
    }
    Finalize(req, res);
  }

  // Parks the request: the route's handler gets a Reply that answers it
  // later, once, unless the server has stopped by then.
  template <class Done>
  void Defer(const Router::Route& route, Request& req, std::shared_ptr<void> keep, Done done) {
    std::uint64_t id = 0;
    {
      std::lock_guard lock(deferred_->mutex);
      id = ++deferred_->next;
      deferred_->pending.emplace(id, std::move(keep));
    }
    auto shared_done = std::make_shared<Done>(std::move(done));
    Reply reply = [this, registry = deferred_, id, &req, shared_done](Response res) {
      std::lock_guard lock(registry->mutex);
      if (registry->closed) return;
      const auto found = registry->pending.find(id);
      if (found == registry->pending.end()) return;  // answered already
      const std::shared_ptr<void> session = std::move(found->second);
      registry->pending.erase(found);
      Finalize(req, res);
      (*shared_done)(std::make_shared<Response>(std::move(res)));
    };
    try {
      route.deferred(req, reply);
    } catch (...) {
      Response failed;
      failed.status = 500;
      reply(std::move(failed));
    }
  }

  // A handled answer's status and error body.
  void Finalize(Request& req, Response& res) {
    if (res.status == -1) res.status = 200;
    try {
      if (res.status >= 400) {
        ErrorBody(req, res, res.status == 404 ? "no resource at '" + req.path + "'" : "request failed");
      }
    } catch (...) {
      res.body.clear();
      res.set_content(DefaultErrorJson(res.status, "request failed"), "application/json");
    }
  }

  void RunIo() {
    for (;;) {
      try {
        ioc_.run();
        return;
      } catch (const std::exception&) {
        // A handler threw on an I/O thread; keep serving the others.
      }
    }
  }

  static void RaiseFileLimit() {
    rlimit limit{};
    if (::getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
      limit.rlim_cur = limit.rlim_max;
      ::setrlimit(RLIMIT_NOFILE, &limit);
    }
  }

  void Accept();
  void ScheduleRefusalReport() {
    if (!options_.refusals) return;
    refusal_timer_.expires_after(std::chrono::minutes(1));
    refusal_timer_.async_wait([this](boost::system::error_code ec) {
      if (ec) return;
      auto refused = limiter_.TakeRefusals();
      if (!refused.empty()) {
        net::post(workers_, [this, refused = std::move(refused)] {
          for (const auto& [address, count] : refused) options_.refusals(address, count);
        });
      }
      ScheduleRefusalReport();
    });
  }

  struct AddressUsage {
    std::size_t connections = 0;
    std::size_t body_bytes = 0;
  };

  // Declaration order is destruction order in reverse: the I/O context (with
  // the sessions its pending handlers own) goes before the counters they
  // release and the TLS context their streams use.
  const Router& router_;
  Options options_;
  AddressLimiter limiter_;
  mutable std::mutex mutex_;
  std::size_t connections_ = 0;
  std::size_t body_bytes_ = 0;
  std::map<std::string, AddressUsage> per_address_;
  std::atomic<std::size_t> queued_{0};
  // Requests parked by deferred routes (Defer), each holding its session.
  struct DeferredRegistry {
    std::mutex mutex;
    bool closed = false;
    std::uint64_t next = 0;
    std::map<std::uint64_t, std::shared_ptr<void>> pending;
  };
  std::shared_ptr<DeferredRegistry> deferred_ = std::make_shared<DeferredRegistry>();
  std::optional<net::ssl::context> tls_;
  net::thread_pool workers_;
  net::io_context ioc_;
  tcp::acceptor acceptor_;
  net::steady_timer refusal_timer_;
};

namespace {

// One client connection: reads requests one at a time under the limits,
// hands each to a worker, writes the answer, and waits for the next.
template <class Stream>
class Session : public std::enable_shared_from_this<Session<Stream>> {
 public:
  Session(HttpServer::Impl& server, Stream stream, std::string address)
      : server_(server), limits_(server.limits()), stream_(std::move(stream)), address_(std::move(address)) {}
  ~Session() {
    ReleaseBody();
    server_.ReleaseConnection(address_);
  }

  void Start() {
    if constexpr (std::is_same_v<Stream, beast::tcp_stream>) {
      ReadHead();
    } else {
      beast::get_lowest_layer(stream_).expires_after(limits_.header_deadline);
      stream_.async_handshake(net::ssl::stream_base::server, [self = this->shared_from_this()](beast::error_code ec) {
        if (!ec) self->ReadHead();
      });
    }
  }

 private:
  auto& Lowest() { return beast::get_lowest_layer(stream_); }

  void ReadHead() {
    request_ = Request();  // a refusal before the next head is parsed must not describe the last request
    parser_.emplace();
    parser_->header_limit(static_cast<std::uint32_t>(limits_.max_header_bytes));
    parser_->body_limit(limits_.max_body_bytes);
    Lowest().expires_after(limits_.header_deadline);
    http::async_read_header(stream_, buffer_, *parser_,
                            [self = this->shared_from_this()](beast::error_code ec, std::size_t) { self->OnHead(ec); });
  }

  void OnHead(beast::error_code ec) {
    start_ = Clock::now();
    if (ec == http::error::header_limit) return Refuse(431, "the request head is too large");
    if (ec == http::error::body_limit) {
      BuildRequest(parser_->get());
      return Refuse(413, "the request body is larger than the limit");
    }
    if (ec) {
      // A closed or timed-out connection gets no answer; a malformed request does.
      if (ec.category() == http::make_error_code(http::error::bad_target).category() &&
          ec != http::error::end_of_stream && ec != http::error::partial_message) {
        return Refuse(400, "malformed HTTP request");
      }
      return Close();
    }
    const auto& message = parser_->get();
    BuildRequest(message);
    const bool body_pending = !parser_->is_done();
    if (!server_.limiter().Allow(address_)) return Refuse(429, "too many requests from this address", body_pending);
    if (EncodedBody(message)) {
      return Refuse(415,
                    "compressed request bodies are not accepted (Content-Encoding: " +
                        std::string(message[http::field::content_encoding]) + ")",
                    body_pending);
    }
    if (!body_pending) return Dispatch();
    if (message[http::field::authorization].empty()) {
      return Refuse(401, "authentication required before a request body is accepted", true);
    }
    const auto length = parser_->content_length();
    const std::size_t reserve = length ? static_cast<std::size_t>(*length) : 2 * limits_.max_body_bytes;
    if (!server_.ReserveBody(address_, reserve)) return Refuse(503, "the hub is receiving too much at once", true);
    reserved_ = reserve;
    if (beast::iequals(message[http::field::expect], "100-continue")) {
      continue_.emplace(http::status::continue_, message.version());
      http::async_write(stream_, *continue_,
                        [self = this->shared_from_this()](beast::error_code write_ec, std::size_t) {
                          if (write_ec) return self->Close();
                          self->ReadBody();
                        });
      return;
    }
    ReadBody();
  }

  void ReadBody() {
    Lowest().expires_after(limits_.body_deadline);
    http::async_read(stream_, buffer_, *parser_, [self = this->shared_from_this()](beast::error_code ec, std::size_t) {
      self->ReleaseBody();
      if (ec == http::error::body_limit) return self->Refuse(413, "the request body is larger than the limit", true);
      if (ec) return self->Close();
      self->request_.body = std::move(self->parser_->get().body());
      self->Dispatch();
    });
  }

  void BuildRequest(const http::request<http::string_body>& message) {
    FillRequest(message, address_, request_);
    keep_alive_ = message.keep_alive();
  }

  void Dispatch() {
    if (!server_.TryQueue()) return Refuse(503, "the hub is busy; try again shortly");
    Lowest().expires_never();
    // Only `keep` owns the session meanwhile (the server's registry, for a
    // parked request): the answer reaches it only while it exists.
    server_.RunHandler(
        request_, this->shared_from_this(), [weak = this->weak_from_this()](std::shared_ptr<Response> res) {
          auto self = weak.lock();
          if (!self) return;
          net::post(self->stream_.get_executor(), [self, res = std::move(res)] { self->Write(*res, false); });
        });
  }

  // Answers without running a handler; closes afterwards when the request's
  // body was not read (or could not be).
  void Refuse(int status, const std::string& message, bool close = true) {
    Response res;
    res.status = status;
    if (status == 429 || status == 503) res.set_header("Retry-After", "1");
    server_.ErrorBody(request_, res, message);
    Write(res, close);
  }

  void Write(Response& res, bool close) {
    server_.Finish(request_, res, start_);
    close = close || !keep_alive_;
    auto out = std::make_shared<http::response<http::string_body>>();
    out->version(11);
    out->result(static_cast<unsigned>(res.status));
    for (const auto& [name, value] : res.headers) out->insert(name, value);
    const bool head = request_.method == "HEAD";
    if (!head) out->body() = std::move(res.body);
    out->keep_alive(!close);
    out->prepare_payload();
    if (head) out->content_length(res.body.size());
    Lowest().expires_after(limits_.write_deadline);
    http::async_write(stream_, *out, [self = this->shared_from_this(), out, close](beast::error_code ec, std::size_t) {
      if (ec) return self->Close();
      if (close) return self->Linger();
      self->ReadHead();
    });
  }

  // Stops sending, then reads (and drops) what the client still sends for a
  // moment, so that closing does not reset the connection before the client
  // has read the answer.
  void Linger() {
    beast::error_code ec;
    Lowest().socket().shutdown(tcp::socket::shutdown_send, ec);
    Lowest().expires_after(std::chrono::seconds(1));
    Drain();
  }
  void Drain() {
    if (drained_ > 256 * 1024) return Close();
    Lowest().async_read_some(net::buffer(scratch_),
                             [self = this->shared_from_this()](beast::error_code ec, std::size_t n) {
                               self->drained_ += n;
                               if (ec) return self->Close();
                               self->Drain();
                             });
  }

  void Close() {
    beast::error_code ec;
    Lowest().socket().shutdown(tcp::socket::shutdown_both, ec);
    Lowest().close();
  }

  void ReleaseBody() {
    if (reserved_ == 0) return;
    server_.ReleaseBody(address_, reserved_);
    reserved_ = 0;
  }

  HttpServer::Impl& server_;
  const HttpLimits& limits_;
  Stream stream_;
  std::string address_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::optional<http::response<http::empty_body>> continue_;
  Request request_;
  bool keep_alive_ = true;
  std::size_t reserved_ = 0;
  std::size_t drained_ = 0;
  std::array<char, 4096> scratch_{};
  Clock::time_point start_ = Clock::now();
};

}  // namespace

void HttpServer::Impl::Accept() {
  acceptor_.async_accept(net::make_strand(ioc_), [this](boost::system::error_code ec, tcp::socket socket) {
    if (!acceptor_.is_open()) return;
    if (ec) {
      // Out of descriptors (or similar): wait a moment instead of spinning.
      auto timer = std::make_shared<net::steady_timer>(ioc_, std::chrono::milliseconds(50));
      timer->async_wait([this, timer](boost::system::error_code) {
        if (acceptor_.is_open()) Accept();
      });
      return;
    }
    boost::system::error_code endpoint_ec;
    const auto endpoint = socket.remote_endpoint(endpoint_ec);
    if (!endpoint_ec) {
      std::string address = AddressOf(endpoint);
      if (AdmitConnection(address)) {
        socket.set_option(tcp::no_delay(true), endpoint_ec);
        if (tls_) {
          std::make_shared<Session<beast::ssl_stream<beast::tcp_stream>>>(
              *this, beast::ssl_stream<beast::tcp_stream>(std::move(socket), *tls_), std::move(address))
              ->Start();
        } else {
          std::make_shared<Session<beast::tcp_stream>>(*this, beast::tcp_stream(std::move(socket)), std::move(address))
              ->Start();
        }
      }
    }
    Accept();
  });
}

HttpServer::HttpServer(const Router& router, Options options)
    : impl_(std::make_shared<Impl>(router, std::move(options))) {}
HttpServer::~HttpServer() = default;
Result<int> HttpServer::Bind() { return impl_->Bind(); }
Status HttpServer::Serve() { return impl_->Serve(); }
void HttpServer::Stop() { impl_->Stop(); }
std::size_t HttpServer::OpenConnections() const { return impl_->OpenConnections(); }
std::string HttpServer::HandleBytes(std::string_view request) { return impl_->HandleBytes(request); }

}  // namespace dv::hub
