// SPDX-License-Identifier: Apache-2.0
#include "store/raw_rows.h"

#include <array>
#include <charconv>

namespace dv {
namespace {

using enum RawType;

// Schema version 6 (sqlite_store.cpp, postgres_store.cpp). A migration that
// adds a table or a column must add it here too (migrate_test compares this
// list with the schema SQLite reports).
constexpr std::array<RawColumn, 11> kRawOrganisationColumns = {{{"code"},
                                                                {"name"},
                                                                {"kind"},
                                                                {"region_code"},
                                                                {"population", kInteger},
                                                                {"description"},
                                                                {"operator_code"},
                                                                {"stix_id"},
                                                                {"search_key"},
                                                                {"created"},
                                                                {"modified"}}};
constexpr std::array<std::string_view, 1> kRawOrganisationKey = {"code"};

constexpr std::array<RawColumn, 6> kRawDependencyColumns = {
    {{"from_code"}, {"to_code"}, {"relation"}, {"strength", kReal}, {"illustrative", kInteger}, {"note"}}};
constexpr std::array<std::string_view, 3> kRawDependencyKey = {"from_code", "to_code", "relation"};

constexpr std::array<RawColumn, 7> kRawMemberColumns = {
    {{"id"}, {"org_code"}, {"name"}, {"role"}, {"created"}, {"disabled_at"}, {"removed_at"}}};
constexpr std::array<std::string_view, 1> kRawIdKey = {"id"};

constexpr std::array<RawColumn, 9> kRawTokenColumns = {{{"token_hash"},
                                                        {"member_id"},
                                                        {"label"},
                                                        {"created"},
                                                        {"revoked", kInteger},
                                                        {"id"},
                                                        {"expires_at"},
                                                        {"revoked_at"},
                                                        {"last_used"}}};
constexpr std::array<std::string_view, 1> kRawTokenKey = {"token_hash"};

constexpr std::array<RawColumn, 7> kRawCollectionColumns = {
    {{"id"}, {"title"}, {"description"}, {"audience"}, {"audience_value"}, {"group_orgs"}, {"default_tlp", kInteger}}};

constexpr std::array<RawColumn, 12> kRawObjectColumns = {{{"seq", kInteger},
                                                          {"collection_id"},
                                                          {"id"},
                                                          {"type"},
                                                          {"spec_version"},
                                                          {"version"},
                                                          {"added_us", kInteger},
                                                          {"tlp", kInteger},
                                                          {"producer_org"},
                                                          {"recipients"},
                                                          {"json"},
                                                          {"posted_by"}}};
constexpr std::array<std::string_view, 1> kRawSeqKey = {"seq"};

constexpr std::array<RawColumn, 9> kRawStatusColumns = {{{"id"},
                                                         {"member_id"},
                                                         {"status"},
                                                         {"request_timestamp"},
                                                         {"total", kInteger},
                                                         {"success", kInteger},
                                                         {"failure", kInteger},
                                                         {"pending", kInteger},
                                                         {"details"}}};

constexpr std::array<RawColumn, 8> kRawRecordColumns = {
    {{"kind"}, {"id"}, {"version", kInteger}, {"org_code"}, {"at"}, {"actor"}, {"body"}, {"deleted", kInteger}}};
constexpr std::array<std::string_view, 3> kRawRecordKey = {"kind", "id", "version"};

constexpr std::array<RawColumn, 6> kRawAuditColumns = {
    {{"id", kInteger}, {"at"}, {"actor"}, {"action"}, {"object"}, {"detail"}}};

constexpr std::array<RawTable, 9> kRawTables = {{
    {"organisation", kRawOrganisationColumns, kRawOrganisationKey, ""},
    {"dependency", kRawDependencyColumns, kRawDependencyKey, ""},
    {"member", kRawMemberColumns, kRawIdKey, ""},
    {"api_token", kRawTokenColumns, kRawTokenKey, ""},
    {"collection", kRawCollectionColumns, kRawIdKey, ""},
    {"stix_object", kRawObjectColumns, kRawSeqKey, "seq"},
    {"taxii_status", kRawStatusColumns, kRawIdKey, ""},
    {"member_record", kRawRecordColumns, kRawRecordKey, ""},
    {"audit_log", kRawAuditColumns, kRawIdKey, "id"},
}};

}  // namespace

std::span<const RawTable> RawTables() { return kRawTables; }

std::string RawRealText(double value) {
  std::array<char, 32> buffer{};
  const auto end = std::to_chars(buffer.data(), buffer.data() + buffer.size(), value).ptr;
  return std::string(buffer.data(), end);
}

namespace {

template <typename Names, typename Name>
std::string JoinRawNames(const Names& names, Name name) {
  std::string out;
  for (const auto& item : names) {
    if (!out.empty()) out += ", ";
    out += name(item);
  }
  return out;
}

}  // namespace

std::string RawColumnList(const RawTable& table) {
  return JoinRawNames(table.columns, [](const RawColumn& column) { return column.name; });
}

std::string RawKeyList(const RawTable& table) {
  return JoinRawNames(table.key, [](std::string_view name) { return name; });
}

}  // namespace dv
