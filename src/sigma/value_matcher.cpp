// SPDX-License-Identifier: Apache-2.0
#define PCRE2_CODE_UNIT_WIDTH 8
#include "sigma/value_matcher.h"

#include <arpa/inet.h>
#include <pcre2.h>

#include <array>
#include <atomic>
#include <charconv>
#include <cmath>
#include <cstring>

#include "core/regex_limits.h"
#include "core/text.h"
#include "core/time.h"

namespace dv::sigma {
namespace {

std::string Quote(std::string_view text) { return "'" + std::string(text) + "'"; }
const char* CaseNote(bool case_sensitive) { return case_sensitive ? " (case-sensitive)" : " (case-insensitive)"; }

class LiteralMatcher final : public ValueMatcher {
 public:
  LiteralMatcher(std::string literal, StringMode mode, bool case_sensitive)
      : literal_(case_sensitive ? std::move(literal) : FoldCase(literal)),
        mode_(mode),
        case_sensitive_(case_sensitive) {}

  bool Matches(std::string_view raw, std::string_view folded) const override {
    const std::string_view value = case_sensitive_ ? raw : folded;
    switch (mode_) {
      case StringMode::kExact:
        return value == literal_;
      case StringMode::kStartsWith:
        return value.substr(0, literal_.size()) == literal_;
      case StringMode::kEndsWith:
        return value.size() >= literal_.size() && value.substr(value.size() - literal_.size()) == literal_;
      case StringMode::kContains:
        return value.find(literal_) != std::string_view::npos;
    }
    return false;
  }
  std::string Describe() const override {
    static constexpr const char* kNames[] = {"equals", "contains", "starts with", "ends with"};
    return std::string(kNames[static_cast<int>(mode_)]) + " " + Quote(literal_) + CaseNote(case_sensitive_);
  }
  std::string RequiredLiteral() const override { return literal_; }
  bool case_sensitive() const override { return case_sensitive_; }

 private:
  std::string literal_;
  StringMode mode_;
  bool case_sensitive_;
};

// Length in bytes of the UTF-8 sequence starting with `byte` (1 for invalid bytes).
std::size_t Utf8Length(unsigned char byte) {
  if (byte < 0xC0) return 1;
  if (byte < 0xE0) return 2;
  if (byte < 0xF0) return 3;
  return 4;
}

class GlobMatcher final : public ValueMatcher {
 public:
  GlobMatcher(std::vector<GlobPiece> pieces, bool case_sensitive)
      : pieces_(std::move(pieces)), case_sensitive_(case_sensitive) {
    if (!case_sensitive_) {
      for (auto& piece : pieces_) piece.text = FoldCase(piece.text);
    }
  }

  bool Matches(std::string_view raw, std::string_view folded) const override {
    return Match(case_sensitive_ ? raw : folded, 0);
  }
  std::string Describe() const override {
    return "matches wildcard " + Quote(ToSigmaString(pieces_)) + CaseNote(case_sensitive_);
  }
  std::string RequiredLiteral() const override {
    std::string longest;
    for (const auto& piece : pieces_) {
      if (piece.kind == GlobPiece::Kind::kLiteral && piece.text.size() > longest.size()) longest = piece.text;
    }
    return longest;
  }
  bool case_sensitive() const override { return case_sensitive_; }

 private:
  // Matches pieces_[piece_idx..] against all of `value`.
  bool Match(std::string_view value, std::size_t piece_idx) const {
    while (piece_idx < pieces_.size()) {
      const GlobPiece& piece = pieces_[piece_idx];
      switch (piece.kind) {
        case GlobPiece::Kind::kLiteral:
          if (value.substr(0, piece.text.size()) != piece.text) return false;
          value.remove_prefix(piece.text.size());
          ++piece_idx;
          break;
        case GlobPiece::Kind::kAnyChar: {
          if (value.empty()) return false;
          value.remove_prefix(std::min(value.size(), Utf8Length(static_cast<unsigned char>(value[0]))));
          ++piece_idx;
          break;
        }
        case GlobPiece::Kind::kAnyRun: {
          ++piece_idx;
          if (piece_idx == pieces_.size()) return true;
          // Try every position where the next literal occurs.
          const GlobPiece& next = pieces_[piece_idx];
          if (next.kind == GlobPiece::Kind::kLiteral) {
            for (std::size_t at = value.find(next.text); at != std::string_view::npos;
                 at = value.find(next.text, at + 1)) {
              if (Match(value.substr(at), piece_idx)) return true;
            }
            return false;
          }
          for (std::size_t at = 0; at <= value.size(); ++at) {
            if (Match(value.substr(at), piece_idx)) return true;
          }
          return false;
        }
      }
    }
    return value.empty();
  }

