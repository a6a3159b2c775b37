// SPDX-License-Identifier: Apache-2.0
#include "vuln/version.h"

#include <string>
#include <vector>

#include "core/text.h"

namespace dv::vuln {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

int Sign(int value) { return value < 0 ? -1 : (value > 0 ? 1 : 0); }

// Compares two digit strings numerically without overflow.
int CompareDigits(std::string_view a, std::string_view b) {
  while (!a.empty() && a.front() == '0') a.remove_prefix(1);
  while (!b.empty() && b.front() == '0') b.remove_prefix(1);
  if (a.size() != b.size()) return a.size() < b.size() ? -1 : 1;
  const int cmp = a.compare(b);
  return Sign(cmp);
}

// ---- generic ----

struct Token {
  bool numeric;
  std::string_view text;
};

std::vector<Token> Tokenize(std::string_view text) {
  std::vector<Token> tokens;
  std::size_t pos = 0;
  if (text.size() > 1 && (text[0] == 'v' || text[0] == 'V') && IsDigit(text[1])) pos = 1;
  while (pos < text.size()) {
    const char c = text[pos];
    if (IsDigit(c)) {
      const std::size_t start = pos;
      while (pos < text.size() && IsDigit(text[pos])) ++pos;
      tokens.push_back({true, text.substr(start, pos - start)});
    } else if (IsAlpha(c)) {
      const std::size_t start = pos;
      while (pos < text.size() && IsAlpha(text[pos])) ++pos;
      tokens.push_back({false, text.substr(start, pos - start)});
    } else {
      ++pos;  // separators: . - _ + ~ space and anything else
    }
  }
  return tokens;
}

// Rank of a word: negative for pre-release words (lower than the release),
// positive for post-release words.
int WordRank(std::string_view word) {
  const std::string lower = AsciiLower(word);
  if (lower == "dev" || lower == "snapshot") return -6;
  if (lower == "a" || lower == "alpha") return -5;
  if (lower == "b" || lower == "beta") return -4;
  if (lower == "m" || lower == "milestone") return -3;
  if (lower == "pre" || lower == "preview") return -2;
  if (lower == "rc" || lower == "cr") return -1;
  return 1;
}

int CompareGeneric(std::string_view a, std::string_view b) {
  const auto left = Tokenize(a);
  const auto right = Tokenize(b);
  const std::size_t common = std::min(left.size(), right.size());
  for (std::size_t token_idx = 0; token_idx < common; ++token_idx) {
    const Token& l = left[token_idx];
    const Token& r = right[token_idx];
    if (l.numeric && r.numeric) {
      const int cmp = CompareDigits(l.text, r.text);
      if (cmp != 0) return cmp;
    } else if (!l.numeric && !r.numeric) {
      const int l_rank = WordRank(l.text);
      const int r_rank = WordRank(r.text);
      if (l_rank != r_rank) return l_rank < r_rank ? -1 : 1;
      const int cmp = Sign(AsciiLower(l.text).compare(AsciiLower(r.text)));
      if (cmp != 0) return cmp;
    } else {
      // A word against a number: pre-release words are lower, others higher than nothing but
      // lower than a further number ("1.0patch1" < "1.0.1").
      return l.numeric ? 1 : -1;
    }
  }
  // One ran out: the rest decides. Trailing zeros are insignificant, a trailing
  // pre-release word makes the longer one lower.
  const auto& longer = left.size() > right.size() ? left : right;
  const int longer_sign = left.size() > right.size() ? 1 : -1;
  for (std::size_t token_idx = common; token_idx < longer.size(); ++token_idx) {
    const Token& token = longer[token_idx];
    if (token.numeric) {
      if (CompareDigits(token.text, "0") != 0) return longer_sign;
      continue;
    }
    return WordRank(token.text) < 0 ? -longer_sign : longer_sign;
  }
  if (left.size() != right.size()) return 0;
  return 0;
}

// ---- semver ----

struct Semver {
  std::string_view core[3];
  std::string_view pre;
};

bool IsNumeric(std::string_view text) {
  if (text.empty()) return false;
  for (char c : text) {
    if (!IsDigit(c)) return false;
  }
  return true;
}

std::optional<Semver> ParseSemver(std::string_view text) {
  if (!text.empty() && (text.front() == 'v' || text.front() == 'V')) text.remove_prefix(1);
  if (const auto plus = text.find('+'); plus != std::string_view::npos) text = text.substr(0, plus);
  Semver semver;
  if (const auto dash = text.find('-'); dash != std::string_view::npos) {
    semver.pre = text.substr(dash + 1);
    if (semver.pre.empty()) return std::nullopt;
    text = text.substr(0, dash);
  }
  for (int part_idx = 0; part_idx < 3; ++part_idx) {
    const auto dot = text.find('.');
    const std::string_view part = part_idx < 2 ? text.substr(0, dot) : text;
    if (!IsNumeric(part)) return std::nullopt;
    semver.core[part_idx] = part;
    if (part_idx < 2) {
      if (dot == std::string_view::npos) return std::nullopt;
      text = text.substr(dot + 1);
    }
  }
  return semver;
}

int CompareSemver(std::string_view a, std::string_view b) {
  const auto left = ParseSemver(a);
  const auto right = ParseSemver(b);
  if (!left || !right) return CompareGeneric(a, b);
  for (int part_idx = 0; part_idx < 3; ++part_idx) {
    const int cmp = CompareDigits(left->core[part_idx], right->core[part_idx]);
    if (cmp != 0) return cmp;
  }
  if (left->pre.empty() || right->pre.empty()) {
    if (left->pre.empty() && right->pre.empty()) return 0;
    return left->pre.empty() ? 1 : -1;
  }
  std::string_view l = left->pre;
  std::string_view r = right->pre;
  while (true) {
    if (l.empty() || r.empty()) return l.empty() == r.empty() ? 0 : (l.empty() ? -1 : 1);
    const auto l_dot = l.find('.');
    const auto r_dot = r.find('.');
    const std::string_view l_id = l.substr(0, l_dot);
    const std::string_view r_id = r.substr(0, r_dot);
    const bool l_num = IsNumeric(l_id);
    const bool r_num = IsNumeric(r_id);
    int cmp = 0;
    if (l_num && r_num)
      cmp = CompareDigits(l_id, r_id);
    else if (l_num != r_num)
      cmp = l_num ? -1 : 1;
    else
      cmp = Sign(l_id.compare(r_id));
    if (cmp != 0) return cmp;
    l = l_dot == std::string_view::npos ? std::string_view() : l.substr(l_dot + 1);
    r = r_dot == std::string_view::npos ? std::string_view() : r.substr(r_dot + 1);
    if (l_dot == std::string_view::npos || r_dot == std::string_view::npos) {
      if (l_dot == r_dot) return 0;
      return l_dot == std::string_view::npos ? -1 : 1;
    }
  }
}

// ---- epoch helpers ----

struct EpochSplit {
  std::string_view epoch;
  std::string_view rest;
};
EpochSplit SplitEpoch(std::string_view text) {
  const auto colon = text.find(':');
  if (colon != std::string_view::npos && IsNumeric(text.substr(0, colon)))
    return {text.substr(0, colon), text.substr(colon + 1)};
  return {"0", text};
}

// ---- rpm ----

bool IsRpmAlnum(char c) { return IsDigit(c) || IsAlpha(c); }

int RpmSegmentCompare(std::string_view one, std::string_view two) {
  if (one == two) return 0;
  std::size_t i = 0;
  std::size_t j = 0;
  while (i < one.size() || j < two.size()) {
    while (i < one.size() && !IsRpmAlnum(one[i]) && one[i] != '~' && one[i] != '^') ++i;
    while (j < two.size() && !IsRpmAlnum(two[j]) && two[j] != '~' && two[j] != '^') ++j;
    const bool one_tilde = i < one.size() && one[i] == '~';
    const bool two_tilde = j < two.size() && two[j] == '~';
    if (one_tilde || two_tilde) {
      if (!one_tilde) return 1;
      if (!two_tilde) return -1;
      ++i;
      ++j;
      continue;
    }
    const bool one_caret = i < one.size() && one[i] == '^';
    const bool two_caret = j < two.size() && two[j] == '^';
    if (one_caret || two_caret) {
      if (i >= one.size()) return -1;
      if (j >= two.size()) return 1;
      if (!one_caret) return 1;
      if (!two_caret) return -1;
      ++i;
      ++j;
      continue;
    }
    if (i >= one.size() || j >= two.size()) break;
    const bool numeric = IsDigit(one[i]);
    std::size_t i_end = i;
    std::size_t j_end = j;
    if (numeric) {
      while (i_end < one.size() && IsDigit(one[i_end])) ++i_end;
      while (j_end < two.size() && IsDigit(two[j_end])) ++j_end;
    } else {
      while (i_end < one.size() && IsAlpha(one[i_end])) ++i_end;
      while (j_end < two.size() && IsAlpha(two[j_end])) ++j_end;
    }
    if (j_end == j) return numeric ? 1 : -1;  // different segment types: numeric is newer
    const std::string_view seg_one = one.substr(i, i_end - i);
    const std::string_view seg_two = two.substr(j, j_end - j);
    const int cmp = numeric ? CompareDigits(seg_one, seg_two) : Sign(seg_one.compare(seg_two));
    if (cmp != 0) return cmp;
    i = i_end;
    j = j_end;
  }
  if (i >= one.size() && j >= two.size()) return 0;
  return i < one.size() ? 1 : -1;
}

int CompareRpm(std::string_view a, std::string_view b) {
  const auto left = SplitEpoch(a);
  const auto right = SplitEpoch(b);
  if (const int cmp = CompareDigits(left.epoch, right.epoch); cmp != 0) return cmp;
  const auto l_dash = left.rest.rfind('-');
  const auto r_dash = right.rest.rfind('-');
  const std::string_view l_version = left.rest.substr(0, l_dash);
  const std::string_view r_version = right.rest.substr(0, r_dash);
  if (const int cmp = RpmSegmentCompare(l_version, r_version); cmp != 0) return cmp;
  // A missing release on either side matches any release.
  if (l_dash == std::string_view::npos || r_dash == std::string_view::npos) return 0;
  return RpmSegmentCompare(left.rest.substr(l_dash + 1), right.rest.substr(r_dash + 1));
}

// ---- debian ----

int DebOrder(std::string_view text, std::size_t pos) {
  if (pos >= text.size()) return 0;
  const char c = text[pos];
  if (IsDigit(c)) return 0;
  if (IsAlpha(c)) return static_cast<unsigned char>(c);
  if (c == '~') return -1;
  return static_cast<unsigned char>(c) + 256;
}

int DebPartCompare(std::string_view a, std::string_view b) {
  std::size_t i = 0;
  std::size_t j = 0;
  while (i < a.size() || j < b.size()) {
    while ((i < a.size() && !IsDigit(a[i])) || (j < b.size() && !IsDigit(b[j]))) {
      const int a_order = DebOrder(a, i);
      const int b_order = DebOrder(b, j);
      if (a_order != b_order) return a_order < b_order ? -1 : 1;
      if (i < a.size()) ++i;
      if (j < b.size()) ++j;
    }
    std::size_t i_end = i;
    std::size_t j_end = j;
    while (i_end < a.size() && IsDigit(a[i_end])) ++i_end;
    while (j_end < b.size() && IsDigit(b[j_end])) ++j_end;
    const int cmp = CompareDigits(a.substr(i, i_end - i), b.substr(j, j_end - j));
    if (cmp != 0) return cmp;
    i = i_end;
    j = j_end;
  }
  return 0;
}

int CompareDebian(std::string_view a, std::string_view b) {
  const auto left = SplitEpoch(a);
  const auto right = SplitEpoch(b);
  if (const int cmp = CompareDigits(left.epoch, right.epoch); cmp != 0) return cmp;
  const auto l_dash = left.rest.rfind('-');
  const auto r_dash = right.rest.rfind('-');
  const std::string_view l_upstream = left.rest.substr(0, l_dash);
  const std::string_view r_upstream = right.rest.substr(0, r_dash);
  if (const int cmp = DebPartCompare(l_upstream, r_upstream); cmp != 0) return cmp;
  const std::string_view l_rev = l_dash == std::string_view::npos ? std::string_view() : left.rest.substr(l_dash + 1);
  const std::string_view r_rev = r_dash == std::string_view::npos ? std::string_view() : right.rest.substr(r_dash + 1);
  return DebPartCompare(l_rev, r_rev);
}

// ---- free text ----

std::vector<std::string> Words(std::string_view text) {
  std::vector<std::string> words;
  std::string current;
  for (char c : text) {
    if (c == ' ' || c == '\t' || c == ',' || c == '\n') {
      if (!current.empty()) words.push_back(std::move(current));
      current.clear();
    } else {
      current += AsciiLower(c);
    }
  }
  if (!current.empty()) words.push_back(std::move(current));
  return words;
}

std::optional<VersionRange> ParseVers(std::string_view text) {
  // vers:<scheme>/<constraint>|<constraint>...
  const auto slash = text.find('/');
  if (slash == std::string_view::npos) return std::nullopt;
  VersionRange range;
  range.scheme = VersionSchemeFromName(text.substr(5, slash - 5));
  std::string_view rest = text.substr(slash + 1);
  if (TrimSpace(rest) == "*") return range;
  bool have_start = false;
  bool have_end = false;
  int constraints = 0;
  while (!rest.empty()) {
    const auto bar = rest.find('|');
    std::string_view constraint = TrimSpace(rest.substr(0, bar));
    rest = bar == std::string_view::npos ? std::string_view() : rest.substr(bar + 1);
    ++constraints;
    std::string_view op;
    for (std::string_view candidate : {">=", "<=", "!=", ">", "<", "="}) {
      if (constraint.starts_with(candidate)) {
        op = candidate;
        break;
      }
    }
    const std::string_view version = TrimSpace(constraint.substr(op.size()));
    if (version.empty() || op == "!=") return std::nullopt;
    if (op.empty() || op == "=") {
      if (constraints > 1 || !rest.empty()) return std::nullopt;
      range.start = range.end = std::string(version);
      range.start_inclusive = range.end_inclusive = true;
      return range;
    }
    if (op[0] == '>') {
      if (have_start) return std::nullopt;
      have_start = true;
      range.start = std::string(version);
      range.start_inclusive = op == ">=";
    } else {
      if (have_end) return std::nullopt;
      have_end = true;
      range.end = std::string(version);
      range.end_inclusive = op == "<=";
    }
  }
  if (!have_start && !have_end) return std::nullopt;
  return range;
}

}  // namespace

