// SPDX-License-Identifier: Apache-2.0
#include "sigma/condition.h"

#include <cctype>
#include <string>
#include <vector>

namespace dv::sigma {
namespace {

struct Token {
  enum class Kind { kWord, kOpen, kClose, kEnd };
  Kind kind = Kind::kEnd;
  std::string text;
  std::size_t column = 0;  // 1-based
};

bool IsWordChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '*' || c == '-' || c == '.' || c == '?';
}

Result<std::vector<Token>> Tokenize(std::string_view text) {
  std::vector<Token> tokens;
  std::size_t pos = 0;
  while (pos < text.size()) {
    const char c = text[pos];
    if (std::isspace(static_cast<unsigned char>(c))) {
      ++pos;
    } else if (c == '|') {
      return Error::Parse(
          "condition column " + std::to_string(pos + 1) +
          ": aggregation expressions ('| count() ...') are not part of Sigma 2; use a correlation rule");
    } else if (c == '(' || c == ')') {
      tokens.push_back({c == '(' ? Token::Kind::kOpen : Token::Kind::kClose, std::string(1, c), pos + 1});
      ++pos;
    } else if (IsWordChar(c)) {
      const std::size_t start = pos;
      while (pos < text.size() && IsWordChar(text[pos])) ++pos;
      tokens.push_back({Token::Kind::kWord, std::string(text.substr(start, pos - start)), start + 1});
    } else {
      return Error::Parse("condition column " + std::to_string(pos + 1) + ": unexpected character '" +
                          std::string(1, c) + "'");
    }
  }
  tokens.push_back({Token::Kind::kEnd, "", text.size() + 1});
  return tokens;
}

bool IsKeyword(const Token& token, std::string_view keyword) {
  if (token.kind != Token::Kind::kWord || token.text.size() != keyword.size()) return false;
  for (std::size_t pos = 0; pos < keyword.size(); ++pos) {
    if (std::tolower(static_cast<unsigned char>(token.text[pos])) != keyword[pos]) return false;
  }
  return true;
}

class Parser {
 public:
  Parser(std::vector<Token> tokens, int max_depth) : tokens_(std::move(tokens)), max_depth_(max_depth) {}

  Result<std::unique_ptr<ConditionNode>> Parse() {
    auto node = ParseOr();
    if (!node.ok()) return node;
    if (Peek().kind != Token::Kind::kEnd) return Unexpected("'and', 'or' or the end");
    return node;
  }

 private:
  const Token& Peek() const { return tokens_[pos_]; }
  const Token& Next() { return tokens_[pos_ < tokens_.size() - 1 ? pos_++ : pos_]; }

  Error Unexpected(std::string_view expected) const {
    const Token& token = Peek();
    return Error::Parse("condition column " + std::to_string(token.column) + ": expected " + std::string(expected) +
                        ", found " + (token.kind == Token::Kind::kEnd ? "the end" : "'" + token.text + "'"));
  }

  static std::unique_ptr<ConditionNode> Combine(ConditionNode::Kind kind, std::unique_ptr<ConditionNode> left,
                                                std::unique_ptr<ConditionNode> right) {
    if (left->kind == kind) {
      left->children.push_back(std::move(right));
      return left;
    }
    auto node = std::make_unique<ConditionNode>();
    node->kind = kind;
    node->children.push_back(std::move(left));
    node->children.push_back(std::move(right));
    return node;
  }

  Result<std::unique_ptr<ConditionNode>> ParseOr() {
    auto left = ParseAnd();
    if (!left.ok()) return left;
    std::unique_ptr<ConditionNode> node = std::move(left).value();
    while (IsKeyword(Peek(), "or")) {
      Next();
      auto right = ParseAnd();
      if (!right.ok()) return right;
      node = Combine(ConditionNode::Kind::kOr, std::move(node), std::move(right).value());
    }
    return node;
  }

  Result<std::unique_ptr<ConditionNode>> ParseAnd() {
    auto left = ParseNot();
    if (!left.ok()) return left;
    std::unique_ptr<ConditionNode> node = std::move(left).value();
    while (IsKeyword(Peek(), "and")) {
      Next();
      auto right = ParseNot();
      if (!right.ok()) return right;
      node = Combine(ConditionNode::Kind::kAnd, std::move(node), std::move(right).value());
    }
    return node;
  }

  // A run of `not`s is counted, not recursed into: `not not a` is `a`.
  Result<std::unique_ptr<ConditionNode>> ParseNot() {
    bool negated = false;
    while (IsKeyword(Peek(), "not")) {
      Next();
      negated = !negated;
    }
    auto operand = ParsePrimary();
    if (!operand.ok() || !negated) return operand;
    std::unique_ptr<ConditionNode> inner = std::move(operand).value();
    if (inner->kind == ConditionNode::Kind::kNot) return std::move(inner->children[0]);  // not (not a)
    auto node = std::make_unique<ConditionNode>();
    node->kind = ConditionNode::Kind::kNot;
    node->children.push_back(std::move(inner));
    return node;
  }

