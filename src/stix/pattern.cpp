// SPDX-License-Identifier: Apache-2.0
#include "stix/pattern.h"

#include <charconv>
#include <utility>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

namespace dv {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsIdentStart(char c) { return IsAlpha(c) || c == '_'; }
bool IsIdentChar(char c) { return IsIdentStart(c) || IsDigit(c) || c == '-'; }
bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }
bool IsHex(char c) { return IsDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
int HexValue(char c) {
  if (IsDigit(c)) return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return c - 'A' + 10;
}
int Base64Value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (IsDigit(c)) return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

bool IsPlainIdentifier(std::string_view text) {
  if (text.empty() || !IsIdentStart(text[0])) return false;
  for (char c : text) {
    if (!IsIdentStart(c) && !IsDigit(c)) return false;
  }
  return true;
}

std::string QuoteString(std::string_view text) {
  std::string out = "'";
  for (char c : text) {
    if (c == '\'' || c == '\\') out += '\\';
    out += c;
  }
  out += '\'';
  return out;
}

enum class Tok {
  kEnd,
  kIdent,
  kString,
  kInt,
  kFloat,
  kTimestamp,
  kHex,
  kBinary,
  kLBracket,
  kRBracket,
  kLParen,
  kRParen,
  kColon,
  kDot,
  kComma,
  kStar,
  kEq,
  kNeq,
  kLt,
  kGt,
  kLe,
  kGe,
};

struct Token {
  Tok kind = Tok::kEnd;
  std::size_t offset = 0;
  std::string_view spelling;
  StixConstant constant;  // literals
};

// Recursive descent over an on-demand lexer. The first error wins; every
// parse function returns false once an error is recorded.
class Parser {
 public:
  explicit Parser(std::string_view text) : text_(text) {}

  Result<StixPattern> Parse() {
    StixPattern pattern;
    if (Lex() && ParseFollowedBy(pattern.root, 0) && Expect(Tok::kEnd, "end of pattern")) return pattern;
    return Error::Parse("pattern offset " + std::to_string(error_offset_) + ": " + error_);
  }

 private:
  bool Fail(std::size_t offset, std::string message) {
    if (error_.empty()) {
      error_offset_ = offset;
      error_ = std::move(message);
    }
    return false;
  }

  std::string Found() const {
    if (tok_.kind == Tok::kEnd) return "end of pattern";
    std::string_view shown = tok_.spelling.substr(0, 24);
    return "'" + std::string(shown) + (tok_.spelling.size() > shown.size() ? "…'" : "'");
  }

  bool FailExpected(std::string_view what) {
    return Fail(tok_.offset, "expected " + std::string(what) + ", found " + Found());
  }

  bool Expect(Tok kind, std::string_view what) {
    if (tok_.kind != kind) return FailExpected(what);
    return Lex();
  }

  bool IsKeyword(std::string_view word) const { return tok_.kind == Tok::kIdent && tok_.spelling == word; }

  // ---- lexer ----

  bool Lex() {
    while (pos_ < text_.size() && IsSpace(text_[pos_])) ++pos_;
    tok_ = Token{};
    tok_.offset = pos_;
    if (pos_ >= text_.size()) return true;
    const char c = text_[pos_];
    const char next = pos_ + 1 < text_.size() ? text_[pos_ + 1] : '\0';
    if ((c == 't' || c == 'h' || c == 'b') && next == '\'') return LexPrefixed(c);
    if (c == '\'') return LexString();
    if (IsIdentStart(c)) {
      std::size_t end = pos_ + 1;
      while (end < text_.size() && IsIdentChar(text_[end])) ++end;
      return Emit(Tok::kIdent, end);
    }
    if (IsDigit(c) || ((c == '+' || c == '-') && (IsDigit(next) || next == '.')) || (c == '.' && IsDigit(next))) {
      return LexNumber();
    }
    switch (c) {
      case '[':
        return Emit(Tok::kLBracket, pos_ + 1);
      case ']':
        return Emit(Tok::kRBracket, pos_ + 1);
      case '(':
        return Emit(Tok::kLParen, pos_ + 1);
      case ')':
        return Emit(Tok::kRParen, pos_ + 1);
      case ':':
        return Emit(Tok::kColon, pos_ + 1);
      case '.':
        return Emit(Tok::kDot, pos_ + 1);
      case ',':
        return Emit(Tok::kComma, pos_ + 1);
      case '*':
        return Emit(Tok::kStar, pos_ + 1);
      case '=':
        return Emit(Tok::kEq, pos_ + 1);
      case '!':
        if (next == '=') return Emit(Tok::kNeq, pos_ + 2);
        break;
      case '<':
        return next == '=' ? Emit(Tok::kLe, pos_ + 2) : Emit(Tok::kLt, pos_ + 1);
      case '>':
        return next == '=' ? Emit(Tok::kGe, pos_ + 2) : Emit(Tok::kGt, pos_ + 1);
      default:
        break;
    }
    if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) >= 0x7f) {
      char hex[8];
      static constexpr char kDigits[] = "0123456789abcdef";
      hex[0] = kDigits[(static_cast<unsigned char>(c) >> 4) & 0xf];
      hex[1] = kDigits[static_cast<unsigned char>(c) & 0xf];
      return Fail(pos_, "unexpected byte 0x" + std::string(hex, 2));
    }
    return Fail(pos_, "unexpected character '" + std::string(1, c) + "'");
  }

  bool Emit(Tok kind, std::size_t end) {
    tok_.kind = kind;
    tok_.spelling = text_.substr(pos_, end - pos_);
    tok_.constant.offset = pos_;
    tok_.constant.spelling = std::string(tok_.spelling);
    pos_ = end;
    return true;
  }

  bool LexString() {
    std::string value;
    std::size_t at = pos_ + 1;
    while (true) {
      if (at >= text_.size()) return Fail(pos_, "unterminated string");
      const char c = text_[at];
      if (c == '\'') break;
      if (c == '\\') {
        if (at + 1 >= text_.size()) return Fail(pos_, "unterminated string");
        const char escaped = text_[at + 1];
        if (escaped != '\'' && escaped != '\\') {
          return Fail(at, "invalid escape '\\" + std::string(1, escaped) + "' (only \\' and \\\\ are allowed)");
        }
        value += escaped;
        at += 2;
        continue;
      }
      value += c;
      ++at;
    }
    Emit(Tok::kString, at + 1);
    tok_.constant.type = StixConstantType::kString;
    tok_.constant.text = std::move(value);
    return true;
  }

  bool LexPrefixed(char prefix) {
    const std::size_t body_start = pos_ + 2;
    const std::size_t close = text_.find('\'', body_start);
    if (close == std::string_view::npos) return Fail(pos_, "unterminated " + std::string(1, prefix) + "'…' literal");
    const std::string_view body = text_.substr(body_start, close - body_start);
    const std::size_t start = pos_;
    if (prefix == 't') {
      if (!CheckTimestampForm(body)) {
        return Fail(start, "invalid timestamp '" + std::string(body.substr(0, 40)) +
                               "' (expected YYYY-MM-DDTHH:MM:SS[.fraction]Z)");
      }
      // Timestamp::Parse does not know leap seconds; STIX allows :60.
      std::string normal(body);
      const bool leap = normal[17] == '6' && normal[18] == '0';
      if (leap) normal.replace(17, 2, "59");
      auto parsed = Timestamp::Parse(normal);
      if (!parsed.ok()) return Fail(start, "invalid timestamp: " + parsed.error().message());
      Emit(Tok::kTimestamp, close + 1);
      tok_.constant.type = StixConstantType::kTimestamp;
      tok_.constant.timestamp = Timestamp(parsed->unix_ms() + (leap ? 1000 : 0));
      return true;
    }
    std::string bytes;
    if (prefix == 'h') {
      if (body.size() % 2 != 0) return Fail(start, "hex literal needs an even number of digits");
      for (std::size_t at = 0; at < body.size(); at += 2) {
        if (!IsHex(body[at]) || !IsHex(body[at + 1])) {
          return Fail(body_start + at + (IsHex(body[at]) ? 1 : 0), "invalid hex digit in h'…' literal");
        }
        bytes += static_cast<char>(HexValue(body[at]) * 16 + HexValue(body[at + 1]));
      }
      Emit(Tok::kHex, close + 1);
      tok_.constant.type = StixConstantType::kHex;
    } else {
      if (body.size() % 4 != 0) return Fail(start, "base64 literal length must be a multiple of 4");
      std::size_t padding = 0;
      while (padding < 2 && padding < body.size() && body[body.size() - 1 - padding] == '=') ++padding;
      std::uint32_t acc = 0;
      int bits = 0;
      for (std::size_t at = 0; at + padding < body.size(); ++at) {
        const int value = Base64Value(body[at]);
        if (value < 0) return Fail(body_start + at, "invalid character in b'…' base64 literal");
        acc = (acc << 6) | static_cast<std::uint32_t>(value);
        bits += 6;
        if (bits >= 8) {
          bits -= 8;
          bytes += static_cast<char>((acc >> bits) & 0xff);
        }
      }
      Emit(Tok::kBinary, close + 1);
      tok_.constant.type = StixConstantType::kBinary;
    }
    tok_.constant.text = std::move(bytes);
    return true;
  }

  static bool CheckTimestampForm(std::string_view body) {
    // YYYY-MM-DDTHH:MM:SS[.f+]Z
    static constexpr std::string_view kShape = "dddd-dd-ddTdd:dd:dd";
    if (body.size() < kShape.size() + 1) return false;
    for (std::size_t at = 0; at < kShape.size(); ++at) {
      if (kShape[at] == 'd' ? !IsDigit(body[at]) : body[at] != kShape[at]) return false;
    }
    std::size_t at = kShape.size();
    if (body[at] == '.') {
      ++at;
      const std::size_t digits = at;
      while (at < body.size() && IsDigit(body[at])) ++at;
      if (at == digits) return false;
    }
    return at + 1 == body.size() && body[at] == 'Z';
  }

  bool LexNumber() {
    const std::size_t start = pos_;
    std::size_t at = pos_;
    if (text_[at] == '+' || text_[at] == '-') ++at;
    while (at < text_.size() && IsDigit(text_[at])) ++at;
    bool is_float = false;
    if (at < text_.size() && text_[at] == '.') {
      is_float = true;
      ++at;
      const std::size_t digits = at;
      while (at < text_.size() && IsDigit(text_[at])) ++at;
      if (at == digits) return Fail(start, "a number needs digits after '.'");
    }
    if (at < text_.size() && IsIdentStart(text_[at])) return Fail(at, "unexpected character after number");
    std::string_view number = text_.substr(start, at - start);
    std::string_view digits = number[0] == '+' ? number.substr(1) : number;
    Emit(is_float ? Tok::kFloat : Tok::kInt, at);
    if (is_float) {
      double value = 0;
      auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
      if (ec != std::errc() || end != digits.data() + digits.size()) return Fail(start, "invalid number");
      tok_.constant.type = StixConstantType::kFloat;
      tok_.constant.real = value;
    } else {
      std::int64_t value = 0;
      auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
      if (ec != std::errc() || end != digits.data() + digits.size()) {
        return Fail(start, "integer out of range");
      }
      tok_.constant.type = StixConstantType::kInteger;
      tok_.constant.integer = value;
      tok_.constant.real = static_cast<double>(value);
    }
    return true;
  }

  // ---- observation expressions ----

  using Obs = StixObservationExpression;

  // Joins `left` and `right` under `kind`, flattening operands of the same
  // kind that carry no qualifiers (the operators are associative).
  static void Join(Obs& left, Obs right, Obs::Kind kind) {
    if (left.kind != kind || !left.qualifiers.empty()) {
      Obs joined;
      joined.kind = kind;
      joined.offset = left.offset;
      joined.operands.push_back(std::move(left));
      left = std::move(joined);
    }
    if (right.kind == kind && right.qualifiers.empty()) {
      for (auto& operand : right.operands) left.operands.push_back(std::move(operand));
    } else {
      left.operands.push_back(std::move(right));
    }
  }

  bool ParseFollowedBy(Obs& out, int depth) {
    if (!ParseObsOr(out, depth)) return false;
    while (IsKeyword("FOLLOWEDBY")) {
      if (!Lex()) return false;
      Obs right;
      if (!ParseObsOr(right, depth)) return false;
      Join(out, std::move(right), Obs::Kind::kFollowedBy);
    }
    return true;
  }

  bool ParseObsOr(Obs& out, int depth) {
    if (!ParseObsAnd(out, depth)) return false;
    while (IsKeyword("OR")) {
      if (!Lex()) return false;
      Obs right;
      if (!ParseObsAnd(right, depth)) return false;
      Join(out, std::move(right), Obs::Kind::kOr);
    }
    return true;
  }

  bool ParseObsAnd(Obs& out, int depth) {
    if (!ParseObsPrimary(out, depth)) return false;
    while (IsKeyword("AND")) {
      if (!Lex()) return false;
      Obs right;
      if (!ParseObsPrimary(right, depth)) return false;
      Join(out, std::move(right), Obs::Kind::kAnd);
    }
    return true;
  }

  bool ParseObsPrimary(Obs& out, int depth) {
    if (depth >= kMaxStixPatternDepth) {
      return Fail(tok_.offset, "nesting deeper than " + std::to_string(kMaxStixPatternDepth) + " levels");
    }
    out.offset = tok_.offset;
    if (tok_.kind == Tok::kLBracket) {
      if (!Lex()) return false;
      out.kind = Obs::Kind::kObservation;
      if (!ParseCmpOr(out.comparison, depth + 1)) return false;
      if (tok_.kind != Tok::kRBracket) {
        return FailExpected("']'");
      }
      if (!Lex()) return false;
    } else if (tok_.kind == Tok::kLParen) {
      if (!Lex()) return false;
      if (!ParseFollowedBy(out, depth + 1)) return false;
      if (!Expect(Tok::kRParen, "')'")) return false;
    } else {
      return FailExpected("'[' or '('");
    }
    while (true) {
      if (IsKeyword("WITHIN") || IsKeyword("REPEATS") || IsKeyword("START")) {
        StixQualifier qualifier;
        if (!ParseQualifier(qualifier)) return false;
        out.qualifiers.push_back(std::move(qualifier));
      } else {
        return true;
      }
    }
  }

  bool ParseQualifier(StixQualifier& out) {
    out.offset = tok_.offset;
    if (IsKeyword("WITHIN")) {
      out.kind = StixQualifier::Kind::kWithin;
      if (!Lex()) return false;
      if ((tok_.kind != Tok::kInt && tok_.kind != Tok::kFloat) || tok_.spelling[0] == '-') {
        return FailExpected("a positive number of seconds");
      }
      out.seconds = tok_.constant.real;
      out.first_spelling = std::string(tok_.spelling);
      if (!Lex()) return false;
      if (!IsKeyword("SECONDS")) return FailExpected("SECONDS");
      return Lex();
    }
    if (IsKeyword("REPEATS")) {
      out.kind = StixQualifier::Kind::kRepeats;
      if (!Lex()) return false;
      if (tok_.kind != Tok::kInt || tok_.spelling[0] == '-') return FailExpected("a positive whole number");
      out.times = tok_.constant.integer;
      out.first_spelling = std::string(tok_.spelling);
      if (!Lex()) return false;
      if (!IsKeyword("TIMES")) return FailExpected("TIMES");
      return Lex();
    }
    out.kind = StixQualifier::Kind::kStartStop;
    if (!Lex()) return false;
    if (tok_.kind != Tok::kTimestamp) return FailExpected("a timestamp t'…' after START");
    out.start = tok_.constant.timestamp;
    out.first_spelling = std::string(tok_.spelling);
    if (!Lex()) return false;
    if (!IsKeyword("STOP")) return FailExpected("STOP");
    if (!Lex()) return false;
    if (tok_.kind != Tok::kTimestamp) return FailExpected("a timestamp t'…' after STOP");
    out.stop = tok_.constant.timestamp;
    out.second_spelling = std::string(tok_.spelling);
    return Lex();
  }

  // ---- comparison expressions ----

  using Cmp = StixComparisonExpression;

  static void JoinCmp(Cmp& left, Cmp right, Cmp::Kind kind) {
    if (left.kind != kind) {
      Cmp joined;
      joined.kind = kind;
      joined.operands.push_back(std::move(left));
      left = std::move(joined);
    }
    if (right.kind == kind) {
      for (auto& operand : right.operands) left.operands.push_back(std::move(operand));
    } else {
      left.operands.push_back(std::move(right));
    }
  }

  bool ParseCmpOr(Cmp& out, int depth) {
    if (!ParseCmpAnd(out, depth)) return false;
    while (IsKeyword("OR")) {
      if (!Lex()) return false;
      Cmp right;
      if (!ParseCmpAnd(right, depth)) return false;
      JoinCmp(out, std::move(right), Cmp::Kind::kOr);
    }
    return true;
  }

  bool ParseCmpAnd(Cmp& out, int depth) {
    if (!ParseCmpPrimary(out, depth)) return false;
    while (IsKeyword("AND")) {
      if (!Lex()) return false;
      Cmp right;
      if (!ParseCmpPrimary(right, depth)) return false;
      JoinCmp(out, std::move(right), Cmp::Kind::kAnd);
    }
    return true;
  }

  bool ParseCmpPrimary(Cmp& out, int depth) {
    if (depth >= kMaxStixPatternDepth) {
      return Fail(tok_.offset, "nesting deeper than " + std::to_string(kMaxStixPatternDepth) + " levels");
    }
    if (tok_.kind == Tok::kLParen) {
      if (!Lex()) return false;
      if (!ParseCmpOr(out, depth + 1)) return false;
      return Expect(Tok::kRParen, "')'");
    }
    out.kind = Cmp::Kind::kComparison;
    StixComparison& comparison = out.comparison;
    comparison.offset = tok_.offset;
    if (IsKeyword("EXISTS")) {
      comparison.op = StixOperator::kExists;
      if (!Lex()) return false;
      return ParsePath(comparison.path);
    }
    if (!ParsePath(comparison.path)) return false;
    if (IsKeyword("NOT")) {
      comparison.negated = true;
      if (!Lex()) return false;
    }
    switch (tok_.kind) {
      case Tok::kEq:
        comparison.op = StixOperator::kEqual;
        break;
      case Tok::kNeq:
        comparison.op = StixOperator::kNotEqual;
        break;
      case Tok::kLt:
        comparison.op = StixOperator::kLess;
        break;
      case Tok::kGt:
        comparison.op = StixOperator::kGreater;
        break;
      case Tok::kLe:
        comparison.op = StixOperator::kLessEqual;
        break;
      case Tok::kGe:
        comparison.op = StixOperator::kGreaterEqual;
        break;
      case Tok::kIdent:
        if (tok_.spelling == "IN") {
          comparison.op = StixOperator::kIn;
        } else if (tok_.spelling == "LIKE") {
          comparison.op = StixOperator::kLike;
        } else if (tok_.spelling == "MATCHES") {
          comparison.op = StixOperator::kMatches;
        } else if (tok_.spelling == "ISSUBSET") {
          comparison.op = StixOperator::kIsSubset;
        } else if (tok_.spelling == "ISSUPERSET") {
          comparison.op = StixOperator::kIsSuperset;
        } else {
          return FailExpected("a comparison operator");
        }
        break;
      default:
        return FailExpected("a comparison operator");
    }
    if (!Lex()) return false;
    switch (comparison.op) {
      case StixOperator::kEqual:
      case StixOperator::kNotEqual:
        return ParseConstant(comparison, /*allow_bool=*/true);
      case StixOperator::kLess:
      case StixOperator::kGreater:
      case StixOperator::kLessEqual:
      case StixOperator::kGreaterEqual:
        return ParseConstant(comparison, /*allow_bool=*/false);
      case StixOperator::kIn:
        return ParseSet(comparison);
      default:
        if (tok_.kind != Tok::kString) {
          return FailExpected("a string after " + std::string(StixOperatorName(comparison.op)));
        }
        comparison.values.push_back(std::move(tok_.constant));
        return Lex();
    }
  }

  bool IsConstantToken(bool allow_bool) const {
    switch (tok_.kind) {
      case Tok::kString:
      case Tok::kInt:
      case Tok::kFloat:
      case Tok::kTimestamp:
      case Tok::kHex:
      case Tok::kBinary:
        return true;
      case Tok::kIdent:
        return allow_bool && (tok_.spelling == "true" || tok_.spelling == "false");
      default:
        return false;
    }
  }

  bool ParseConstant(StixComparison& comparison, bool allow_bool) {
    if (!IsConstantToken(allow_bool)) {
      if (!allow_bool && IsConstantToken(true)) {
        return Fail(tok_.offset, "a boolean cannot be ordered with " + std::string(StixOperatorName(comparison.op)));
      }
      return FailExpected("a constant");
    }
    if (tok_.kind == Tok::kIdent) {
      tok_.constant.type = StixConstantType::kBoolean;
      tok_.constant.boolean = tok_.spelling == "true";
    }
    comparison.values.push_back(std::move(tok_.constant));
    return Lex();
  }

  bool ParseSet(StixComparison& comparison) {
    if (!Expect(Tok::kLParen, "'(' to open the IN set")) return false;
    if (tok_.kind == Tok::kRParen) return Lex();
    while (true) {
      if (!ParseConstant(comparison, /*allow_bool=*/true)) return false;
      if (tok_.kind == Tok::kRParen) return Lex();
      if (!Expect(Tok::kComma, "',' or ')'")) return false;
    }
  }

  bool ParsePath(StixObjectPath& path) {
    path.offset = tok_.offset;
    if (tok_.kind != Tok::kIdent) return FailExpected("an object path such as file:name");
    path.object_type = std::string(tok_.spelling);
    if (!Lex()) return false;
    if (!Expect(Tok::kColon, "':' after the object type")) return false;
    if (!ParseKeyStep(path)) return false;
    while (true) {
      if (tok_.kind == Tok::kDot) {
        if (!Lex()) return false;
        if (!ParseKeyStep(path)) return false;
      } else if (tok_.kind == Tok::kLBracket) {
        if (!Lex()) return false;
        StixPathStep step;
        if (tok_.kind == Tok::kStar) {
          step.kind = StixPathStep::Kind::kAnyIndex;
        } else if (tok_.kind == Tok::kInt) {
          step.kind = StixPathStep::Kind::kIndex;
          step.index = tok_.constant.integer;
        } else {
          return FailExpected("a list index or '*'");
        }
        path.steps.push_back(std::move(step));
        if (!Lex()) return false;
        if (!Expect(Tok::kRBracket, "']' to close the list index")) return false;
      } else {
        return true;
      }
    }
  }

  bool ParseKeyStep(StixObjectPath& path) {
    StixPathStep step;
    if (tok_.kind == Tok::kString) {
      step.key = std::move(tok_.constant.text);
    } else if (tok_.kind == Tok::kIdent) {
      if (tok_.spelling.find('-') != std::string_view::npos) {
        return Fail(tok_.offset, "property name '" + std::string(tok_.spelling) + "' contains '-' and must be quoted");
      }
      step.key = std::string(tok_.spelling);
    } else {
      return FailExpected("a property name");
    }
    path.steps.push_back(std::move(step));
    return Lex();
  }

  std::string_view text_;
  std::size_t pos_ = 0;
  Token tok_;
  std::string error_;
  std::size_t error_offset_ = 0;
};

