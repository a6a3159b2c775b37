// SPDX-License-Identifier: Apache-2.0
#include "posture/records.h"

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include <algorithm>
#include <charconv>
#include <utility>

#include "core/text.h"

namespace dv::posture {
namespace {

constexpr std::size_t kMaxSpfTerms = 200;
constexpr std::size_t kMaxPolicyBytes = 64 * 1024;
constexpr std::size_t kMaxSecurityTxtBytes = 32 * 1024;
constexpr std::int64_t kMaxMtaStsAge = 31557600;

bool StartsWithNoCase(std::string_view text, std::string_view prefix) {
  if (text.size() < prefix.size()) return false;
  for (std::size_t idx = 0; idx < prefix.size(); ++idx) {
    if (AsciiLower(text[idx]) != AsciiLower(prefix[idx])) return false;
  }
  return true;
}

std::string Quote(std::string_view text) {
  constexpr std::size_t kShown = 80;
  std::string out = "'";
  out += text.substr(0, kShown);
  if (text.size() > kShown) out += "…";
  out += "'";
  return out;
}

std::optional<std::int64_t> ParseCount(std::string_view text) {
  if (text.empty() || text.size() > 18) return std::nullopt;
  std::int64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value < 0) return std::nullopt;
  return value;
}

// The lines of a document one at a time, each without its LF or CRLF (the
// last may lack one), numbered from 1 for messages that name the place.
class LineCursor {
 public:
  explicit LineCursor(std::string_view body) : body_(body) {}
  std::optional<std::string_view> Next() {
    if (start_ >= body_.size()) return std::nullopt;
    std::size_t end = body_.find('\n', start_);
    if (end == std::string_view::npos) end = body_.size();
    std::string_view line = body_.substr(start_, end - start_);
    start_ = end + 1;
    ++number_;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    return line;
  }
  std::size_t number() const { return number_; }

 private:
  std::string_view body_;
  std::size_t start_ = 0;
  std::size_t number_ = 0;
};

// A tag=value list (RFC 6376 §3.2, used by DMARC, MTA-STS and TLS-RPT
// records): tags in order, names lower case, values trimmed.
struct Tag {
  std::string name;
  std::string value;
};

Result<std::vector<Tag>> ParseTagList(std::string_view txt, std::string_view what) {
  std::vector<Tag> tags;
  std::size_t start = 0;
  while (start <= txt.size()) {
    std::size_t end = txt.find(';', start);
    if (end == std::string_view::npos) end = txt.size();
    const std::string_view item = TrimSpace(txt.substr(start, end - start));
    start = end + 1;
    if (item.empty()) {
      if (end == txt.size()) break;
      continue;
    }
    const std::size_t equals = item.find('=');
    if (equals == std::string_view::npos) {
      return Error::Parse(std::string(what) + ": " + Quote(item) + " is not a tag=value pair");
    }
    Tag tag{AsciiLower(TrimSpace(item.substr(0, equals))), std::string(TrimSpace(item.substr(equals + 1)))};
    if (tag.name.empty()) return Error::Parse(std::string(what) + ": a value without a tag name");
    for (const Tag& seen : tags) {
      if (seen.name == tag.name) return Error::Parse(std::string(what) + ": tag '" + tag.name + "' is given twice");
    }
    tags.push_back(std::move(tag));
    if (tags.size() > 64) return Error::Parse(std::string(what) + ": more than 64 tags");
  }
  return tags;
}

std::vector<std::string> SplitUris(std::string_view value) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= value.size()) {
    std::size_t end = value.find(',', start);
    if (end == std::string_view::npos) end = value.size();
    const std::string_view uri = TrimSpace(value.substr(start, end - start));
    if (!uri.empty()) out.emplace_back(uri);
    start = end + 1;
  }
  return out;
}

bool IsDmarcPolicy(std::string_view value) { return value == "none" || value == "quarantine" || value == "reject"; }

bool ValidIpv4Network(std::string_view text) {
  const std::size_t slash = text.find('/');
  const std::string_view address = text.substr(0, slash);
  if (slash != std::string_view::npos) {
    const auto length = ParseCount(text.substr(slash + 1));
    if (!length || *length > 32) return false;
  }
  int parts = 0;
  std::size_t start = 0;
  while (start <= address.size()) {
    std::size_t end = address.find('.', start);
    if (end == std::string_view::npos) end = address.size();
    const auto octet = ParseCount(address.substr(start, end - start));
    if (!octet || *octet > 255 || end - start > 3) return false;
    ++parts;
    start = end + 1;
  }
  return parts == 4;
}