  std::vector<GlobPiece> pieces_;
  bool case_sensitive_;
};

std::atomic<std::uint64_t> regex_stopped{0};
std::atomic<std::uint64_t> regex_switched_off{0};

class RegexMatcher final : public ValueMatcher {
 public:
  RegexMatcher(pcre2_code* code, std::string pattern, std::string description, bool case_sensitive)
      : code_(code),
        pattern_(std::move(pattern)),
        description_(std::move(description)),
        case_sensitive_(case_sensitive) {}
  ~RegexMatcher() override { pcre2_code_free(code_); }

  bool Matches(std::string_view raw, std::string_view /*folded*/) const override {
    if (stops_.load(std::memory_order_relaxed) >= kRegexStopsBeforeOff) return false;  // switched off
    // One match block per thread, freed when the thread ends.
    struct MatchData {
      pcre2_match_data* data = pcre2_match_data_create(1, nullptr);
      ~MatchData() { pcre2_match_data_free(data); }
    };
    thread_local MatchData match_data;
    const int rc = pcre2_match(code_, reinterpret_cast<PCRE2_SPTR>(raw.data()), raw.size(), 0, 0, match_data.data,
                               LimitedMatchContext());
    if (StoppedByLimit(rc)) {
      regex_stopped.fetch_add(1, std::memory_order_relaxed);
      if (stops_.fetch_add(1, std::memory_order_relaxed) + 1 == kRegexStopsBeforeOff) {
        regex_switched_off.fetch_add(1, std::memory_order_relaxed);
      }
      return false;
    }
    return rc >= 0;  // 0: matched, ovector too small for the groups (we need none)
  }
  std::string Describe() const override { return description_; }
  bool case_sensitive() const override { return case_sensitive_; }

 private:
  pcre2_code* code_;
  std::string pattern_;
  std::string description_;
  bool case_sensitive_;
  mutable std::atomic<std::uint32_t> stops_{0};  // matches stopped by a limit
};

Result<pcre2_code*> CompileRegex(const std::string& pattern, std::uint32_t options) {
  int error_code = 0;
  PCRE2_SIZE error_offset = 0;
  // Rules carry user-chosen patterns, and field values may be any bytes: no
  // UTF validity check on subjects (PCRE2_MATCH_INVALID_UTF keeps matching safe).
  pcre2_code* code = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(pattern.data()), pattern.size(),
                                   options | PCRE2_UTF | PCRE2_MATCH_INVALID_UTF, &error_code, &error_offset, nullptr);
  if (code == nullptr) {
    PCRE2_UCHAR message[256];
    pcre2_get_error_message(error_code, message, sizeof message);
    return Error::InvalidArgument("regular expression " + Quote(pattern) + " at offset " +
                                  std::to_string(error_offset) + ": " + reinterpret_cast<const char*>(message));
  }
  pcre2_jit_compile(code, PCRE2_JIT_COMPLETE);  // falls back to the interpreter if JIT is unavailable
  return code;
}

class NumberMatcher final : public ValueMatcher {
 public:
  NumberMatcher(CompareOp op, double value) : op_(op), value_(value) {}
  bool Matches(std::string_view raw, std::string_view /*folded*/) const override {
    double number = 0;
    return ParseNumber(raw, number) && Compare(number);
  }
  std::string Describe() const override {
    static constexpr const char* kOps[] = {"<", "<=", ">", ">=", "=="};
    return std::string("number ") + kOps[static_cast<int>(op_)] + " " + FormatNumber(value_);
  }
  bool Compare(double number) const {
    switch (op_) {
      case CompareOp::kLt:
        return number < value_;
      case CompareOp::kLte:
        return number <= value_;
      case CompareOp::kGt:
        return number > value_;
      case CompareOp::kGte:
        return number >= value_;
      case CompareOp::kEq:
        return number == value_;
    }
    return false;
  }
  static std::string FormatNumber(double value) {
    if (value == std::floor(value) && std::fabs(value) < 1e15) return std::to_string(static_cast<long long>(value));
    return std::to_string(value);
  }

