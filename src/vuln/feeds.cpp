// SPDX-License-Identifier: Apache-2.0
#include "vuln/feeds.h"

#include <charconv>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "core/json_fields.h"
#include "vuln/json_util.h"

namespace dv::vuln {

using internal::Json;

std::string SeverityForScore(double score) {
  if (score < 0) return {};
  if (score >= 9.0) return "CRITICAL";
  if (score >= 7.0) return "HIGH";
  if (score >= 4.0) return "MEDIUM";
  if (score > 0.0) return "LOW";
  return "NONE";
}

std::string_view FeedKindName(FeedKind kind) {
  switch (kind) {
    case FeedKind::kNvd:
      return "nvd";
    case FeedKind::kCve5:
      return "cve5";
    case FeedKind::kKev:
      return "kev";
    case FeedKind::kEpss:
      return "epss";
    case FeedKind::kCsaf:
      return "csaf";
  }
  return "nvd";
}

namespace {

std::string Upper(std::string text) {
  for (char& c : text) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return text;
}

std::string EnglishDescription(const Json& container, std::string_view key) {
  const Json* list = FindField(container, key);
  if (list == nullptr || !list->is_array()) return {};
  std::string first;
  for (const Json& item : *list) {
    const std::string lang = StringFieldOr(item, "lang");
    const std::string value = StringFieldOr(item, "value");
    if (lang.starts_with("en")) return value;
    if (first.empty()) first = value;
  }
  return first;
}

std::string RangeText(const Criterion& criterion) {
  if (criterion.range) return criterion.range->ToString();
  if (!criterion.exact_version.empty()) return "= " + criterion.exact_version;
  if (criterion.all_versions) return "all versions";
  return {};
}

void FillText(Criterion& criterion, const std::string& identifier) {
  criterion.text = identifier;
  const std::string range = RangeText(criterion);
  if (!range.empty()) criterion.text += " (" + range + ")";
}

// ---- NVD ----

Status ParseNvdMetrics(const Json& cve, Vulnerability& vuln) {
  const Json* metrics = FindField(cve, "metrics");
  if (metrics == nullptr || !metrics->is_object()) return Ok();
  for (std::string_view key : {"cvssMetricV40", "cvssMetricV31", "cvssMetricV30", "cvssMetricV2"}) {
    const Json* list = FindField(*metrics, key);
    if (list == nullptr || !list->is_array() || list->empty()) continue;
    const Json* chosen = &(*list)[0];
    for (const Json& metric : *list) {
      if (StringFieldOr(metric, "type") == "Primary") chosen = &metric;
    }
    const Json* data = FindField(*chosen, "cvssData");
    if (data == nullptr) continue;
    const auto score = NumberFieldOr(*data, "baseScore");
    if (!score || *score < 0 || *score > 10) continue;
    vuln.cvss = *score;
    vuln.cvss_vector = StringFieldOr(*data, "vectorString");
    std::string severity = StringFieldOr(*data, "baseSeverity", StringFieldOr(*chosen, "baseSeverity"));
    vuln.severity = severity.empty() ? SeverityForScore(*score) : Upper(severity);
    return Ok();
  }
  return Ok();
}

Result<Criterion> ParseNvdCpeMatch(const Json& match, const std::string& path) {
  if (!match.is_object()) return Error::Parse(path + ": expected an object");
  auto criteria = StringField(match, "criteria", path);
  if (!criteria.ok()) return criteria.error();
  auto cpe = ParseCpe(*criteria);
  if (!cpe.ok()) return cpe.error().WithContext(path + ".criteria");
  Criterion criterion;
  criterion.kind = Criterion::Kind::kCpe;
  criterion.cpe = std::move(*cpe);
  criterion.vendor = criterion.cpe.vendor().value;
  criterion.product = criterion.cpe.product().value;
  const Json* vulnerable = FindField(match, "vulnerable");
  if (vulnerable == nullptr || !vulnerable->is_boolean()) return Error::Parse(path + ": missing boolean 'vulnerable'");
  criterion.vulnerable = vulnerable->get<bool>();
  VersionRange range;
  bool has_range = false;
  for (const auto& [key, inclusive, is_start] :
       {std::tuple{"versionStartIncluding", true, true}, std::tuple{"versionStartExcluding", false, true},
        std::tuple{"versionEndIncluding", true, false}, std::tuple{"versionEndExcluding", false, false}}) {
    auto value = OptionalStringField(match, key, path);
    if (!value.ok()) return value.error();
    if (!value->has_value()) continue;
    has_range = true;
    if (is_start) {
      range.start = **value;
      range.start_inclusive = inclusive;
    } else {
      range.end = **value;
      range.end_inclusive = inclusive;
    }
  }
  if (has_range) criterion.range = range;
  FillText(criterion, criterion.cpe.ToString());
  return criterion;
}

Result<Configuration> ParseNvdConfiguration(const Json& config, const std::string& path) {
  if (!config.is_object()) return Error::Parse(path + ": expected an object");
  Configuration out;
  out.op = StringFieldOr(config, "operator", "OR") == "AND" ? NodeOperator::kAnd : NodeOperator::kOr;
  out.negate = BoolFieldOr(config, "negate", false);
  auto nodes = OptionalArrayField(config, "nodes", path);
  if (!nodes.ok()) return nodes.error();
  for (std::size_t node_idx = 0; node_idx < (*nodes)->size(); ++node_idx) {
    const Json& node = (**nodes)[node_idx];
    const std::string node_path = path + ".nodes[" + std::to_string(node_idx) + "]";
    if (!node.is_object()) return Error::Parse(node_path + ": expected an object");
    ConfigNode parsed;
    const std::string op = StringFieldOr(node, "operator", "OR");
    if (op != "AND" && op != "OR")
      return Error::Parse(node_path + ".operator: must be 'AND' or 'OR', not '" + op + "'");
    parsed.op = op == "AND" ? NodeOperator::kAnd : NodeOperator::kOr;
    parsed.negate = BoolFieldOr(node, "negate", false);
    auto matches = OptionalArrayField(node, "cpeMatch", node_path);
    if (!matches.ok()) return matches.error();
    for (std::size_t match_idx = 0; match_idx < (*matches)->size(); ++match_idx) {
      auto criterion =
          ParseNvdCpeMatch((**matches)[match_idx], node_path + ".cpeMatch[" + std::to_string(match_idx) + "]");
      if (!criterion.ok()) return criterion.error();
      parsed.criteria.push_back(std::move(*criterion));
    }
    out.nodes.push_back(std::move(parsed));
  }
  return out;
}

Result<Vulnerability> ParseNvdCve(const Json& cve, const std::string& path) {
  if (!cve.is_object()) return Error::Parse(path + ": expected an object");
  auto id = StringField(cve, "id", path);
  if (!id.ok()) return id.error();
  if (!id->starts_with("CVE-")) return Error::Parse(path + ".id: '" + *id + "' is not a CVE id");
  Vulnerability vuln;
  vuln.id = *id;
  vuln.description = EnglishDescription(cve, "descriptions");
  vuln.published = internal::ParseLooseTime(StringFieldOr(cve, "published"));
  vuln.last_modified = internal::ParseLooseTime(StringFieldOr(cve, "lastModified"));
  DV_TRY(ParseNvdMetrics(cve, vuln));
  if (const Json* refs = FindField(cve, "references"); refs != nullptr && refs->is_array()) {
    for (const Json& ref : *refs) {
      const std::string url = StringFieldOr(ref, "url");
      if (!url.empty()) vuln.references.push_back(url);
    }
  }
  auto configs = OptionalArrayField(cve, "configurations", path);
  if (!configs.ok()) return configs.error();
  for (std::size_t config_idx = 0; config_idx < (*configs)->size(); ++config_idx) {
    auto config =
        ParseNvdConfiguration((**configs)[config_idx], path + ".configurations[" + std::to_string(config_idx) + "]");
    if (!config.ok()) return config.error();
    vuln.nvd.push_back(std::move(*config));
  }
  return vuln;
}

Result<NvdFeed> ParseNvdDoc(const Json& doc, std::string_view origin) {
  NvdFeed feed;
  feed.info.kind = FeedKind::kNvd;
  feed.info.origin = std::string(origin);
  const std::string root(origin);
  if (!doc.is_object()) return Error::Parse(root + ": expected a JSON object");
  if (FindField(doc, "vulnerabilities") == nullptr && FindField(doc, "id") != nullptr) {
    auto vuln = ParseNvdCve(doc, root);
    if (!vuln.ok()) return vuln.error();
    feed.info.source_date = StringFieldOr(doc, "lastModified");
    feed.vulnerabilities.push_back(std::move(*vuln));
    return feed;
  }
  feed.info.source_date = StringFieldOr(doc, "timestamp");
  feed.info.version = StringFieldOr(doc, "version");
  const Json* list = FindField(doc, "vulnerabilities");
  if (list == nullptr || !list->is_array()) return Error::Parse(root + ": missing array 'vulnerabilities'");
  feed.vulnerabilities.reserve(list->size());
  for (std::size_t item_idx = 0; item_idx < list->size(); ++item_idx) {
    const std::string path = root + ": vulnerabilities[" + std::to_string(item_idx) + "]";
    const Json* cve = FindField((*list)[item_idx], "cve");
    if (cve == nullptr) return Error::Parse(path + ": missing 'cve'");
    auto vuln = ParseNvdCve(*cve, path + ".cve");
    if (!vuln.ok()) return vuln.error();
    feed.vulnerabilities.push_back(std::move(*vuln));
  }
  return feed;
}

// ---- CVE JSON 5 ----

void ParseCve5Metrics(const Json& cna, Vulnerability& vuln) {
  const Json* metrics = FindField(cna, "metrics");
  if (metrics == nullptr || !metrics->is_array()) return;
  for (std::string_view key : {"cvssV4_0", "cvssV3_1", "cvssV3_0", "cvssV2_0"}) {
    for (const Json& metric : *metrics) {
      const Json* data = FindField(metric, key);
      if (data == nullptr) continue;
      const auto score = NumberFieldOr(*data, "baseScore");
      if (!score || *score < 0 || *score > 10) continue;
      vuln.cvss = *score;
      vuln.cvss_vector = StringFieldOr(*data, "vectorString");
      const std::string severity = StringFieldOr(*data, "baseSeverity");
      vuln.severity = severity.empty() ? SeverityForScore(*score) : Upper(severity);
      return;
    }
  }
}

// The criteria one CVE 5 `versions[]` entry yields for one identifier.
Result<std::optional<Criterion>> Cve5VersionCriterion(const Criterion& base, const Json& entry, const std::string& path,
                                                      const std::string& identifier) {
  if (!entry.is_object()) return Error::Parse(path + ": expected an object");
  auto version = StringField(entry, "version", path);
  if (!version.ok()) return version.error();
  auto status = StringField(entry, "status", path);
  if (!status.ok()) return status.error();
  if (*status != "affected" && *status != "unaffected" && *status != "unknown") {
    return Error::Parse(path + ".status: must be 'affected', 'unaffected' or 'unknown', not '" + *status + "'");
  }
  if (*status == "unaffected") return std::optional<Criterion>();
  Criterion criterion = base;
  const std::string version_type = StringFieldOr(entry, "versionType");
  const VersionScheme scheme = VersionSchemeFromName(version_type);
  const std::string less_than = StringFieldOr(entry, "lessThan");
  const std::string less_equal = StringFieldOr(entry, "lessThanOrEqual");
  if (!less_than.empty() || !less_equal.empty()) {
    VersionRange range;
    range.scheme = scheme;
    if (*version != "0" && *version != "*" && !version->empty()) range.start = *version;
    if (!less_equal.empty()) {
      if (less_equal != "*") range.end = less_equal;
      range.end_inclusive = true;
    } else if (less_than != "*") {
      range.end = less_than;
    }
    criterion.range = range;
    if (version_type == "git")
      criterion.review = "git commit range '" + *version + "' cannot be compared with a release version";
    if (!range.start.empty() && !LooksLikeVersion(range.start)) {
      criterion.review = "start version '" + range.start + "' is not a version";
    }
  } else if (auto parsed = ParseFreeTextRange(*version, scheme); parsed) {
    criterion.range = *parsed;
  } else {
    criterion.all_versions = true;
    criterion.review = "free-text version '" + *version + "' could not be parsed";
  }
  if (*status == "unknown" && criterion.review.empty()) criterion.review = "the CNA lists the status as unknown";
  FillText(criterion, identifier);
  if (!criterion.review.empty()) criterion.text += " [" + *version + "]";
  return std::optional<Criterion>(std::move(criterion));
}

Result<Vulnerability> ParseCve5Record(const Json& record, const std::string& path, FeedInfo& info) {
  if (!record.is_object()) return Error::Parse(path + ": expected an object");
  const Json* meta = FindField(record, "cveMetadata");
  if (meta == nullptr) return Error::Parse(path + ": missing 'cveMetadata'");
  auto id = StringField(*meta, "cveId", path + ".cveMetadata");
  if (!id.ok()) return id.error();
  Vulnerability vuln;
  vuln.id = *id;
  vuln.published = internal::ParseLooseTime(StringFieldOr(*meta, "datePublished"));
  vuln.last_modified = internal::ParseLooseTime(StringFieldOr(*meta, "dateUpdated"));
  if (StringFieldOr(*meta, "state") == "REJECTED") {
    info.warnings.push_back(path + ": " + vuln.id + " is REJECTED; no affected products");
    return vuln;
  }
  const Json* containers = FindField(record, "containers");
  const Json* cna = containers == nullptr ? nullptr : FindField(*containers, "cna");
  if (cna == nullptr) return Error::Parse(path + ": missing 'containers.cna'");
  const std::string cna_path = path + ".containers.cna";
  vuln.description = EnglishDescription(*cna, "descriptions");
  ParseCve5Metrics(*cna, vuln);
  if (const Json* refs = FindField(*cna, "references"); refs != nullptr && refs->is_array()) {
    for (const Json& ref : *refs) vuln.references.push_back(StringFieldOr(ref, "url"));
  }
  auto affected = OptionalArrayField(*cna, "affected", cna_path);
  if (!affected.ok()) return affected.error();
  Configuration config;
  ConfigNode node;
  for (std::size_t item_idx = 0; item_idx < (*affected)->size(); ++item_idx) {
    const Json& item = (**affected)[item_idx];
    const std::string item_path = cna_path + ".affected[" + std::to_string(item_idx) + "]";
    if (!item.is_object()) return Error::Parse(item_path + ": expected an object");
    std::vector<std::pair<Criterion, std::string>> bases;  // identifier criteria and their display text
    if (const Json* cpes = FindField(item, "cpes"); cpes != nullptr && cpes->is_array()) {
      for (std::size_t cpe_idx = 0; cpe_idx < cpes->size(); ++cpe_idx) {
        if (!(*cpes)[cpe_idx].is_string()) continue;
        auto cpe = ParseCpe((*cpes)[cpe_idx].get<std::string>());
        if (!cpe.ok()) {
          info.warnings.push_back(item_path + ".cpes[" + std::to_string(cpe_idx) + "]: " + cpe.error().message());
          continue;
        }
        Criterion base;
        base.kind = Criterion::Kind::kCpe;
        base.cpe = std::move(*cpe);
        base.cpe.at(CpeAttr::kVersion) = CpeValue::Any();  // versions[] decides
        base.vendor = base.cpe.vendor().value;
        base.product = base.cpe.product().value;
        bases.emplace_back(std::move(base), (*cpes)[cpe_idx].get<std::string>());
      }
    }
    const std::string package_url = StringFieldOr(item, "packageURL");
    if (!package_url.empty()) {
      if (auto purl = ParsePurl(package_url); purl.ok()) {
        Criterion base;
        base.kind = Criterion::Kind::kPurl;
        base.purl = std::move(*purl);
        base.purl.version.clear();
        bases.emplace_back(std::move(base), package_url);
      }
    }
    const std::string vendor = StringFieldOr(item, "vendor");
    const std::string product = StringFieldOr(item, "product", StringFieldOr(item, "packageName"));
    if (bases.empty()) {
      if (product.empty()) return Error::Parse(item_path + ": needs 'product' or 'packageName'");
      Criterion base;
      base.kind = Criterion::Kind::kName;
      base.vendor = internal::NormaliseName(vendor);
      base.product = internal::NormaliseName(product);
      bases.emplace_back(std::move(base), vendor + " " + product);
    }
    auto versions = OptionalArrayField(item, "versions", item_path);
    if (!versions.ok()) return versions.error();
    const std::string default_status = StringFieldOr(item, "defaultStatus", "unknown");
    for (const auto& [base, identifier] : bases) {
      for (std::size_t version_idx = 0; version_idx < (*versions)->size(); ++version_idx) {
        auto criterion = Cve5VersionCriterion(base, (**versions)[version_idx],
                                              item_path + ".versions[" + std::to_string(version_idx) + "]", identifier);
        if (!criterion.ok()) return criterion.error();
        if (criterion->has_value()) node.criteria.push_back(std::move(**criterion));
      }
      if ((*versions)->empty() && default_status == "affected") {
        Criterion criterion = base;
        criterion.all_versions = true;
        FillText(criterion, identifier);
        node.criteria.push_back(std::move(criterion));
      } else if ((*versions)->empty() && default_status == "unknown") {
        Criterion criterion = base;
        criterion.all_versions = true;
        criterion.review = "no versions listed and the default status is unknown";
        FillText(criterion, identifier);
        node.criteria.push_back(std::move(criterion));
      }
    }
  }
  if (!node.criteria.empty()) {
    config.nodes.push_back(std::move(node));
    vuln.cna.push_back(std::move(config));
  }
  return vuln;
}

// ---- KEV ----

Result<KevCatalog> ParseKevDoc(const Json& doc, std::string_view origin) {
  const std::string root(origin);
  if (!doc.is_object()) return Error::Parse(root + ": expected a JSON object");
  KevCatalog catalog;
  catalog.info.kind = FeedKind::kKev;
  catalog.info.origin = root;
  catalog.info.version = StringFieldOr(doc, "catalogVersion");
  catalog.info.source_date = StringFieldOr(doc, "dateReleased", StringFieldOr(doc, "source"));
  const Json* list = FindField(doc, "vulnerabilities");
  if (list == nullptr || !list->is_array()) return Error::Parse(root + ": missing array 'vulnerabilities'");
  std::set<std::string> seen;
  for (std::size_t item_idx = 0; item_idx < list->size(); ++item_idx) {
    const Json& item = (*list)[item_idx];
    const std::string path = root + ": vulnerabilities[" + std::to_string(item_idx) + "]";
    if (!item.is_object()) return Error::Parse(path + ": expected an object");
    KevEntry entry;
    auto cve = StringField(item, "cveID", path);
    if (!cve.ok()) return cve.error();
    if (!cve->starts_with("CVE-")) return Error::Parse(path + ".cveID: '" + *cve + "' is not a CVE id");
    entry.cve = *cve;
    entry.vendor = StringFieldOr(item, "vendorProject");
    entry.product = StringFieldOr(item, "product");
    entry.name = StringFieldOr(item, "vulnerabilityName");
    entry.date_added = StringFieldOr(item, "dateAdded");
    entry.due_date = StringFieldOr(item, "dueDate");
    entry.required_action = StringFieldOr(item, "requiredAction");
    entry.ransomware = StringFieldOr(item, "knownRansomwareCampaignUse") == "Known";
    if (!entry.due_date.empty() && !internal::ParseLooseTime(entry.due_date)) {
      return Error::Parse(path + ".dueDate: '" + entry.due_date + "' is not a date (YYYY-MM-DD)");
    }
    if (!seen.insert(entry.cve).second) {
      catalog.info.warnings.push_back(path + ": duplicate entry for " + entry.cve);
      continue;
    }
    catalog.entries.push_back(std::move(entry));
  }
  if (const auto count = NumberFieldOr(doc, "count"); count && static_cast<std::size_t>(*count) != list->size()) {
    catalog.info.warnings.push_back(root + ": count says " + std::to_string(static_cast<long long>(*count)) + " but " +
                                    std::to_string(list->size()) + " entries are present");
  }
  return catalog;
}

// ---- CSAF ----

struct CsafProduct {
  std::string id;
  std::string name;
  std::string vendor;
  std::string product;
  std::string version;        // product_version branch
  std::string version_range;  // product_version_range branch
  std::string cpe;
  std::string purl;
  std::string component;  // relationships: the component product id
  std::string platform;   // relationships: the platform product id
};

void ReadHelper(const Json& product, CsafProduct& out) {
  out.id = StringFieldOr(product, "product_id");
  out.name = StringFieldOr(product, "name");
  if (const Json* helper = FindField(product, "product_identification_helper"); helper != nullptr) {
    out.cpe = StringFieldOr(*helper, "cpe");
    out.purl = StringFieldOr(*helper, "purl");
  }
}

Status WalkBranches(const Json& branches, const std::string& path, CsafProduct context,
                    std::map<std::string, CsafProduct>& products, int depth) {
  if (depth > 30) return Error::Parse(path + ": branches nested deeper than 30 levels");
  if (!branches.is_array()) return Error::Parse(path + ": expected an array");
  for (std::size_t branch_idx = 0; branch_idx < branches.size(); ++branch_idx) {
    const Json& branch = branches[branch_idx];
    const std::string branch_path = path + "[" + std::to_string(branch_idx) + "]";
    if (!branch.is_object()) return Error::Parse(branch_path + ": expected an object");
    CsafProduct here = context;
    const std::string category = StringFieldOr(branch, "category");
    const std::string name = StringFieldOr(branch, "name");
    if (category == "vendor")
      here.vendor = name;
    else if (category == "product_name" || category == "product_family")
      here.product = name;
    else if (category == "product_version")
      here.version = name;
    else if (category == "product_version_range")
      here.version_range = name;
    if (const Json* product = FindField(branch, "product"); product != nullptr) {
      CsafProduct leaf = here;
      ReadHelper(*product, leaf);
      if (leaf.id.empty()) return Error::Parse(branch_path + ".product: missing 'product_id'");
      products[leaf.id] = leaf;
    }
    if (const Json* children = FindField(branch, "branches"); children != nullptr) {
      DV_TRY(WalkBranches(*children, branch_path + ".branches", here, products, depth + 1));
    }
  }
  return Ok();
}

Result<std::optional<Criterion>> CsafCriterion(const CsafProduct& product, bool vulnerable, std::string_view status,
                                               const std::string& path) {
  Criterion criterion;
  criterion.vulnerable = vulnerable;
  std::string version = product.version;
  std::string identifier;
  if (!product.purl.empty()) {
    auto purl = ParsePurl(product.purl);
    if (!purl.ok()) return purl.error().WithContext(path);
    criterion.kind = Criterion::Kind::kPurl;
    criterion.purl = std::move(*purl);
    if (!criterion.purl.version.empty()) {
      version = criterion.purl.version;
      if (const auto epoch = criterion.purl.qualifiers.find("epoch"); epoch != criterion.purl.qualifiers.end()) {
        version = epoch->second + ":" + version;
      }
    }
    criterion.purl.version.clear();
    identifier = product.purl;
  } else if (!product.cpe.empty()) {
    auto cpe = ParseCpe(product.cpe);
    if (!cpe.ok()) return cpe.error().WithContext(path);
    criterion.kind = Criterion::Kind::kCpe;
    criterion.cpe = std::move(*cpe);
    if (criterion.cpe.version().kind == CpeValue::Kind::kValue && !criterion.cpe.version().HasWildcard()) {
      version = criterion.cpe.version().Unescaped();
    }
    criterion.cpe.at(CpeAttr::kVersion) = CpeValue::Any();
    criterion.vendor = criterion.cpe.vendor().value;
    criterion.product = criterion.cpe.product().value;
    identifier = product.cpe;
  } else if (!product.product.empty() || !product.name.empty()) {
    criterion.kind = Criterion::Kind::kName;
    criterion.vendor = internal::NormaliseName(product.vendor);
    criterion.product = internal::NormaliseName(product.product.empty() ? product.name : product.product);
    identifier = product.vendor.empty()
                     ? product.name
                     : product.vendor + " " + (product.product.empty() ? product.name : product.product);
  } else {
    return std::optional<Criterion>();
  }
  const VersionScheme scheme = criterion.kind == Criterion::Kind::kPurl ? VersionSchemeForPurlType(criterion.purl.type)
                                                                        : VersionScheme::kGeneric;
  if (!version.empty() && !vulnerable) {
    criterion.exact_version = version;  // platform versions are exact (RHEL 7 is RHEL 7)
  } else if (!version.empty() && (status == "fixed")) {
    VersionRange range;
    range.scheme = scheme;
    range.end = version;
    criterion.range = range;
    criterion.review = "derived from the fixed version " + version + ": earlier versions assumed affected";
  } else if (!version.empty() && status == "first_affected") {
    VersionRange range;
    range.scheme = scheme;
    range.start = version;
    criterion.range = range;
    criterion.review = "first affected version only; the fixed version is not stated";
  } else if (!version.empty() && status == "last_affected") {
    VersionRange range;
    range.scheme = scheme;
    range.end = version;
    range.end_inclusive = true;
    criterion.range = range;
  } else if (!version.empty()) {
    criterion.exact_version = version;
    if (criterion.kind == Criterion::Kind::kCpe && LooksLikeVersion(version)) {
      criterion.range = VersionRange{version, true, version, true, scheme};
      criterion.exact_version.clear();
    }
  } else if (!product.version_range.empty()) {
    if (auto range = ParseFreeTextRange(product.version_range, scheme); range) {
      criterion.range = *range;
    } else {
      criterion.all_versions = true;
      criterion.review = "version range '" + product.version_range + "' could not be parsed";
    }
  } else {
    criterion.all_versions = true;
    if (vulnerable && status != "known_affected") criterion.review = "no version stated";
  }
  if (status == "under_investigation" && criterion.review.empty()) criterion.review = "the vendor is investigating";
  FillText(criterion, identifier);
  return std::optional<Criterion>(std::move(criterion));
}

Result<CsafAdvisory> ParseCsafDoc(const Json& doc, std::string_view origin) {
  const std::string root(origin);
  if (!doc.is_object()) return Error::Parse(root + ": expected a JSON object");
  const Json* document = FindField(doc, "document");
  if (document == nullptr || !document->is_object()) return Error::Parse(root + ": missing object 'document'");
  const std::string csaf_version = StringFieldOr(*document, "csaf_version");
  if (csaf_version != "2.0")
    return Error::Parse(root + ": document.csaf_version: expected '2.0', found '" + csaf_version + "'");
  CsafAdvisory advisory;
  advisory.info.kind = FeedKind::kCsaf;
  advisory.info.origin = root;
  const Json* tracking = FindField(*document, "tracking");
  if (tracking == nullptr) return Error::Parse(root + ": document: missing 'tracking'");
  auto tracking_id = StringField(*tracking, "id", root + ": document.tracking");
  if (!tracking_id.ok()) return tracking_id.error();
  advisory.tracking_id = *tracking_id;
  advisory.info.source_date = StringFieldOr(*tracking, "current_release_date");
  advisory.info.version = StringFieldOr(*tracking, "version");
  if (const Json* publisher = FindField(*document, "publisher"); publisher != nullptr) {
    advisory.publisher = StringFieldOr(*publisher, "name");
  }
  std::map<std::string, CsafProduct> products;
  if (const Json* tree = FindField(doc, "product_tree"); tree != nullptr) {
    if (const Json* branches = FindField(*tree, "branches"); branches != nullptr) {
      DV_TRY(WalkBranches(*branches, root + ": product_tree.branches", {}, products, 0));
    }
    auto names = OptionalArrayField(*tree, "full_product_names", root + ": product_tree");
    if (!names.ok()) return names.error();
    for (const Json& name : **names) {
      CsafProduct product;
      ReadHelper(name, product);
      if (!product.id.empty()) products[product.id] = product;
    }
    auto relationships = OptionalArrayField(*tree, "relationships", root + ": product_tree");
    if (!relationships.ok()) return relationships.error();
    for (std::size_t rel_idx = 0; rel_idx < (*relationships)->size(); ++rel_idx) {
      const Json& rel = (**relationships)[rel_idx];
      const std::string rel_path = root + ": product_tree.relationships[" + std::to_string(rel_idx) + "]";
      CsafProduct product;
      const Json* full = FindField(rel, "full_product_name");
      if (full == nullptr) return Error::Parse(rel_path + ": missing 'full_product_name'");
      ReadHelper(*full, product);
      auto component = StringField(rel, "product_reference", rel_path);
      if (!component.ok()) return component.error();
      auto platform = StringField(rel, "relates_to_product_reference", rel_path);
      if (!platform.ok()) return platform.error();
      product.component = *component;
      product.platform = *platform;
      if (product.id.empty()) return Error::Parse(rel_path + ".full_product_name: missing 'product_id'");
      products[product.id] = product;
    }
  }
  advisory.products = products.size();
  auto vulns = OptionalArrayField(doc, "vulnerabilities", root);
  if (!vulns.ok()) return vulns.error();
  for (std::size_t vuln_idx = 0; vuln_idx < (*vulns)->size(); ++vuln_idx) {
    const Json& item = (**vulns)[vuln_idx];
    const std::string path = root + ": vulnerabilities[" + std::to_string(vuln_idx) + "]";
    if (!item.is_object()) return Error::Parse(path + ": expected an object");
    Vulnerability vuln;
    vuln.id = StringFieldOr(item, "cve");
    if (vuln.id.empty()) vuln.id = advisory.tracking_id + "#" + std::to_string(vuln_idx);
    vuln.csaf_advisories.push_back(advisory.tracking_id);
    if (const Json* notes = FindField(item, "notes"); notes != nullptr && notes->is_array()) {
      for (const Json& note : *notes) {
        if (StringFieldOr(note, "category") == "description") vuln.description = StringFieldOr(note, "text");
      }
    }
    if (const Json* scores = FindField(item, "scores"); scores != nullptr && scores->is_array()) {
      for (const Json& score : *scores) {
        const Json* cvss = FindField(score, "cvss_v3");
        if (cvss == nullptr) continue;
        const auto base = NumberFieldOr(*cvss, "baseScore");
        if (base && *base > vuln.cvss && *base <= 10) {
          vuln.cvss = *base;
          vuln.cvss_vector = StringFieldOr(*cvss, "vectorString");
          vuln.severity = Upper(StringFieldOr(*cvss, "baseSeverity", SeverityForScore(*base)));
        }
      }
    }
    const Json* status = FindField(item, "product_status");
    if (status != nullptr && status->is_object()) {
      for (std::string_view status_name :
           {"known_affected", "first_affected", "last_affected", "fixed", "under_investigation"}) {
        auto ids = OptionalArrayField(*status, status_name, path + ".product_status");
        if (!ids.ok()) return ids.error();
        for (std::size_t id_idx = 0; id_idx < (*ids)->size(); ++id_idx) {
          const std::string id_path =
              path + ".product_status." + std::string(status_name) + "[" + std::to_string(id_idx) + "]";
          if (!(**ids)[id_idx].is_string()) return Error::Parse(id_path + ": expected a product id string");
          const std::string product_id = (**ids)[id_idx].get<std::string>();
          const auto found = products.find(product_id);
          if (found == products.end()) {
            return Error::Parse(id_path + ": product '" + product_id + "' is not in the product tree");
          }
          Configuration config;
          const CsafProduct& product = found->second;
          const CsafProduct* component = &product;
          const CsafProduct* platform = nullptr;
          if (!product.component.empty()) {
            const auto comp = products.find(product.component);
            const auto plat = products.find(product.platform);
            if (comp == products.end() || plat == products.end()) {
              return Error::Parse(id_path + ": relationship '" + product_id + "' refers to a product not in the tree");
            }
            component = &comp->second;
            platform = &plat->second;
          }
          auto criterion = CsafCriterion(*component, true, status_name, id_path);
          if (!criterion.ok()) return criterion.error();
          if (!criterion->has_value()) {
            advisory.info.warnings.push_back(id_path + ": product '" + product_id + "' has no identifier or name");
            continue;
          }
          ConfigNode component_node;
          component_node.criteria.push_back(std::move(**criterion));
          config.nodes.push_back(std::move(component_node));
          if (platform != nullptr) {
            auto platform_criterion = CsafCriterion(*platform, false, status_name, id_path);
            if (!platform_criterion.ok()) return platform_criterion.error();
            if (platform_criterion->has_value()) {
              config.op = NodeOperator::kAnd;
              ConfigNode platform_node;
              platform_node.criteria.push_back(std::move(**platform_criterion));
              config.nodes.push_back(std::move(platform_node));
            }
          }
          vuln.csaf.push_back(std::move(config));
        }
      }
    }
    advisory.vulnerabilities.push_back(std::move(vuln));
  }
  return advisory;
}

// ---- EPSS ----

std::vector<std::string_view> SplitCsvSimple(std::string_view line) {
  std::vector<std::string_view> fields;
  std::size_t start = 0;
  for (std::size_t pos = 0; pos <= line.size(); ++pos) {
    if (pos == line.size() || line[pos] == ',') {
      fields.push_back(line.substr(start, pos - start));
      start = pos + 1;
    }
  }
  return fields;
}

std::optional<double> ParseProbability(std::string_view text) {
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\r')) text.remove_suffix(1);
  double value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || !(value >= 0 && value <= 1)) return std::nullopt;
  return value;
}

std::string CveFromText(std::string_view text) {
  const auto at = text.find("CVE-");
  if (at == std::string_view::npos) return {};
  std::size_t end = at + 4;
  while (end < text.size() && ((text[end] >= '0' && text[end] <= '9') || text[end] == '-')) ++end;
  std::string cve(text.substr(at, end - at));
  while (!cve.empty() && cve.back() == '-') cve.pop_back();
  return cve;
}

Result<Json> ReadJsonFile(const std::string& path, std::string& text) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error::Io(path + ": cannot open for reading");
  std::ostringstream buffer;
  buffer << in.rdbuf();
  text = buffer.str();
  return Json();
}

}  // namespace