bool ValidIpv6Network(std::string_view text) {
  const std::size_t slash = text.find('/');
  const std::string_view address = text.substr(0, slash);
  if (slash != std::string_view::npos) {
    const auto length = ParseCount(text.substr(slash + 1));
    if (!length || *length > 128) return false;
  }
  if (address.size() < 2 || address.size() > 45) return false;
  for (const char c : address) {
    if (!(HexDigitValue(c) >= 0 || c == ':' || c == '.')) return false;
  }
  return address.find(':') != std::string_view::npos;
}

}  // namespace

// ---- SPF --------------------------------------------------------------------

bool IsSpfRecord(std::string_view txt) { return StartsWithNoCase(txt, "v=spf1") && (txt.size() == 6 || txt[6] == ' '); }

std::size_t SpfRecord::LookupTerms() const {
  std::size_t count = 0;
  for (const SpfTerm& term : terms) {
    if (term.kind == SpfTerm::Kind::kMechanism) {
      if (term.name == "include" || term.name == "a" || term.name == "mx" || term.name == "ptr" ||
          term.name == "exists") {
        ++count;
      }
    } else if (term.name == "redirect") {
      ++count;
    }
  }
  return count;
}

std::optional<char> SpfRecord::AllQualifier() const {
  for (const SpfTerm& term : terms) {
    if (term.kind == SpfTerm::Kind::kMechanism && term.name == "all") return term.qualifier;
  }
  return std::nullopt;
}

std::optional<std::string> SpfRecord::Redirect() const {
  for (const SpfTerm& term : terms) {
    if (term.kind == SpfTerm::Kind::kModifier && term.name == "redirect") return term.value;
  }
  return std::nullopt;
}

Result<SpfRecord> ParseSpf(std::string_view txt) {
  if (!IsSpfRecord(txt)) return Error::Parse("SPF: the record does not start with 'v=spf1'");
  SpfRecord record;
  std::size_t pos = 6;
  std::size_t index = 0;
  bool seen_redirect = false;
  bool seen_exp = false;
  while (pos < txt.size()) {
    while (pos < txt.size() && txt[pos] == ' ') ++pos;
    if (pos >= txt.size()) break;
    std::size_t end = txt.find(' ', pos);
    if (end == std::string_view::npos) end = txt.size();
    std::string_view term_text = txt.substr(pos, end - pos);
    pos = end;
    ++index;
    const std::string place = "SPF term " + std::to_string(index) + " " + Quote(term_text);
    if (record.terms.size() >= kMaxSpfTerms) return Error::Parse("SPF: more than 200 terms");

    SpfTerm term;
    const std::size_t equals = term_text.find('=');
    const std::size_t colon = term_text.find_first_of(":/");
    if (equals != std::string_view::npos && (colon == std::string_view::npos || equals < colon)) {
      term.kind = SpfTerm::Kind::kModifier;
      term.name = AsciiLower(term_text.substr(0, equals));
      term.value = std::string(term_text.substr(equals + 1));
      if (term.name.empty()) return Error::Parse(place + ": a modifier without a name");
      for (const char c : term.name) {
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.')) {
          return Error::Parse(place + ": '" + term.name + "' is not a modifier name");
        }
      }
      if (term.name == "redirect" || term.name == "exp") {
        bool& seen = term.name == "redirect" ? seen_redirect : seen_exp;
        if (seen) return Error::Parse(place + ": '" + term.name + "' is given twice (RFC 7208 §6)");
        seen = true;
        if (term.value.empty()) return Error::Parse(place + ": '" + term.name + "' needs a domain");
      }
      record.terms.push_back(std::move(term));
      continue;
    }
    if (term_text.front() == '+' || term_text.front() == '-' || term_text.front() == '~' || term_text.front() == '?') {
      term.qualifier = term_text.front();
      term_text.remove_prefix(1);
    }
    const std::size_t split = term_text.find_first_of(":/");
    term.name = AsciiLower(term_text.substr(0, split));
    if (split != std::string_view::npos) {
      term.value = std::string(term_text.substr(term_text[split] == ':' ? split + 1 : split));
    }
    const bool has_value = split != std::string_view::npos && term_text[split] == ':';
    if (term.name == "all") {
      if (split != std::string_view::npos) return Error::Parse(place + ": 'all' takes no argument");
    } else if (term.name == "include" || term.name == "exists") {
      if (!has_value || term.value.empty()) return Error::Parse(place + ": '" + term.name + "' needs a domain");
    } else if (term.name == "ip4") {
      if (!has_value || !ValidIpv4Network(term.value)) {
        return Error::Parse(place + ": not an IPv4 address or network");
      }
    } else if (term.name == "ip6") {
      if (!has_value || !ValidIpv6Network(term.value)) {
        return Error::Parse(place + ": not an IPv6 address or network");
      }
    } else if (term.name == "a" || term.name == "mx" || term.name == "ptr") {
      if (has_value && term.value.empty()) return Error::Parse(place + ": an empty domain after ':'");
    } else {
      return Error::Parse(place + ": '" + term.name + "' is not an SPF mechanism");
    }
    record.terms.push_back(std::move(term));
  }
  return record;
}

