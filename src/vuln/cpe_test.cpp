// SPDX-License-Identifier: Apache-2.0
#include "vuln/cpe.h"

#include <gtest/gtest.h>

namespace dv::vuln {
namespace {

Cpe MustParse(std::string_view text) {
  auto cpe = ParseCpe(text);
  EXPECT_TRUE(cpe.ok()) << text << ": " << (cpe.ok() ? "" : cpe.error().message());
  return cpe.ok() ? *cpe : Cpe{};
}

TEST(Cpe, ParsesFormattedStringAndRoundTrips) {
  for (std::string_view text :
       {"cpe:2.3:o:zyxel:atp100_firmware:5.35:*:*:*:*:*:*:*", "cpe:2.3:a:at\\&t:connect\\!:1.0\\(2\\):-:*:en:*:*:*:*",
        "cpe:2.3:a:microsoft:internet_explorer:8.0.6001:beta:*:*:*:*:*:*",
        "cpe:2.3:a:foo\\:bar:baz:1.*:*:*:*:*:*:*:*"}) {
    EXPECT_EQ(MustParse(text).ToString(), text);
  }
}

TEST(Cpe, EscapedValuesAndAnyNa) {
  const Cpe cpe = MustParse("cpe:2.3:A:AT\\&T:Connect:-:*:*:*:*:*:*:*");
  EXPECT_EQ(cpe.vendor().value, "at\\&t");
  EXPECT_EQ(cpe.vendor().Unescaped(), "at&t");
  EXPECT_EQ(cpe.product().value, "connect");
  EXPECT_TRUE(cpe.version().is_na());
  EXPECT_TRUE(cpe.update().is_any());
  EXPECT_EQ(EscapeCpeValue("Internet Explorer 8!"), "internet\\ explorer\\ 8\\!");
}

TEST(Cpe, ParsesUriBinding) {
  const Cpe cpe = MustParse("cpe:/a:microsoft:internet_explorer:8.0.6001:beta");
  EXPECT_EQ(cpe.ToString(), "cpe:2.3:a:microsoft:internet_explorer:8.0.6001:beta:*:*:*:*:*:*");
  const Cpe packed = MustParse("cpe:/a:hp:insight_diagnostics:7.4.0.1570::~~online~win2003~x64~");
  EXPECT_EQ(packed.ToString(), "cpe:2.3:a:hp:insight_diagnostics:7.4.0.1570:*:*:*:online:win2003:x64:*");
  const Cpe encoded = MustParse("cpe:/a:at%26t:connect%21:-");
  EXPECT_EQ(encoded.ToString(), "cpe:2.3:a:at\\&t:connect\\!:-:*:*:*:*:*:*:*");
  EXPECT_EQ(MustParse("cpe:/o:redhat:enterprise_linux:7::server").ToString(),
            "cpe:2.3:o:redhat:enterprise_linux:7:*:server:*:*:*:*:*");
}

TEST(Cpe, RejectsMalformedNamesWithThePlace) {
  struct Case {
    std::string_view text;
    std::string_view message;
  };
  for (const Case& c :
       {Case{"cpe:2.3:a:vendor:product", "has 3 attributes"},
        Case{"cpe:2.3:x:vendor:product:1:*:*:*:*:*:*:*", "'part' must be"},
        Case{"cpe:2.3:a:ven dor:product:1:*:*:*:*:*:*:*", "attribute 'vendor': unquoted byte 0x20 at offset 3"},
        Case{"cpe:2.3:a:vendor:pro*duct:1:*:*:*:*:*:*:*", "unquoted '*' inside"},
        Case{"cpe:2.3:a:vendor:product:*:*:*:*:*:*:*:1\\", "a backslash"},
        Case{"cpe:2.3:a:vendor::1:*:*:*:*:*:*:*", "'product' is empty"}, Case{"cpe:/a:vendor%2", "truncated percent"},
        Case{"cpe:/a:b:c:d:e:f:g:h", "at most 7"}, Case{"wfn:[part=a]", "must start with"}}) {
    auto cpe = ParseCpe(c.text);
    ASSERT_FALSE(cpe.ok()) << c.text;
    EXPECT_NE(cpe.error().message().find(c.message), std::string::npos) << c.text << " → " << cpe.error().message();
  }
}

// NISTIR 7696 Table 6-2.
TEST(Cpe, AttributeRelationsTable) {
  const CpeValue any = CpeValue::Any();
  const CpeValue na = CpeValue::Na();
  const CpeValue value = CpeValue::Of("5.35");
  const CpeValue other = CpeValue::Of("5.36");
  const CpeValue wild = CpeValue::Of("5.3*");
  const CpeValue q = CpeValue::Of("5.3?");
  EXPECT_EQ(CompareCpeValues(any, any), CpeRelation::kEqual);
  EXPECT_EQ(CompareCpeValues(any, na), CpeRelation::kSuperset);
  EXPECT_EQ(CompareCpeValues(any, value), CpeRelation::kSuperset);
  EXPECT_EQ(CompareCpeValues(na, any), CpeRelation::kSubset);
  EXPECT_EQ(CompareCpeValues(na, na), CpeRelation::kEqual);
  EXPECT_EQ(CompareCpeValues(na, value), CpeRelation::kDisjoint);
  EXPECT_EQ(CompareCpeValues(value, any), CpeRelation::kSubset);
  EXPECT_EQ(CompareCpeValues(value, na), CpeRelation::kDisjoint);
  EXPECT_EQ(CompareCpeValues(value, value), CpeRelation::kEqual);
  EXPECT_EQ(CompareCpeValues(value, other), CpeRelation::kDisjoint);
  EXPECT_EQ(CompareCpeValues(wild, value), CpeRelation::kSuperset);
  EXPECT_EQ(CompareCpeValues(wild, CpeValue::Of("5.4")), CpeRelation::kDisjoint);
  EXPECT_EQ(CompareCpeValues(q, value), CpeRelation::kSuperset);
  EXPECT_EQ(CompareCpeValues(q, CpeValue::Of("5.355")), CpeRelation::kDisjoint);
  EXPECT_EQ(CompareCpeValues(value, wild), CpeRelation::kUndefined);
  EXPECT_EQ(CompareCpeValues(CpeValue::Of("\\*a"), CpeValue::Of("\\*a")),
            CpeRelation::kEqual);  // quoted '*' is literal
}

TEST(Cpe, NameRelations) {
  const Cpe generic = MustParse("cpe:2.3:o:zyxel:atp100_firmware:*:*:*:*:*:*:*:*");
  const Cpe specific = MustParse("cpe:2.3:o:zyxel:atp100_firmware:5.35:-:*:*:*:*:*:*");
  const Cpe other = MustParse("cpe:2.3:o:zyxel:atp200_firmware:5.35:-:*:*:*:*:*:*");
  EXPECT_TRUE(CompareCpeNames(generic, specific).IsSuperset());
  EXPECT_TRUE(CompareCpeNames(specific, generic).IsSubset());
  EXPECT_TRUE(CompareCpeNames(specific, specific).IsEqual());
  EXPECT_TRUE(CompareCpeNames(specific, other).IsDisjoint());
}

// Dependency-Track #3178: an ANY vendor must not make a name match every product.
TEST(Cpe, AnyVendorDoesNotMatchOtherProducts) {
  const Cpe any_vendor = MustParse("cpe:2.3:a:*:openssl:1.0.2:*:*:*:*:*:*:*");
  const Cpe other_product = MustParse("cpe:2.3:a:apache:log4j:1.0.2:*:*:*:*:*:*:*");
  EXPECT_TRUE(CompareCpeNames(any_vendor, other_product).IsDisjoint());
}

}  // namespace
}  // namespace dv::vuln