Result<NvdFeed> ParseNvdJson(std::string_view text, std::string_view origin) {
  auto doc = internal::ParseJsonText(text, origin);
  if (!doc.ok()) return doc.error();
  return ParseNvdDoc(*doc, origin);
}

Result<Cve5Feed> ParseCve5Json(std::string_view text, std::string_view origin) {
  auto doc = internal::ParseJsonText(text, origin);
  if (!doc.ok()) return doc.error();
  Cve5Feed feed;
  feed.info.kind = FeedKind::kCve5;
  feed.info.origin = std::string(origin);
  const std::string root(origin);
  if (doc->is_array()) {
    for (std::size_t record_idx = 0; record_idx < doc->size(); ++record_idx) {
      auto vuln = ParseCve5Record((*doc)[record_idx], root + ": [" + std::to_string(record_idx) + "]", feed.info);
      if (!vuln.ok()) return vuln.error();
      feed.vulnerabilities.push_back(std::move(*vuln));
    }
  } else {
    auto vuln = ParseCve5Record(*doc, root, feed.info);
    if (!vuln.ok()) return vuln.error();
    if (const Json* meta = FindField(*doc, "cveMetadata"); meta != nullptr)
      feed.info.source_date = StringFieldOr(*meta, "dateUpdated");
    feed.vulnerabilities.push_back(std::move(*vuln));
  }
  return feed;
}