// ---- DMARC ------------------------------------------------------------------

bool IsDmarcRecord(std::string_view txt) {
  const std::string_view trimmed = TrimSpace(txt);
  if (!trimmed.starts_with("v")) return false;
  const std::string_view rest = TrimSpace(trimmed.substr(1));
  if (!rest.starts_with("=")) return false;
  const std::string_view value = TrimSpace(rest.substr(1));
  return value.starts_with("DMARC1") && (value.size() == 6 || value[6] == ';' || value[6] == ' ');
}

Result<DmarcRecord> ParseDmarc(std::string_view txt) {
  auto tags = ParseTagList(txt, "DMARC");
  if (!tags.ok()) return tags.error();
  if (tags->empty() || (*tags)[0].name != "v" || (*tags)[0].value != "DMARC1") {
    return Error::Parse("DMARC: the record does not start with 'v=DMARC1'");
  }
  DmarcRecord record;
  bool have_p = false;
  for (const Tag& tag : *tags) {
    const std::string value = AsciiLower(tag.value);
    if (tag.name == "p" || tag.name == "sp" || tag.name == "np") {
      if (!IsDmarcPolicy(value)) {
        return Error::Parse("DMARC: " + tag.name + "=" + Quote(tag.value) + " is not none, quarantine or reject");
      }
      (tag.name == "p" ? record.p : tag.name == "sp" ? record.sp : record.np) = value;
      have_p = have_p || tag.name == "p";
    } else if (tag.name == "pct") {
      const auto pct = ParseCount(tag.value);
      if (!pct || *pct > 100) return Error::Parse("DMARC: pct=" + Quote(tag.value) + " is not a whole number 0–100");
      record.pct = static_cast<int>(*pct);
      record.pct_given = true;
    } else if (tag.name == "adkim" || tag.name == "aspf") {
      if (value != "r" && value != "s") return Error::Parse("DMARC: " + tag.name + " must be r or s");
      (tag.name == "adkim" ? record.adkim : record.aspf) = value;
    } else if (tag.name == "rua" || tag.name == "ruf") {
      std::vector<std::string> uris = SplitUris(tag.value);
      for (std::string& uri : uris) {
        const std::size_t bang = uri.find('!');
        if (bang != std::string::npos) uri.resize(bang);
      }
      (tag.name == "rua" ? record.rua : record.ruf) = std::move(uris);
    } else if (tag.name == "psd") {
      if (value != "y" && value != "n" && value != "u") return Error::Parse("DMARC: psd must be y, n or u");
      record.psd = value;
    } else if (tag.name == "t") {
      if (value != "y" && value != "n") return Error::Parse("DMARC: t must be y or n");
      record.t = value;
    }
  }
  if (!have_p) return Error::Parse("DMARC: the record has no p= policy (RFC 7489 §6.3: required)");
  return record;
}

