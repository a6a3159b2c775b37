// SPDX-License-Identifier: Apache-2.0
#pragma once

// Assets: what each member runs, identified by CPE 2.3 names or package
// URLs, grouped by device so that firmware and hardware on the same device
// can satisfy an NVD AND configuration together.
//
// Import formats (docs/vuln.md):
//   CSV  header: member,device,asset_id,name,cpe,purl,version   (any order;
//        member and one of cpe/purl/name required; RFC 4180 quoting)
//   JSON {"assets":[{"member":..., "device":..., "asset_id":..., "name":...,
//        "cpe":..., "purl":..., "version":...}]}
// Parsers are pure and thread-safe; errors name the file, line or JSON index
// and the field.

#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "vuln/cpe.h"
#include "vuln/purl.h"

namespace dv::vuln {

struct Asset {
  std::string member;    // organisation code ("0751", "ENERGINET")
  std::string device;    // device id within the member; empty: the asset is a device of its own
  std::string asset_id;  // stable within the member; decisions are keyed on it
  std::string name;      // label for people
  bool has_cpe = false;
  Cpe cpe;  // version and update filled from `version` when the name leaves them ANY
  bool has_purl = false;
  Purl purl;
  // The effective version ("5.36") and update ("patch1"; "" = none), as used
  // for range comparison. Empty version: unknown.
  std::string version;
  std::string update;
  bool version_known = false;

  // The device key used to group assets: "<member>/<device or asset_id>".
  std::string DeviceKey() const;
};

// Builds an asset from its fields: parses the CPE / purl, splits a vendor
// version ("5.36 Patch 1" → version 5.36, update patch1) into the CPE, and
// derives asset_id when empty ("<device>/<cpe or purl or name>").
// `where` prefixes error messages ("assets.csv:7").
Result<Asset> MakeAsset(std::string member, std::string device, std::string asset_id, std::string name,
                        std::string_view cpe, std::string_view purl, std::string_view version, std::string_view where);

// An asset the engine cannot match, and why.
struct BlindSpot {
  std::string member;
  std::string asset_id;
  std::string name;
  std::string reason;  // "no CPE or package URL", "CPE vendor is ANY", ...
};

// Empty when the asset has a matchable identifier; else the reason.
std::string BlindSpotReason(const Asset& asset);
std::vector<BlindSpot> FindBlindSpots(const std::vector<Asset>& assets);

Result<std::vector<Asset>> ParseAssetsCsv(std::string_view text, std::string_view origin);
Result<std::vector<Asset>> ParseAssetsJson(std::string_view text, std::string_view origin);
// Reads a .csv or .json file (by extension).
Result<std::vector<Asset>> LoadAssetsFile(const std::string& path);

}  // namespace dv::vuln
