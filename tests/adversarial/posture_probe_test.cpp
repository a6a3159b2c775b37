// SPDX-License-Identifier: Apache-2.0
// Attacks on the probes that connect to a member's servers (docs/posture.md,
// "From the command line"): a member controls its own web and mail servers,
// so it can answer the hub's probe with anything. A server that drips its
// answer one byte at a time, sends headers without end, a body without end,
// garbage, or closes the connection at once must cost the probe at most its
// time budget and memory cap, and give an answer or an error — never a hang
// and never a crash (a closed connection must not end the process with
// SIGPIPE). A member with many such servers is cut off at its time budget.

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <csignal>
#include <functional>
#include <string>
#include <thread>

#include "posture/measure.h"
#include "posture/smtp_probe.h"
#include "posture/web_probe.h"

namespace dv::posture {
namespace {

using Clock = std::chrono::steady_clock;

// A TCP server on 127.0.0.1 that runs `behave` on each accepted connection.
class HostileServer {
 public:
  explicit HostileServer(std::function<void(int fd, const std::atomic<bool>& stop)> behave)
      : behave_(std::move(behave)) {
    listener_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    int yes = 1;
    ::setsockopt(listener_, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    EXPECT_EQ(::bind(listener_, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
    socklen_t size = sizeof address;
    ::getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &size);
    port_ = ntohs(address.sin_port);
    ::listen(listener_, 8);
    thread_ = std::thread([this] {
      while (!stop_) {
        const int fd = ::accept(listener_, nullptr, nullptr);
        if (fd < 0) return;
        behave_(fd, stop_);
        ::close(fd);
      }
    });
  }
  ~HostileServer() {
    stop_ = true;
    ::shutdown(listener_, SHUT_RDWR);
    ::close(listener_);
    thread_.join();
  }
  int port() const { return port_; }

 private:
  std::function<void(int, const std::atomic<bool>&)> behave_;
  int listener_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

void SendText(int fd, const std::string& text) { (void)::send(fd, text.data(), text.size(), MSG_NOSIGNAL); }

WebProbeOptions Options(int port) {
  WebProbeOptions options;
  options.http_port = port;
  options.https_port = port;
  options.timeout = std::chrono::milliseconds(400);
  return options;
}

double SecondsSince(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

TEST(PostureProbeAttacks, AServerThatDripsItsAnswerIsCutOffAtTheBudget) {
  HostileServer server([](int fd, const std::atomic<bool>& stop) {
    SendText(fd, "HTTP/1.1 200 OK\r\n");
    for (int index = 0; index < 200 && !stop; ++index) {  // one byte every 100 ms: 20 s in all
      SendText(fd, "X");
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  });
  const auto start = Clock::now();
  auto answer = FetchHttp("kommune.dk", "127.0.0.1", "/", false, Options(server.port()));
  EXPECT_FALSE(answer.ok());  // the headers never end
  EXPECT_LT(SecondsSince(start), 3.0) << "two timeouts (0.8 s) is the budget of one answer";
}

TEST(PostureProbeAttacks, HeadersWithoutEndAreRefusedNotBuffered) {
  HostileServer server([](int fd, const std::atomic<bool>& stop) {
    SendText(fd, "HTTP/1.1 200 OK\r\n");
    const std::string header = "X-Filler: " + std::string(1000, 'a') + "\r\n";
    for (int index = 0; index < 10'000 && !stop; ++index) SendText(fd, header);  // 10 MB of headers
  });
  auto answer = FetchHttp("kommune.dk", "127.0.0.1", "/", false, Options(server.port()));
  ASSERT_FALSE(answer.ok());
  EXPECT_NE(answer.error().message().find("32 KiB"), std::string::npos) << answer.error().message();
}

TEST(PostureProbeAttacks, ABodyWithoutEndIsCutAtTheCap) {
  HostileServer server([](int fd, const std::atomic<bool>& stop) {
    SendText(fd, "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\n");
    const std::string chunk(64 * 1024, 'b');
    for (int index = 0; index < 160 && !stop; ++index) SendText(fd, chunk);  // 10 MB
  });
  auto answer = FetchHttp("kommune.dk", "127.0.0.1", "/.well-known/security.txt", false, Options(server.port()));
  ASSERT_TRUE(answer.ok()) << answer.error().message();
  EXPECT_EQ(answer->status, 200);
  EXPECT_TRUE(answer->truncated);
  EXPECT_LE(answer->body.size(), Options(0).max_body_bytes);
}

TEST(PostureProbeAttacks, GarbageIsAnErrorThatSaysSo) {
  HostileServer server([](int fd, const std::atomic<bool>&) { SendText(fd, "SSH-2.0-OpenSSH_9.2\r\n\r\n"); });
  auto answer = FetchHttp("kommune.dk", "127.0.0.1", "/", false, Options(server.port()));
  ASSERT_FALSE(answer.ok());
  EXPECT_NE(answer.error().message().find("not an HTTP answer"), std::string::npos) << answer.error().message();
}

TEST(PostureProbeAttacks, AConnectionClosedAtOnceIsAnErrorNotACrash) {
  // As in the program (cli/main.cpp), SIGPIPE is ignored: OpenSSL writes
  // to the socket without MSG_NOSIGNAL, so a reset connection gives EPIPE.
  (void)std::signal(SIGPIPE, SIG_IGN);
  HostileServer server([](int fd, const std::atomic<bool>&) {
    linger hard{1, 0};  // close with a reset
    ::setsockopt(fd, SOL_SOCKET, SO_LINGER, &hard, sizeof hard);
  });
  for (const bool https : {false, true}) {
    auto answer = FetchHttp("kommune.dk", "127.0.0.1", "/", https, Options(server.port()));
    EXPECT_FALSE(answer.ok()) << (https ? "https" : "http");
  }
  SmtpProbeOptions smtp;
  smtp.port = server.port();
  smtp.timeout = std::chrono::milliseconds(400);
  EXPECT_FALSE(ProbeSmtpStarttls("mx.kommune.dk", "127.0.0.1", smtp).ok());
}

TEST(PostureProbeAttacks, AHandshakeThatNeverCompletesIsBounded) {
  HostileServer server([](int fd, const std::atomic<bool>& stop) {
    // Accepts, reads the ClientHello, answers nothing.
    char buffer[4096];
    (void)::recv(fd, buffer, sizeof buffer, 0);
    for (int index = 0; index < 50 && !stop; ++index) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  });
  const auto start = Clock::now();
  auto answer = FetchHttp("kommune.dk", "127.0.0.1", "/", true, Options(server.port()));
  EXPECT_FALSE(answer.ok());
  auto legacy = ProbeLegacyTls("kommune.dk", "127.0.0.1", Options(server.port()));
  EXPECT_TRUE(legacy.ok() && !legacy->has_value()) << "an unanswered handshake is not an accepted TLS 1.1";
  EXPECT_LT(SecondsSince(start), 4.0);
}

// A DNS that gives a domain many MX hosts, all at one address.
class ManyMxResolver : public reg::TxtResolver {
 public:
  explicit ManyMxResolver(int count) : count_(count) {}
  Result<std::vector<std::string>> Lookup(std::string_view) override { return std::vector<std::string>{}; }
  Result<std::vector<std::string>> LookupMx(std::string_view) override {
    std::vector<std::string> hosts;
    for (int index = 0; index < count_; ++index) hosts.push_back("mx" + std::to_string(index) + ".kommune.dk");
    return hosts;
  }
  Result<std::vector<std::string>> LookupA(std::string_view) override { return std::vector<std::string>{"127.0.0.1"}; }

 private:
  int count_;
};

TEST(PostureProbeAttacks, AMemberWhoseMailServersStallIsCutOffAtItsBudget) {
  // Ten MX hosts that accept and never greet: without a budget, ten timeouts.
  HostileServer server([](int fd, const std::atomic<bool>& stop) {
    for (int index = 0; index < 10 && !stop; ++index) std::this_thread::sleep_for(std::chrono::milliseconds(50));
    (void)fd;
  });
  MeasureOptions options;
  options.web = false;
  options.allow_private = true;
  options.smtp.port = server.port();
  options.smtp.timeout = std::chrono::milliseconds(300);
  const Measurer measurer(std::make_unique<ManyMxResolver>(10), nullptr, options);
  const auto start = Clock::now();
  const DomainScan scan =
      measurer.Measure("kommune.dk", Timestamp::Now(), {}, Clock::now() + std::chrono::milliseconds(700));
  EXPECT_LT(SecondsSince(start), 2.0) << "ten stalled MX hosts would take 3 s; the budget is 0.7 s";
  const auto mail = std::find_if(scan.checks.begin(), scan.checks.end(),
                                 [](const CheckResult& result) { return result.check == "mail_tls"; });
  ASSERT_NE(mail, scan.checks.end());
  std::string reasons;
  for (const auto& reason : mail->reasons) reasons += reason + "\n";
  EXPECT_NE(reasons.find("time budget"), std::string::npos) << reasons;
  EXPECT_NE(reasons.find("mx0.kommune.dk: not reached"), std::string::npos) << "the first MX was probed: " << reasons;
}

TEST(PostureProbeAttacks, NothingListeningIsNotFoundSoTheCheckCanSayNoHttps) {
  int port = 0;
  {
    HostileServer server([](int, const std::atomic<bool>&) {});
    port = server.port();
  }
  auto answer = FetchHttp("kommune.dk", "127.0.0.1", "/", true, Options(port));
  ASSERT_FALSE(answer.ok());
  EXPECT_EQ(answer.error().kind(), ErrorKind::kNotFound) << answer.error().message();
}

}  // namespace
}  // namespace dv::posture