Result<KevCatalog> ParseKevJson(std::string_view text, std::string_view origin) {
  auto doc = internal::ParseJsonText(text, origin);
  if (!doc.ok()) return doc.error();
  return ParseKevDoc(*doc, origin);
}

Result<CsafAdvisory> ParseCsafJson(std::string_view text, std::string_view origin) {
  auto doc = internal::ParseJsonText(text, origin);
  if (!doc.ok()) return doc.error();
  return ParseCsafDoc(*doc, origin);
}

Result<EpssFeed> ParseEpssCsv(std::string_view text, std::string_view origin, std::optional<Timestamp> as_of) {
  EpssFeed feed;
  feed.info.kind = FeedKind::kEpss;
  feed.info.origin = std::string(origin);
  const std::string root(origin);
  int cve_col = -1;
  int epss_col = -1;
  int pct_col = -1;
  int date_col = -1;
  bool header_seen = false;
  std::size_t line_no = 0;
  std::map<std::string, EpssScore> by_cve;
  const std::string origin_cve = CveFromText(origin);
  while (!text.empty()) {
    const auto newline = text.find('\n');
    std::string_view line = text.substr(0, newline);
    text = newline == std::string_view::npos ? std::string_view() : text.substr(newline + 1);
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) continue;
    const std::string where = root + ":" + std::to_string(line_no);
    if (line.front() == '#') {
      for (std::string_view field : SplitCsvSimple(line.substr(1))) {
        if (field.starts_with("model_version:")) feed.info.version = std::string(field.substr(14));
        if (field.starts_with("score_date:")) feed.info.source_date = std::string(field.substr(11));
      }
      continue;
    }
    const auto fields = SplitCsvSimple(line);
    if (!header_seen) {
      header_seen = true;
      for (std::size_t col = 0; col < fields.size(); ++col) {
        if (fields[col] == "cve") cve_col = static_cast<int>(col);
        if (fields[col] == "epss") epss_col = static_cast<int>(col);
        if (fields[col] == "percentile") pct_col = static_cast<int>(col);
        if (fields[col] == "date") date_col = static_cast<int>(col);
      }
      if (epss_col < 0) return Error::Parse(where + ": header has no 'epss' column");
      if (cve_col < 0 && origin_cve.empty()) {
        return Error::Parse(where + ": header has no 'cve' column and the file name names no CVE");
      }
      continue;
    }
    const auto needed = static_cast<std::size_t>(std::max({cve_col, epss_col, pct_col, date_col}));
    if (fields.size() <= needed) return Error::Parse(where + ": expected " + std::to_string(needed + 1) + " fields");
    EpssScore score;
    score.cve = cve_col >= 0 ? std::string(fields[cve_col]) : origin_cve;
    if (!score.cve.starts_with("CVE-")) return Error::Parse(where + ": '" + score.cve + "' is not a CVE id");
    const auto epss = ParseProbability(fields[epss_col]);
    if (!epss)
      return Error::Parse(where + ": epss '" + std::string(fields[epss_col]) + "' is not a number between 0 and 1");
    score.epss = *epss;
    if (pct_col >= 0) {
      const auto pct = ParseProbability(fields[pct_col]);
      if (!pct)
        return Error::Parse(where + ": percentile '" + std::string(fields[pct_col]) +
                            "' is not a number between 0 and 1");
      score.percentile = *pct;
    }
    if (date_col >= 0) {
      score.date = std::string(fields[date_col]);
      const auto date = internal::ParseLooseTime(score.date);
      if (!date) return Error::Parse(where + ": date '" + score.date + "' is not a date");
      if (as_of && *date > *as_of) continue;
    }
    auto& slot = by_cve[score.cve];
    if (slot.cve.empty() || score.date >= slot.date) slot = score;
  }
  if (!header_seen) return Error::Parse(root + ": no header line");
  for (auto& [cve, score] : by_cve) {
    if (feed.info.source_date.empty() || score.date > feed.info.source_date) {
      if (!score.date.empty()) feed.info.source_date = score.date;
    }
    feed.scores.push_back(std::move(score));
  }
  return feed;
}

