// SPDX-License-Identifier: Apache-2.0
#include "sensor/syslog_listener.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>

namespace dv::sensor {
namespace {

using Messages = std::vector<std::string>;

Messages Frame(std::initializer_list<std::string_view> chunks, std::size_t max = 100, std::uint64_t* errors = nullptr) {
  SyslogFramer framer(max);
  Messages out;
  auto collect = [&](std::string_view message) { out.emplace_back(message); };
  for (const auto chunk : chunks) framer.Feed(chunk, collect);
  framer.Finish(collect);
  if (errors != nullptr) *errors = framer.framing_errors();
  return out;
}

TEST(SyslogFramer, OctetCountingAndNewlineFramingMayBeMixedAndSplitAnywhere) {
  EXPECT_EQ(Frame({"9 <13>hello\n", "<13>plain line\r\n", "5 <1>ab"}),
            (Messages{"<13>hello", "<13>plain line", "<1>ab"}));
  // Split inside the count, inside the message and inside a line.
  EXPECT_EQ(Frame({"1", "0 <13>a", "bcdef<13>li", "ne two\n"}), (Messages{"<13>abcdef", "<13>line two"}));
  // A count may cover a newline inside the message; NUL ends a line too.
  EXPECT_EQ(Frame({"7 <13>a\nb\n", "<13>x", std::string_view("\0", 1), "<13>y\n"}),
            (Messages{"<13>a\nb", "<13>x", "<13>y"}));
  // Digits not followed by a space start a line, not a count.
  EXPECT_EQ(Frame({"2026-03-01 text\n"}), Messages{"2026-03-01 text"});
}

TEST(SyslogFramer, OverlongFramesAreCountedAndTheStreamGoesOn) {
  std::uint64_t errors = 0;
  EXPECT_EQ(Frame({"999 <13>too long for the limit\n", "<13>next\n"}, 20, &errors), Messages{"<13>next"});
  EXPECT_EQ(errors, 1U);
  EXPECT_EQ(Frame({std::string(30, 'x'), std::string(30, 'y'), "\n<13>after\n"}, 20, &errors), Messages{"<13>after"});
  EXPECT_EQ(errors, 1U);
}

TEST(SyslogListener, ParsesListenAddressesWithLoopbackAsDefault) {
  EXPECT_EQ(ParseListenAddress("5514")->host, "127.0.0.1");
  EXPECT_EQ(ParseListenAddress(":5514")->port, 5514);
  EXPECT_EQ(ParseListenAddress("0.0.0.0:514")->host, "0.0.0.0");
  EXPECT_EQ(ParseListenAddress("[::1]:6514")->host, "::1");
  EXPECT_FALSE(ParseListenAddress("127.0.0.1:http").ok());
  EXPECT_FALSE(ParseListenAddress("127.0.0.1:70000").ok());
  EXPECT_FALSE(ParseListenAddress("[::1]6514").ok());
}

sockaddr_in Loopback(std::uint16_t port) {
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return address;
}

// Takes messages until `count` have arrived or five seconds have passed.
std::vector<SyslogMessage> TakeAtLeast(SyslogListener& listener, std::size_t count) {
  std::vector<SyslogMessage> all;
  std::vector<SyslogMessage> batch;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (all.size() < count && std::chrono::steady_clock::now() < deadline) {
    listener.Take(batch, 100, std::chrono::milliseconds(50));
    std::move(batch.begin(), batch.end(), std::back_inserter(all));
  }
  return all;
}

TEST(SyslogListener, ReceivesUdpAndTcpAndDecodesEachMessage) {
  SyslogListenerOptions options;
  options.udp = "127.0.0.1:0";
  options.tcp = "127.0.0.1:0";
  auto listener = SyslogListener::Start(options);
  ASSERT_TRUE(listener.ok()) << listener.error().ToString();
  ASSERT_NE((*listener)->udp_port(), 0);
  ASSERT_NE((*listener)->tcp_port(), 0);

  const int udp = ::socket(AF_INET, SOCK_DGRAM, 0);
  const sockaddr_in udp_to = Loopback((*listener)->udp_port());
  const std::string datagram = "<34>1 2026-03-01T10:00:00Z fw01 sshd 42 - - Failed password from 203.0.113.7\n";
  ASSERT_GT(
      ::sendto(udp, datagram.data(), datagram.size(), 0, reinterpret_cast<const sockaddr*>(&udp_to), sizeof udp_to), 0);
  ::close(udp);
  auto received = TakeAtLeast(**listener, 1);
  ASSERT_EQ(received.size(), 1U);
  EXPECT_EQ(received[0].text.back(), '7');  // the newline is dropped
  EXPECT_EQ(received[0].peer.rfind("udp 127.0.0.1:", 0), 0U);

  const int tcp = ::socket(AF_INET, SOCK_STREAM, 0);
  const sockaddr_in tcp_to = Loopback((*listener)->tcp_port());
  ASSERT_EQ(::connect(tcp, reinterpret_cast<const sockaddr*>(&tcp_to), sizeof tcp_to), 0);
  const std::string stream =
      "<13>Mar  1 10:00:00 web01 nginx: GET /\n"
      "<13>1 not a valid 5424 timestamp\n"
      "65 <86>1 2026-03-01T10:00:01Z mail01 postfix - - - from 198.51.100.4\n";
  ASSERT_EQ(::send(tcp, stream.data(), stream.size(), 0), static_cast<ssize_t>(stream.size()));
  ::close(tcp);
  received = TakeAtLeast(**listener, 3);
  ASSERT_EQ(received.size(), 3U);

  LineParser parser;
  Event event;
  ASSERT_TRUE(DecodeSyslog(received[0], parser, event).ok());
  EXPECT_EQ(event.Find("host")->value, "web01");
  EXPECT_EQ(event.origin.rfind("tcp 127.0.0.1:", 0), 0U);
  EXPECT_FALSE(DecodeSyslog(received[1], parser, event).ok());  // one bad message: the caller counts it
  ASSERT_TRUE(DecodeSyslog(received[2], parser, event).ok());
  EXPECT_EQ(event.Find("app")->value, "postfix");
  EXPECT_EQ(event.Find("message")->value, "from 198.51.100.4");
  const auto stats = (*listener)->stats();
  EXPECT_EQ(stats.udp_messages, 1U);
  EXPECT_EQ(stats.tcp_messages, 3U);
  EXPECT_EQ(stats.tcp_connections, 1U);
  (*listener)->Stop();
  std::vector<SyslogMessage> none;
  EXPECT_FALSE((*listener)->Take(none, 10, std::chrono::milliseconds(1)));
}

TEST(SyslogListener, AFullQueueDropsUdpAndCountsIt) {
  SyslogListenerOptions options;
  options.udp = "127.0.0.1:0";
  options.queue_capacity = 2;
  auto listener = SyslogListener::Start(options);
  ASSERT_TRUE(listener.ok());
  const int udp = ::socket(AF_INET, SOCK_DGRAM, 0);
  const sockaddr_in to = Loopback((*listener)->udp_port());
  for (int message_idx = 0; message_idx < 5; ++message_idx) {
    const std::string text = "<13>message " + std::to_string(message_idx);
    ::sendto(udp, text.data(), text.size(), 0, reinterpret_cast<const sockaddr*>(&to), sizeof to);
  }
  ::close(udp);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while ((*listener)->stats().udp_messages + (*listener)->stats().dropped_queue_full < 5 &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_EQ((*listener)->stats().udp_messages, 2U);
  EXPECT_EQ((*listener)->stats().dropped_queue_full, 3U);
  std::vector<SyslogMessage> taken;
  (*listener)->Take(taken, 10, std::chrono::milliseconds(10));
  ASSERT_EQ(taken.size(), 2U);
  EXPECT_EQ(taken[0].text, "<13>message 0");
}

TEST(SyslogListener, ABusyPortIsAnErrorNamingTheOption) {
  SyslogListenerOptions options;
  options.tcp = "127.0.0.1:0";
  auto first = SyslogListener::Start(options);
  ASSERT_TRUE(first.ok());
  options.tcp = "127.0.0.1:" + std::to_string((*first)->tcp_port());
  auto second = SyslogListener::Start(options);
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.error().message().rfind("--syslog-tcp 127.0.0.1:", 0), 0U) << second.error().message();
}

}  // namespace
}  // namespace dv::sensor
