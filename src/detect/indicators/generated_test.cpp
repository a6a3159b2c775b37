// SPDX-License-Identifier: Apache-2.0
// 100,000 random indicators against 2,000 random events with planted
// matches: the index must find exactly what a naive loop over the indicators
// finds, and every planted match.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <set>

#include "detect/indicators/indicator_index.h"

namespace dv {
namespace {

constexpr std::size_t kIndicators = 100000;
// The naive loop costs indicators x events comparisons; 2,000 events keep it
// to seconds under the sanitizers and still plant matches of every kind.
constexpr std::size_t kEvents = 2000;

struct Naive {
  ObservableKind kind;
  std::string value;  // lower-cased where the kind is case-insensitive
  std::optional<IpNetwork> network;
  bool subdomains = false;
};

std::string Lower(std::string text) {
  for (char& c : text) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
  return text;
}

class Generator {
 public:
  explicit Generator(std::uint64_t seed) : rng_(seed) {}
  std::uint64_t Next(std::uint64_t bound) { return std::uniform_int_distribution<std::uint64_t>(0, bound - 1)(rng_); }
  std::string Label() {
    std::string label;
    const std::size_t length = 3 + Next(8);
    for (std::size_t at = 0; at < length; ++at) label += static_cast<char>('a' + Next(26));
    return label;
  }
  std::string Domain() { return Label() + "." + (Next(2) ? "example" : "test"); }
  std::string MixCase(std::string text) {
    for (char& c : text) {
      if (c >= 'a' && c <= 'z' && Next(3) == 0) c = static_cast<char>(c - 32);
    }
    return text;
  }
  std::string Ipv4() {
    return std::to_string(Next(256)) + "." + std::to_string(Next(256)) + "." + std::to_string(Next(256)) + "." +
           std::to_string(Next(256));
  }
  IpAddress RandomIp(bool v6) {
    IpAddress address;
    address.v6 = v6;
    for (std::size_t at = 0; at < address.size(); ++at) address.bytes[at] = static_cast<std::uint8_t>(Next(256));
    if (v6) address.bytes[0] = 0x20, address.bytes[1] = 0x01;
    return address;
  }
  std::string Hex(std::size_t length) {
    static constexpr char kDigits[] = "0123456789abcdef";
    std::string out;
    for (std::size_t at = 0; at < length; ++at) out += kDigits[Next(16)];
    return out;
  }