Result<AnyFeed> LoadFeedFile(const std::string& path, std::optional<Timestamp> as_of) {
  std::string text;
  auto read = ReadJsonFile(path, text);
  if (!read.ok()) return read.error();
  std::size_t first = 0;
  while (first < text.size() &&
         (text[first] == ' ' || text[first] == '\n' || text[first] == '\r' || text[first] == '\t'))
    ++first;
  if (first == text.size()) return Error::Parse(path + ": empty file");
  if (text[first] != '{' && text[first] != '[') {
    auto feed = ParseEpssCsv(text, path, as_of);
    if (!feed.ok()) return feed.error();
    return AnyFeed(std::move(*feed));
  }
  auto doc = internal::ParseJsonText(text, path);
  if (!doc.ok()) return doc.error();
  const Json* sample = doc->is_array() && !doc->empty() ? &(*doc)[0] : &*doc;
  if (FindField(*doc, "document") != nullptr) {
    auto feed = ParseCsafDoc(*doc, path);
    if (!feed.ok()) return feed.error();
    return AnyFeed(std::move(*feed));
  }
  if (FindField(*sample, "cveMetadata") != nullptr) {
    auto feed = ParseCve5Json(text, path);
    if (!feed.ok()) return feed.error();
    return AnyFeed(std::move(*feed));
  }
  const Json* list = FindField(*doc, "vulnerabilities");
  if (list != nullptr && list->is_array() && !list->empty() && FindField((*list)[0], "cveID") != nullptr) {
    auto feed = ParseKevDoc(*doc, path);
    if (!feed.ok()) return feed.error();
    return AnyFeed(std::move(*feed));
  }
  if (FindField(*doc, "catalogVersion") != nullptr) {
    auto feed = ParseKevDoc(*doc, path);
    if (!feed.ok()) return feed.error();
    return AnyFeed(std::move(*feed));
  }
  if (list != nullptr || FindField(*doc, "configurations") != nullptr || FindField(*doc, "id") != nullptr) {
    auto feed = ParseNvdDoc(*doc, path);
    if (!feed.ok()) return feed.error();
    return AnyFeed(std::move(*feed));
  }
  return Error::Parse(path + ": not a recognised feed (NVD 2.0, CVE JSON 5, KEV, CSAF 2.0 or EPSS CSV)");
}