std::optional<std::string> MailtoDomain(std::string_view uri) {
  if (!StartsWithNoCase(uri, "mailto:")) return std::nullopt;
  std::string_view address = uri.substr(7);
  const std::size_t bang = address.find('!');
  if (bang != std::string_view::npos) address = address.substr(0, bang);
  const std::size_t at = address.rfind('@');
  if (at == std::string_view::npos || at + 1 >= address.size()) return std::nullopt;
  std::string domain = AsciiLower(address.substr(at + 1));
  while (!domain.empty() && domain.back() == '.') domain.pop_back();
  if (domain.empty()) return std::nullopt;
  return domain;
}

// ---- MTA-STS and TLS-RPT --------------------------------------------------------

bool IsMtaStsRecord(std::string_view txt) { return StartsWithNoCase(TrimSpace(txt), "v=STSv1"); }

Result<MtaStsTxt> ParseMtaStsTxt(std::string_view txt) {
  auto tags = ParseTagList(txt, "MTA-STS record");
  if (!tags.ok()) return tags.error();
  if (tags->empty() || (*tags)[0].name != "v" || (*tags)[0].value != "STSv1") {
    return Error::Parse("MTA-STS record: does not start with 'v=STSv1'");
  }
  MtaStsTxt record;
  for (const Tag& tag : *tags) {
    if (tag.name != "id") continue;
    if (tag.value.empty() || tag.value.size() > 32) return Error::Parse("MTA-STS record: id must be 1–32 characters");
    for (const char c : tag.value) {
      if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))) {
        return Error::Parse("MTA-STS record: id " + Quote(tag.value) +
                            " holds a character other than a letter or digit");
      }
    }
    record.id = tag.value;
  }
  if (record.id.empty()) return Error::Parse("MTA-STS record: no id (RFC 8461 §3.1: required)");
  return record;
}

Result<MtaStsPolicy> ParseMtaStsPolicy(std::string_view body) {
  if (body.size() > kMaxPolicyBytes) return Error::Parse("MTA-STS policy: larger than 64 KiB (RFC 8461 §3.3)");
  MtaStsPolicy policy;
  bool have_version = false;
  bool have_mode = false;
  bool have_age = false;
  LineCursor lines(body);
  while (const auto next = lines.Next()) {
    std::string_view line = *next;
    if (TrimSpace(line).empty()) continue;
    const std::string place = "MTA-STS policy line " + std::to_string(lines.number());
    const std::size_t colon = line.find(':');
    if (colon == std::string_view::npos) return Error::Parse(place + ": " + Quote(line) + " is not 'key: value'");
    const std::string key = AsciiLower(TrimSpace(line.substr(0, colon)));
    const std::string_view value = TrimSpace(line.substr(colon + 1));
    if (key == "version") {
      if (have_version) return Error::Parse(place + ": a second version");
      if (value != "STSv1") return Error::Parse(place + ": version " + Quote(value) + " is not STSv1");
      have_version = true;
    } else if (key == "mode") {
      if (have_mode) return Error::Parse(place + ": a second mode");
      if (value != "enforce" && value != "testing" && value != "none") {
        return Error::Parse(place + ": mode " + Quote(value) + " is not enforce, testing or none");
      }
      policy.mode = std::string(value);
      have_mode = true;
    } else if (key == "max_age") {
      if (have_age) return Error::Parse(place + ": a second max_age");
      const auto age = ParseCount(value);
      if (!age || *age > kMaxMtaStsAge) {
        return Error::Parse(place + ": max_age " + Quote(value) + " is not a number of seconds up to 31557600");
      }
      policy.max_age = *age;
      have_age = true;
    } else if (key == "mx") {
      if (value.empty()) return Error::Parse(place + ": an empty mx");
      if (policy.mx.size() >= 100) return Error::Parse(place + ": more than 100 mx patterns");
      std::string pattern = AsciiLower(value);
      while (!pattern.empty() && pattern.back() == '.') pattern.pop_back();
      policy.mx.push_back(std::move(pattern));
    }
    // Other keys are extensions (§3.2) and ignored.
  }
  if (!have_version) return Error::Parse("MTA-STS policy: no 'version: STSv1' line");
  if (!have_mode) return Error::Parse("MTA-STS policy: no mode line");
  if (!have_age) return Error::Parse("MTA-STS policy: no max_age line");
  if (policy.mx.empty() && policy.mode != "none") return Error::Parse("MTA-STS policy: no mx line");
  return policy;
}

