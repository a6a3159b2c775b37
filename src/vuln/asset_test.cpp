// SPDX-License-Identifier: Apache-2.0
#include "vuln/asset.h"

#include <gtest/gtest.h>

namespace dv::vuln {
namespace {

TEST(Assets, CsvImportSplitsVendorVersions) {
  auto assets = ParseAssetsCsv(
      "member,device,asset_id,name,cpe,purl,version\n"
      "0751,fw-1,,\"Firewall, main\",cpe:2.3:o:zyxel:atp100_firmware:*:*:*:*:*:*:*:*,,5.36 Patch 1\n"
      "0751,srv-1,ssl,OpenSSL,,pkg:rpm/redhat/openssl@1.0.2k-16.el7?epoch=1,\n"
      "0101,,,Some appliance,,,\n",
      "assets.csv");
  ASSERT_TRUE(assets.ok()) << assets.error().message();
  ASSERT_EQ(assets->size(), 3u);
  const Asset& firewall = (*assets)[0];
  EXPECT_EQ(firewall.name, "Firewall, main");
  EXPECT_EQ(firewall.version, "5.36");
  EXPECT_EQ(firewall.update, "patch1");
  EXPECT_EQ(firewall.cpe.ToString(), "cpe:2.3:o:zyxel:atp100_firmware:5.36:patch1:*:*:*:*:*:*");
  EXPECT_EQ(firewall.asset_id, "fw-1/cpe:2.3:o:zyxel:atp100_firmware:5.36:patch1:*:*:*:*:*:*");
  EXPECT_EQ(firewall.DeviceKey(), "0751/fw-1");
  EXPECT_EQ((*assets)[1].version, "1:1.0.2k-16.el7");
  const auto spots = FindBlindSpots(*assets);
  ASSERT_EQ(spots.size(), 1u);
  EXPECT_EQ(spots[0].member, "0101");
  EXPECT_EQ(spots[0].reason, "no CPE name or package URL");
}

TEST(Assets, VersionWithoutPatchMeansNoUpdate) {
  auto asset =
      MakeAsset("0751", "fw", "", "", "cpe:2.3:o:zyxel:zywall_usg_310_firmware:*:*:*:*:*:*:*:*", "", "4.73", "x");
  ASSERT_TRUE(asset.ok());
  EXPECT_TRUE(asset->cpe.update().is_na());
}

TEST(Assets, ErrorsNameLineAndField) {
  struct Case {
    std::string text;
    std::string message;
  };
  for (const Case& c :
       {Case{"member,cpe\n0751,cpe:2.3:a:x\n", "assets.csv:2: cpe: CPE formatted string has 2"},
        Case{"member,cpe\n0751\n", "assets.csv:2: 1 fields, the header has 2"},
        Case{"device,cpe\nx,y\n", "assets.csv:1: header has no 'member' column"},
        Case{"member,name,cpe\n,a,\n", "assets.csv:2: member: is empty"},
        Case{"member,cpe,version\n0751,cpe:2.3:a:x:y:1.0:*:*:*:*:*:*:*,2.0\n", "disagrees with the CPE version"},
        Case{"member,name\n0751,\"open\n", "unterminated quoted field"},
        Case{"member,asset_id,name\n0751,a,x\n0751,a,y\n", "asset_id 'a' appears twice"}}) {
    auto assets = ParseAssetsCsv(c.text, "assets.csv");
    ASSERT_FALSE(assets.ok()) << c.text;
    EXPECT_NE(assets.error().message().find(c.message), std::string::npos) << assets.error().message();
  }
}

TEST(Assets, JsonImport) {
  auto assets = ParseAssetsJson(R"({"assets":[{"member":"0751","device":"fw","cpe":"cpe:/h:zyxel:atp100:-"},
                                              {"member":"0751","cpe":"cpe:2.3:a:*:openssl:1.0:*:*:*:*:*:*:*"}]})",
                                "assets.json");
  ASSERT_TRUE(assets.ok()) << assets.error().message();
  const auto spots = FindBlindSpots(*assets);
  ASSERT_EQ(spots.size(), 1u);
  EXPECT_NE(spots[0].reason.find("vendor is ANY"), std::string::npos);
  auto bad = ParseAssetsJson(R"({"assets":[{"member":"0751","version":5.3,"name":"x"}]})", "assets.json");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().message(), "assets.json: assets[0].version: expected a string");
}

}  // namespace
}  // namespace dv::vuln