// ---- VulnDatabase ----

Vulnerability& VulnDatabase::Slot(const std::string& id) {
  auto& slot = vulns_[id];
  if (slot.id.empty()) slot.id = id;
  return slot;
}

void VulnDatabase::Record(const std::string& key, const FeedInfo& info, std::size_t records, Timestamp now) {
  SourceState& state = sources_[key];
  state.kind = info.kind;
  state.origin = info.origin;
  state.source_date = info.source_date;
  state.version = info.version;
  state.applied_at = now;
  state.records = records;
}

void VulnDatabase::Put(Vulnerability vulnerability) {
  const std::string id = vulnerability.id;
  vulns_[id] = std::move(vulnerability);
}

ApplyReport VulnDatabase::Apply(const NvdFeed& feed, const ApplyOptions& options) {
  ApplyReport report;
  for (const Vulnerability& incoming : feed.vulnerabilities) {
    const bool existed = vulns_.contains(incoming.id);
    Vulnerability& slot = Slot(incoming.id);
    const std::int64_t modified = incoming.last_modified ? incoming.last_modified->unix_ms() : 0;
    const auto seen = nvd_modified_.find(incoming.id);
    if (seen != nvd_modified_.end() && modified != 0 && modified <= seen->second) {
      ++report.unchanged;
      continue;
    }
    nvd_modified_[incoming.id] = modified;
    slot.nvd = incoming.nvd;
    slot.description = incoming.description;
    slot.published = incoming.published ? incoming.published : slot.published;
    slot.last_modified = incoming.last_modified;
    if (incoming.cvss >= 0) {
      slot.cvss = incoming.cvss;
      slot.cvss_vector = incoming.cvss_vector;
      slot.severity = incoming.severity;
    }
    if (!incoming.references.empty()) slot.references = incoming.references;
    existed ? ++report.updated : ++report.added;
    report.changed_ids.push_back(incoming.id);
  }
  Record("nvd", feed.info, vulns_.size(), options.now);
  return report;
}