// ---- printing ----

std::string ConstantText(const StixConstant& constant) {
  if (constant.type == StixConstantType::kString) return QuoteString(constant.text);
  return constant.spelling;
}

void PrintComparisonExpr(const StixComparisonExpression& expr, std::string& out) {
  using Kind = StixComparisonExpression::Kind;
  if (expr.kind == Kind::kComparison) {
    const StixComparison& comparison = expr.comparison;
    if (comparison.op == StixOperator::kExists) {
      out += "EXISTS " + comparison.path.ToString();
      return;
    }
    out += comparison.path.ToString();
    if (comparison.negated) out += " NOT";
    out += ' ';
    out += StixOperatorName(comparison.op);
    out += ' ';
    if (comparison.op == StixOperator::kIn) {
      out += '(';
      for (std::size_t value_idx = 0; value_idx < comparison.values.size(); ++value_idx) {
        if (value_idx > 0) out += ", ";
        out += ConstantText(comparison.values[value_idx]);
      }
      out += ')';
    } else if (!comparison.values.empty()) {
      out += ConstantText(comparison.values[0]);
    }
    return;
  }
  const char* joiner = expr.kind == Kind::kAnd ? " AND " : " OR ";
  for (std::size_t operand_idx = 0; operand_idx < expr.operands.size(); ++operand_idx) {
    if (operand_idx > 0) out += joiner;
    const auto& operand = expr.operands[operand_idx];
    const bool parens = operand.kind != Kind::kComparison;  // only OR under AND survives flattening
    if (parens) out += '(';
    PrintComparisonExpr(operand, out);
    if (parens) out += ')';
  }
}