bool MtaStsMxMatches(std::string_view pattern, std::string_view host) {
  std::string name = AsciiLower(host);
  while (!name.empty() && name.back() == '.') name.pop_back();
  std::string want = AsciiLower(pattern);
  while (!want.empty() && want.back() == '.') want.pop_back();
  if (want.starts_with("*.")) {
    const std::size_t dot = name.find('.');
    return dot != std::string::npos && dot > 0 &&
           std::string_view(name).substr(dot + 1) == std::string_view(want).substr(2);
  }
  return !name.empty() && name == want;
}

bool IsTlsRptRecord(std::string_view txt) { return StartsWithNoCase(TrimSpace(txt), "v=TLSRPTv1"); }

Result<TlsRptRecord> ParseTlsRpt(std::string_view txt) {
  auto tags = ParseTagList(txt, "TLS-RPT record");
  if (!tags.ok()) return tags.error();
  if (tags->empty() || (*tags)[0].name != "v" || (*tags)[0].value != "TLSRPTv1") {
    return Error::Parse("TLS-RPT record: does not start with 'v=TLSRPTv1'");
  }
  TlsRptRecord record;
  for (const Tag& tag : *tags) {
    if (tag.name != "rua") continue;
    for (std::string& uri : SplitUris(tag.value)) {
      if (!StartsWithNoCase(uri, "mailto:") && !StartsWithNoCase(uri, "https:")) {
        return Error::Parse("TLS-RPT record: rua " + Quote(uri) + " is neither mailto: nor https:");
      }
      record.rua.push_back(std::move(uri));
    }
  }
  if (record.rua.empty()) return Error::Parse("TLS-RPT record: no rua (RFC 8460 §3: required)");
  return record;
}

// ---- DKIM -------------------------------------------------------------------------

Result<DkimKey> ParseDkimKey(std::string_view txt) {
  constexpr std::size_t kMaxKeyBytes = 8 * 1024;
  auto tags = ParseTagList(txt, "DKIM key");
  if (!tags.ok()) return tags.error();
  DkimKey key;
  bool have_key = false;
  for (std::size_t index = 0; index < tags->size(); ++index) {
    const Tag& tag = (*tags)[index];
    if (tag.name == "v") {
      if (index != 0 || tag.value != "DKIM1") return Error::Parse("DKIM key: v= must come first and be DKIM1");
    } else if (tag.name == "k") {
      key.key_type = AsciiLower(tag.value);
      if (key.key_type != "rsa" && key.key_type != "ed25519") {
        return Error::Parse("DKIM key: k=" + Quote(tag.value) + " is not rsa or ed25519");
      }
    } else if (tag.name == "h") {
      for (const std::string& algorithm : SplitUris(std::string_view(tag.value))) {
        key.hash_algorithms.push_back(AsciiLower(algorithm));
      }
    } else if (tag.name == "t") {
      for (const std::string& flag : SplitUris(std::string_view(tag.value))) {
        // t= flags are separated by ':' (RFC 6376 §3.6.1); split by hand.
        std::size_t start = 0;
        while (start <= flag.size()) {
          std::size_t end = flag.find(':', start);
          if (end == std::string::npos) end = flag.size();
          if (AsciiLower(TrimSpace(std::string_view(flag).substr(start, end - start))) == "y") key.testing = true;
          start = end + 1;
        }
      }
    } else if (tag.name == "p") {
      have_key = true;
      std::string compact;
      for (const char c : tag.value) {
        if (c != ' ' && c != '\t' && c != '\r' && c != '\n') compact.push_back(c);
      }
      if (compact.size() > kMaxKeyBytes * 4 / 3 + 4) return Error::Parse("DKIM key: p= is longer than 8 KiB");
      if (compact.size() % 4 != 0) return Error::Parse("DKIM key: p= is not base64");
      std::uint32_t group = 0;
      int bits = 0;
      std::size_t padding = 0;
      for (const char c : compact) {
        int value = -1;
        if (c >= 'A' && c <= 'Z') value = c - 'A';
        if (c >= 'a' && c <= 'z') value = c - 'a' + 26;
        if (c >= '0' && c <= '9') value = c - '0' + 52;
        if (c == '+') value = 62;
        if (c == '/') value = 63;
        if (c == '=') {
          ++padding;
          continue;
        }
        if (value < 0 || padding > 0) return Error::Parse("DKIM key: p= is not base64");
        group = group << 6 | static_cast<std::uint32_t>(value);
        bits += 6;
        if (bits >= 8) {
          bits -= 8;
          key.public_key.push_back(static_cast<unsigned char>(group >> bits & 0xff));
        }
      }
      if (padding > 2) return Error::Parse("DKIM key: p= is not base64");
    }
  }
  if (!have_key) return Error::Parse("DKIM key: no p= tag");
  return key;
}