ApplyReport VulnDatabase::Apply(const Cve5Feed& feed, const ApplyOptions& options) {
  ApplyReport report;
  for (const Vulnerability& incoming : feed.vulnerabilities) {
    const bool existed = vulns_.contains(incoming.id);
    Vulnerability& slot = Slot(incoming.id);
    slot.cna = incoming.cna;
    if (slot.description.empty()) slot.description = incoming.description;
    if (!slot.published) slot.published = incoming.published;
    if (slot.cvss < 0 && incoming.cvss >= 0) {
      slot.cvss = incoming.cvss;
      slot.cvss_vector = incoming.cvss_vector;
      slot.severity = incoming.severity;
    }
    if (slot.references.empty()) slot.references = incoming.references;
    existed ? ++report.updated : ++report.added;
    report.changed_ids.push_back(incoming.id);
  }
  Record("cve5", feed.info, feed.vulnerabilities.size(), options.now);
  return report;
}

ApplyReport VulnDatabase::Apply(const CsafAdvisory& advisory, const ApplyOptions& options) {
  ApplyReport report;
  // Replace what this advisory said before: re-ingesting an updated advisory
  // must not leave its old product statements behind.
  for (auto& [id, vuln] : vulns_) {
    const auto previous = std::find(vuln.csaf_advisories.begin(), vuln.csaf_advisories.end(), advisory.tracking_id);
    if (previous == vuln.csaf_advisories.end()) continue;
    vuln.csaf_advisories.erase(previous);
    if (vuln.csaf_advisories.empty()) vuln.csaf.clear();
  }
  for (const Vulnerability& incoming : advisory.vulnerabilities) {
    const bool existed = vulns_.contains(incoming.id);
    Vulnerability& slot = Slot(incoming.id);
    slot.csaf.insert(slot.csaf.end(), incoming.csaf.begin(), incoming.csaf.end());
    slot.csaf_advisories.push_back(advisory.tracking_id);
    if (slot.description.empty()) slot.description = incoming.description;
    if (slot.cvss < 0 && incoming.cvss >= 0) {
      slot.cvss = incoming.cvss;
      slot.cvss_vector = incoming.cvss_vector;
      slot.severity = incoming.severity;
    }
    existed ? ++report.updated : ++report.added;
    report.changed_ids.push_back(incoming.id);
  }
  Record("csaf:" + advisory.tracking_id, advisory.info, advisory.vulnerabilities.size(), options.now);
  return report;
}

