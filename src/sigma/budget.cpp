// SPDX-License-Identifier: Apache-2.0
#include "sigma/budget.h"

#include <string>
#include <vector>

namespace dv::sigma {
namespace {

bool IsBlank(char c) { return c == ' ' || c == '\t'; }

// True when `rest` (what follows a '|' or '>' at a node start) holds only a
// block scalar header: chomping and indentation indicators, then a comment.
bool IsBlockScalarHeader(std::string_view rest) {
  std::size_t pos = 0;
  while (pos < rest.size() && (rest[pos] == '+' || rest[pos] == '-' || (rest[pos] >= '0' && rest[pos] <= '9'))) ++pos;
  while (pos < rest.size() && IsBlank(rest[pos])) ++pos;
  return pos == rest.size() || rest[pos] == '#';
}

class DepthScanner {
 public:
  explicit DepthScanner(int max_depth) : max_depth_(max_depth) {}

  Status Line(std::string_view line) {
    ++line_no_;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    std::size_t indent = 0;
    while (indent < line.size() && line[indent] == ' ') ++indent;
    const bool empty = indent == line.size();
    if (block_scalar_col_ >= 0) {
      // A block scalar's content: blank lines and lines indented deeper than
      // its node. Nothing in it is structure.
      if (empty || static_cast<long>(indent) > block_scalar_col_) return Ok();
      block_scalar_col_ = -1;
    }
    std::size_t pos = 0;
    if (quote_ == 0 && flow_ == 0) {
      if (empty || line[indent] == '#') return Ok();
      if (indent == 0 && (line.starts_with("---") || line.starts_with("...")) &&
          (line.size() == 3 || IsBlank(line[3]))) {
        levels_.clear();  // a new document
        pos = 3;
        at_node_start_ = true;
      } else {
        DV_TRY(BlockStructure(line, indent, pos));
      }
    }
    return Scan(line, pos);
  }

 private:
  Status TooDeep() const {
    return Error::InvalidArgument("YAML nesting deeper than " + std::to_string(max_depth_) + " levels at line " +
                                  std::to_string(line_no_));
  }
  long Depth() const { return static_cast<long>(levels_.size()) + flow_; }

  // Block indentation, in doubled columns so that a sequence written at its
  // parent key's indentation still counts as a level: a key at column c is
  // level 2c, an entry marker (`- `, `? `) at column c is level 2c + 1.
  Status BlockStructure(std::string_view line, std::size_t indent, std::size_t& pos) {
    pos = indent;
    bool first = true;
    for (;;) {
      const bool marker = (line[pos] == '-' || line[pos] == '?') && (pos + 1 == line.size() || IsBlank(line[pos + 1]));
      const long level = 2 * static_cast<long>(pos) + (marker ? 1 : 0);
      if (first) {
        while (!levels_.empty() && levels_.back() > level) levels_.pop_back();
        first = false;
      }
      if (levels_.empty() || levels_.back() < level) levels_.push_back(level);
      if (Depth() > max_depth_) return TooDeep();
      if (!marker) break;
      ++pos;
      while (pos < line.size() && IsBlank(line[pos])) ++pos;
      if (pos == line.size()) break;
    }
    node_col_ = static_cast<long>(pos);
    at_node_start_ = true;
    after_json_ = false;
    return Ok();
  }

  // A ':' is a value indicator (what follows starts a node) when a blank or
  // the end follows it, in flow context also a flow indicator, and after a
  // JSON-like key (a quoted scalar or a closed collection) anything — as in
  // yaml-cpp's scanner. Otherwise it is part of a plain scalar.
  bool IsValueIndicator(std::string_view line, std::size_t pos, bool after_json) const {
    if (pos + 1 == line.size() || IsBlank(line[pos + 1]) || after_json) return true;
    const char next = line[pos + 1];
    return flow_ > 0 && (next == ',' || next == '[' || next == ']' || next == '{' || next == '}');
  }

  // Quotes, comments, flow collections and block scalar headers on the rest of the line.
  Status Scan(std::string_view line, std::size_t pos) {
    for (; pos < line.size(); ++pos) {
      const char c = line[pos];
      if (quote_ == '\'') {
        if (c == '\'') {
          if (pos + 1 < line.size() && line[pos + 1] == '\'') {
            ++pos;
          } else {
            quote_ = 0;
          }
        }
        continue;
      }
      if (quote_ == '"') {
        if (c == '\\') {
          ++pos;
        } else if (c == '"') {
          quote_ = 0;
        }
        continue;
      }
      if (IsBlank(c)) continue;
      if (c == '#' && (pos == 0 || IsBlank(line[pos - 1]))) return Ok();
      const bool after_json = after_json_;
      after_json_ = false;
      if (at_node_start_ && (c == '\'' || c == '"')) {
        quote_ = c;
        at_node_start_ = false;
        after_json_ = true;  // set early: only a ':' can follow a closed quote on this line
      } else if (c == '[' || c == '{') {
        if (flow_ > 0 || at_node_start_) {
          ++flow_;
          if (Depth() > max_depth_) return TooDeep();
          at_node_start_ = true;
        }
      } else if (c == ']' || c == '}') {
        if (flow_ > 0) --flow_;
        at_node_start_ = false;
        after_json_ = true;
      } else if (c == ',' && flow_ > 0) {
        at_node_start_ = true;
      } else if (c == ':' && IsValueIndicator(line, pos, after_json)) {
        at_node_start_ = true;
      } else if (at_node_start_ && (c == '&' || c == '!')) {
        while (pos + 1 < line.size() && !IsBlank(line[pos + 1])) ++pos;  // an anchor or a tag: the node follows
      } else if (at_node_start_ && flow_ == 0 && (c == '|' || c == '>') && IsBlockScalarHeader(line.substr(pos + 1))) {
        block_scalar_col_ = node_col_;
        return Ok();
      } else {
        at_node_start_ = false;
      }
    }
    return Ok();
  }

  const int max_depth_;
  std::vector<long> levels_;
  long flow_ = 0;
  char quote_ = 0;
  bool at_node_start_ = true;
  bool after_json_ = false;  // the last token was a closed quote or collection
  long node_col_ = 0;
  long block_scalar_col_ = -1;
  std::size_t line_no_ = 0;
};

}  // namespace

Status CheckYamlDepth(std::string_view yaml, int max_depth) {
  DepthScanner scanner(max_depth);
  while (!yaml.empty()) {
    const std::size_t end = yaml.find('\n');
    DV_TRY(scanner.Line(yaml.substr(0, end)));
    if (end == std::string_view::npos) break;
    yaml.remove_prefix(end + 1);
  }
  return Ok();
}

Status CheckRuleText(std::string_view yaml, const SigmaBudget& budget) {
  if (yaml.size() > budget.max_document_bytes) {
    return Error::InvalidArgument("the rule text is " + std::to_string(yaml.size()) + " bytes, over the limit of " +
                                  std::to_string(budget.max_document_bytes) + " bytes");
  }
  return CheckYamlDepth(yaml, budget.max_yaml_depth);
}

}  // namespace dv::sigma
