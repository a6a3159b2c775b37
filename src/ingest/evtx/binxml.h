// SPDX-License-Identifier: Apache-2.0
#pragma once

// Binary XML of EVTX chunks: parsing into a node tree, rendering substitution
// values as text, and walking a tree with its substitution values. Internal to
// dv_evtx; docs/evtx_format.md describes the encoding.
//
// Ownership: a ChunkParser views one chunk's bytes (it does not own them) and
// owns the templates it has parsed from that chunk. Nodes, values and
// templates hold string_views and pointers into the chunk and into the
// parser's template cache, so they are valid until the next Reset() or the
// parser's destruction, and only while the chunk bytes live.
//
// Errors: every offset read from the input is bounds-checked; malformed input
// yields an Error of kind kParse whose message names the chunk offset. Nothing
// here asserts on input. Not thread-safe; one parser per reading thread.

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/result.h"

namespace dv::evtx {

// "0x1a2b": how file and chunk offsets are named in messages.
std::string HexOffset(std::uint64_t value);

// Substitution value types (MS-EVEN6 "value types"). kArrayFlag marks an array
// of the base type.
inline constexpr std::uint8_t kTypeNull = 0x00;
inline constexpr std::uint8_t kTypeString = 0x01;
inline constexpr std::uint8_t kTypeAnsiString = 0x02;
inline constexpr std::uint8_t kTypeInt8 = 0x03;
inline constexpr std::uint8_t kTypeUInt8 = 0x04;
inline constexpr std::uint8_t kTypeInt16 = 0x05;
inline constexpr std::uint8_t kTypeUInt16 = 0x06;
inline constexpr std::uint8_t kTypeInt32 = 0x07;
inline constexpr std::uint8_t kTypeUInt32 = 0x08;
inline constexpr std::uint8_t kTypeInt64 = 0x09;
inline constexpr std::uint8_t kTypeUInt64 = 0x0a;
inline constexpr std::uint8_t kTypeReal32 = 0x0b;
inline constexpr std::uint8_t kTypeReal64 = 0x0c;
inline constexpr std::uint8_t kTypeBool = 0x0d;
inline constexpr std::uint8_t kTypeBinary = 0x0e;
inline constexpr std::uint8_t kTypeGuid = 0x0f;
inline constexpr std::uint8_t kTypeSizeT = 0x10;
inline constexpr std::uint8_t kTypeFileTime = 0x11;
inline constexpr std::uint8_t kTypeSystemTime = 0x12;
inline constexpr std::uint8_t kTypeSid = 0x13;
inline constexpr std::uint8_t kTypeHexInt32 = 0x14;
inline constexpr std::uint8_t kTypeHexInt64 = 0x15;
inline constexpr std::uint8_t kTypeEvtHandle = 0x20;
inline constexpr std::uint8_t kTypeBinXml = 0x21;
inline constexpr std::uint8_t kTypeEvtXml = 0x23;
inline constexpr std::uint8_t kArrayFlag = 0x80;

// Deepest nesting of elements, template instances and embedded binary XML
// that the parser and walker accept; deeper input is reported as corrupt.
inline constexpr int kMaxDepth = 64;

// One substitution value of a template instance: its type and its bytes (a
// view into the chunk).
struct Value {
  std::uint8_t type = kTypeNull;
  std::string_view bytes;
};

enum class NodeKind : std::uint8_t {
  kElement,           // name in `text`, attributes, children
  kText,              // literal text (value text or CDATA), UTF-8 in `text`
  kSubstitution,      // value number `index`; `optional` for token 0x0e
  kCharRef,           // character number `index`
  kEntityRef,         // entity name in `text`
  kPi,                // processing instruction, "target data" in `text`
  kTemplateInstance,  // `tmpl` with `values`
};

struct Template;
struct Node;

struct Attribute {
  std::string name;
  std::vector<Node> value;  // text, substitution, character and entity references
};

struct Node {
  NodeKind kind = NodeKind::kText;
  bool optional = false;
  std::uint16_t index = 0;
  std::string text;
  std::vector<Attribute> attributes;
  std::vector<Node> children;
  const Template* tmpl = nullptr;
  std::vector<Value> values;
};

// A template definition: its body, parsed once per chunk.
struct Template {
  std::vector<Node> nodes;
  std::string error;  // non-empty when the definition could not be parsed
  bool in_progress = false;
};

class ChunkParser {
 public:
  // Starts a new chunk: forgets the templates and names of the previous one.
  void Reset(std::string_view chunk);

  // Parses the binary XML fragment in chunk bytes [begin, end) and appends its
  // top-level nodes to `out`. `depth` counts enclosing fragments.
  Status ParseFragment(std::size_t begin, std::size_t end, std::vector<Node>& out, int depth = 0);

