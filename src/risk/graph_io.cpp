// SPDX-License-Identifier: Apache-2.0
#include "risk/graph_io.h"

#include <charconv>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <vector>

#include "core/json_limits.h"
#include "core/text.h"

namespace dv::risk {
namespace {

using Json = nlohmann::json;

std::string Shortest(double value) {
  char buffer[64];
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
  return ec == std::errc() ? std::string(buffer, end) : std::string("0");
}

// Node and edge attributes as strings, the common ground of both formats.
using Attributes = std::map<std::string, std::string, std::less<>>;

struct RawGraph {
  std::vector<Attributes> nodes;
  std::vector<Attributes> edges;
};

std::optional<std::string_view> Get(const Attributes& attributes, std::string_view name) {
  auto found = attributes.find(name);
  if (found == attributes.end()) return std::nullopt;
  return std::string_view(found->second);
}

Result<double> Number(std::string_view text, const std::string& where) {
  double value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) {
    return Error::Parse(where + ": '" + std::string(text) + "' is not a number");
  }
  return value;
}

Result<bool> Boolean(std::string_view text, const std::string& where) {
  if (text == "true" || text == "1") return true;
  if (text == "false" || text == "0") return false;
  return Error::Parse(where + ": '" + std::string(text) + "' is not true or false");
}

// Resolves raw attributes into a graph; `origin` names the format in errors.
Result<RiskGraph> Assemble(const RawGraph& raw, const ModelParams& params, const std::string& origin) {
  DV_TRY(params.Validate());
  std::vector<RiskNode> nodes;
  std::map<std::string, std::uint32_t, std::less<>> by_code;
  for (std::size_t node_idx = 0; node_idx < raw.nodes.size(); ++node_idx) {
    const Attributes& attributes = raw.nodes[node_idx];
    std::string where = origin + ": nodes[" + std::to_string(node_idx) + "]";
    auto code = Get(attributes, "code");
    if (!code || code->empty()) return Error::Parse(where + ": missing code");
    where += " " + std::string(*code);
    RiskNode node;
    node.code = std::string(*code);
    node.name = std::string(Get(attributes, "name").value_or(*code));
    if (auto kind = Get(attributes, "kind")) {
      auto parsed = ParseOrgKind(*kind);
      if (!parsed.ok()) return parsed.error().WithContext(where);
      node.kind = *parsed;
    }
    const KindDefaults& defaults = params.kind_defaults[KindIndex(node.kind)];
    node.security = defaults.security;
    node.exposure = defaults.exposure;
    node.critical = defaults.critical;
    if (auto region = Get(attributes, "region_code"); region && !region->empty())
      node.region_code = std::string(*region);
    if (auto text = Get(attributes, "security")) {
      auto value = Number(*text, where + ": security");
      if (!value.ok()) return value.error();
      node.security = *value;
    }
    node.security_by_relation.fill(node.security);
    for (std::size_t rel = 0; rel < kRelationCount; ++rel) {
      const std::string key = "security." + std::string(RelationName(static_cast<Relation>(rel)));
      if (auto text = Get(attributes, key)) {
        auto value = Number(*text, where + ": " + key);
        if (!value.ok()) return value.error();
        node.security_by_relation[rel] = *value;
      }
    }
    if (auto text = Get(attributes, "exposure")) {
      auto value = Number(*text, where + ": exposure");
      if (!value.ok()) return value.error();
      node.exposure = *value;
    }
    if (auto text = Get(attributes, "population")) {
      auto value = Number(*text, where + ": population");
      if (!value.ok()) return value.error();
      node.population = static_cast<std::int64_t>(*value);
    }
    if (auto text = Get(attributes, "population_derived")) {
      auto value = Boolean(*text, where + ": population_derived");
      if (!value.ok()) return value.error();
      node.population_derived = *value;
    }
    if (auto text = Get(attributes, "critical")) {
      auto value = Boolean(*text, where + ": critical");
      if (!value.ok()) return value.error();
      node.critical = *value;
    }
    if (!by_code.emplace(node.code, static_cast<std::uint32_t>(nodes.size())).second) {
      return Error::Parse(where + ": duplicate code");
    }
    nodes.push_back(std::move(node));
  }
  std::vector<RiskEdge> edges;
  for (std::size_t edge_idx = 0; edge_idx < raw.edges.size(); ++edge_idx) {
    const Attributes& attributes = raw.edges[edge_idx];
    std::string where = origin + ": edges[" + std::to_string(edge_idx) + "]";
    auto from = Get(attributes, "from");
    auto to = Get(attributes, "to");
    if (!from || !to) return Error::Parse(where + ": missing from or to");
    where += " " + std::string(*from) + " → " + std::string(*to);
    auto from_node = by_code.find(*from);
    if (from_node == by_code.end()) return Error::NotFound(where + ": unknown node '" + std::string(*from) + "'");
    auto to_node = by_code.find(*to);
    if (to_node == by_code.end()) return Error::NotFound(where + ": unknown node '" + std::string(*to) + "'");
    RiskEdge edge;
    edge.from = from_node->second;
    edge.to = to_node->second;
    if (auto relation = Get(attributes, "relation")) {
      auto parsed = ParseRelation(*relation);
      if (!parsed.ok()) return parsed.error().WithContext(where);
      edge.relation = *parsed;
    }
    if (auto text = Get(attributes, "strength")) {
      auto value = Number(*text, where + ": strength");
      if (!value.ok()) return value.error();
      edge.strength = *value;
    }
    if (auto text = Get(attributes, "illustrative")) {
      auto value = Boolean(*text, where + ": illustrative");
      if (!value.ok()) return value.error();
      edge.illustrative = *value;
    }
    edges.push_back(edge);
  }
  auto graph = RiskGraph::FromParts(std::move(nodes), std::move(edges), params);
  if (!graph.ok()) return graph.error().WithContext(origin);
  return graph;
}

std::string JsonScalar(const Json& value) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_boolean()) return value.get<bool>() ? "true" : "false";
  if (value.is_number_integer()) return std::to_string(value.get<std::int64_t>());
  if (value.is_number()) return Shortest(value.get<double>());
  return value.dump();
}