int Precedence(StixObservationExpression::Kind kind) {
  switch (kind) {
    case StixObservationExpression::Kind::kFollowedBy:
      return 1;
    case StixObservationExpression::Kind::kOr:
      return 2;
    case StixObservationExpression::Kind::kAnd:
      return 3;
    case StixObservationExpression::Kind::kObservation:
      return 4;
  }
  return 4;
}

void PrintObservation(const StixObservationExpression& expr, std::string& out) {
  using Kind = StixObservationExpression::Kind;
  const bool compound = expr.kind != Kind::kObservation;
  const bool wrap = compound && !expr.qualifiers.empty();
  if (wrap) out += '(';
  if (!compound) {
    out += '[';
    PrintComparisonExpr(expr.comparison, out);
    out += ']';
  } else {
    const char* joiner = expr.kind == Kind::kAnd ? " AND " : expr.kind == Kind::kOr ? " OR " : " FOLLOWEDBY ";
    for (std::size_t operand_idx = 0; operand_idx < expr.operands.size(); ++operand_idx) {
      if (operand_idx > 0) out += joiner;
      const auto& operand = expr.operands[operand_idx];
      const bool parens = operand.kind != Kind::kObservation && operand.qualifiers.empty() &&
                          Precedence(operand.kind) <= Precedence(expr.kind);
      if (parens) out += '(';
      PrintObservation(operand, out);
      if (parens) out += ')';
    }
  }
  if (wrap) out += ')';
  for (const StixQualifier& qualifier : expr.qualifiers) {
    switch (qualifier.kind) {
      case StixQualifier::Kind::kWithin:
        out += " WITHIN " + qualifier.first_spelling + " SECONDS";
        break;
      case StixQualifier::Kind::kRepeats:
        out += " REPEATS " + qualifier.first_spelling + " TIMES";
        break;
      case StixQualifier::Kind::kStartStop:
        out += " START " + qualifier.first_spelling + " STOP " + qualifier.second_spelling;
        break;
    }
  }
}