  // Chunk offset of a view into the chunk (for embedded binary XML values).
  std::size_t OffsetOf(std::string_view bytes) const { return static_cast<std::size_t>(bytes.data() - chunk_.data()); }

 private:
  struct Cursor {
    std::size_t pos;
    std::size_t end;
  };

  Status ParseContentToken(Cursor& cur, std::vector<Node>& out, int depth);
  Status ParseElement(Cursor& cur, std::vector<Node>& out, int depth);
  Status ParseTemplateInstance(Cursor& cur, std::vector<Node>& out, int depth);
  Status ReadNameRef(Cursor& cur, std::string& name);
  Status LookupName(std::uint32_t offset, std::string& name);
  Result<const Template*> GetTemplate(std::uint32_t offset, int depth);
  bool HasDependencyId(const Cursor& cur) const;
  Status Need(const Cursor& cur, std::uint64_t count, std::string_view what) const;

  std::string_view chunk_;
  std::unordered_map<std::uint32_t, std::unique_ptr<Template>> templates_;
  std::unordered_map<std::uint32_t, std::string> names_;
};

// Appends UTF-16LE text (an even number of bytes; an odd last byte is
// ignored) as UTF-8. Unpaired surrogates become U+FFFD.
void AppendUtf16(std::string_view bytes, std::string& out);

// Appends the text of a value of a base (non-array) type, as Windows renders
// it in XML. Sizes that do not fit the type render as nothing. Embedded binary
// XML (kTypeBinXml) is not handled here; the walker expands it.
void AppendScalar(std::uint8_t type, std::string_view bytes, std::string& out);

// Splits an array value (type with kArrayFlag) into the byte views of its
// items, appended to `items`.
void SplitArray(std::uint8_t type, std::string_view bytes, std::vector<std::string_view>& items);

// Appends the text of any value but embedded binary XML; array items are
// joined with ", ".
void AppendValue(const Value& value, std::string& out);

// Walks a node tree in document order, expanding template instances,
// substitutions, arrays and embedded binary XML, and calls the handler:
//   void StartElement(std::string_view name);
//   void Attribute(std::string_view name, std::string_view value);
//   void Text(std::string_view text);      // unescaped character data
//   void EndElement(std::string_view name);
// An element whose content is an array substitution is repeated once per item
// (as Windows renders it). An element or attribute holding an optional
// substitution of a null or empty value is left out.
template <typename Handler>
class Walker {
 public:
  Walker(ChunkParser& parser, Handler& handler) : parser_(parser), handler_(handler) {}

  // Sets how much work the walks until the next reset may do: one unit per
  // node visited and per byte of embedded binary XML parsed. Templates and
  // arrays let a few bytes expand enormously (an array element inside an
  // array element); the budget bounds the time and output a chunk can cost.
  void ResetBudget(std::uint64_t units) { budget_ = units; }

  Status Walk(const std::vector<Node>& nodes, std::span<const Value> values, int depth) {
    if (depth > kMaxDepth) return Error::Parse("binary XML nested more than 64 levels deep");
    for (const Node& node : nodes) DV_TRY(WalkNode(node, values, depth, nullptr));
    return Ok();
  }

 private:
  // `item`: when not null, the array item to render for the repeating substitution.
  struct ArrayItem {
    const Node* subst;
    std::uint8_t type;
    std::string_view bytes;
  };

  Status WalkNode(const Node& node, std::span<const Value> values, int depth, const ArrayItem* item) {
    DV_TRY(Spend(1));
    switch (node.kind) {
      case NodeKind::kElement:
        return WalkElement(node, values, depth);
      case NodeKind::kText:
        handler_.Text(node.text);
        return Ok();
      case NodeKind::kCharRef:
        scratch_.clear();
        AppendCodePoint(node.index, scratch_);
        handler_.Text(scratch_);
        return Ok();
      case NodeKind::kEntityRef:
        scratch_.clear();
        AppendEntity(node.text, scratch_);
        handler_.Text(scratch_);
        return Ok();
      case NodeKind::kPi:
        return Ok();
      case NodeKind::kTemplateInstance:
        if (node.tmpl == nullptr) return Ok();
        return Walk(node.tmpl->nodes, node.values, depth + 1);
      case NodeKind::kSubstitution:
        return WalkSubstitution(node, values, depth, item);
    }
    return Ok();
  }