// --- a small XML reader, enough for GraphML ---

std::string DecodeEntities(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t at = 0; at < text.size(); ++at) {
    if (text[at] != '&') {
      out += text[at];
      continue;
    }
    const std::size_t semi = text.find(';', at);
    if (semi == std::string_view::npos) {
      out += text[at];
      continue;
    }
    const std::string_view entity = text.substr(at + 1, semi - at - 1);
    if (entity == "amp")
      out += '&';
    else if (entity == "lt")
      out += '<';
    else if (entity == "gt")
      out += '>';
    else if (entity == "quot")
      out += '"';
    else if (entity == "apos")
      out += '\'';
    else if (!entity.empty() && entity[0] == '#') {
      const bool hex = entity.size() > 1 && (entity[1] == 'x' || entity[1] == 'X');
      std::uint32_t code = 0;
      const char* begin = entity.data() + (hex ? 2 : 1);
      auto [end, ec] = std::from_chars(begin, entity.data() + entity.size(), code, hex ? 16 : 10);
      if (ec != std::errc() || end != entity.data() + entity.size()) {
        out += text.substr(at, semi - at + 1);
      } else if (code < 0x80) {
        out += static_cast<char>(code);
      } else if (code < 0x800) {
        out += static_cast<char>(0xC0 | (code >> 6));
        out += static_cast<char>(0x80 | (code & 0x3F));
      } else if (code < 0x10000) {
        out += static_cast<char>(0xE0 | (code >> 12));
        out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (code & 0x3F));
      } else {
        out += static_cast<char>(0xF0 | (code >> 18));
        out += static_cast<char>(0x80 | ((code >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (code & 0x3F));
      }
    } else {
      out += text.substr(at, semi - at + 1);
    }
    at = semi;
  }
  return out;
}

struct Tag {
  std::string name;  // without namespace prefix
  Attributes attributes;
  bool closing = false;
  bool self_closing = false;
};