// ---- validation beyond the grammar ----

Status ValidateComparisons(const StixComparisonExpression& expr) {
  if (expr.kind != StixComparisonExpression::Kind::kComparison) {
    for (const auto& operand : expr.operands) DV_TRY(ValidateComparisons(operand));
    return Ok();
  }
  const StixComparison& comparison = expr.comparison;
  const std::string& type = comparison.path.object_type;
  bool type_ok = type.size() >= 3 && type.size() <= 250 && type.front() != '-' && type.back() != '-';
  for (char c : type) type_ok = type_ok && ((c >= 'a' && c <= 'z') || IsDigit(c) || c == '-');
  if (!type_ok) {
    return Error::InvalidArgument("pattern offset " + std::to_string(comparison.path.offset) + ": object type '" +
                                  type + "' must be 3 to 250 characters of a-z, 0-9 and '-'");
  }
  if (comparison.op == StixOperator::kMatches) {
    const StixConstant& regex = comparison.values.at(0);
    int error_code = 0;
    PCRE2_SIZE error_offset = 0;
    pcre2_code* code = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(regex.text.data()), regex.text.size(), 0, &error_code,
                                     &error_offset, nullptr);
    if (code == nullptr) {
      PCRE2_UCHAR buffer[256];
      pcre2_get_error_message(error_code, buffer, sizeof(buffer));
      return Error::InvalidArgument("pattern offset " + std::to_string(regex.offset) +
                                    ": MATCHES expression does not compile at character " +
                                    std::to_string(error_offset) + ": " + reinterpret_cast<const char*>(buffer));
    }
    pcre2_code_free(code);
  }
  return Ok();
}