namespace {
template <typename Map>
std::optional<std::string> ShrinkReason(const std::map<std::string, SourceState>& sources, const std::string& key,
                                        std::size_t incoming, const std::string& incoming_version) {
  const auto found = sources.find(key);
  if (found == sources.end()) return std::nullopt;
  const SourceState& last = found->second;
  if (static_cast<double>(incoming) < static_cast<double>(last.records) * (1.0 - kShrinkTolerance)) {
    return key + " feed has " + std::to_string(incoming) + " entries, the one applied on " +
           last.applied_at.ToRfc3339() + " had " + std::to_string(last.records) + "; confirm to apply";
  }
  if (!incoming_version.empty() && !last.version.empty() && incoming_version < last.version) {
    return key + " feed version " + incoming_version + " is older than the applied " + last.version +
           "; confirm to apply";
  }
  return std::nullopt;
}
}  // namespace

ApplyReport VulnDatabase::Apply(const KevCatalog& catalog, const ApplyOptions& options) {
  ApplyReport report;
  if (!options.confirm) {
    if (auto reason = ShrinkReason<decltype(kev_)>(sources_, "kev", catalog.entries.size(), catalog.info.version)) {
      report.applied = false;
      report.reason = *reason;
      return report;
    }
  }
  std::unordered_map<std::string, KevEntry> next;
  for (const KevEntry& entry : catalog.entries) {
    const auto old = kev_.find(entry.cve);
    if (old == kev_.end()) {
      ++report.added;
      report.changed_ids.push_back(entry.cve);
    } else if (old->second.due_date != entry.due_date || old->second.date_added != entry.date_added) {
      ++report.updated;
      report.changed_ids.push_back(entry.cve);
    } else {
      ++report.unchanged;
    }
    next[entry.cve] = entry;
  }
  for (const auto& [cve, entry] : kev_) {
    if (!next.contains(cve)) {
      ++report.removed;
      report.changed_ids.push_back(cve);
    }
  }
  kev_ = std::move(next);
  Record("kev", catalog.info, kev_.size(), options.now);
  return report;
}