std::string_view LocalName(std::string_view name) {
  const std::size_t colon = name.find(':');
  return colon == std::string_view::npos ? name : name.substr(colon + 1);
}

Result<Tag> ParseTag(std::string_view body, std::size_t line) {
  Tag tag;
  std::size_t at = 0;
  if (!body.empty() && body[0] == '/') {
    tag.closing = true;
    at = 1;
  }
  if (!body.empty() && body.back() == '/') {
    tag.self_closing = true;
    body.remove_suffix(1);
  }
  auto is_space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
  const std::size_t name_start = at;
  while (at < body.size() && !is_space(body[at])) ++at;
  tag.name = std::string(LocalName(body.substr(name_start, at - name_start)));
  for (;;) {
    while (at < body.size() && is_space(body[at])) ++at;
    if (at >= body.size()) break;
    const std::size_t key_start = at;
    while (at < body.size() && body[at] != '=' && !is_space(body[at])) ++at;
    const std::string key(body.substr(key_start, at - key_start));
    while (at < body.size() && is_space(body[at])) ++at;
    if (at >= body.size() || body[at] != '=') {
      return Error::Parse("line " + std::to_string(line) + ": attribute '" + key + "' of <" + tag.name +
                          "> has no value");
    }
    ++at;
    while (at < body.size() && is_space(body[at])) ++at;
    if (at >= body.size() || (body[at] != '"' && body[at] != '\'')) {
      return Error::Parse("line " + std::to_string(line) + ": attribute '" + key + "' of <" + tag.name +
                          "> is not quoted");
    }
    const char quote = body[at++];
    const std::size_t value_end = body.find(quote, at);
    if (value_end == std::string_view::npos) {
      return Error::Parse("line " + std::to_string(line) + ": unterminated attribute '" + key + "'");
    }
    tag.attributes[key] = DecodeEntities(body.substr(at, value_end - at));
    at = value_end + 1;
  }
  return tag;
}