std::string_view VersionSchemeName(VersionScheme scheme) {
  switch (scheme) {
    case VersionScheme::kGeneric:
      return "generic";
    case VersionScheme::kSemver:
      return "semver";
    case VersionScheme::kRpm:
      return "rpm";
    case VersionScheme::kDebian:
      return "deb";
  }
  return "generic";
}

VersionScheme VersionSchemeFromName(std::string_view name) {
  const std::string lower = AsciiLower(name);
  if (lower == "semver" || lower == "npm" || lower == "cargo") return VersionScheme::kSemver;
  if (lower == "rpm") return VersionScheme::kRpm;
  if (lower == "deb" || lower == "debian") return VersionScheme::kDebian;
  return VersionScheme::kGeneric;
}

VersionScheme VersionSchemeForPurlType(std::string_view purl_type) { return VersionSchemeFromName(purl_type); }

int CompareVersions(std::string_view a, std::string_view b, VersionScheme scheme) {
  switch (scheme) {
    case VersionScheme::kSemver:
      return CompareSemver(a, b);
    case VersionScheme::kRpm:
      return CompareRpm(a, b);
    case VersionScheme::kDebian:
      return CompareDebian(a, b);
    case VersionScheme::kGeneric:
      break;
  }
  return CompareGeneric(a, b);
}

