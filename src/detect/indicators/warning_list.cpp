// SPDX-License-Identifier: Apache-2.0
#include "detect/indicators/warning_list.h"

#include "core/text.h"
#include "stix/pattern.h"

namespace dv {

// Generated from data/warninglists/*.txt (cmake/embed.cmake).
std::string_view WarningListFile(std::string_view name);

namespace {

struct BuiltInRanges {
  const char* name;
  const char* description;
  std::vector<const char*> networks;
};

// The special-purpose ranges (RFC 6890 and its successors) that never name an attacker's host.
// The documentation ranges (RFC 5737, RFC 3849) are left off on purpose: they never occur in real
// traffic, so listing them would protect nothing, and examples, demos and tests use them.
const std::vector<BuiltInRanges>& AddressLists() {
  static const std::vector<BuiltInRanges> lists = {
      {"rfc1918", "private address space", {"10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"}},
      {"loopback", "loopback addresses", {"127.0.0.0/8", "::1/128"}},
      {"link-local", "link-local addresses", {"169.254.0.0/16", "fe80::/10"}},
      {"cgnat", "carrier-grade NAT shared address space (RFC 6598)", {"100.64.0.0/10"}},
      {"multicast", "multicast addresses", {"224.0.0.0/4", "ff00::/8"}},
      {"unique-local", "IPv6 unique local addresses (RFC 4193)", {"fc00::/7"}},
      {"unspecified", "unspecified and broadcast addresses", {"0.0.0.0/32", "255.255.255.255/32", "::/128"}},
  };
  return lists;
}

// The bundled domain lists (data/warninglists/).
constexpr const char* kDomainFiles[] = {"vendor-domains.txt", "danish-public-domains.txt"};

// Adds one value (range, address or domain) to `list`; false when it is neither.
bool AddValue(WarningList& list, std::string_view value) {
  if (auto network = ParseIpNetwork(value)) {
    list.networks.push_back(*network);
    return true;
  }
  const std::string domain = Normalised(ObservableKind::kDomain, value);
  if (!LooksLikeDomain(domain)) return false;
  list.domains.push_back(domain);
  return true;
}

bool Contains(const IpNetwork& outer, const IpNetwork& inner) {
  return outer.address.v6 == inner.address.v6 && inner.prefix >= outer.prefix && NetworkContains(outer, inner.address);
}

std::string NetworkText(const IpNetwork& network) {
  return FormatIp(network.address) + "/" + std::to_string(network.prefix);
}

// --- pattern filtering ------------------------------------------------------

struct Filter {
  const WarningLists& lists;
  std::vector<BenignValue> dropped;

  // True when the comparison matches only benign values (it goes); an IN set loses its benign values.
  bool Comparison(StixComparison& comparison, std::vector<BenignValue>& found) const {
    if (comparison.negated) return false;
    const bool ip = comparison.path.Is("ipv4-addr", {"value"}) || comparison.path.Is("ipv6-addr", {"value"});
    const bool domain = comparison.path.Is("domain-name", {"value"});
    if (!ip && !domain) return false;
    if (comparison.op != StixOperator::kEqual && comparison.op != StixOperator::kIn &&
        !(ip && comparison.op == StixOperator::kIsSubset)) {
      return false;
    }
    std::vector<StixConstant> kept;
    for (StixConstant& value : comparison.values) {
      std::optional<WarningHit> hit;
      if (value.type == StixConstantType::kString) {
        hit = lists.Check(ip ? ObservableKind::kIpv4 : ObservableKind::kDomain, value.text);
      }
      if (hit) {
        found.push_back(BenignValue{value.text, std::move(*hit)});
      } else {
        kept.push_back(std::move(value));
      }
    }
    const bool all = kept.empty() && !comparison.values.empty();
    comparison.values = std::move(kept);
    return all;
  }

  bool Comparisons(StixComparisonExpression& expr, std::vector<BenignValue>& found) const {
    using Kind = StixComparisonExpression::Kind;
    if (expr.kind == Kind::kComparison) {
      const StixComparison original = expr.comparison;
      std::vector<BenignValue> mine;
      const bool benign = Comparison(expr.comparison, mine);
      found.insert(found.end(), mine.begin(), mine.end());
      if (benign) expr.comparison = original;  // the caller drops it whole
      return benign;
    }
    const bool benign = Combine(
        expr.operands, expr.kind == Kind::kOr, found,
        [&](StixComparisonExpression& operand, std::vector<BenignValue>& out) { return Comparisons(operand, out); });
    if (!benign) Collapse(expr);
    return benign;
  }

  bool Observations(StixObservationExpression& expr, std::vector<BenignValue>& found) const {
    using Kind = StixObservationExpression::Kind;
    if (expr.kind == Kind::kObservation) return Comparisons(expr.comparison, found);
    const bool benign = Combine(
        expr.operands, expr.kind == Kind::kOr, found,
        [&](StixObservationExpression& operand, std::vector<BenignValue>& out) { return Observations(operand, out); });
    if (!benign) Collapse(expr);
    return benign;
  }