Result<RawGraph> ReadGraphMl(std::string_view text) {
  RawGraph raw;
  std::map<std::string, std::string, std::less<>> key_names;  // key id → attr.name
  std::map<std::string, std::string, std::less<>> node_defaults, edge_defaults;
  std::map<std::string, std::string, std::less<>> key_domain;
  enum class Inside { kNone, kNode, kEdge };
  Inside inside = Inside::kNone;
  Attributes current;
  std::optional<std::string> data_key;
  std::optional<std::string> default_key;
  std::string buffer;
  std::size_t line = 1;
  std::size_t at = 0;
  bool seen_graphml = false;
  while (at < text.size()) {
    const std::size_t open = text.find('<', at);
    const std::size_t chunk_end = open == std::string_view::npos ? text.size() : open;
    for (std::size_t pos = at; pos < chunk_end; ++pos) line += text[pos] == '\n';
    if (data_key || default_key) buffer += text.substr(at, chunk_end - at);
    if (open == std::string_view::npos) break;
    if (text.substr(open, 4) == "<!--") {
      const std::size_t close = text.find("-->", open);
      if (close == std::string_view::npos)
        return Error::Parse("line " + std::to_string(line) + ": unterminated comment");
      for (std::size_t pos = open; pos < close; ++pos) line += text[pos] == '\n';
      at = close + 3;
      continue;
    }
    if (text.substr(open, 9) == "<![CDATA[") {
      const std::size_t close = text.find("]]>", open);
      if (close == std::string_view::npos) return Error::Parse("line " + std::to_string(line) + ": unterminated CDATA");
      const std::string_view content = text.substr(open + 9, close - open - 9);
      for (char c : content) line += c == '\n';
      // Kept verbatim; entities are decoded only outside CDATA, so escape '&'.
      if (data_key || default_key) buffer += XmlEscape(content);
      at = close + 3;
      continue;
    }
    const std::size_t close = text.find('>', open);
    if (close == std::string_view::npos) return Error::Parse("line " + std::to_string(line) + ": unterminated tag");
    const std::string_view body = text.substr(open + 1, close - open - 1);
    const std::size_t tag_line = line;
    for (char c : body) line += c == '\n';
    at = close + 1;
    if (!body.empty() && (body[0] == '?' || body[0] == '!')) continue;
    auto tag = ParseTag(body, tag_line);
    if (!tag.ok()) return tag.error();
    const std::string where = "line " + std::to_string(tag_line);
    if (tag->name == "graphml") {
      seen_graphml = true;
    } else if (tag->name == "key" && !tag->closing) {
      auto id = Get(tag->attributes, "id");
      if (!id) return Error::Parse(where + ": <key> without id");
      key_names[std::string(*id)] = std::string(Get(tag->attributes, "attr.name").value_or(*id));
      key_domain[std::string(*id)] = std::string(Get(tag->attributes, "for").value_or("all"));
      if (!tag->self_closing) default_key = std::string(*id);
    } else if (tag->name == "key" && tag->closing) {
      default_key.reset();
    } else if (tag->name == "default" && default_key) {
      if (!tag->closing) {
        buffer.clear();
      } else {
        const std::string& domain = key_domain[*default_key];
        const std::string value = DecodeEntities(buffer);
        if (domain == "node" || domain == "all") node_defaults[key_names[*default_key]] = value;
        if (domain == "edge" || domain == "all") edge_defaults[key_names[*default_key]] = value;
      }
    } else if (tag->name == "graph" && !tag->closing) {
      if (Get(tag->attributes, "edgedefault").value_or("directed") != "directed") {
        return Error::Unsupported(where + ": only directed graphs are supported (edgedefault=\"directed\")");
      }
    } else if (tag->name == "node" && !tag->closing) {
      if (inside != Inside::kNone) return Error::Parse(where + ": nested <node> (nested graphs are not supported)");
      auto id = Get(tag->attributes, "id");
      if (!id) return Error::Parse(where + ": <node> without id");
      current = Attributes(node_defaults.begin(), node_defaults.end());
      current["code"] = std::string(*id);
      inside = Inside::kNode;
      if (tag->self_closing) {
        raw.nodes.push_back(std::move(current));
        inside = Inside::kNone;
      }
    } else if (tag->name == "edge" && !tag->closing) {
      if (inside != Inside::kNone) return Error::Parse(where + ": <edge> inside another element");
      auto source = Get(tag->attributes, "source");
      auto target = Get(tag->attributes, "target");
      if (!source || !target) return Error::Parse(where + ": <edge> without source or target");
      current = Attributes(edge_defaults.begin(), edge_defaults.end());
      current["from"] = std::string(*source);
      current["to"] = std::string(*target);
      inside = Inside::kEdge;
      if (tag->self_closing) {
        raw.edges.push_back(std::move(current));
        inside = Inside::kNone;
      }
    } else if ((tag->name == "node" || tag->name == "edge") && tag->closing) {
      if (inside == Inside::kNode) raw.nodes.push_back(std::move(current));
      if (inside == Inside::kEdge) raw.edges.push_back(std::move(current));
      inside = Inside::kNone;
    } else if (tag->name == "data" && !tag->closing) {
      auto key = Get(tag->attributes, "key");
      if (!key) return Error::Parse(where + ": <data> without key");
      buffer.clear();
      data_key = std::string(*key);
      if (tag->self_closing) data_key.reset();
    } else if (tag->name == "data" && tag->closing) {
      if (data_key && inside != Inside::kNone) {
        auto name = key_names.find(*data_key);
        const std::string attribute = name == key_names.end() ? *data_key : name->second;
        // The element's identity comes from its id/source/target attributes.
        if (attribute != "code" && attribute != "from" && attribute != "to")
          current[attribute] = DecodeEntities(buffer);
      }
      data_key.reset();
    }
  }
  if (!seen_graphml) return Error::Parse("no <graphml> element");
  if (inside != Inside::kNone) return Error::Parse("unterminated <node> or <edge> at the end of the document");
  return raw;
}

}  // namespace

