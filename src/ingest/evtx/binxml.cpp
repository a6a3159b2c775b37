// SPDX-License-Identifier: Apache-2.0
#include "ingest/evtx/binxml.h"

#include <charconv>
#include <cstdio>
#include <cstring>

#include "core/time.h"
#include "ingest/evtx/bytes.h"

namespace dv::evtx {
namespace {

// Binary XML tokens; 0x40 on some of them is a flag ("has attributes" on an
// element, "more follow" elsewhere) and is masked off before dispatch.
constexpr std::uint8_t kTokenEof = 0x00;
constexpr std::uint8_t kTokenOpenStartElement = 0x01;
constexpr std::uint8_t kTokenCloseStartElement = 0x02;
constexpr std::uint8_t kTokenCloseEmptyElement = 0x03;
constexpr std::uint8_t kTokenEndElement = 0x04;
constexpr std::uint8_t kTokenValue = 0x05;
constexpr std::uint8_t kTokenAttribute = 0x06;
constexpr std::uint8_t kTokenCData = 0x07;
constexpr std::uint8_t kTokenCharRef = 0x08;
constexpr std::uint8_t kTokenEntityRef = 0x09;
constexpr std::uint8_t kTokenPiTarget = 0x0a;
constexpr std::uint8_t kTokenPiData = 0x0b;
constexpr std::uint8_t kTokenTemplateInstance = 0x0c;
constexpr std::uint8_t kTokenNormalSubstitution = 0x0d;
constexpr std::uint8_t kTokenOptionalSubstitution = 0x0e;
constexpr std::uint8_t kTokenFragmentHeader = 0x0f;
constexpr std::uint8_t kTokenMoreFlag = 0x40;

// Template definition header: next offset (4), GUID (16), data size (4).
constexpr std::size_t kTemplateHeaderSize = 24;

Error ParseError(std::size_t offset, std::string_view what) {
  return Error::Parse(std::string(what) + " at chunk offset " + HexOffset(offset));
}

template <typename T>
void AppendNumber(T value, std::string& out) {
  char buffer[32];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
  out.append(buffer, result.ptr);
}

// Floating-point values in the C runtime's "%e" form of Windows, with at
// least three exponent digits ("3.199234e+003").
void AppendReal(double value, std::string& out) {
  char buffer[48];
  const int length = std::snprintf(buffer, sizeof buffer, "%.6e", value);
  if (length <= 0) return;
  std::string_view text(buffer, static_cast<std::size_t>(length));
  const std::size_t exponent = text.find_last_of("+-");
  if (exponent == std::string_view::npos || exponent == 0 || text[exponent - 1] != 'e') {
    out += text;  // inf, nan
    return;
  }
  out.append(text.substr(0, exponent + 1));
  for (std::size_t digits = text.size() - exponent - 1; digits < 3; ++digits) out += '0';
  out.append(text.substr(exponent + 1));
}

void AppendHex(std::uint64_t value, std::string& out) {
  char buffer[24];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, value, 16);
  out += "0x";
  out.append(buffer, result.ptr);
}

constexpr char kHexUpper[] = "0123456789ABCDEF";

void AppendHexByte(std::uint8_t byte, std::string& out) {
  out += kHexUpper[byte >> 4];
  out += kHexUpper[byte & 0x0f];
}

void AppendGuid(std::string_view bytes, std::string& out) {
  out += '{';
  for (int byte_idx : {3, 2, 1, 0}) AppendHexByte(LoadU8(bytes, byte_idx), out);
  out += '-';
  for (int byte_idx : {5, 4}) AppendHexByte(LoadU8(bytes, byte_idx), out);
  out += '-';
  for (int byte_idx : {7, 6}) AppendHexByte(LoadU8(bytes, byte_idx), out);
  out += '-';
  for (int byte_idx : {8, 9}) AppendHexByte(LoadU8(bytes, byte_idx), out);
  out += '-';
  for (int byte_idx = 10; byte_idx < 16; ++byte_idx) AppendHexByte(LoadU8(bytes, byte_idx), out);
  out += '}';
}

// A SID: revision, sub-authority count, 48-bit big-endian authority, then
// 32-bit little-endian sub-authorities. Returns its size, or 0 when `bytes`
// does not hold a whole SID.
std::size_t SidSize(std::string_view bytes) {
  if (bytes.size() < 8) return 0;
  const std::size_t size = 8 + 4 * static_cast<std::size_t>(LoadU8(bytes, 1));
  return size <= bytes.size() ? size : 0;
}

void AppendSid(std::string_view bytes, std::string& out) {
  const std::size_t size = SidSize(bytes);
  if (size == 0) return;
  out += "S-";
  AppendNumber(LoadU8(bytes, 0), out);
  out += '-';
  std::uint64_t authority = 0;
  for (std::size_t byte_idx = 2; byte_idx < 8; ++byte_idx) authority = (authority << 8) | LoadU8(bytes, byte_idx);
  if (authority >> 32 != 0) {
    char buffer[24];
    std::snprintf(buffer, sizeof buffer, "0x%012llX", static_cast<unsigned long long>(authority));
    out += buffer;
  } else {
    AppendNumber(authority, out);
  }
  for (std::size_t pos = 8; pos < size; pos += 4) {
    out += '-';
    AppendNumber(LoadU32(bytes, pos), out);
  }
}

// FILETIME: 100 ns intervals since 1601-01-01 UTC, rendered with nine
// fraction digits as current Windows versions do.
void AppendFileTime(std::uint64_t filetime, std::string& out) {
  constexpr std::int64_t kEpochDifferenceMs = 11'644'473'600'000;
  const auto ms = static_cast<std::int64_t>(filetime / 10'000) - kEpochDifferenceMs;
  const std::string text = Timestamp(ms).ToRfc3339();  // "YYYY-MM-DDTHH:MM:SS.mmmZ"
  char fraction[24];
  std::snprintf(fraction, sizeof fraction, ".%07llu00", static_cast<unsigned long long>(filetime % 10'000'000));
  out.append(text, 0, text.size() - 5);
  out += fraction;
  out += 'Z';
}

void AppendSystemTime(std::string_view bytes, std::string& out) {
  char buffer[48];
  std::snprintf(buffer, sizeof buffer, "%04u-%02u-%02uT%02u:%02u:%02u.%03uZ", LoadU16(bytes, 0), LoadU16(bytes, 2),
                LoadU16(bytes, 6), LoadU16(bytes, 8), LoadU16(bytes, 10), LoadU16(bytes, 12), LoadU16(bytes, 14));
  out += buffer;
}

// Windows-1252 is the usual code page of ANSI strings; bytes 0x80-0x9f that
// it defines are mapped, the rest of the upper half is Latin-1.
void AppendAnsi(std::string_view bytes, std::string& out) {
  static constexpr std::uint16_t kCp1252High[32] = {0x20ac, 0xfffd, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021,
                                                    0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0xfffd, 0x017d, 0xfffd,
                                                    0xfffd, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014,
                                                    0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0xfffd, 0x017e, 0x0178};
  for (char c : bytes) {
    const auto byte = static_cast<std::uint8_t>(c);
    if (byte < 0x80) {
      out += c;
      continue;
    }
    const std::uint32_t code_point = byte < 0xa0 ? kCp1252High[byte - 0x80] : byte;
    if (code_point < 0x800) {
      out += static_cast<char>(0xc0 | (code_point >> 6));
      out += static_cast<char>(0x80 | (code_point & 0x3f));
    } else {
      out += static_cast<char>(0xe0 | (code_point >> 12));
      out += static_cast<char>(0x80 | ((code_point >> 6) & 0x3f));
      out += static_cast<char>(0x80 | (code_point & 0x3f));
    }
  }
}

std::string_view TrimTrailingNulUtf16(std::string_view bytes) {
  std::size_t size = bytes.size() & ~std::size_t{1};
  while (size >= 2 && bytes[size - 1] == 0 && bytes[size - 2] == 0) size -= 2;
  return bytes.substr(0, size);
}

std::string_view TrimTrailingNul(std::string_view bytes) {
  std::size_t size = bytes.size();
  while (size >= 1 && bytes[size - 1] == 0) --size;
  return bytes.substr(0, size);
}

// The size of one item of a fixed-size type, or 0 for variable-size types.
std::size_t FixedSize(std::uint8_t type, std::size_t total) {
  switch (type) {
    case kTypeInt8:
    case kTypeUInt8:
      return 1;
    case kTypeInt16:
    case kTypeUInt16:
      return 2;
    case kTypeInt32:
    case kTypeUInt32:
    case kTypeReal32:
    case kTypeBool:
    case kTypeHexInt32:
      return 4;
    case kTypeInt64:
    case kTypeUInt64:
    case kTypeReal64:
    case kTypeFileTime:
    case kTypeHexInt64:
      return 8;
    case kTypeGuid:
    case kTypeSystemTime:
      return 16;
    case kTypeSizeT:
      return total % 8 == 0 ? 8 : 4;
    default:
      return 0;
  }
}

}  // namespace

std::string HexOffset(std::uint64_t value) {
  char buffer[24];
  std::snprintf(buffer, sizeof buffer, "0x%llx", static_cast<unsigned long long>(value));
  return buffer;
}

void AppendUtf16(std::string_view bytes, std::string& out) {
  const std::size_t units = bytes.size() / 2;
  out.reserve(out.size() + units);
  for (std::size_t unit_idx = 0; unit_idx < units; ++unit_idx) {
    std::uint32_t code_point = LoadU16(bytes, unit_idx * 2);
    if (code_point < 0x80) {
      out += static_cast<char>(code_point);
      continue;
    }
    if (code_point >= 0xd800 && code_point <= 0xdfff) {
      std::uint32_t low = 0;
      if (code_point < 0xdc00 && unit_idx + 1 < units) low = LoadU16(bytes, (unit_idx + 1) * 2);
      if (low >= 0xdc00 && low <= 0xdfff) {
        code_point = 0x10000 + ((code_point - 0xd800) << 10) + (low - 0xdc00);
        ++unit_idx;
      } else {
        code_point = 0xfffd;
      }
    }
    if (code_point < 0x800) {
      out += static_cast<char>(0xc0 | (code_point >> 6));
      out += static_cast<char>(0x80 | (code_point & 0x3f));
    } else if (code_point < 0x10000) {
      out += static_cast<char>(0xe0 | (code_point >> 12));
      out += static_cast<char>(0x80 | ((code_point >> 6) & 0x3f));
      out += static_cast<char>(0x80 | (code_point & 0x3f));
    } else {
      out += static_cast<char>(0xf0 | (code_point >> 18));
      out += static_cast<char>(0x80 | ((code_point >> 12) & 0x3f));
      out += static_cast<char>(0x80 | ((code_point >> 6) & 0x3f));
      out += static_cast<char>(0x80 | (code_point & 0x3f));
    }
  }
}

void AppendScalar(std::uint8_t type, std::string_view bytes, std::string& out) {
  const std::size_t size = bytes.size();
  switch (type) {
    case kTypeNull:
      return;
    case kTypeString:
    case kTypeEvtXml:
      AppendUtf16(TrimTrailingNulUtf16(bytes), out);
      return;
    case kTypeAnsiString:
      AppendAnsi(TrimTrailingNul(bytes), out);
      return;
    case kTypeInt8:
      if (size == 1) AppendNumber(static_cast<std::int8_t>(LoadU8(bytes, 0)), out);
      return;
    case kTypeUInt8:
      if (size == 1) AppendNumber(LoadU8(bytes, 0), out);
      return;
    case kTypeInt16:
      if (size == 2) AppendNumber(static_cast<std::int16_t>(LoadU16(bytes, 0)), out);
      return;
    case kTypeUInt16:
      if (size == 2) AppendNumber(LoadU16(bytes, 0), out);
      return;
    case kTypeInt32:
      if (size == 4) AppendNumber(static_cast<std::int32_t>(LoadU32(bytes, 0)), out);
      return;
    case kTypeUInt32:
      if (size == 4) AppendNumber(LoadU32(bytes, 0), out);
      return;
    case kTypeInt64:
      if (size == 8) AppendNumber(static_cast<std::int64_t>(LoadU64(bytes, 0)), out);
      return;
    case kTypeUInt64:
      if (size == 8) AppendNumber(LoadU64(bytes, 0), out);
      return;
    case kTypeReal32:
      if (size == 4) {
        float value = 0;
        std::memcpy(&value, bytes.data(), 4);
        AppendReal(value, out);
      }
      return;
    case kTypeReal64:
      if (size == 8) {
        double value = 0;
        std::memcpy(&value, bytes.data(), 8);
        AppendReal(value, out);
      }
      return;
    case kTypeBool: {
      bool value = false;
      for (char c : bytes) value = value || c != 0;
      if (size > 0) out += value ? "true" : "false";
      return;
    }
    case kTypeBinary:
    case kTypeEvtHandle:
    case kTypeBinXml:
      out.reserve(out.size() + 2 * size);
      for (char c : bytes) AppendHexByte(static_cast<std::uint8_t>(c), out);
      return;
    case kTypeGuid:
      if (size == 16) AppendGuid(bytes, out);
      return;
    case kTypeSizeT:
      if (size == 4) AppendHex(LoadU32(bytes, 0), out);
      if (size == 8) AppendHex(LoadU64(bytes, 0), out);
      return;
    case kTypeFileTime:
      if (size == 8) AppendFileTime(LoadU64(bytes, 0), out);
      return;
    case kTypeSystemTime:
      if (size == 16) AppendSystemTime(bytes, out);
      return;
    case kTypeSid:
      AppendSid(bytes, out);
      return;
    case kTypeHexInt32:
      if (size == 4) AppendHex(LoadU32(bytes, 0), out);
      return;
    case kTypeHexInt64:
      if (size == 8) AppendHex(LoadU64(bytes, 0), out);
      return;
    default:
      // Unknown types keep their bytes visible rather than vanish.
      for (char c : bytes) AppendHexByte(static_cast<std::uint8_t>(c), out);
      return;
  }
}

void SplitArray(std::uint8_t type, std::string_view bytes, std::vector<std::string_view>& items) {
  const auto base = static_cast<std::uint8_t>(type & ~kArrayFlag);
  if (base == kTypeString) {
    bytes = bytes.substr(0, bytes.size() & ~std::size_t{1});
    std::size_t start = 0;
    for (std::size_t pos = 0; pos + 1 < bytes.size(); pos += 2) {
      if (bytes[pos] == 0 && bytes[pos + 1] == 0) {
        items.push_back(bytes.substr(start, pos - start));
        start = pos + 2;
      }
    }
    if (start < bytes.size()) items.push_back(bytes.substr(start));
    return;
  }
  if (base == kTypeAnsiString) {
    std::size_t start = 0;
    for (std::size_t pos = 0; pos < bytes.size(); ++pos) {
      if (bytes[pos] == 0) {
        items.push_back(bytes.substr(start, pos - start));
        start = pos + 1;
      }
    }
    if (start < bytes.size()) items.push_back(bytes.substr(start));
    return;
  }
  if (base == kTypeSid) {
    while (!bytes.empty()) {
      const std::size_t size = SidSize(bytes);
      if (size == 0) return;
      items.push_back(bytes.substr(0, size));
      bytes.remove_prefix(size);
    }
    return;
  }
  const std::size_t item_size = FixedSize(base, bytes.size());
  if (item_size == 0) {
    if (!bytes.empty()) items.push_back(bytes);
    return;
  }
  for (std::size_t pos = 0; pos + item_size <= bytes.size(); pos += item_size) {
    items.push_back(bytes.substr(pos, item_size));
  }
}

void AppendValue(const Value& value, std::string& out) {
  if ((value.type & kArrayFlag) == 0) {
    AppendScalar(value.type, value.bytes, out);
    return;
  }
  std::vector<std::string_view> items;
  SplitArray(value.type, value.bytes, items);
  const auto base = static_cast<std::uint8_t>(value.type & ~kArrayFlag);
  for (std::size_t item_idx = 0; item_idx < items.size(); ++item_idx) {
    if (item_idx > 0) out += ", ";
    AppendScalar(base, items[item_idx], out);
  }
}

void ChunkParser::Reset(std::string_view chunk) {
  chunk_ = chunk;
  templates_.clear();
  names_.clear();
}

Status ChunkParser::Need(const Cursor& cur, std::uint64_t count, std::string_view what) const {
  if (Fits(cur.pos, count, cur.end)) return Ok();
  return ParseError(cur.pos, std::string(what) + " runs past the end of its data (" + std::to_string(count) +
                                 " bytes wanted, " + std::to_string(cur.end > cur.pos ? cur.end - cur.pos : 0) +
                                 " left)");
}

Status ChunkParser::ParseFragment(std::size_t begin, std::size_t end, std::vector<Node>& out, int depth) {
  if (depth > kMaxDepth) return ParseError(begin, "binary XML nested more than 64 levels deep");
  if (end > chunk_.size() || begin > end) return ParseError(begin, "binary XML fragment outside the chunk");
  Cursor cur{begin, end};
  while (cur.pos < cur.end) {
    const std::uint8_t token = LoadU8(chunk_, cur.pos);
    if (token == kTokenEof) return Ok();
    if (token == kTokenFragmentHeader) {
      DV_TRY(Need(cur, 4, "fragment header"));
      cur.pos += 4;
      continue;
    }
    DV_TRY(ParseContentToken(cur, out, depth));
  }
  return Ok();  // a fragment may end with its data instead of an end-of-fragment token
}

Status ChunkParser::ParseContentToken(Cursor& cur, std::vector<Node>& out, int depth) {
  const std::size_t start = cur.pos;
  const std::uint8_t token = LoadU8(chunk_, cur.pos);
  switch (static_cast<std::uint8_t>(token & ~kTokenMoreFlag)) {
    case kTokenOpenStartElement:
      return ParseElement(cur, out, depth);
    case kTokenValue: {
      DV_TRY(Need(cur, 4, "value text"));
      const std::uint8_t type = LoadU8(chunk_, cur.pos + 1);
      const std::uint16_t chars = LoadU16(chunk_, cur.pos + 2);
      cur.pos += 4;
      DV_TRY(Need(cur, 2ULL * chars, "value text"));
      Node& node = out.emplace_back();
      node.kind = NodeKind::kText;
      const std::string_view bytes = chunk_.substr(cur.pos, 2ULL * chars);
      if (type == kTypeString) {
        AppendUtf16(bytes, node.text);
      } else {
        AppendScalar(type, bytes, node.text);
      }
      cur.pos += 2ULL * chars;
      return Ok();
    }
    case kTokenCData: {
      DV_TRY(Need(cur, 3, "CDATA section"));
      const std::uint16_t chars = LoadU16(chunk_, cur.pos + 1);
      cur.pos += 3;
      DV_TRY(Need(cur, 2ULL * chars, "CDATA section"));
      Node& node = out.emplace_back();
      node.kind = NodeKind::kText;
      AppendUtf16(chunk_.substr(cur.pos, 2ULL * chars), node.text);
      cur.pos += 2ULL * chars;
      return Ok();
    }
    case kTokenCharRef: {
      DV_TRY(Need(cur, 3, "character reference"));
      Node& node = out.emplace_back();
      node.kind = NodeKind::kCharRef;
      node.index = LoadU16(chunk_, cur.pos + 1);
      cur.pos += 3;
      return Ok();
    }
    case kTokenEntityRef: {
      DV_TRY(Need(cur, 1, "entity reference"));
      cur.pos += 1;
      std::string name;
      DV_TRY(ReadNameRef(cur, name));
      Node& node = out.emplace_back();
      node.kind = NodeKind::kEntityRef;
      node.text = std::move(name);
      return Ok();
    }
    case kTokenPiTarget: {
      cur.pos += 1;
      std::string target;
      DV_TRY(ReadNameRef(cur, target));
      Node& node = out.emplace_back();
      node.kind = NodeKind::kPi;
      node.text = std::move(target);
      return Ok();
    }
    case kTokenPiData: {
      DV_TRY(Need(cur, 3, "processing instruction data"));
      const std::uint16_t chars = LoadU16(chunk_, cur.pos + 1);
      cur.pos += 3;
      DV_TRY(Need(cur, 2ULL * chars, "processing instruction data"));
      if (!out.empty() && out.back().kind == NodeKind::kPi) {
        out.back().text += ' ';
        AppendUtf16(chunk_.substr(cur.pos, 2ULL * chars), out.back().text);
      }
      cur.pos += 2ULL * chars;
      return Ok();
    }
    case kTokenTemplateInstance:
      return ParseTemplateInstance(cur, out, depth);
    case kTokenNormalSubstitution:
    case kTokenOptionalSubstitution: {
      DV_TRY(Need(cur, 4, "substitution"));
      Node& node = out.emplace_back();
      node.kind = NodeKind::kSubstitution;
      node.optional = token == kTokenOptionalSubstitution;
      node.index = LoadU16(chunk_, cur.pos + 1);
      cur.pos += 4;  // token, index, declared type (the value's own type is used)
      return Ok();
    }
    case kTokenFragmentHeader:
      DV_TRY(Need(cur, 4, "fragment header"));
      cur.pos += 4;
      return Ok();
    default: {
      char what[64];
      std::snprintf(what, sizeof what, "unknown binary XML token 0x%02x", token);
      return ParseError(start, what);
    }
  }
}

Status ChunkParser::ParseElement(Cursor& cur, std::vector<Node>& out, int depth) {
  if (depth > kMaxDepth) return ParseError(cur.pos, "elements nested more than 64 levels deep");
  const bool has_attributes = (LoadU8(chunk_, cur.pos) & kTokenMoreFlag) != 0;
  // token, [dependency id (2)], data size (4), name offset (4)
  DV_TRY(Need(cur, 9, "element start"));
  cur.pos += HasDependencyId(cur) ? 7 : 5;
  Node element;
  element.kind = NodeKind::kElement;
  DV_TRY(ReadNameRef(cur, element.text));
  if (has_attributes) {
    DV_TRY(Need(cur, 4, "attribute list size"));
    cur.pos += 4;
    while (cur.pos < cur.end && (LoadU8(chunk_, cur.pos) & ~kTokenMoreFlag) == kTokenAttribute) {
      cur.pos += 1;
      Attribute& attribute = element.attributes.emplace_back();
      DV_TRY(ReadNameRef(cur, attribute.name));
      while (cur.pos < cur.end) {
        const auto next = static_cast<std::uint8_t>(LoadU8(chunk_, cur.pos) & ~kTokenMoreFlag);
        if (next != kTokenValue && next != kTokenNormalSubstitution && next != kTokenOptionalSubstitution &&
            next != kTokenCharRef && next != kTokenEntityRef) {
          break;
        }
        DV_TRY(ParseContentToken(cur, attribute.value, depth + 1));
      }
    }
  }
  DV_TRY(Need(cur, 1, "element start"));
  const std::uint8_t close = LoadU8(chunk_, cur.pos);
  if (close == kTokenCloseEmptyElement) {
    cur.pos += 1;
  } else if (close == kTokenCloseStartElement) {
    cur.pos += 1;
    while (true) {
      DV_TRY(Need(cur, 1, "content of element <" + element.text + ">"));
      const std::uint8_t token = LoadU8(chunk_, cur.pos);
      if (token == kTokenEndElement) {
        cur.pos += 1;
        break;
      }
      if (token == kTokenEof) return ParseError(cur.pos, "end of fragment inside element <" + element.text + ">");
      DV_TRY(ParseContentToken(cur, element.children, depth + 1));
    }
  } else {
    char what[96];
    std::snprintf(what, sizeof what, "token 0x%02x where the end of a start tag belongs", close);
    return ParseError(cur.pos, what);
  }
  out.push_back(std::move(element));
  return Ok();
}

// The dependency id of an element start is present in template definitions
// but absent from elements written without a template. The name offset that
// follows tells which: a name is either inline (its offset is that of the
// next byte) or earlier in the chunk.
bool ChunkParser::HasDependencyId(const Cursor& cur) const {
  const std::size_t start = cur.pos;
  const bool with_fits = Fits(start, 11, cur.end);
  if (with_fits && LoadU32(chunk_, start + 7) == start + 11) return true;
  if (LoadU32(chunk_, start + 5) == start + 9) return false;
  if (with_fits && LoadU32(chunk_, start + 7) < start) return true;
  if (LoadU32(chunk_, start + 5) < start) return false;
  return with_fits;
}

Status ChunkParser::ParseTemplateInstance(Cursor& cur, std::vector<Node>& out, int depth) {
  // token, unknown byte, template id (4), definition offset (4)
  DV_TRY(Need(cur, 10, "template instance"));
  const std::uint32_t definition = LoadU32(chunk_, cur.pos + 6);
  cur.pos += 10;
  if (definition == cur.pos) {
    // The definition follows inline; skip it (it is parsed from the chunk by offset).
    DV_TRY(Need(cur, kTemplateHeaderSize, "template definition"));
    const std::uint32_t size = LoadU32(chunk_, cur.pos + 20);
    DV_TRY(Need(cur, kTemplateHeaderSize + std::uint64_t{size}, "template definition"));
    cur.pos += kTemplateHeaderSize + size;
  }
  auto tmpl = GetTemplate(definition, depth);
  if (!tmpl.ok()) return tmpl.error();

  DV_TRY(Need(cur, 4, "template value count"));
  const std::uint32_t count = LoadU32(chunk_, cur.pos);
  cur.pos += 4;
  DV_TRY(Need(cur, 4ULL * count, "template value descriptors"));
  Node& node = out.emplace_back();
  node.kind = NodeKind::kTemplateInstance;
  node.tmpl = *tmpl;
  node.values.resize(count);
  std::size_t value_pos = cur.pos + 4ULL * count;
  for (std::uint32_t value_idx = 0; value_idx < count; ++value_idx) {
    const std::size_t descriptor = cur.pos + 4ULL * value_idx;
    const std::uint16_t size = LoadU16(chunk_, descriptor);
    if (!Fits(value_pos, size, cur.end)) {
      return ParseError(value_pos, "template value " + std::to_string(value_idx) + " of " + std::to_string(size) +
                                       " bytes runs past the end of its data");
    }
    node.values[value_idx] = Value{LoadU8(chunk_, descriptor + 2), chunk_.substr(value_pos, size)};
    value_pos += size;
  }
  cur.pos = value_pos;
  return Ok();
}

Result<const Template*> ChunkParser::GetTemplate(std::uint32_t offset, int depth) {
  auto found = templates_.find(offset);
  if (found != templates_.end()) {
    const Template& tmpl = *found->second;
    if (tmpl.in_progress) return ParseError(offset, "template definition refers to itself");
    if (!tmpl.error.empty()) return Error::Parse(tmpl.error);
    return &tmpl;
  }
  if (!Fits(offset, kTemplateHeaderSize, chunk_.size())) {
    return ParseError(offset, "template definition offset points outside the chunk");
  }
  const std::uint32_t size = LoadU32(chunk_, offset + 20);
  const std::size_t begin = offset + kTemplateHeaderSize;
  if (!Fits(begin, size, chunk_.size())) {
    return ParseError(offset, "template definition of " + std::to_string(size) + " bytes runs past the chunk");
  }
  auto owned = std::make_unique<Template>();
  Template* tmpl = owned.get();
  templates_.emplace(offset, std::move(owned));
  tmpl->in_progress = true;
  Status parsed = ParseFragment(begin, begin + size, tmpl->nodes, depth + 1);
  tmpl->in_progress = false;
  if (!parsed.ok()) {
    tmpl->error = "template definition at chunk offset " + HexOffset(offset) + ": " + parsed.error().message();
    tmpl->nodes.clear();
    return Error::Parse(tmpl->error);
  }
  return static_cast<const Template*>(tmpl);
}

Status ChunkParser::ReadNameRef(Cursor& cur, std::string& name) {
  DV_TRY(Need(cur, 4, "name offset"));
  const std::uint32_t offset = LoadU32(chunk_, cur.pos);
  cur.pos += 4;
  if (offset == cur.pos) {
    // Inline name: next offset (4), hash (2), character count (2), characters, NUL.
    DV_TRY(Need(cur, 8, "name"));
    const std::uint16_t chars = LoadU16(chunk_, cur.pos + 6);
    DV_TRY(Need(cur, 8 + 2ULL * chars + 2, "name"));
    cur.pos += 8 + 2ULL * chars + 2;
  }
  return LookupName(offset, name);
}

Status ChunkParser::LookupName(std::uint32_t offset, std::string& name) {
  auto found = names_.find(offset);
  if (found != names_.end()) {
    name = found->second;
    return Ok();
  }
  if (!Fits(offset, 8, chunk_.size())) return ParseError(offset, "name offset points outside the chunk");
  const std::uint16_t chars = LoadU16(chunk_, offset + 6);
  if (!Fits(offset + 8, 2ULL * chars, chunk_.size())) return ParseError(offset, "name runs past the chunk");
  name.clear();
  AppendUtf16(chunk_.substr(offset + 8, 2ULL * chars), name);
  names_.emplace(offset, name);
  return Ok();
}

}  // namespace dv::evtx