bool LooksLikeVersion(std::string_view text) {
  if (text.size() > 1 && (text[0] == 'v' || text[0] == 'V')) text.remove_prefix(1);
  if (text.empty() || !(IsDigit(text[0]) || (text.size() > 2 && IsDigit(text[2]) && text[1] == ':'))) {
    if (text.empty() || !IsDigit(text[0])) return false;
  }
  for (char c : text) {
    if (c == ' ' || c == '\t' || static_cast<unsigned char>(c) < 0x21 || static_cast<unsigned char>(c) > 0x7e)
      return false;
  }
  return true;
}

VendorVersion SplitVendorVersion(std::string_view text) {
  text = TrimSpace(text);
  VendorVersion out;
  std::string_view rest = text;
  if (rest.size() > 1 && (rest[0] == 'v' || rest[0] == 'V') && IsDigit(rest[1])) rest.remove_prefix(1);
  // Zyxel ZLD style: 5.36(ABPS.1) → patch 1; (XXXX.0) → no patch.
  if (const auto paren = rest.find('('); paren != std::string_view::npos && rest.back() == ')') {
    const std::string_view inner = rest.substr(paren + 1, rest.size() - paren - 2);
    const auto dot = inner.rfind('.');
    if (dot != std::string_view::npos && IsNumeric(inner.substr(dot + 1)) &&
        LooksLikeVersion(TrimSpace(rest.substr(0, paren)))) {
      out.version = std::string(TrimSpace(rest.substr(0, paren)));
      std::string_view patch = inner.substr(dot + 1);
      while (patch.size() > 1 && patch.front() == '0') patch.remove_prefix(1);
      if (patch != "0") out.update = "patch" + std::string(patch);
      return out;
    }
  }
  // "<version> <word> <n>" or "<version> <word><n>" or "<version>-<word><n>".
  const std::string lower = AsciiLower(rest);
  for (std::string_view word : {"patch", "sp", "update", "hotfix", "hf"}) {
    for (std::string_view sep :
         {std::string_view(" "), std::string_view("-"), std::string_view("_"), std::string_view("")}) {
      const std::string needle = std::string(sep) + std::string(word);
      const auto at = lower.find(needle);
      if (at == std::string::npos || at == 0) continue;
      if (sep.empty() && !IsDigit(lower[at - 1])) continue;
      const std::string_view version = TrimSpace(rest.substr(0, at));
      std::string_view number = TrimSpace(std::string_view(lower).substr(at + needle.size()));
      if (!number.empty() && (number.front() == '-' || number.front() == '_')) number.remove_prefix(1);
      number = TrimSpace(number);
      if (!LooksLikeVersion(version) || !IsNumeric(number)) continue;
      out.version = std::string(version);
      out.update = std::string(word) + std::string(number);
      return out;
    }
  }
  out.version = std::string(rest);
  return out;
}