std::string GraphToJson(const RiskGraph& graph) {
  Json nodes = Json::array();
  for (std::uint32_t node_idx = 0; node_idx < graph.NodeCount(); ++node_idx) {
    const RiskNode& node = graph.node(node_idx);
    Json entry = {{"code", node.code},
                  {"name", node.name},
                  {"kind", OrgKindName(node.kind)},
                  {"security", node.security},
                  {"exposure", node.exposure},
                  {"population", node.population},
                  {"population_derived", node.population_derived},
                  {"critical", node.critical},
                  {"initial_probability", graph.InitialProbability(node_idx)}};
    if (node.region_code) entry["region_code"] = *node.region_code;
    Json by_relation = Json::object();
    for (std::size_t rel = 0; rel < kRelationCount; ++rel) {
      if (node.security_by_relation[rel] != node.security) {
        by_relation[std::string(RelationName(static_cast<Relation>(rel)))] = node.security_by_relation[rel];
      }
    }
    if (!by_relation.empty()) entry["security_by_relation"] = by_relation;
    nodes.push_back(std::move(entry));
  }
  Json edges = Json::array();
  for (std::uint32_t edge_idx = 0; edge_idx < graph.EdgeCount(); ++edge_idx) {
    const RiskEdge& edge = graph.edge(edge_idx);
    edges.push_back({{"from", graph.node(edge.from).code},
                     {"to", graph.node(edge.to).code},
                     {"relation", RelationName(edge.relation)},
                     {"strength", edge.strength},
                     {"illustrative", edge.illustrative},
                     {"probability", graph.EdgeProbability(edge_idx)}});
  }
  Json document = {{"format", "dannevirke-risk-graph"}, {"version", 1}, {"nodes", nodes}, {"edges", edges}};
  return document.dump(1) + "\n";
}

Result<RiskGraph> GraphFromJson(std::string_view text, const ModelParams& params) {
  if (auto depth = CheckJsonDepth(text); !depth.ok()) {
    return Error::Parse("risk graph JSON: " + depth.error().message());
  }
  Json document;
  try {
    document = Json::parse(text);
  } catch (const Json::parse_error& error) {
    return Error::Parse(std::string("risk graph JSON: ") + error.what());
  }
  if (!document.is_object()) return Error::Parse("risk graph JSON: the document is not an object");
  if (document.value("format", "") != "dannevirke-risk-graph") {
    return Error::Parse("risk graph JSON: format must be \"dannevirke-risk-graph\"");
  }
  if (!document.contains("nodes") || !document["nodes"].is_array() || !document.contains("edges") ||
      !document["edges"].is_array()) {
    return Error::Parse("risk graph JSON: nodes and edges must be arrays");
  }
  RawGraph raw;
  for (std::size_t node_idx = 0; node_idx < document["nodes"].size(); ++node_idx) {
    const Json& node = document["nodes"][node_idx];
    if (!node.is_object())
      return Error::Parse("risk graph JSON: nodes[" + std::to_string(node_idx) + "] is not an object");
    Attributes attributes;
    for (const auto& [key, value] : node.items()) {
      if (key == "security_by_relation" && value.is_object()) {
        for (const auto& [relation, level] : value.items()) {
          if (!ParseRelation(relation).ok()) {
            return Error::Parse("risk graph JSON: nodes[" + std::to_string(node_idx) +
                                "].security_by_relation: unknown relation '" + relation + "'");
          }
          attributes["security." + relation] = JsonScalar(level);
        }
      } else if (!value.is_null()) {
        attributes[key] = JsonScalar(value);
      }
    }
    raw.nodes.push_back(std::move(attributes));
  }
  for (std::size_t edge_idx = 0; edge_idx < document["edges"].size(); ++edge_idx) {
    const Json& edge = document["edges"][edge_idx];
    if (!edge.is_object())
      return Error::Parse("risk graph JSON: edges[" + std::to_string(edge_idx) + "] is not an object");
    Attributes attributes;
    for (const auto& [key, value] : edge.items()) {
      if (!value.is_null()) attributes[key] = JsonScalar(value);
    }
    raw.edges.push_back(std::move(attributes));
  }
  return Assemble(raw, params, "risk graph JSON");
}