Status ValidateObservations(const StixObservationExpression& expr) {
  for (const StixQualifier& qualifier : expr.qualifiers) {
    const std::string place = "pattern offset " + std::to_string(qualifier.offset) + ": ";
    switch (qualifier.kind) {
      case StixQualifier::Kind::kWithin:
        if (!(qualifier.seconds > 0)) return Error::InvalidArgument(place + "WITHIN needs more than 0 seconds");
        break;
      case StixQualifier::Kind::kRepeats:
        if (qualifier.times < 1) return Error::InvalidArgument(place + "REPEATS needs at least 1 time");
        break;
      case StixQualifier::Kind::kStartStop:
        if (!(qualifier.start < qualifier.stop)) return Error::InvalidArgument(place + "START must be before STOP");
        break;
    }
  }
  if (expr.kind == StixObservationExpression::Kind::kObservation) return ValidateComparisons(expr.comparison);
  for (const auto& operand : expr.operands) DV_TRY(ValidateObservations(operand));
  return Ok();
}

}  // namespace

std::string_view StixConstantTypeName(StixConstantType type) {
  switch (type) {
    case StixConstantType::kString:
      return "string";
    case StixConstantType::kInteger:
      return "integer";
    case StixConstantType::kFloat:
      return "float";
    case StixConstantType::kBoolean:
      return "boolean";
    case StixConstantType::kTimestamp:
      return "timestamp";
    case StixConstantType::kHex:
      return "hex";
    case StixConstantType::kBinary:
      return "binary";
  }
  return "unknown";
}

