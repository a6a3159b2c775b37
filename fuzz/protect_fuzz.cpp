// SPDX-License-Identifier: Apache-2.0
// Fuzzes the protection feed: arbitrary values (odd Unicode, IDN, long
// labels, trailing dots, injected newlines and directives) go through the
// validator and every writer. The invariant, checked on every output line:
// no control character, no value outside its place, RPZ owner names
// relative LDH names (or "@"), and only the actions the writer knows.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "protect/feed.h"
#include "protect/lists.h"
#include "protect/rpz.h"
#include "protect/value.h"

namespace {

using dv::protect::ValueKind;

void Check(bool condition) {
  if (!condition) std::abort();
}

bool Ldh(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.'; }

// "owner CNAME action" with a relative owner and a known action.
void CheckRpzRecord(std::string_view line) {
  const std::size_t first = line.find(' ');
  Check(first != std::string_view::npos);
  std::string_view owner = line.substr(0, first);
  Check(line.substr(first, 7) == " CNAME ");
  const std::string_view action = line.substr(first + 7);
  Check(action == "." || action == "*." || action == "rpz-drop." || action == "rpz-passthru." ||
        action == "block.kommune.example.");
  if (owner.substr(0, 2) == "*.") owner.remove_prefix(2);
  Check(!owner.empty() && owner.back() != '.' && owner.front() != '.');
  for (char c : owner) Check(Ldh(c));
  Check(owner.size() <= 253);
}

void CheckRpz(const std::string& zone) {
  std::size_t line_idx = 0;
  std::size_t start = 0;
  while (start < zone.size()) {
    const std::size_t end = zone.find('\n', start);
    Check(end != std::string::npos);  // every line ends in a newline
    const std::string_view line(zone.data() + start, end - start);
    for (char c : line) Check(static_cast<unsigned char>(c) >= 0x20 && static_cast<unsigned char>(c) < 0x7f);
    if (line_idx == 0) Check(line.substr(0, 2) == "; ");
    if (line_idx == 1) Check(line.substr(0, 5) == "$TTL ");
    if (line_idx == 2) Check(line.substr(0, 9) == "@ IN SOA ");
    if (line_idx == 3) Check(line.substr(0, 8) == "@ IN NS ");
    if (line_idx >= 4) CheckRpzRecord(line);
    ++line_idx;
    start = end + 1;
  }
}

// List lines: printable ASCII, no spaces except where the format puts them.
void CheckList(const std::string& text, bool spaces_allowed) {
  for (char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    Check(c == '\n' || (byte >= 0x20 && byte < 0x7f));
    if (!spaces_allowed) Check(c != ' ');
  }
  Check(text.empty() || text.back() == '\n');
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  dv::protect::FeedInput input;
  input.coordinator = "CFCS";
  input.profile.monitor_only = false;
  input.profile.min_prefix_v4 = 1;
  input.profile.min_prefix_v6 = 1;
  input.never_block.domains = {"www.borger.dk"};
  input.never_block.networks = {"192.0.2.53", "2001:db8::53"};
  input.allow.networks = {"198.51.100.7"};
  input.rpz_origin = "rpz.dannevirke.test";
  // Records separated by 0xff; the first byte of each picks the kind.
  std::size_t start = 0;
  std::uint32_t idx = 0;
  while (start < text.size() && idx < 256) {
    std::size_t end = text.find('\xff', start);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view record = text.substr(start, end - start);
    start = end + 1;
    if (record.empty()) continue;
    dv::protect::Candidate candidate;
    candidate.indicator_id = "indicator--" + std::to_string(idx++);
    candidate.producer = "CFCS";
    candidate.kind = static_cast<ValueKind>(static_cast<unsigned char>(record[0]) % 6);
    candidate.value = std::string(record.substr(1));
    candidate.confidence = 90;
    candidate.corroborated = (record[0] & 0x40) != 0;
    candidate.national_sightings = record[0] & 0x0f;
    input.candidates.push_back(std::move(candidate));
    // The validators alone must never crash either.
    (void)dv::protect::NormaliseDomain(record.substr(1));
    (void)dv::protect::NormaliseUrl(record.substr(1));
    (void)dv::protect::ParseNetwork(record.substr(1));
  }
  (void)dv::protect::BlockableObservables(text);
  auto feed = dv::protect::BuildFeed(input);
  Check(feed.ok());
  for (const auto* entries : {&feed->enforce, &feed->monitor}) {
    for (const auto& entry : *entries) {
      if (entry.kind == dv::protect::EntryKind::kNetwork) {
        // Never-block and allow-listed addresses are never inside an entry.
        for (const char* hole : {"192.0.2.53", "2001:db8::53", "198.51.100.7"}) {
          Check(!dv::protect::NetworkCovers(entry.network, *dv::protect::ParseNetwork(hole)));
        }
      }
      if (entry.kind == dv::protect::EntryKind::kDomain)
        Check(!dv::protect::DomainWithin(entry.value, "www.borger.dk"));
    }
  }
  dv::protect::RpzOptions options;
  for (auto action : {dv::protect::Action::kNxdomain, dv::protect::Action::kWalledGarden}) {
    options.action = action;
    options.walled_garden = action == dv::protect::Action::kWalledGarden ? "block.kommune.example" : "";
    for (auto part : {dv::protect::RpzPart::kEnforce, dv::protect::RpzPart::kMonitor}) {
      auto zone = dv::protect::WriteRpz(*feed, options, part);
      Check(zone.ok());
      Check(zone->skipped == 0);
      CheckRpz(zone->text);
    }
  }
  for (auto kind : {dv::protect::ListKind::kAddress, dv::protect::ListKind::kDomain, dv::protect::ListKind::kUrl}) {
    CheckList(dv::protect::WritePaloAltoList(*feed, kind), false);
    CheckList(dv::protect::WriteFortiGateList(*feed, kind), false);
  }
  CheckList(*dv::protect::WriteMikroTikScript(*feed, input.candidates, {}), true);
  CheckList(*dv::protect::WriteNftables(*feed, {}), true);
  CheckList(*dv::protect::WriteIpsetRestore(*feed, {}), true);
  (void)dv::protect::WriteRpzMapping(*feed, input.candidates, 1);
  return 0;
}