 private:
  std::mt19937_64 rng_;
};

struct Field {
  const char* name;
  ObservableKind kind;
};

// The event field used for each kind (all in the default field table).
const char* FieldFor(ObservableKind kind, std::uint64_t pick) {
  switch (kind) {
    case ObservableKind::kIpv4:
    case ObservableKind::kIpv6:
      return pick % 2 ? "src_ip" : "destination.ip";
    case ObservableKind::kDomain:
      return pick % 2 ? "QueryName" : "dns.question.name";
    case ObservableKind::kUrl:
      return "request";
    case ObservableKind::kEmail:
      return "sender";
    case ObservableKind::kMd5:
      return "hash.md5";
    case ObservableKind::kSha1:
      return "hash.sha1";
    case ObservableKind::kSha256:
      return "hash.sha256";
    default:
      return "file.name";
  }
}

TEST(IndicatorGeneratedTest, IndexAgreesWithNaiveLoop) {
  Generator gen(20260101);
  static constexpr ObservableKind kKinds[] = {
      ObservableKind::kIpv4,   ObservableKind::kIpv4,   ObservableKind::kIpv6,     ObservableKind::kDomain,
      ObservableKind::kDomain, ObservableKind::kUrl,    ObservableKind::kEmail,    ObservableKind::kMd5,
      ObservableKind::kSha1,   ObservableKind::kSha256, ObservableKind::kFileName,
  };
  std::vector<Indicator> indicators;
  std::vector<Naive> naive;
  for (std::size_t idx = 0; idx < kIndicators; ++idx) {
    const ObservableKind kind = kKinds[gen.Next(std::size(kKinds))];
    std::string value;
    bool subdomains = false;
    switch (kind) {
      case ObservableKind::kIpv4:
        value = gen.Ipv4();
        if (gen.Next(5) == 0) value += "/" + std::to_string(16 + gen.Next(15));
        break;
      case ObservableKind::kIpv6:
        value = FormatIp(gen.RandomIp(true));
        if (gen.Next(3) == 0) value += "/" + std::to_string(32 + gen.Next(97));
        break;
      case ObservableKind::kDomain:
        value = gen.Domain();
        subdomains = gen.Next(4) == 0;
        break;
      case ObservableKind::kUrl:
        value = "https://" + gen.Domain() + "/" + gen.Label();
        break;
      case ObservableKind::kEmail:
        value = gen.Label() + "@" + gen.Domain();
        break;
      case ObservableKind::kMd5:
        value = gen.Hex(32);
        break;
      case ObservableKind::kSha1:
        value = gen.Hex(40);
        break;
      case ObservableKind::kSha256:
        value = gen.Hex(64);
        break;
      default:
        value = gen.Label() + ".exe";
        break;
    }
    auto indicator = IndicatorFromValue(kind, value);
    ASSERT_TRUE(indicator.ok()) << value;
    indicator->match_subdomains = subdomains;
    indicator->id = "gen-" + std::to_string(idx);
    Naive entry{kind, IsCaseInsensitive(kind) ? Lower(value) : value, std::nullopt, subdomains};
    if (kind == ObservableKind::kIpv4 || kind == ObservableKind::kIpv6) entry.network = ParseIpNetwork(value);
    naive.push_back(std::move(entry));
    indicators.push_back(std::move(indicator).value());
  }
  LoadReport report;
  auto index = IndicatorIndex::Build(indicators, *FieldTable::Default(), &report);
  ASSERT_TRUE(index.ok());
  EXPECT_EQ(report.rejected + report.unsupported, 0u);
  EXPECT_EQ(index->matchable(), kIndicators);

  std::vector<std::vector<std::uint32_t>> by_kind(kObservableKindCount);
  for (std::uint32_t idx = 0; idx < naive.size(); ++idx) by_kind[static_cast<int>(naive[idx].kind)].push_back(idx);

  IndicatorScratch scratch;
  std::vector<IndicatorHit> hits;
  std::size_t planted_total = 0;
  std::size_t found_total = 0;
  for (std::size_t event_idx = 0; event_idx < kEvents; ++event_idx) {
    Event event;
    std::vector<std::pair<ObservableKind, std::string>> values;
    std::set<std::uint32_t> planted;
    const std::size_t fields = 2 + gen.Next(5);
    for (std::size_t field_idx = 0; field_idx < fields; ++field_idx) {
      std::string value;
      ObservableKind kind;
      if (gen.Next(10) == 0) {
        // A planted match: a value that the chosen indicator must match.
        const std::uint32_t target = static_cast<std::uint32_t>(gen.Next(kIndicators));
        const Naive& chosen = naive[target];
        kind = chosen.kind;
        value = indicators[target].plain->value();
        if (chosen.network) {
          IpAddress address = gen.RandomIp(chosen.network->address.v6);
          for (int bit = 0; bit < chosen.network->prefix; ++bit) {
            const std::uint8_t mask = static_cast<std::uint8_t>(0x80 >> (bit % 8));
            address.bytes[bit / 8] = static_cast<std::uint8_t>((address.bytes[bit / 8] & ~mask) |
                                                               (chosen.network->address.bytes[bit / 8] & mask));
          }
          value = FormatIp(address);
        } else if (chosen.subdomains && gen.Next(2) == 0) {
          value = gen.Label() + "." + value;
        }
        if (IsCaseInsensitive(kind)) value = gen.MixCase(value);
        planted.insert(target);
      } else {
        kind = kKinds[gen.Next(std::size(kKinds))];
        switch (kind) {
          case ObservableKind::kIpv4:
            value = gen.Ipv4();
            break;
          case ObservableKind::kIpv6:
            value = FormatIp(gen.RandomIp(true));
            break;
          case ObservableKind::kDomain:
            value = gen.Domain();
            break;
          case ObservableKind::kUrl:
            value = "https://" + gen.Domain() + "/" + gen.Label();
            break;
          case ObservableKind::kEmail:
            value = gen.Label() + "@" + gen.Domain();
            break;
          case ObservableKind::kMd5:
            value = gen.Hex(32);
            break;
          case ObservableKind::kSha1:
            value = gen.Hex(40);
            break;
          case ObservableKind::kSha256:
            value = gen.Hex(64);
            break;
          default:
            value = gen.Label() + ".exe";
            break;
        }
      }
      event.Add(FieldFor(kind, gen.Next(2)), value);
      values.emplace_back(kind, value);
    }

    // The naive answer: every indicator of the value's kind, one by one.
    std::set<std::uint32_t> expected;
    for (const auto& [kind, value] : values) {
      const bool ip = kind == ObservableKind::kIpv4 || kind == ObservableKind::kIpv6;
      const std::optional<IpAddress> address = ip ? ParseIp(value) : std::nullopt;
      const std::string normal = IsCaseInsensitive(kind) ? Lower(value) : value;
      for (int kind_idx = 0; kind_idx < kObservableKindCount; ++kind_idx) {
        const auto candidate_kind = static_cast<ObservableKind>(kind_idx);
        const bool candidate_ip = candidate_kind == ObservableKind::kIpv4 || candidate_kind == ObservableKind::kIpv6;
        if (ip ? !candidate_ip : candidate_kind != kind) continue;
        for (std::uint32_t idx : by_kind[kind_idx]) {
          const Naive& candidate = naive[idx];
          bool match = false;
          if (ip) {
            match = candidate.network && NetworkContains(*candidate.network, *address);
          } else if (candidate.kind == kind) {
            match = candidate.value == normal ||
                    (candidate.subdomains && normal.size() > candidate.value.size() &&
                     normal.compare(normal.size() - candidate.value.size(), std::string::npos, candidate.value) == 0 &&
                     normal[normal.size() - candidate.value.size() - 1] == '.');
          }
          if (match) expected.insert(idx);
        }
      }
    }
    index->Match(event, scratch, hits);
    std::set<std::uint32_t> found;
    for (const IndicatorHit& hit : hits) found.insert(hit.indicator_idx);
    ASSERT_EQ(found.size(), hits.size()) << "an indicator was reported twice for event " << event_idx;
    ASSERT_EQ(found, expected) << "event " << event_idx;
    for (std::uint32_t target : planted) ASSERT_TRUE(found.count(target)) << "planted " << target;
    planted_total += planted.size();
    found_total += found.size();
  }
  EXPECT_GT(planted_total, kEvents / 3);
  EXPECT_GE(found_total, planted_total);
}

}  // namespace
}  // namespace dv