std::string_view StixOperatorName(StixOperator op) {
  switch (op) {
    case StixOperator::kEqual:
      return "=";
    case StixOperator::kNotEqual:
      return "!=";
    case StixOperator::kGreater:
      return ">";
    case StixOperator::kLess:
      return "<";
    case StixOperator::kGreaterEqual:
      return ">=";
    case StixOperator::kLessEqual:
      return "<=";
    case StixOperator::kIn:
      return "IN";
    case StixOperator::kLike:
      return "LIKE";
    case StixOperator::kMatches:
      return "MATCHES";
    case StixOperator::kIsSubset:
      return "ISSUBSET";
    case StixOperator::kIsSuperset:
      return "ISSUPERSET";
    case StixOperator::kExists:
      return "EXISTS";
  }
  return "?";
}

std::string StixObjectPath::ToString() const {
  std::string out = object_type + ":";
  for (std::size_t step_idx = 0; step_idx < steps.size(); ++step_idx) {
    const StixPathStep& step = steps[step_idx];
    switch (step.kind) {
      case StixPathStep::Kind::kKey:
        if (step_idx > 0) out += '.';
        out += IsPlainIdentifier(step.key) ? step.key : QuoteString(step.key);
        break;
      case StixPathStep::Kind::kIndex:
        out += "[" + std::to_string(step.index) + "]";
        break;
      case StixPathStep::Kind::kAnyIndex:
        out += "[*]";
        break;
    }
  }
  return out;
}

bool StixObjectPath::Is(std::string_view type, std::initializer_list<std::string_view> keys) const {
  if (object_type != type || steps.size() != keys.size()) return false;
  std::size_t step_idx = 0;
  for (std::string_view key : keys) {
    const StixPathStep& step = steps[step_idx++];
    if (step.kind != StixPathStep::Kind::kKey || step.key != key) return false;
  }
  return true;
}

Result<StixPattern> ParseStixPattern(std::string_view text) { return Parser(text).Parse(); }

std::string ToString(const StixPattern& pattern) {
  std::string out;
  PrintObservation(pattern.root, out);
  return out;
}

Status ValidateStixPattern(std::string_view text) {
  auto pattern = ParseStixPattern(text);
  if (!pattern.ok()) return pattern.error();
  return ValidateObservations(pattern->root);
}

Status ValidateIndicatorPattern(std::string_view pattern_type, std::string_view pattern) {
  if (pattern_type.empty()) return Error::InvalidArgument("indicator has no pattern_type");
  if (pattern.empty()) return Error::InvalidArgument("indicator has an empty pattern");
  if (pattern_type != "stix") return Ok();
  return ValidateStixPattern(pattern);
}

}  // namespace dv