 private:
  CompareOp op_;
  double value_;
};

class CidrMatcher final : public ValueMatcher {
 public:
  CidrMatcher(std::array<std::uint8_t, 16> network, int prefix, bool v6, std::string text)
      : network_(network), prefix_(prefix), v6_(v6), text_(std::move(text)) {}

  bool Matches(std::string_view raw, std::string_view /*folded*/) const override {
    std::array<std::uint8_t, 16> address{};
    char buffer[64];
    if (raw.size() >= sizeof buffer) return false;
    std::memcpy(buffer, raw.data(), raw.size());
    buffer[raw.size()] = '\0';
    // Sysmon and others write IPv6 with a zone or in brackets; strip them.
    char* start = buffer;
    if (*start == '[') ++start;
    if (char* end = std::strpbrk(start, "]%"); end != nullptr) *end = '\0';
    if (v6_) {
      if (inet_pton(AF_INET6, start, address.data()) != 1) return false;
    } else {
      if (inet_pton(AF_INET, start, address.data()) != 1) {
        // An IPv4-mapped IPv6 address (::ffff:a.b.c.d) still belongs to a v4 range.
        std::array<std::uint8_t, 16> mapped{};
        if (inet_pton(AF_INET6, start, mapped.data()) != 1) return false;
        static constexpr std::uint8_t kPrefix[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
        if (std::memcmp(mapped.data(), kPrefix, 12) != 0) return false;
        std::memcpy(address.data(), mapped.data() + 12, 4);
      }
    }
    int bits = prefix_;
    for (std::size_t byte_idx = 0; bits > 0; ++byte_idx, bits -= 8) {
      const auto mask = static_cast<std::uint8_t>(bits >= 8 ? 0xFF : (0xFF << (8 - bits)) & 0xFF);
      if ((address[byte_idx] & mask) != (network_[byte_idx] & mask)) return false;
    }
    return true;
  }
  std::string Describe() const override { return "in network " + text_; }

 private:
  std::array<std::uint8_t, 16> network_;
  int prefix_;
  bool v6_;
  std::string text_;
};

class DatePartMatcher final : public ValueMatcher {
 public:
  DatePartMatcher(DatePart part, CompareOp op, double value) : part_(part), compare_(op, value) {}
  bool Matches(std::string_view raw, std::string_view /*folded*/) const override {
    std::string text(raw.substr(0, 32));
    if (text.size() >= 19 && text[10] == ' ') text[10] = 'T';
    if (text.size() == 19) text += "Z";
    // Accept a missing zone and finer fractions by trying the common shapes.
    auto ts = Timestamp::Parse(text);
    if (!ts.ok() && text.size() > 19) ts = Timestamp::Parse(text.substr(0, 19) + "Z");
    if (!ts.ok()) return false;
    const std::string iso = ts->ToRfc3339();  // YYYY-MM-DDTHH:MM:SS.mmmZ
    int value = 0;
    switch (part_) {
      case DatePart::kYear:
        value = std::stoi(iso.substr(0, 4));
        break;
      case DatePart::kMonth:
        value = std::stoi(iso.substr(5, 2));
        break;
      case DatePart::kDay:
        value = std::stoi(iso.substr(8, 2));
        break;
      case DatePart::kHour:
        value = std::stoi(iso.substr(11, 2));
        break;
      case DatePart::kMinute:
        value = std::stoi(iso.substr(14, 2));
        break;
      case DatePart::kWeek: {
        // ISO 8601 week number.
        const std::int64_t days = ts->unix_ms() / 86'400'000 - (ts->unix_ms() < 0 ? 1 : 0);
        const int weekday = static_cast<int>(((days % 7) + 7 + 3) % 7);  // Monday = 0
        const std::int64_t thursday = days - weekday + 3;
        const int year = std::stoi(Timestamp(thursday * 86'400'000).ToRfc3339().substr(0, 4));
        const std::int64_t jan1 = Timestamp::FromCivil(year, 1, 1).unix_ms() / 86'400'000;
        value = static_cast<int>((thursday - jan1) / 7 + 1);
        break;
      }
    }
    return compare_.Compare(value);
  }
  std::string Describe() const override {
    static constexpr const char* kParts[] = {"minute", "hour", "day", "week", "month", "year"};
    return std::string(kParts[static_cast<int>(part_)]) + " of date: " + compare_.Describe();
  }

