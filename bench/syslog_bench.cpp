// SPDX-License-Identifier: Apache-2.0
// Events/s through the sensor's syslog UDP listener on loopback: a sender
// thread writes RFC 5424 messages (sendmmsg, 64 per call) to a
// SyslogListener; the consumer takes them from its queue, parses each
// (DecodeSyslog) and hands it to a Sensor with 10,000 indicators and no
// archive, as `dannevirke sensor --syslog-udp` does. Two runs: unpaced (the
// sender as fast as it can; the loss shows where the kernel's socket buffer
// overflows) and paced at a fixed offered rate.
//
//   dv_syslog_bench [MESSAGES=500000] [PACED_RATE=100000]
//
// No peer syslog daemon (rsyslogd, syslog-ng) is installed on this machine,
// so no peer figure is printed.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "core/uuid.h"
#include "sensor/sensor.h"
#include "sensor/syslog_listener.h"

namespace {

using Clock = std::chrono::steady_clock;
namespace sensor = dv::sensor;

// A hub with 10,000 address indicators that never changes and takes every sighting.
class StaticHub final : public sensor::HubClient {
 public:
  StaticHub() {
    for (int idx = 0; idx < 10'000; ++idx) {
      const std::string ip = "45." + std::to_string(idx / 250) + "." + std::to_string(idx % 250) + ".9";
      objects_.push_back(R"({"type":"indicator","spec_version":"2.1","id":"indicator--)" +
                         dv::Uuid::V5(dv::DannevirkeNamespace(), ip).ToString() +
                         R"(","created":"2026-01-01T00:00:00.000Z","modified":"2026-01-01T00:00:00.000Z",)"
                         R"("pattern":"[ipv4-addr:value = ')" +
                         ip + R"(']","pattern_type":"stix","valid_from":"2026-01-01T00:00:00Z"})");
    }
  }
  dv::Result<sensor::ObjectsPage> GetObjects(const sensor::ObjectsQuery& query) override {
    sensor::ObjectsPage page;
    if (query.added_after.empty()) {
      page.objects = objects_;
      page.date_added_last = "2026-01-01T00:00:00.000000Z";
    }
    return page;
  }
  dv::Result<sensor::PostStatus> PostObjects(const std::string&, const std::vector<std::string>& texts) override {
    sensor::PostStatus status;
    status.total = status.success = static_cast<std::int64_t>(texts.size());
    return status;
  }
  dv::Result<sensor::PostStatus> GetStatus(const std::string&) override { return dv::Error::NotFound("none"); }
  dv::Result<std::vector<sensor::InactiveIndicator>> GetIndicatorState() override {
    return std::vector<sensor::InactiveIndicator>{};
  }

 private:
  std::vector<std::string> objects_;
};

struct RunResult {
  std::uint64_t sent = 0;
  std::uint64_t events = 0;
  double seconds = 0;
};

RunResult Run(sensor::Sensor& sink, std::uint64_t messages, double paced_rate) {
  sensor::SyslogListenerOptions options;
  options.udp = "127.0.0.1:0";
  auto listener = sensor::SyslogListener::Start(options);
  if (!listener.ok()) {
    std::fprintf(stderr, "%s\n", listener.error().ToString().c_str());
    std::exit(1);
  }
  std::atomic<bool> sending_done{false};
  RunResult result;
  const auto start = Clock::now();
  std::thread sender([&] {
    const int fd = ::socket(AF_INET, SOCK_DGRAM, 0);
    sockaddr_in to{};
    to.sin_family = AF_INET;
    to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    to.sin_port = htons((*listener)->udp_port());
    constexpr int kBatch = 64;
    std::vector<std::string> texts(kBatch);
    std::vector<iovec> iovecs(kBatch);
    std::vector<mmsghdr> headers(kBatch);
    for (std::uint64_t sent = 0; sent < messages;) {
      const int count = static_cast<int>(std::min<std::uint64_t>(kBatch, messages - sent));
      for (int idx = 0; idx < count; ++idx) {
        const std::uint64_t n = sent + static_cast<std::uint64_t>(idx);
        texts[idx] = "<38>1 2026-03-01T10:00:00.123Z fw01 sshd " + std::to_string(n % 30000) +
                     " - [meta src=\"198.18." + std::to_string(n % 200) + "." + std::to_string(n % 250) +
                     "\"] Failed password for invalid user admin from 198.18.0." + std::to_string(n % 250) +
                     " port 40022 ssh2";
        iovecs[idx] = {texts[idx].data(), texts[idx].size()};
        headers[idx] = {};
        headers[idx].msg_hdr.msg_iov = &iovecs[idx];
        headers[idx].msg_hdr.msg_iovlen = 1;
        headers[idx].msg_hdr.msg_name = &to;
        headers[idx].msg_hdr.msg_namelen = sizeof to;
      }
      const int done = ::sendmmsg(fd, headers.data(), static_cast<unsigned>(count), 0);
      if (done > 0) sent += static_cast<std::uint64_t>(done);
      if (paced_rate > 0) {
        const auto due = start + std::chrono::duration<double>(static_cast<double>(sent) / paced_rate);
        std::this_thread::sleep_until(due);
      }
    }
    result.sent = messages;
    ::close(fd);
    sending_done = true;
  });
  dv::LineParser parser;
  dv::Event event;
  std::vector<sensor::SyslogMessage> batch;
  auto last_event = Clock::now();
  for (;;) {
    (*listener)->Take(batch, 1024, std::chrono::milliseconds(50));
    for (const auto& message : batch) {
      if (sensor::DecodeSyslog(message, parser, event).ok()) {
        sink.ProcessEvent(event);
        ++result.events;
      }
    }
    if (!batch.empty()) last_event = Clock::now();
    // Done when the sender has finished and nothing arrived for 200 ms.
    if (sending_done && Clock::now() - last_event > std::chrono::milliseconds(200)) break;
  }
  sender.join();
  result.seconds = std::chrono::duration<double>(last_event - start).count();
  return result;
}

}  // namespace

int main(int argc, char** argv) {
  const std::uint64_t messages = argc > 1 ? std::stoull(argv[1]) : 500'000;
  const double paced = argc > 2 ? std::stod(argv[2]) : 100'000;
  const auto dir = std::filesystem::temp_directory_path() / ("dv-syslog-bench-" + std::to_string(::getpid()));
  StaticHub hub;
  sensor::SensorOptions options;
  options.collections = {"bench"};
  options.state_dir = dir;
  options.archive = false;
  auto created = sensor::Sensor::Create(hub, options);
  if (!created.ok() || !(*created)->Pull().ok()) {
    std::fprintf(stderr, "cannot set up the sensor\n");
    return 1;
  }
  for (const double rate : {0.0, paced}) {
    const RunResult run = Run(**created, messages, rate);
    const double lost = 100.0 * static_cast<double>(run.sent - run.events) / static_cast<double>(run.sent);
    std::printf(
        "syslog UDP -> parse -> sensor (%zu indicators), %s: %llu sent, %llu events in %.2f s = %.0f events/s, "
        "%.2f %% lost\n",
        (*created)->stats().indicators,
        rate > 0 ? ("paced at " + std::to_string(static_cast<long>(rate)) + "/s").c_str() : "unpaced",
        static_cast<unsigned long long>(run.sent), static_cast<unsigned long long>(run.events), run.seconds,
        static_cast<double>(run.events) / run.seconds, lost);
  }
  std::filesystem::remove_all(dir);
  return 0;
}
