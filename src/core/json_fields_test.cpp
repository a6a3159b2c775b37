// SPDX-License-Identifier: Apache-2.0
#include "core/json_fields.h"

#include <gtest/gtest.h>

namespace dv {
namespace {

using Json = nlohmann::json;

const Json kObject = Json::parse(R"({"name": "Aarhus", "count": 3, "ratio": 0.5, "on": true, "nothing": null,
                                    "list": [1, 2], "number_text": "3"})");

TEST(JsonFields, RequiredFieldsReadOrNameThePlace) {
  EXPECT_EQ(*StringField(kObject, "name", "org.json: [0]"), "Aarhus");
  EXPECT_EQ(*IntField(kObject, "count", "x"), 3);
  EXPECT_TRUE(*BoolField(kObject, "on", "x"));

  EXPECT_EQ(StringField(kObject, "code", "org.json: [0]").error().message(), "org.json: [0]: missing 'code'");
  EXPECT_EQ(StringField(kObject, "count", "org.json: [0]").error().message(), "org.json: [0].count: expected a string");
  EXPECT_EQ(StringField(kObject, "nothing", "o").error().message(), "o.nothing: expected a string");
  EXPECT_EQ(IntField(kObject, "number_text", "o").error().message(), "o.number_text: expected a whole number");
  EXPECT_EQ(IntField(kObject, "ratio", "o").error().message(), "o.ratio: expected a whole number");
  EXPECT_EQ(BoolField(kObject, "name", "o").error().message(), "o.name: expected true or false");
  EXPECT_EQ(StringField(kObject, "code", "o").error().kind(), ErrorKind::kParse);
}

TEST(JsonFields, AnEmptyPathNamesATopLevelField) {
  EXPECT_EQ(StringField(kObject, "code", "").error().message(), "missing 'code'");
  EXPECT_EQ(StringField(kObject, "count", "").error().message(), "count: expected a string");
  EXPECT_EQ(OptionalArrayField(kObject, "name", "").error().message(), "name: expected an array");
}

TEST(JsonFields, OptionalFieldsTreatNullAsAbsent) {
  EXPECT_EQ(**OptionalStringField(kObject, "name", "o"), "Aarhus");
  EXPECT_FALSE(OptionalStringField(kObject, "nothing", "o")->has_value());
  EXPECT_FALSE(OptionalStringField(kObject, "absent", "o")->has_value());
  EXPECT_EQ(OptionalStringField(kObject, "on", "o").error().message(), "o.on: expected a string");
  EXPECT_EQ(**OptionalIntField(kObject, "count", "o"), 3);
  EXPECT_FALSE(OptionalIntField(kObject, "absent", "o")->has_value());
  EXPECT_EQ(**OptionalBoolField(kObject, "on", "o"), true);
  EXPECT_EQ(OptionalBoolField(kObject, "count", "o").error().message(), "o.count: expected true or false");
  EXPECT_EQ((*OptionalArrayField(kObject, "list", "o"))->size(), 2U);
  EXPECT_TRUE((*OptionalArrayField(kObject, "absent", "o"))->empty());
  EXPECT_EQ(OptionalArrayField(kObject, "name", "o").error().message(), "o.name: expected an array");
}

TEST(JsonFields, LenientReadersAndNonObjects) {
  EXPECT_EQ(StringFieldOr(kObject, "name"), "Aarhus");
  EXPECT_EQ(StringFieldOr(kObject, "count", "none"), "none");
  EXPECT_EQ(NumberFieldOr(kObject, "ratio"), 0.5);
  EXPECT_EQ(NumberFieldOr(kObject, "name"), std::nullopt);
  EXPECT_FALSE(BoolFieldOr(kObject, "name", false));
  EXPECT_EQ(TimeFieldOr(Json::parse(R"({"t": "2026-03-01T12:00:00Z"})"), "t"), Timestamp::FromCivil(2026, 3, 1, 12));
  EXPECT_EQ(TimeFieldOr(kObject, "name"), std::nullopt);
  const Json array = Json::array({1});
  EXPECT_EQ(FindField(array, "name"), nullptr);
  EXPECT_EQ(StringField(array, "name", "$").error().message(), "$: missing 'name'");
}

}  // namespace
}  // namespace dv