Result<int> DkimKeyBits(const DkimKey& key) {
  if (key.revoked()) return Error::Parse("DKIM key: revoked (empty p=)");
  if (key.key_type == "ed25519") {
    if (key.public_key.size() != 32) return Error::Parse("DKIM key: an ed25519 key must be 32 bytes");
    return 256;
  }
  const unsigned char* data = key.public_key.data();
  EVP_PKEY* parsed = d2i_PUBKEY(nullptr, &data, static_cast<long>(key.public_key.size()));
  if (parsed == nullptr) {
    ERR_clear_error();
    return Error::Parse("DKIM key: p= is not a public key (SubjectPublicKeyInfo)");
  }
  const int bits = EVP_PKEY_get_bits(parsed);
  const bool rsa = EVP_PKEY_get_base_id(parsed) == EVP_PKEY_RSA;
  EVP_PKEY_free(parsed);
  if (!rsa) return Error::Parse("DKIM key: k=rsa, but p= is not an RSA key");
  return bits;
}

Result<std::vector<std::string>> ParseDkimSelectors(std::string_view text) {
  constexpr std::size_t kMaxSelectors = 20;
  std::vector<std::string> out;
  for (std::string_view rest = text; !rest.empty();) {
    const std::size_t comma = rest.find(',');
    const std::string selector = AsciiLower(TrimSpace(rest.substr(0, comma)));
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    bool valid = !selector.empty() && selector.size() <= 200 && selector.front() != '.' && selector.back() != '.' &&
                 selector.find("..") == std::string::npos;
    for (const char c : selector) {
      valid = valid && ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.');
    }
    if (!valid) return Error::InvalidArgument("'" + selector.substr(0, 64) + "' is not a DKIM selector");
    if (std::find(out.begin(), out.end(), selector) == out.end()) out.push_back(selector);
    if (out.size() > kMaxSelectors) return Error::InvalidArgument("more than 20 DKIM selectors");
  }
  if (out.empty()) return Error::InvalidArgument("no DKIM selector given");
  return out;
}

// ---- TLSA -------------------------------------------------------------------------

Result<TlsaRecord> ParseTlsa(std::string_view presentation) {
  TlsaRecord record;
  std::string_view rest = TrimSpace(presentation);
  int* fields[] = {&record.usage, &record.selector, &record.matching};
  const char* names[] = {"usage", "selector", "matching type"};
  for (std::size_t idx = 0; idx < 3; ++idx) {
    const std::size_t space = rest.find_first_of(" \t");
    const auto number = ParseCount(rest.substr(0, space));
    if (!number || *number > 255) return Error::Parse(std::string("TLSA: ") + names[idx] + " is not a number 0–255");
    *fields[idx] = static_cast<int>(*number);
    if (space == std::string_view::npos) return Error::Parse("TLSA: no certificate association data");
    rest = TrimSpace(rest.substr(space));
  }
  int high = -1;
  for (const char c : rest) {
    if (c == ' ' || c == '\t') continue;
    const int digit = HexDigitValue(c);
    if (digit < 0) return Error::Parse("TLSA: the association data is not hexadecimal");
    if (high < 0) {
      high = digit;
    } else {
      record.data.push_back(static_cast<unsigned char>(high * 16 + digit));
      high = -1;
    }
  }
  if (high >= 0) return Error::Parse("TLSA: the association data has an odd number of hex digits");
  if (record.data.empty()) return Error::Parse("TLSA: no certificate association data");
  if (record.matching == 1 && record.data.size() != 32) return Error::Parse("TLSA: a SHA-256 digest must be 32 bytes");
  if (record.matching == 2 && record.data.size() != 64) return Error::Parse("TLSA: a SHA-512 digest must be 64 bytes");
  return record;
}

