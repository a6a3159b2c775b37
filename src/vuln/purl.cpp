// SPDX-License-Identifier: Apache-2.0
#include "vuln/purl.h"

#include <vector>

#include "core/text.h"

namespace dv::vuln {
namespace {

Result<std::string> Decode(std::string_view text, std::string_view component) {
  std::string out;
  for (std::size_t pos = 0; pos < text.size(); ++pos) {
    if (text[pos] != '%') {
      out += text[pos];
      continue;
    }
    if (pos + 2 >= text.size() || HexDigitValue(text[pos + 1]) < 0 || HexDigitValue(text[pos + 2]) < 0) {
      return Error::Parse("purl: bad percent-encoding in the " + std::string(component) + " at offset " +
                          std::to_string(pos));
    }
    out += static_cast<char>(HexDigitValue(text[pos + 1]) * 16 + HexDigitValue(text[pos + 2]));
    pos += 2;
  }
  return out;
}

std::string Encode(std::string_view text, bool keep_slash) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    const bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
                       c == '-' || c == '_' || c == '~' || (keep_slash && c == '/');
    if (plain) {
      out += c;
    } else {
      out += '%';
      out += kHex[byte >> 4];
      out += kHex[byte & 0xf];
    }
  }
  return out;
}

bool CaseInsensitiveType(std::string_view type) {
  for (std::string_view known : {"deb", "rpm", "npm", "pypi", "github", "bitbucket", "composer", "apk", "golang"}) {
    if (type == known) return true;
  }
  return false;
}

}  // namespace

std::string Purl::PackageKey() const {
  std::string out = "pkg:" + type + "/";
  if (!namespace_.empty()) out += Encode(namespace_, true) + "/";
  out += Encode(name, false);
  return out;
}

std::string Purl::ToString() const {
  std::string out = PackageKey();
  if (!version.empty()) out += "@" + Encode(version, false);
  char sep = '?';
  for (const auto& [key, value] : qualifiers) {
    out += sep;
    out += key + "=" + Encode(value, true);
    sep = '&';
  }
  if (!subpath.empty()) out += "#" + Encode(subpath, true);
  return out;
}

Result<Purl> ParsePurl(std::string_view text) {
  if (text.size() > 4096) return Error::Parse("purl is longer than 4096 bytes");
  if (!(text.starts_with("pkg:") || text.starts_with("PKG:"))) return Error::Parse("purl must start with 'pkg:'");
  std::string_view rest = text.substr(4);
  while (!rest.empty() && rest.front() == '/') rest.remove_prefix(1);
  Purl purl;
  if (const auto hash = rest.find('#'); hash != std::string_view::npos) {
    auto subpath = Decode(rest.substr(hash + 1), "subpath");
    if (!subpath.ok()) return subpath.error();
    purl.subpath = std::move(*subpath);
    rest = rest.substr(0, hash);
  }
  if (const auto question = rest.find('?'); question != std::string_view::npos) {
    std::string_view query = rest.substr(question + 1);
    rest = rest.substr(0, question);
    while (!query.empty()) {
      const auto amp = query.find('&');
      const std::string_view pair = query.substr(0, amp);
      query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
      if (pair.empty()) continue;
      const auto eq = pair.find('=');
      if (eq == std::string_view::npos || eq == 0) {
        return Error::Parse("purl: qualifier '" + std::string(pair) + "' is not key=value");
      }
      auto value = Decode(pair.substr(eq + 1), "qualifiers");
      if (!value.ok()) return value.error();
      if (!value->empty()) purl.qualifiers[AsciiLower(pair.substr(0, eq))] = std::move(*value);
    }
  }
  if (const auto at = rest.rfind('@'); at != std::string_view::npos) {
    auto version = Decode(rest.substr(at + 1), "version");
    if (!version.ok()) return version.error();
    purl.version = std::move(*version);
    rest = rest.substr(0, at);
  }
  while (!rest.empty() && rest.back() == '/') rest.remove_suffix(1);
  const auto type_end = rest.find('/');
  if (type_end == std::string_view::npos || type_end == 0) return Error::Parse("purl: missing type or name");
  purl.type = AsciiLower(rest.substr(0, type_end));
  for (char c : purl.type) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '+' || c == '-')) {
      return Error::Parse("purl: type '" + purl.type + "' has a character other than letters, digits, '.', '+', '-'");
    }
  }
  rest = rest.substr(type_end + 1);
  std::vector<std::string> segments;
  while (!rest.empty()) {
    const auto slash = rest.find('/');
    const std::string_view segment = rest.substr(0, slash);
    rest = slash == std::string_view::npos ? std::string_view() : rest.substr(slash + 1);
    if (segment.empty()) continue;
    auto decoded = Decode(segment, "path");
    if (!decoded.ok()) return decoded.error();
    segments.push_back(std::move(*decoded));
  }
  if (segments.empty()) return Error::Parse("purl: missing name");
  purl.name = segments.back();
  segments.pop_back();
  for (const std::string& segment : segments) {
    if (!purl.namespace_.empty()) purl.namespace_ += '/';
    purl.namespace_ += segment;
  }
  if (CaseInsensitiveType(purl.type)) {
    purl.namespace_ = AsciiLower(purl.namespace_);
    purl.name = AsciiLower(purl.name);
  }
  if (purl.type == "pypi") {
    for (char& c : purl.name) {
      if (c == '_') c = '-';
    }
  }
  return purl;
}

bool PurlMatches(const Purl& pattern, const Purl& candidate) {
  if (pattern.type != candidate.type || pattern.namespace_ != candidate.namespace_ || pattern.name != candidate.name) {
    return false;
  }
  if (!pattern.version.empty() && pattern.version != candidate.version) return false;
  for (const auto& [key, value] : pattern.qualifiers) {
    const auto found = candidate.qualifiers.find(key);
    if (found == candidate.qualifiers.end() || found->second != value) return false;
  }
  return true;
}

}  // namespace dv::vuln