  // OR: benign operands leave; benign when all are. AND: benign only when
  // every operand is; otherwise every operand stays as it was written
  // (benign ones included) apart from benign values inside non-benign parts.
  template <typename Node, typename Fn>
  static bool Combine(std::vector<Node>& operands, bool is_or, std::vector<BenignValue>& found, Fn&& fn) {
    std::vector<Node> kept;
    std::vector<BenignValue> all_found;
    std::vector<BenignValue> from_kept;
    bool all = true;
    std::vector<Node> originals = operands;
    for (std::size_t idx = 0; idx < operands.size(); ++idx) {
      std::vector<BenignValue> part;
      const bool benign = fn(operands[idx], part);
      all_found.insert(all_found.end(), part.begin(), part.end());
      if (benign) {
        if (!is_or) kept.push_back(std::move(originals[idx]));
      } else {
        all = false;
        from_kept.insert(from_kept.end(), part.begin(), part.end());
        kept.push_back(std::move(operands[idx]));
      }
    }
    if (all) {
      found.insert(found.end(), all_found.begin(), all_found.end());
      return true;
    }
    operands = std::move(kept);
    found.insert(found.end(), (is_or ? all_found : from_kept).begin(), (is_or ? all_found : from_kept).end());
    return false;
  }

  // An AND or OR left with one operand becomes that operand.
  template <typename Node>
  static void Collapse(Node& node) {
    if (node.operands.size() == 1) {
      Node only = std::move(node.operands.front());
      if constexpr (requires { node.qualifiers; }) {
        auto qualifiers = std::move(node.qualifiers);
        node = std::move(only);
        node.qualifiers.insert(node.qualifiers.end(), qualifiers.begin(), qualifiers.end());
      } else {
        node = std::move(only);
      }
    }
  }
};

}  // namespace

Result<WarningList> ParseWarningList(std::string_view text, std::string_view default_name, std::string_view where) {
  WarningList list;
  list.name = std::string(default_name);
  int line_number = 0;
  while (!text.empty()) {
    const auto end = text.find('\n');
    std::string_view line = text.substr(0, end);
    text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
    ++line_number;
    if (const auto hash = line.find('#'); hash != std::string_view::npos) {
      const std::string_view comment = TrimSpace(line.substr(hash + 1));
      if (comment.rfind("name:", 0) == 0) list.name = std::string(TrimSpace(comment.substr(5)));
      if (comment.rfind("description:", 0) == 0) list.description = std::string(TrimSpace(comment.substr(12)));
      line = line.substr(0, hash);
    }
    line = TrimSpace(line);
    if (line.empty()) continue;
    if (!AddValue(list, line)) {
      return Error::Parse(std::string(where) + ":" + std::to_string(line_number) + ": '" + std::string(line) +
                          "' is neither a CIDR range nor a domain");
    }
  }
  return list;
}

Result<WarningList> WarningListFromValues(const std::vector<std::string>& values, std::string name,
                                          std::string description) {
  WarningList list;
  list.name = std::move(name);
  list.description = std::move(description);
  for (const auto& value : values) {
    if (!AddValue(list, TrimSpace(value))) {
      return Error::InvalidArgument(list.name + ": '" + value + "' is neither a CIDR range nor a domain");
    }
  }
  return list;
}

WarningLists WarningLists::BuiltIn() {
  WarningLists lists;
  for (const auto& ranges : AddressLists()) {
    WarningList list;
    list.name = ranges.name;
    list.description = ranges.description;
    for (const char* network : ranges.networks) list.networks.push_back(*ParseIpNetwork(network));
    lists.Add(std::move(list));
  }
  for (const char* file : kDomainFiles) {
    std::string name(file);
    name.resize(name.size() - 4);  // ".txt"
    // The bundled files are checked by the unit tests; a bad line cannot ship.
    if (auto list = ParseWarningList(WarningListFile(file), name, file); list.ok()) lists.Add(std::move(*list));
  }
  return lists;
}

void WarningLists::Add(WarningList list) {
  const std::size_t list_idx = lists_.size();
  for (const auto& domain : list.domains) domain_owner_.emplace(domain, list_idx);
  lists_.push_back(std::move(list));
}

std::optional<WarningHit> WarningLists::CheckIp(const IpNetwork& network) const {
  for (const auto& list : lists_) {
    for (const auto& range : list.networks) {
      if (Contains(range, network)) return WarningHit{list.name, list.description, NetworkText(range)};
    }
  }
  return std::nullopt;
}

std::optional<WarningHit> WarningLists::CheckDomain(std::string_view domain) const {
  const std::string normalised = Normalised(ObservableKind::kDomain, domain);
  std::string_view rest = normalised;
  for (;;) {
    if (const auto it = domain_owner_.find(std::string(rest)); it != domain_owner_.end()) {
      const WarningList& list = lists_[it->second];
      return WarningHit{list.name, list.description, it->first};
    }
    const auto dot = rest.find('.');
    if (dot == std::string_view::npos) return std::nullopt;
    rest.remove_prefix(dot + 1);
  }
}

std::optional<WarningHit> WarningLists::Check(ObservableKind kind, std::string_view value) const {
  switch (kind) {
    case ObservableKind::kIpv4:
    case ObservableKind::kIpv6:
      if (auto network = ParseIpNetwork(TrimSpace(value))) return CheckIp(*network);
      return std::nullopt;
    case ObservableKind::kDomain:
      return CheckDomain(TrimSpace(value));
    default:
      return std::nullopt;
  }
}

Result<PatternFilterResult> FilterPattern(std::string_view pattern, const WarningLists& lists) {
  auto parsed = ParseStixPattern(pattern);
  if (!parsed.ok()) return parsed.error();
  Filter filter{lists, {}};
  PatternFilterResult result;
  result.all_benign = filter.Observations(parsed->root, result.dropped);
  if (result.all_benign) return result;
  result.changed = !result.dropped.empty();
  result.pattern = result.changed ? ToString(*parsed) : std::string(pattern);
  return result;
}

}  // namespace dv