// ---- HSTS and security.txt ------------------------------------------------------------

Result<HstsPolicy> ParseHsts(std::string_view header) {
  HstsPolicy policy;
  bool have_age = false;
  std::vector<std::string> seen;
  std::size_t start = 0;
  while (start <= header.size()) {
    std::size_t end = header.find(';', start);
    if (end == std::string_view::npos) end = header.size();
    const std::string_view directive = TrimSpace(header.substr(start, end - start));
    start = end + 1;
    if (directive.empty()) continue;
    const std::size_t equals = directive.find('=');
    const std::string name = AsciiLower(TrimSpace(directive.substr(0, equals)));
    for (const std::string& other : seen) {
      if (other == name) return Error::Parse("HSTS: directive '" + name + "' is given twice (RFC 6797 §6.1)");
    }
    seen.push_back(name);
    if (name == "max-age") {
      if (equals == std::string_view::npos) return Error::Parse("HSTS: max-age without a value");
      std::string_view value = TrimSpace(directive.substr(equals + 1));
      if (value.size() >= 2 && value.front() == '"' && value.back() == '"') value = value.substr(1, value.size() - 2);
      const auto age = ParseCount(value);
      if (!age) return Error::Parse("HSTS: max-age " + Quote(value) + " is not a number of seconds");
      policy.max_age = *age;
      have_age = true;
    } else if (name == "includesubdomains") {
      policy.include_subdomains = true;
    } else if (name == "preload") {
      policy.preload = true;
    }
  }
  if (!have_age) return Error::Parse("HSTS: no max-age (RFC 6797 §6.1.1: required)");
  return policy;
}

Result<SecurityTxt> ParseSecurityTxt(std::string_view body) {
  if (body.size() > kMaxSecurityTxtBytes) return Error::Parse("security.txt: larger than 32 KiB");
  SecurityTxt file;
  bool in_signed_header = false;
  bool after_signature = false;
  bool have_languages = false;
  LineCursor lines(body);
  while (const auto next = lines.Next()) {
    std::string_view line = *next;
    const std::string place = "security.txt line " + std::to_string(lines.number());
    if (line == "-----BEGIN PGP SIGNED MESSAGE-----") {
      file.signed_ = true;
      in_signed_header = true;
      continue;
    }
    if (in_signed_header) {
      if (line.empty()) in_signed_header = false;
      continue;
    }
    if (line == "-----BEGIN PGP SIGNATURE-----") {
      after_signature = true;
      continue;
    }
    if (after_signature) continue;
    if (file.signed_ && line.starts_with("- ")) line.remove_prefix(2);  // dash-escaped (RFC 4880 §7.1)
    const std::string_view trimmed = TrimSpace(line);
    if (trimmed.empty() || trimmed.front() == '#') continue;
    const std::size_t colon = trimmed.find(':');
    if (colon == std::string_view::npos || colon == 0) {
      return Error::Parse(place + ": " + Quote(trimmed) + " is neither a field nor a comment");
    }
    const std::string name = AsciiLower(trimmed.substr(0, colon));
    const std::string value(TrimSpace(trimmed.substr(colon + 1)));
    if (name == "contact") {
      file.contact.push_back(value);
    } else if (name == "expires") {
      if (file.expires) return Error::Parse(place + ": a second Expires (RFC 9116 §2.5.5: exactly once)");
      auto at = Timestamp::Parse(value);
      if (!at.ok()) return Error::Parse(place + ": Expires " + Quote(value) + " is not an RFC 3339 date-time");
      file.expires = *at;
    } else if (name == "encryption") {
      file.encryption.push_back(value);
    } else if (name == "policy") {
      file.policy.push_back(value);
    } else if (name == "canonical") {
      file.canonical.push_back(value);
    } else if (name == "preferred-languages") {
      if (have_languages) return Error::Parse(place + ": a second Preferred-Languages (RFC 9116 §2.5.8)");
      have_languages = true;
      for (std::string& language : SplitUris(value)) file.preferred_languages.push_back(std::move(language));
    }
    if (file.contact.size() + file.encryption.size() + file.policy.size() + file.canonical.size() > 200) {
      return Error::Parse(place + ": more than 200 fields");
    }
  }
  return file;
}

}  // namespace dv::posture