  Status WalkSubstitution(const Node& node, std::span<const Value> values, int depth, const ArrayItem* item) {
    if (node.index >= values.size()) return Ok();
    const Value& value = values[node.index];
    if (item != nullptr && item->subst == &node) {
      scratch_.clear();
      AppendScalar(item->type, item->bytes, scratch_);
      handler_.Text(scratch_);
      return Ok();
    }
    if (value.type == kTypeBinXml) {
      DV_TRY(Spend(value.bytes.size()));
      std::vector<Node> nested;
      const std::size_t begin = parser_.OffsetOf(value.bytes);
      DV_TRY(parser_.ParseFragment(begin, begin + value.bytes.size(), nested, depth + 1));
      return Walk(nested, {}, depth + 1);
    }
    scratch_.clear();
    AppendValue(value, scratch_);
    if (!scratch_.empty()) handler_.Text(scratch_);
    return Ok();
  }

  Status WalkElement(const Node& element, std::span<const Value> values, int depth) {
    if (depth > kMaxDepth) return Error::Parse("binary XML nested more than 64 levels deep");
    // An optional substitution of a null value removes its element; an array
    // substitution in the content repeats the element per item.
    for (const Node& child : element.children) {
      if (child.kind != NodeKind::kSubstitution) continue;
      if (child.index >= values.size()) {
        if (child.optional) return Ok();
        continue;
      }
      const Value& value = values[child.index];
      if (child.optional && (value.type == kTypeNull || value.bytes.empty())) return Ok();
      if ((value.type & kArrayFlag) == 0) continue;
      std::vector<std::string_view> items;
      SplitArray(value.type, value.bytes, items);
      const auto base = static_cast<std::uint8_t>(value.type & ~kArrayFlag);
      for (std::string_view bytes : items) {
        const ArrayItem item{&child, base, bytes};
        DV_TRY(EmitElement(element, values, depth, &item));
      }
      if (items.empty()) {
        const ArrayItem item{&child, kTypeNull, {}};
        DV_TRY(EmitElement(element, values, depth, &item));
      }
      return Ok();
    }
    return EmitElement(element, values, depth, nullptr);
  }

  Status EmitElement(const Node& element, std::span<const Value> values, int depth, const ArrayItem* item) {
    handler_.StartElement(element.text);
    for (const Attribute& attribute : element.attributes) {
      attribute_value_.clear();
      bool only_null_optionals = !attribute.value.empty();
      for (const Node& part : attribute.value) {
        switch (part.kind) {
          case NodeKind::kText:
            attribute_value_ += part.text;
            only_null_optionals = false;
            break;
          case NodeKind::kCharRef:
            AppendCodePoint(part.index, attribute_value_);
            only_null_optionals = false;
            break;
          case NodeKind::kEntityRef:
            AppendEntity(part.text, attribute_value_);
            only_null_optionals = false;
            break;
          case NodeKind::kSubstitution:
            if (part.index < values.size()) {
              const Value& value = values[part.index];
              const bool is_null = value.type == kTypeNull || value.bytes.empty();
              if (!(part.optional && is_null)) only_null_optionals = false;
              if (value.type != kTypeBinXml) AppendValue(value, attribute_value_);
            }
            break;
          default:
            break;
        }
      }
      if (!only_null_optionals) handler_.Attribute(attribute.name, attribute_value_);
    }
    for (const Node& child : element.children) DV_TRY(WalkNode(child, values, depth + 1, item));
    handler_.EndElement(element.text);
    return Ok();
  }

  static void AppendCodePoint(std::uint32_t code_point, std::string& out) {
    if (code_point < 0x80) {
      out += static_cast<char>(code_point);
    } else if (code_point < 0x800) {
      out += static_cast<char>(0xc0 | (code_point >> 6));
      out += static_cast<char>(0x80 | (code_point & 0x3f));
    } else {
      out += static_cast<char>(0xe0 | (code_point >> 12));
      out += static_cast<char>(0x80 | ((code_point >> 6) & 0x3f));
      out += static_cast<char>(0x80 | (code_point & 0x3f));
    }
  }

  static void AppendEntity(std::string_view name, std::string& out) {
    if (name == "lt") {
      out += '<';
    } else if (name == "gt") {
      out += '>';
    } else if (name == "amp") {
      out += '&';
    } else if (name == "quot") {
      out += '"';
    } else if (name == "apos") {
      out += '\'';
    } else {
      out += '&';
      out += name;
      out += ';';
    }
  }

  Status Spend(std::uint64_t units) {
    if (units > budget_) {
      budget_ = 0;
      return Error::Parse("the chunk's records expand beyond the reader's work limit");
    }
    budget_ -= units;
    return Ok();
  }

  ChunkParser& parser_;
  Handler& handler_;
  std::uint64_t budget_ = 0;
  std::string scratch_;
  std::string attribute_value_;
};

}  // namespace dv::evtx
