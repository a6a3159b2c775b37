// SPDX-License-Identifier: Apache-2.0
#include "register/registration.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <map>
#include <nlohmann/json.hpp>
#include <tuple>

#include "core/text.h"
#include "protect/value.h"

namespace dv::reg {
namespace {

using Json = nlohmann::json;

constexpr int kWidestV4 = 8;
constexpr int kWidestV6 = 16;

// IPv4 space that no member owns on the internet (RFC 6890), checked for
// overlap; the documentation ranges are not here.
constexpr std::array<std::string_view, 11> kNotPublicV4 = {
    "0.0.0.0/8",    "10.0.0.0/8",     "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12",
    "192.0.0.0/24", "192.168.0.0/16", "198.18.0.0/15", "224.0.0.0/4", "240.0.0.0/4",
};
// IPv6: global unicast only (2000::/3), which holds 2001:db8::/32.
constexpr std::string_view kGlobalV6 = "2000::/3";

IpNetwork Known(std::string_view text) { return protect::ParseNetwork(text).value(); }

bool Overlaps(const IpNetwork& a, const IpNetwork& b) {
  return a.address.v6 == b.address.v6 && (protect::NetworkCovers(a, b) || protect::NetworkCovers(b, a));
}

bool NetworkOrder(const IpNetwork& a, const IpNetwork& b) {
  return std::tie(a.address.v6, a.address.bytes, a.prefix) < std::tie(b.address.v6, b.address.bytes, b.prefix);
}
bool NetworkEqual(const IpNetwork& a, const IpNetwork& b) {
  return a.address.v6 == b.address.v6 && a.address.bytes == b.address.bytes && a.prefix == b.prefix;
}

template <class T, class Less, class Equal>
void SortUnique(std::vector<T>& values, Less less, Equal equal) {
  std::sort(values.begin(), values.end(), less);
  values.erase(std::unique(values.begin(), values.end(), equal), values.end());
}

void Finish(Registration& out) {
  SortUnique(out.domains, std::less<>(), std::equal_to<>());
  SortUnique(out.prefixes, NetworkOrder, NetworkEqual);
  SortUnique(out.asns, std::less<>(), std::equal_to<>());
  SortUnique(out.urls, std::less<>(), std::equal_to<>());
}

enum class Field { kDomains, kPrefixes, kAsns, kUrls };

// Adds one textual value of `field` to `out`.
Status AddValue(Field field, std::string_view text, const PublicSuffixList& suffixes, Registration& out) {
  switch (field) {
    case Field::kDomains: {
      auto domain = ValidateDomain(text, suffixes);
      if (!domain.ok()) return domain.error();
      out.domains.push_back(std::move(domain).value());
      return Ok();
    }
    case Field::kPrefixes: {
      auto prefix = ValidatePrefix(text);
      if (!prefix.ok()) return prefix.error();
      out.prefixes.push_back(*prefix);
      return Ok();
    }
    case Field::kAsns: {
      auto asn = ParseAsn(text);
      if (!asn.ok()) return asn.error();
      out.asns.push_back(*asn);
      return Ok();
    }
    case Field::kUrls: {
      auto url = protect::NormaliseUrl(text);
      if (!url.ok()) return url.error();
      out.urls.push_back(std::move(url->text));
      return Ok();
    }
  }
  return Ok();
}

std::optional<Field> FieldNamed(std::string_view name, bool singular) {
  static const std::map<std::string_view, Field> kPlural = {
      {"domains", Field::kDomains}, {"prefixes", Field::kPrefixes}, {"asns", Field::kAsns}, {"urls", Field::kUrls}};
  static const std::map<std::string_view, Field> kSingular = {
      {"domain", Field::kDomains}, {"prefix", Field::kPrefixes}, {"asn", Field::kAsns}, {"url", Field::kUrls}};
  const auto& names = singular ? kSingular : kPlural;
  const auto found = names.find(name);
  if (found == names.end()) return std::nullopt;
  return found->second;
}

// The cells of one CSV line: comma-separated, a cell may be double-quoted
// ("" for a quote). kInvalidArgument for an unterminated quote.
Result<std::vector<std::string>> SplitCsv(std::string_view line) {
  std::vector<std::string> cells;
  std::string cell;
  bool quoted = false;
  bool was_quoted = false;
  for (std::size_t idx = 0; idx < line.size(); ++idx) {
    const char c = line[idx];
    if (quoted) {
      if (c == '"' && idx + 1 < line.size() && line[idx + 1] == '"') {
        cell += '"';
        ++idx;
      } else if (c == '"') {
        quoted = false;
      } else {
        cell += c;
      }
    } else if (c == '"' && TrimSpace(cell).empty() && !was_quoted) {
      quoted = was_quoted = true;
      cell.clear();
    } else if (c == ',') {
      cells.push_back(was_quoted ? cell : std::string(TrimSpace(cell)));
      cell.clear();
      was_quoted = false;
    } else {
      cell += c;
    }
  }
  if (quoted) return Error::InvalidArgument("unterminated quoted cell");
  cells.push_back(was_quoted ? cell : std::string(TrimSpace(cell)));
  return cells;
}

}  // namespace

Result<std::string> ValidateDomain(std::string_view text, const PublicSuffixList& suffixes) {
  if (text.find('.') == std::string_view::npos || text.find('.') + 1 == text.size()) {
    return Error::InvalidArgument("'" + protect::Printable(text, 80) +
                                  "' is a top-level domain, a public suffix; register your own domain below it");
  }
  auto domain = protect::NormaliseDomain(text);
  if (!domain.ok()) return domain.error();
  if (suffixes.IsPublicSuffix(*domain)) {
    return Error::InvalidArgument("'" + *domain +
                                  "' is a public suffix (anyone may register names below it); register your own "
                                  "domain below it instead");
  }
  return domain;
}

Result<IpNetwork> ValidatePrefix(std::string_view text) {
  auto network = protect::ParseNetwork(text);
  if (!network.ok()) return network.error();
  const std::string shown = protect::FormatNetworkWithLength(*network);
  if (network->address.v6) {
    if (network->prefix < kWidestV6) {
      return Error::InvalidArgument("'" + shown + "' is wider than /" + std::to_string(kWidestV6));
    }
    if (!protect::NetworkCovers(Known(kGlobalV6), *network)) {
      return Error::InvalidArgument("'" + shown + "' is not global unicast address space (2000::/3)");
    }
    return network;
  }
  if (network->prefix < kWidestV4) {
    return Error::InvalidArgument("'" + shown + "' is wider than /" + std::to_string(kWidestV4));
  }
  for (const auto reserved : kNotPublicV4) {
    if (Overlaps(Known(reserved), *network)) {
      return Error::InvalidArgument("'" + shown + "' overlaps " + std::string(reserved) +
                                    ", which is not public address space");
    }
  }
  return network;
}

Status ValidateAsn(std::uint64_t asn) {
  if (asn == 0 || asn >= 4294967295ull) return Error::InvalidArgument("an AS number is 1 to 4294967294");
  if (asn == 23456) return Error::InvalidArgument("AS23456 is AS_TRANS, not an AS anyone owns");
  if ((asn >= 64512 && asn <= 65535) || asn >= 4200000000ull) {
    return Error::InvalidArgument("AS" + std::to_string(asn) + " is private or reserved");
  }
  return Ok();
}

Result<std::uint32_t> ParseAsn(std::string_view text) {
  std::string_view digits = text;
  if (digits.size() > 2 && (digits[0] == 'A' || digits[0] == 'a') && (digits[1] == 'S' || digits[1] == 's')) {
    digits.remove_prefix(2);
  }
  std::uint64_t value = 0;
  const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (digits.empty() || error != std::errc() || end != digits.data() + digits.size() ||
      (digits.size() > 1 && digits[0] == '0')) {
    return Error::InvalidArgument("'" + protect::Printable(text, 40) + "' is not an AS number (64500 or AS64500)");
  }
  if (auto status = ValidateAsn(value); !status.ok()) return status.error();
  return static_cast<std::uint32_t>(value);
}

Result<Registration> RegistrationFromJson(const Json& body, const PublicSuffixList& suffixes) {
  if (!body.is_object()) return Error::InvalidArgument("request body: must be a JSON object");
  Registration out;
  // Sizes first: an oversized list is refused before any value is parsed.
  for (const auto& [key, value] : body.items()) {
    if (!FieldNamed(key, false)) {
      return Error::InvalidArgument(key + ": unknown field (domains, prefixes, asns or urls)");
    }
    if (!value.is_array()) return Error::InvalidArgument(key + ": must be an array");
    if (value.size() > kMaxEntries) {
      return Error::InvalidArgument(key + ": at most " + std::to_string(kMaxEntries) + " values");
    }
  }
  for (const auto& [key, value] : body.items()) {
    const Field field = *FieldNamed(key, false);
    for (std::size_t idx = 0; idx < value.size(); ++idx) {
      const std::string where = key + "[" + std::to_string(idx) + "]";
      const Json& item = value[idx];
      if (field == Field::kAsns && item.is_number_integer() && item.get<std::int64_t>() > 0) {
        const auto asn = static_cast<std::uint64_t>(item.get<std::int64_t>());
        if (auto status = ValidateAsn(asn); !status.ok()) return status.error().WithContext(where);
        out.asns.push_back(static_cast<std::uint32_t>(asn));
        continue;
      }
      if (!item.is_string()) {
        return Error::InvalidArgument(where + ": must be a string" +
                                      (field == Field::kAsns ? " (\"AS64500\") or a positive integer" : ""));
      }
      if (auto status = AddValue(field, item.get<std::string>(), suffixes, out); !status.ok()) {
        return status.error().WithContext(where);
      }
    }
  }
  Finish(out);
  return out;
}

Result<Registration> RegistrationFromCsv(std::string_view text, const PublicSuffixList& suffixes) {
  if (text.size() > kMaxCsvBytes) {
    return Error::InvalidArgument("CSV: larger than " + std::to_string(kMaxCsvBytes) + " bytes");
  }
  if (const auto lines = static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
      lines > 4 * kMaxEntries + 1) {
    return Error::InvalidArgument("CSV: more than " + std::to_string(4 * kMaxEntries) + " rows");
  }
  Registration out;
  std::array<std::size_t, 4> counts{};
  std::size_t type_column = 0;
  std::size_t value_column = 0;
  bool header = false;
  std::size_t line_number = 0;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view line = TrimSpace(text.substr(start, end - start));
    start = end + 1;
    ++line_number;
    const std::string where = "line " + std::to_string(line_number);
    if (line.empty()) continue;
    auto cells = SplitCsv(line);
    if (!cells.ok()) return cells.error().WithContext(where);
    if (!header) {
      bool has_type = false;
      bool has_value = false;
      for (std::size_t idx = 0; idx < cells->size(); ++idx) {
        std::string name = (*cells)[idx];
        if (idx == 0 && name.starts_with("\xEF\xBB\xBF")) name.erase(0, 3);  // a spreadsheet's byte-order mark
        if (name == "type") {
          type_column = idx;
          has_type = true;
        } else if (name == "value") {
          value_column = idx;
          has_value = true;
        }
      }
      if (!has_type || !has_value) return Error::InvalidArgument(where + ": the header must name 'type' and 'value'");
      header = true;
      continue;
    }
    if (cells->size() <= std::max(type_column, value_column)) {
      return Error::InvalidArgument(where + ": fewer cells than the header");
    }
    const auto field = FieldNamed((*cells)[type_column], true);
    if (!field) return Error::InvalidArgument(where + ": type must be domain, prefix, asn or url");
    if (++counts[static_cast<std::size_t>(*field)] > kMaxEntries) {
      return Error::InvalidArgument(where + ": at most " + std::to_string(kMaxEntries) + " values of type " +
                                    (*cells)[type_column]);
    }
    if (auto status = AddValue(*field, (*cells)[value_column], suffixes, out); !status.ok()) {
      return status.error().WithContext(where + ": value");
    }
  }
  if (!header) return Error::InvalidArgument("CSV: empty (expected a header 'type,value')");
  Finish(out);
  return out;
}

Json RegistrationJson(const Registration& registration) {
  Json prefixes = Json::array();
  for (const auto& network : registration.prefixes) prefixes.push_back(protect::FormatNetworkWithLength(network));
  return {{"domains", registration.domains},
          {"prefixes", std::move(prefixes)},
          {"asns", registration.asns},
          {"urls", registration.urls}};
}

}  // namespace dv::reg