 private:
  DatePart part_;
  NumberMatcher compare_;
};

}  // namespace

std::vector<GlobPiece> ParseSigmaWildcards(std::string_view value) {
  std::vector<GlobPiece> pieces;
  auto literal = [&]() -> std::string& {
    if (pieces.empty() || pieces.back().kind != GlobPiece::Kind::kLiteral) pieces.push_back({});
    return pieces.back().text;
  };
  for (std::size_t pos = 0; pos < value.size(); ++pos) {
    const char c = value[pos];
    if (c == '\\' && pos + 1 < value.size() &&
        (value[pos + 1] == '*' || value[pos + 1] == '?' || value[pos + 1] == '\\')) {
      literal().push_back(value[pos + 1]);
      ++pos;
    } else if (c == '*') {
      if (pieces.empty() || pieces.back().kind != GlobPiece::Kind::kAnyRun)
        pieces.push_back({GlobPiece::Kind::kAnyRun, ""});
    } else if (c == '?') {
      pieces.push_back({GlobPiece::Kind::kAnyChar, ""});
    } else {
      literal().push_back(c);
    }
  }
  return pieces;
}

std::string ToSigmaString(const std::vector<GlobPiece>& pieces) {
  std::string out;
  for (const auto& piece : pieces) {
    if (piece.kind == GlobPiece::Kind::kAnyRun) {
      out += '*';
    } else if (piece.kind == GlobPiece::Kind::kAnyChar) {
      out += '?';
    } else {
      for (std::size_t pos = 0; pos < piece.text.size(); ++pos) {
        const char c = piece.text[pos];
        const bool before_wildcard =
            pos + 1 == piece.text.size() || piece.text[pos + 1] == '*' || piece.text[pos + 1] == '?';
        if (c == '*' || c == '?' || (c == '\\' && before_wildcard)) out += '\\';
        out += c;
      }
    }
  }
  return out;
}

std::unique_ptr<ValueMatcher> MakeStringMatcher(std::vector<GlobPiece> pieces, StringMode mode, bool case_sensitive) {
  // Fold the mode into the pieces: contains = *x*, startswith = x*, endswith = *x.
  const GlobPiece any{GlobPiece::Kind::kAnyRun, ""};
  if ((mode == StringMode::kContains || mode == StringMode::kEndsWith) &&
      (pieces.empty() || pieces.front().kind != GlobPiece::Kind::kAnyRun)) {
    pieces.insert(pieces.begin(), any);
  }
  if ((mode == StringMode::kContains || mode == StringMode::kStartsWith) &&
      (pieces.empty() || pieces.back().kind != GlobPiece::Kind::kAnyRun)) {
    pieces.push_back(any);
  }
  // Reduce to one literal where possible.
  const bool leading = !pieces.empty() && pieces.front().kind == GlobPiece::Kind::kAnyRun;
  const bool trailing = pieces.size() > 1 && pieces.back().kind == GlobPiece::Kind::kAnyRun;
  std::vector<const GlobPiece*> middle;
  for (std::size_t piece_idx = leading ? 1 : 0; piece_idx < pieces.size() - (trailing ? 1 : 0); ++piece_idx) {
    middle.push_back(&pieces[piece_idx]);
  }
  if (pieces.size() == 1 && leading) return std::make_unique<GlobMatcher>(std::move(pieces), case_sensitive);  // "*"
  if (middle.empty()) return std::make_unique<LiteralMatcher>("", StringMode::kExact, case_sensitive);
  if (middle.size() == 1 && middle[0]->kind == GlobPiece::Kind::kLiteral) {
    const StringMode reduced = leading && trailing ? StringMode::kContains
                               : leading           ? StringMode::kEndsWith
                               : trailing          ? StringMode::kStartsWith
                                                   : StringMode::kExact;
    return std::make_unique<LiteralMatcher>(middle[0]->text, reduced, case_sensitive);
  }
  return std::make_unique<GlobMatcher>(std::move(pieces), case_sensitive);
}

Result<std::unique_ptr<ValueMatcher>> MakeRegexMatcher(std::string_view pattern, bool case_insensitive, bool multi_line,
                                                       bool dot_all) {
  std::uint32_t options = 0;
  if (case_insensitive) options |= PCRE2_CASELESS;
  if (multi_line) options |= PCRE2_MULTILINE;
  if (dot_all) options |= PCRE2_DOTALL;
  auto code = CompileRegex(std::string(pattern), options);
  if (!code.ok()) return code.error();
  std::string flags;
  if (case_insensitive) flags += "i";
  if (multi_line) flags += "m";
  if (dot_all) flags += "s";
  return std::unique_ptr<ValueMatcher>(std::make_unique<RegexMatcher>(
      *code, std::string(pattern), "matches regex /" + std::string(pattern) + "/" + flags, !case_insensitive));
}

Result<std::unique_ptr<ValueMatcher>> MakeWindashMatcher(const std::vector<GlobPiece>& pieces, StringMode mode,
                                                         bool case_sensitive) {
  static constexpr std::string_view kDashes[] = {"-", "/", "\u2013", "\u2014", "\u2015"};
  std::string regex = (mode == StringMode::kExact || mode == StringMode::kStartsWith) ? "^" : "";
  for (const auto& piece : pieces) {
    if (piece.kind == GlobPiece::Kind::kAnyRun) {
      regex += ".*";
      continue;
    }
    if (piece.kind == GlobPiece::Kind::kAnyChar) {
      regex += ".";
      continue;
    }
    std::string_view text = piece.text;
    while (!text.empty()) {
      bool dash = false;
      for (auto candidate : kDashes) {
        if (text.substr(0, candidate.size()) == candidate) {
          regex += "(?:-|/|\u2013|\u2014|\u2015)";
          text.remove_prefix(candidate.size());
          dash = true;
          break;
        }
      }
      if (dash) continue;
      const char c = text[0];
      if (std::strchr("\\^$.|?*+()[]{}", c) != nullptr) regex += '\\';
      regex += c;
      text.remove_prefix(1);
    }
  }
  if (mode == StringMode::kExact || mode == StringMode::kEndsWith) regex += "$";
  std::uint32_t options = PCRE2_DOTALL;
  if (!case_sensitive) options |= PCRE2_CASELESS;
  auto code = CompileRegex(regex, options);
  if (!code.ok()) return code.error();
  static constexpr const char* kModes[] = {"equals", "contains", "starts with", "ends with"};
  return std::unique_ptr<ValueMatcher>(
      std::make_unique<RegexMatcher>(*code, regex,
                                     std::string(kModes[static_cast<int>(mode)]) + " " + Quote(ToSigmaString(pieces)) +
                                         " with any dash for '-'" + CaseNote(case_sensitive),
                                     case_sensitive));
}

std::unique_ptr<ValueMatcher> MakeNumberMatcher(CompareOp op, double value) {
  return std::make_unique<NumberMatcher>(op, value);
}

Result<std::unique_ptr<ValueMatcher>> MakeCidrMatcher(std::string_view cidr) {
  const auto slash = cidr.find('/');
  const std::string address(cidr.substr(0, slash));
  std::array<std::uint8_t, 16> network{};
  const bool v6 = address.find(':') != std::string::npos;
  if (inet_pton(v6 ? AF_INET6 : AF_INET, address.c_str(), network.data()) != 1) {
    return Error::InvalidArgument("cidr value " + Quote(cidr) + " is not an IPv4 or IPv6 network");
  }
  int prefix = v6 ? 128 : 32;
  if (slash != std::string_view::npos) {
    const std::string_view bits = cidr.substr(slash + 1);
    const auto [end, ec] = std::from_chars(bits.data(), bits.data() + bits.size(), prefix);
    if (ec != std::errc() || end != bits.data() + bits.size() || prefix < 0 || prefix > (v6 ? 128 : 32)) {
      return Error::InvalidArgument("cidr value " + Quote(cidr) + " has an invalid prefix length");
    }
  }
  return std::unique_ptr<ValueMatcher>(std::make_unique<CidrMatcher>(network, prefix, v6, std::string(cidr)));
}

std::unique_ptr<ValueMatcher> MakeDatePartMatcher(DatePart part, CompareOp op, double value) {
  return std::make_unique<DatePartMatcher>(part, op, value);
}

bool ParseNumber(std::string_view text, double& out) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  if (text.empty()) return false;
  if (text.size() > 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) {
    std::uint64_t value = 0;
    const auto [end, ec] = std::from_chars(text.data() + 2, text.data() + text.size(), value, 16);
    if (ec != std::errc() || end != text.data() + text.size()) return false;
    out = static_cast<double>(value);
    return true;
  }
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && end == text.data() + text.size();
}

RegexLimitCounts RegexLimitCountsNow() {
  return {regex_stopped.load(std::memory_order_relaxed), regex_switched_off.load(std::memory_order_relaxed)};
}

}  // namespace dv::sigma