bool VersionRange::Contains(std::string_view version) const {
  if (!start.empty()) {
    const int cmp = CompareVersions(version, start, scheme);
    if (cmp < 0 || (cmp == 0 && !start_inclusive)) return false;
  }
  if (!end.empty()) {
    const int cmp = CompareVersions(version, end, scheme);
    if (cmp > 0 || (cmp == 0 && !end_inclusive)) return false;
  }
  return true;
}

std::string VersionRange::ToString() const {
  if (unbounded()) return "all versions";
  if (!start.empty() && start == end && start_inclusive && end_inclusive) return "= " + start;
  std::string out;
  if (!start.empty()) out += (start_inclusive ? ">= " : "> ") + start;
  if (!end.empty()) {
    if (!out.empty()) out += ", ";
    out += (end_inclusive ? "<= " : "< ") + end;
  }
  return out;
}

std::optional<VersionRange> ParseFreeTextRange(std::string_view text, VersionScheme scheme) {
  text = TrimSpace(text);
  if (text.empty() || text.size() > 256) return std::nullopt;
  const std::string lower = AsciiLower(text);
  if (lower.starts_with("vers:")) return ParseVers(lower);
  VersionRange range;
  range.scheme = scheme;
  if (lower == "*" || lower == "all" || lower == "all versions") return range;
  auto words = Words(lower);
  while (!words.empty() && (words.front() == "version" || words.front() == "versions" || words.front() == "from")) {
    words.erase(words.begin());
  }
  // Merge "<" "5.0" into "<5.0" style operators.
  if (words.size() == 2 &&
      (words[0] == "<" || words[0] == "<=" || words[0] == ">" || words[0] == ">=" || words[0] == "=")) {
    words = {words[0] + words[1]};
  }
  auto is_version = [](const std::string& word) { return LooksLikeVersion(word); };
  auto set_end = [&](const std::string& version, bool inclusive) {
    range.end = version;
    range.end_inclusive = inclusive;
  };
  auto set_start = [&](const std::string& version, bool inclusive) {
    range.start = version;
    range.start_inclusive = inclusive;
  };
  if (words.size() == 1) {
    const std::string& word = words[0];
    for (std::string_view op : {">=", "<=", ">", "<", "="}) {
      if (word.starts_with(op) && is_version(word.substr(op.size()))) {
        const std::string version = word.substr(op.size());
        if (op == "=") {
          set_start(version, true);
          set_end(version, true);
        } else if (op[0] == '>') {
          set_start(version, op == ">=");
        } else {
          set_end(version, op == "<=");
        }
        return range;
      }
    }
    if (word.size() > 1 && word.back() == '+' && is_version(word.substr(0, word.size() - 1))) {
      set_start(word.substr(0, word.size() - 1), true);
      return range;
    }
    if (is_version(word)) {
      set_start(word, true);
      set_end(word, true);
      return range;
    }
    return std::nullopt;
  }
  if (words.size() == 3 && is_version(words[0]) && is_version(words[2]) &&
      (words[1] == "through" || words[1] == "to" || words[1] == "-" || words[1] == "thru")) {
    set_start(words[0], true);
    set_end(words[2], true);
    return range;
  }
  if (words.size() == 3 && is_version(words[0]) && (words[1] == "and" || words[1] == "or")) {
    const std::string& tail = words[2];
    if (tail == "earlier" || tail == "prior" || tail == "below" || tail == "lower" || tail == "older") {
      set_end(words[0], true);
      return range;
    }
    if (tail == "later" || tail == "above" || tail == "higher" || tail == "newer") {
      set_start(words[0], true);
      return range;
    }
  }
  if (words.size() >= 2 && is_version(words.back())) {
    std::string lead;
    for (std::size_t word_idx = 0; word_idx + 1 < words.size(); ++word_idx) {
      if (!lead.empty()) lead += ' ';
      lead += words[word_idx];
    }
    if (lead == "before" || lead == "prior to" || lead == "earlier than" || lead == "below" || lead == "lower than" ||
        lead == "less than" || lead == "<" || lead == "older than") {
      set_end(words.back(), false);
      return range;
    }
    if (lead == "through" || lead == "up to" || lead == "up to and including" || lead == "until" || lead == "<=") {
      set_end(words.back(), true);
      return range;
    }
    if (lead == "after" || lead == "later than" || lead == ">") {
      set_start(words.back(), false);
      return range;
    }
    if (lead == "since" || lead == ">=") {
      set_start(words.back(), true);
      return range;
    }
  }
  return std::nullopt;
}

}  // namespace dv::vuln