ApplyReport VulnDatabase::Apply(const EpssFeed& feed, const ApplyOptions& options) {
  ApplyReport report;
  if (!options.confirm) {
    if (auto reason = ShrinkReason<decltype(epss_)>(sources_, "epss", feed.scores.size(), feed.info.version)) {
      report.applied = false;
      report.reason = *reason;
      return report;
    }
  }
  std::unordered_map<std::string, EpssScore> next;
  for (const EpssScore& score : feed.scores) {
    const auto old = epss_.find(score.cve);
    if (old == epss_.end())
      ++report.added;
    else if (old->second.epss != score.epss)
      ++report.updated;
    else
      ++report.unchanged;
    next[score.cve] = score;
  }
  report.removed = epss_.size() > next.size() ? epss_.size() - next.size() : 0;
  epss_ = std::move(next);
  Record("epss", feed.info, epss_.size(), options.now);
  return report;
}

ApplyReport VulnDatabase::Apply(const AnyFeed& feed, const ApplyOptions& options) {
  return std::visit([&](const auto& value) { return Apply(value, options); }, feed);
}

const Vulnerability* VulnDatabase::Find(std::string_view cve) const {
  const auto found = vulns_.find(std::string(cve));
  return found == vulns_.end() ? nullptr : &found->second;
}
const KevEntry* VulnDatabase::FindKev(std::string_view cve) const {
  const auto found = kev_.find(std::string(cve));
  return found == kev_.end() ? nullptr : &found->second;
}
const EpssScore* VulnDatabase::FindEpss(std::string_view cve) const {
  const auto found = epss_.find(std::string(cve));
  return found == epss_.end() ? nullptr : &found->second;
}

}  // namespace dv::vuln
