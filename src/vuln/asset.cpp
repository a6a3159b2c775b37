// SPDX-License-Identifier: Apache-2.0
#include "vuln/asset.h"

#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "core/json_fields.h"
#include "core/text.h"
#include "vuln/json_util.h"
#include "vuln/version.h"

namespace dv::vuln {
namespace {

// Splits CSV text into rows of fields (RFC 4180: quotes, doubled quotes,
// newlines inside quotes). Returns the line number each row starts on.
struct CsvRow {
  std::size_t line = 0;
  std::vector<std::string> fields;
};
Result<std::vector<CsvRow>> SplitCsv(std::string_view text, const std::string& origin) {
  std::vector<CsvRow> rows;
  CsvRow row;
  std::string field;
  bool quoted = false;
  bool field_started = false;
  std::size_t line = 1;
  row.line = 1;
  for (std::size_t pos = 0; pos < text.size(); ++pos) {
    const char c = text[pos];
    if (quoted) {
      if (c == '"') {
        if (pos + 1 < text.size() && text[pos + 1] == '"') {
          field += '"';
          ++pos;
        } else {
          quoted = false;
        }
      } else {
        if (c == '\n') ++line;
        field += c;
      }
      continue;
    }
    if (c == '"' && !field_started) {
      quoted = true;
      field_started = true;
    } else if (c == ',') {
      row.fields.push_back(std::move(field));
      field.clear();
      field_started = false;
    } else if (c == '\n') {
      row.fields.push_back(std::move(field));
      field.clear();
      field_started = false;
      if (!(row.fields.size() == 1 && TrimSpace(row.fields[0]).empty())) rows.push_back(std::move(row));
      row = CsvRow{};
      row.line = ++line;
    } else {
      field += c;
      field_started = true;
    }
  }
  if (quoted) return Error::Parse(origin + ":" + std::to_string(row.line) + ": unterminated quoted field");
  if (field_started || !row.fields.empty()) {
    row.fields.push_back(std::move(field));
    if (!(row.fields.size() == 1 && TrimSpace(row.fields[0]).empty())) rows.push_back(std::move(row));
  }
  return rows;
}

Result<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error::Io(path + ": cannot open for reading");
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

}  // namespace

std::string Asset::DeviceKey() const { return member + "/" + (device.empty() ? asset_id : device); }

Result<Asset> MakeAsset(std::string member, std::string device, std::string asset_id, std::string name,
                        std::string_view cpe_text, std::string_view purl_text, std::string_view version_text,
                        std::string_view where) {
  const std::string place(where);
  Asset asset;
  asset.member = std::string(TrimSpace(member));
  asset.device = std::string(TrimSpace(device));
  asset.asset_id = std::string(TrimSpace(asset_id));
  asset.name = std::string(TrimSpace(name));
  cpe_text = TrimSpace(cpe_text);
  purl_text = TrimSpace(purl_text);
  version_text = TrimSpace(version_text);
  if (asset.member.empty()) return Error::InvalidArgument(place + ": member: is empty");
  if (cpe_text.empty() && purl_text.empty() && asset.name.empty()) {
    return Error::InvalidArgument(place + ": needs a cpe, a purl or at least a name");
  }
  VendorVersion split;
  if (!version_text.empty()) split = SplitVendorVersion(version_text);
  if (!cpe_text.empty()) {
    auto cpe = ParseCpe(cpe_text);
    if (!cpe.ok()) return cpe.error().WithContext(place + ": cpe");
    asset.cpe = std::move(*cpe);
    asset.has_cpe = true;
    CpeValue& cpe_version = asset.cpe.at(CpeAttr::kVersion);
    if (!version_text.empty()) {
      const CpeValue from_column = CpeValue::Of(EscapeCpeValue(split.version));
      if (cpe_version.kind == CpeValue::Kind::kValue && CompareVersions(cpe_version.Unescaped(), split.version) != 0) {
        return Error::InvalidArgument(place + ": version '" + std::string(version_text) +
                                      "' disagrees with the CPE version '" + cpe_version.Unescaped() + "'");
      }
      cpe_version = from_column;
      if (asset.cpe.update().is_any()) {
        asset.cpe.at(CpeAttr::kUpdate) =
            split.update.empty() ? CpeValue::Na() : CpeValue::Of(EscapeCpeValue(split.update));
      }
    }
    if (cpe_version.kind == CpeValue::Kind::kValue && !cpe_version.HasWildcard()) {
      asset.version = cpe_version.Unescaped();
      asset.version_known = true;
    }
    const CpeValue& update = asset.cpe.update();
    if (update.kind == CpeValue::Kind::kValue) asset.update = update.Unescaped();
  }
  if (!purl_text.empty()) {
    auto purl = ParsePurl(purl_text);
    if (!purl.ok()) return purl.error().WithContext(place + ": purl");
    asset.purl = std::move(*purl);
    asset.has_purl = true;
    if (!asset.version_known) {
      std::string version = !asset.purl.version.empty() ? asset.purl.version : split.version;
      if (!version.empty()) {
        if (const auto epoch = asset.purl.qualifiers.find("epoch"); epoch != asset.purl.qualifiers.end()) {
          version = epoch->second + ":" + version;
        }
        asset.version = version;
        asset.version_known = true;
      }
    }
  }
  if (!asset.version_known && !version_text.empty()) {
    asset.version = split.version;
    asset.update = split.update;
    asset.version_known = true;
  }
  if (asset.asset_id.empty()) {
    std::string identifier =
        asset.has_cpe ? asset.cpe.ToString() : (asset.has_purl ? asset.purl.PackageKey() : asset.name);
    asset.asset_id = (asset.device.empty() ? std::string() : asset.device + "/") + identifier;
  }
  return asset;
}

std::string BlindSpotReason(const Asset& asset) {
  if (asset.has_purl) return {};
  if (!asset.has_cpe) return "no CPE name or package URL";
  const CpeValue& vendor = asset.cpe.vendor();
  const CpeValue& product = asset.cpe.product();
  if (vendor.kind != CpeValue::Kind::kValue) return "CPE vendor is ANY or NA: it would match every vendor";
  if (product.kind != CpeValue::Kind::kValue) return "CPE product is ANY or NA: it would match every product";
  if (vendor.HasWildcard() || product.HasWildcard()) return "CPE vendor or product has a wildcard";
  return {};
}

std::vector<BlindSpot> FindBlindSpots(const std::vector<Asset>& assets) {
  std::vector<BlindSpot> spots;
  for (const Asset& asset : assets) {
    std::string reason = BlindSpotReason(asset);
    if (!reason.empty()) spots.push_back({asset.member, asset.asset_id, asset.name, std::move(reason)});
  }
  return spots;
}

Result<std::vector<Asset>> ParseAssetsCsv(std::string_view text, std::string_view origin) {
  const std::string root(origin);
  auto rows = SplitCsv(text, root);
  if (!rows.ok()) return rows.error();
  if (rows->empty()) return Error::Parse(root + ": no header line");
  std::map<std::string, std::size_t> columns;
  const CsvRow& header = (*rows)[0];
  for (std::size_t col = 0; col < header.fields.size(); ++col) {
    std::string name(TrimSpace(header.fields[col]));
    if (col == 0 && name.starts_with("\xEF\xBB\xBF")) name = name.substr(3);
    for (std::string_view known : {"member", "device", "asset_id", "name", "cpe", "purl", "version"}) {
      if (name == known) columns[name] = col;
    }
  }
  if (!columns.contains("member"))
    return Error::Parse(root + ":" + std::to_string(header.line) + ": header has no 'member' column");
  if (!columns.contains("cpe") && !columns.contains("purl") && !columns.contains("name")) {
    return Error::Parse(root + ":" + std::to_string(header.line) + ": header needs a 'cpe', 'purl' or 'name' column");
  }
  std::vector<Asset> assets;
  std::set<std::string> ids;
  for (std::size_t row_idx = 1; row_idx < rows->size(); ++row_idx) {
    const CsvRow& row = (*rows)[row_idx];
    const std::string where = root + ":" + std::to_string(row.line);
    if (row.fields.size() != header.fields.size()) {
      return Error::Parse(where + ": " + std::to_string(row.fields.size()) + " fields, the header has " +
                          std::to_string(header.fields.size()));
    }
    auto field = [&](const char* name) -> std::string {
      const auto found = columns.find(name);
      return found == columns.end() ? std::string() : row.fields[found->second];
    };
    auto asset = MakeAsset(field("member"), field("device"), field("asset_id"), field("name"), field("cpe"),
                           field("purl"), field("version"), where);
    if (!asset.ok()) return asset.error();
    if (!ids.insert(asset->member + "|" + asset->asset_id).second) {
      return Error::Parse(where + ": asset_id '" + asset->asset_id + "' appears twice for member " + asset->member);
    }
    assets.push_back(std::move(*asset));
  }
  return assets;
}

Result<std::vector<Asset>> ParseAssetsJson(std::string_view text, std::string_view origin) {
  const std::string root(origin);
  auto doc = internal::ParseJsonText(text, origin);
  if (!doc.ok()) return doc.error();
  const internal::Json* list = doc->is_array() ? &*doc : FindField(*doc, "assets");
  if (list == nullptr || !list->is_array()) return Error::Parse(root + ": expected an array or {\"assets\": [...]}");
  std::vector<Asset> assets;
  std::set<std::string> ids;
  for (std::size_t item_idx = 0; item_idx < list->size(); ++item_idx) {
    const internal::Json& item = (*list)[item_idx];
    const std::string where = root + ": assets[" + std::to_string(item_idx) + "]";
    if (!item.is_object()) return Error::Parse(where + ": expected an object");
    for (std::string_view key : {"member", "device", "asset_id", "name", "cpe", "purl", "version"}) {
      const internal::Json* value = FindField(item, key);
      if (value != nullptr && !value->is_string() && !value->is_null()) {
        return Error::Parse(where + "." + std::string(key) + ": expected a string");
      }
    }
    auto asset = MakeAsset(StringFieldOr(item, "member"), StringFieldOr(item, "device"),
                           StringFieldOr(item, "asset_id"), StringFieldOr(item, "name"), StringFieldOr(item, "cpe"),
                           StringFieldOr(item, "purl"), StringFieldOr(item, "version"), where);
    if (!asset.ok()) return asset.error();
    if (!ids.insert(asset->member + "|" + asset->asset_id).second) {
      return Error::Parse(where + ": asset_id '" + asset->asset_id + "' appears twice for member " + asset->member);
    }
    assets.push_back(std::move(*asset));
  }
  return assets;
}

Result<std::vector<Asset>> LoadAssetsFile(const std::string& path) {
  auto text = ReadFile(path);
  if (!text.ok()) return text.error();
  if (path.ends_with(".json")) return ParseAssetsJson(*text, path);
  return ParseAssetsCsv(*text, path);
}

}  // namespace dv::vuln