  Result<std::unique_ptr<ConditionNode>> ParsePrimary() {
    const Token& token = Peek();
    if (token.kind == Token::Kind::kOpen) {
      if (depth_ >= max_depth_) {
        return Error::InvalidArgument("condition column " + std::to_string(token.column) +
                                      ": parentheses nested deeper than the limit of " + std::to_string(max_depth_));
      }
      Next();
      ++depth_;
      auto inner = ParseOr();
      --depth_;
      if (!inner.ok()) return inner;
      if (Peek().kind != Token::Kind::kClose) return Unexpected("')'");
      Next();
      return inner;
    }
    if (token.kind != Token::Kind::kWord || IsKeyword(token, "and") || IsKeyword(token, "or") ||
        IsKeyword(token, "of")) {
      return Unexpected("a search identifier, 'not', '(' or 'x of'");
    }
    const bool quantifier = token.text == "1" || IsKeyword(token, "all") || IsKeyword(token, "any");
    if (quantifier && IsKeyword(tokens_[pos_ + 1 < tokens_.size() ? pos_ + 1 : pos_], "of")) {
      const bool all = IsKeyword(token, "all");
      Next();
      Next();
      const Token& pattern = Peek();
      if (pattern.kind != Token::Kind::kWord || IsKeyword(pattern, "and") || IsKeyword(pattern, "or") ||
          IsKeyword(pattern, "not")) {
        return Unexpected("a search identifier pattern or 'them'");
      }
      auto node = std::make_unique<ConditionNode>();
      node->kind = all ? ConditionNode::Kind::kAllOf : ConditionNode::Kind::kOneOf;
      node->name = IsKeyword(pattern, "them") ? "them" : pattern.text;
      Next();
      return node;
    }
    auto node = std::make_unique<ConditionNode>();
    node->kind = ConditionNode::Kind::kIdentifier;
    node->name = token.text;
    Next();
    return node;
  }

  std::vector<Token> tokens_;
  std::size_t pos_ = 0;
  const int max_depth_;
  int depth_ = 0;  // parentheses open at pos_
};

}  // namespace

Status CheckConditionBudget(std::string_view text, std::size_t max_bytes, int max_depth) {
  if (text.size() > max_bytes) {
    return Error::InvalidArgument("condition is " + std::to_string(text.size()) + " bytes, over the limit of " +
                                  std::to_string(max_bytes) + " bytes");
  }
  int depth = 0;
  for (std::size_t pos = 0; pos < text.size(); ++pos) {
    if (text[pos] == ')' && depth > 0) --depth;
    if (text[pos] != '(') continue;
    if (depth >= max_depth) {
      return Error::InvalidArgument("condition column " + std::to_string(pos + 1) +
                                    ": parentheses nested deeper than the limit of " + std::to_string(max_depth));
    }
    ++depth;
  }
  return Ok();
}

Result<std::unique_ptr<ConditionNode>> ParseCondition(std::string_view text, std::size_t max_bytes, int max_depth) {
  if (text.size() > max_bytes) {
    return Error::InvalidArgument("condition is " + std::to_string(text.size()) + " bytes, over the limit of " +
                                  std::to_string(max_bytes) + " bytes");
  }
  auto tokens = Tokenize(text);
  if (!tokens.ok()) return tokens.error();
  if (tokens->size() == 1) return Error::Parse("condition is empty");
  return Parser(std::move(tokens).value(), max_depth).Parse();
}

bool MatchesIdentifierPattern(std::string_view pattern, std::string_view name) {
  // Iterative glob with backtracking to the last '*'.
  std::size_t p = 0;
  std::size_t n = 0;
  std::size_t star = std::string_view::npos;
  std::size_t star_n = 0;
  while (n < name.size()) {
    if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      star_n = n;
    } else if (p < pattern.size() && pattern[p] == name[n]) {
      ++p;
      ++n;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      n = ++star_n;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

std::string ConditionNode::ToString() const {
  switch (kind) {
    case Kind::kIdentifier:
      return name;
    case Kind::kOneOf:
      return "1 of " + name;
    case Kind::kAllOf:
      return "all of " + name;
    case Kind::kNot:
      return "not " + children[0]->ToString();
    case Kind::kAnd:
    case Kind::kOr: {
      std::string out = "(";
      for (std::size_t child_idx = 0; child_idx < children.size(); ++child_idx) {
        if (child_idx > 0) out += kind == Kind::kAnd ? " and " : " or ";
        out += children[child_idx]->ToString();
      }
      return out + ")";
    }
  }
  return name;
}

}  // namespace dv::sigma