std::string GraphToGraphMl(const RiskGraph& graph) {
  struct Key {
    const char* id;
    const char* domain;
    const char* type;
  };
  static constexpr Key kNodeKeys[] = {
      {"name", "node", "string"},
      {"kind", "node", "string"},
      {"region_code", "node", "string"},
      {"security", "node", "double"},
      {"exposure", "node", "double"},
      {"population", "node", "long"},
      {"population_derived", "node", "boolean"},
      {"critical", "node", "boolean"},
      {"initial_probability", "node", "double"},
  };
  static constexpr Key kEdgeKeys[] = {
      {"relation", "edge", "string"},
      {"strength", "edge", "double"},
      {"illustrative", "edge", "boolean"},
      {"probability", "edge", "double"},
  };
  std::string out =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\" "
      "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "
      "xsi:schemaLocation=\"http://graphml.graphdrawing.org/xmlns "
      "http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd\">\n";
  auto add_key = [&](const std::string& id, const char* domain, const char* type) {
    out += "  <key id=\"" + id + "\" for=\"" + domain + "\" attr.name=\"" + id + "\" attr.type=\"" + type + "\"/>\n";
  };
  for (const Key& key : kNodeKeys) add_key(key.id, key.domain, key.type);
  for (std::size_t rel = 0; rel < kRelationCount; ++rel) {
    add_key("security." + std::string(RelationName(static_cast<Relation>(rel))), "node", "double");
  }
  for (const Key& key : kEdgeKeys) add_key(key.id, key.domain, key.type);
  out += "  <graph id=\"dannevirke\" edgedefault=\"directed\">\n";
  auto data = [&](std::string_view key, const std::string& value) {
    out += "      <data key=\"" + std::string(key) + "\">" + XmlEscape(value) + "</data>\n";
  };
  for (std::uint32_t node_idx = 0; node_idx < graph.NodeCount(); ++node_idx) {
    const RiskNode& node = graph.node(node_idx);
    out += "    <node id=\"" + XmlEscape(node.code) + "\">\n";
    data("name", node.name);
    data("kind", std::string(OrgKindName(node.kind)));
    if (node.region_code) data("region_code", *node.region_code);
    data("security", Shortest(node.security));
    data("exposure", Shortest(node.exposure));
    data("population", std::to_string(node.population));
    data("population_derived", node.population_derived ? "true" : "false");
    data("critical", node.critical ? "true" : "false");
    data("initial_probability", Shortest(graph.InitialProbability(node_idx)));
    for (std::size_t rel = 0; rel < kRelationCount; ++rel) {
      if (node.security_by_relation[rel] != node.security) {
        data("security." + std::string(RelationName(static_cast<Relation>(rel))),
             Shortest(node.security_by_relation[rel]));
      }
    }
    out += "    </node>\n";
  }
  for (std::uint32_t edge_idx = 0; edge_idx < graph.EdgeCount(); ++edge_idx) {
    const RiskEdge& edge = graph.edge(edge_idx);
    out += "    <edge source=\"" + XmlEscape(graph.node(edge.from).code) + "\" target=\"" +
           XmlEscape(graph.node(edge.to).code) + "\">\n";
    data("relation", std::string(RelationName(edge.relation)));
    data("strength", Shortest(edge.strength));
    data("illustrative", edge.illustrative ? "true" : "false");
    data("probability", Shortest(graph.EdgeProbability(edge_idx)));
    out += "    </edge>\n";
  }
  out += "  </graph>\n</graphml>\n";
  return out;
}

Result<RiskGraph> GraphFromGraphMl(std::string_view text, const ModelParams& params) {
  auto raw = ReadGraphMl(text);
  if (!raw.ok()) return raw.error().WithContext("risk graph GraphML");
  return Assemble(*raw, params, "risk graph GraphML");
}

}  // namespace dv::risk
