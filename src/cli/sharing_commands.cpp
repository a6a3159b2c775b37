// SPDX-License-Identifier: Apache-2.0
// `dannevirke member|token|collection`: who may use the hub and where they share.

#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/common.h"
#include "core/uuid.h"
#include "hub/auth.h"
#include "store/store.h"

namespace dv::cli {
namespace {

struct SharingOptions {
  std::string db;
  std::string id;
  std::string org;
  std::string name;
  std::string role = "member";
  std::string label = "cli";
  std::string title;
  std::string description;
  std::string audience = "national";
  std::string audience_value;
  std::vector<std::string> group;
  std::string default_tlp = "amber";
  bool json = false;
};

Result<std::unique_ptr<Store>> OpenStore(const std::string& db) { return Store::Open(db); }

int AddMember(const SharingOptions& options) {
  auto store = OpenStore(options.db);
  if (!store.ok()) return ReportError(store.error());
  const auto role = ParseMemberRole(options.role);
  if (!role) return ReportError(Error::InvalidArgument("--role must be member, sensor, coordinator or admin"));
  Member member{options.id, options.org, options.name.empty() ? options.id : options.name, *role};
  if (auto status = (*store)->UpsertMember(member, "cli"); !status.ok()) return ReportError(status.error());
  std::cout << "Member '" << member.id << "' of " << member.org_code << " (" << options.role << ") saved.\n";
  return 0;
}

int CreateToken(const SharingOptions& options) {
  auto store = OpenStore(options.db);
  if (!store.ok()) return ReportError(store.error());
  const std::string token = hub::NewToken();
  if (auto status = (*store)->AddToken(hub::HashToken(token), options.id, options.label, "cli"); !status.ok()) {
    return ReportError(status.error());
  }
  if (options.json) {
    std::cout << nlohmann::json{{"member", options.id}, {"token", token}}.dump() << "\n";
  } else {
    std::cout << token << "\n";
    std::cerr << "This token is shown once; the hub keeps only its SHA-256 hash.\n";
  }
  return 0;
}

int AddCollection(const SharingOptions& options) {
  auto store = OpenStore(options.db);
  if (!store.ok()) return ReportError(store.error());
  Collection collection;
  collection.id = options.id.empty() ? Uuid::V4().ToString() : options.id;
  collection.title = options.title;
  collection.description = options.description;
  const auto audience = ParseAudienceKind(options.audience);
  if (!audience) return ReportError(Error::InvalidArgument("--audience must be national, region, sector or group"));
  collection.audience = *audience;
  collection.audience_value = options.audience_value;
  collection.group_orgs = options.group;
  const auto tlp = ParseTlp(options.default_tlp);
  if (!tlp)
    return ReportError(Error::InvalidArgument("--default-tlp must be clear, green, amber, amber+strict or red"));
  collection.default_tlp = *tlp;
  if (auto status = (*store)->UpsertCollection(collection, "cli"); !status.ok()) return ReportError(status.error());
  std::cout << collection.id << "\n";
  return 0;
}

int ListCollections(const SharingOptions& options) {
  auto store = OpenStore(options.db);
  if (!store.ok()) return ReportError(store.error());
  auto collections = (*store)->ListCollections();
  if (!collections.ok()) return ReportError(collections.error());
  for (const auto& collection : *collections) {
    std::cout << collection.id << "  " << collection.title << "  (" << AudienceKindName(collection.audience)
              << (collection.audience_value.empty() ? "" : " " + collection.audience_value) << ", default "
              << TlpName(collection.default_tlp) << ")\n";
  }
  return 0;
}

}  // namespace

void AddSharingCommands(CLI::App& app, int* exit_code) {
  CLI::App* member = app.add_subcommand("member", "Manage the members (people and sensors) that may use the hub.");
  member->require_subcommand(1);
  auto member_options = std::make_shared<SharingOptions>();
  CLI::App* add = member->add_subcommand("add", "Add or update a member of an organisation.");
  add->add_option("--db", member_options->db, "Database URL (sqlite:PATH)")->required();
  add->add_option("--id", member_options->id, "Login name, e.g. 0101-soc")->required();
  add->add_option("--org", member_options->org, "Organisation code, e.g. 0101")->required();
  add->add_option("--name", member_options->name, "Display name");
  add->add_option("--role", member_options->role, "member, sensor, coordinator or admin")->capture_default_str();
  add->callback([member_options, exit_code] { *exit_code = AddMember(*member_options); });

  CLI::App* token = app.add_subcommand("token", "Manage API tokens.");
  token->require_subcommand(1);
  auto token_options = std::make_shared<SharingOptions>();
  CLI::App* create = token->add_subcommand(
      "create",
      "Create an API token for a member and print it once; only its hash is stored. Use it as a Bearer "
      "token or as the password of HTTP Basic with the member id as user name.");
  create->add_option("--db", token_options->db, "Database URL (sqlite:PATH)")->required();
  create->add_option("--member", token_options->id, "The member's id")->required();
  create->add_option("--label", token_options->label, "What the token is for")->capture_default_str();
  create->add_flag("--json", token_options->json, "Print as JSON");
  create->callback([token_options, exit_code] { *exit_code = CreateToken(*token_options); });

  CLI::App* collection = app.add_subcommand("collection", "Manage TAXII collections and their audiences.");
  collection->require_subcommand(1);
  auto collection_options = std::make_shared<SharingOptions>();
  CLI::App* add_collection = collection->add_subcommand("add", "Add or update a collection; prints its id.");
  add_collection->add_option("--db", collection_options->db, "Database URL (sqlite:PATH)")->required();
  add_collection->add_option("--id", collection_options->id, "Collection id (a UUID; default: a new one)");
  add_collection->add_option("--title", collection_options->title, "Title")->required();
  add_collection->add_option("--description", collection_options->description, "Description");
  add_collection->add_option("--audience", collection_options->audience, "national, region, sector or group")
      ->capture_default_str();
  add_collection->add_option("--audience-value", collection_options->audience_value,
                             "Region code (1081-1085) or organisation kind, for region and sector audiences");
  add_collection->add_option("--group", collection_options->group, "Organisation codes, for a group audience");
  add_collection->add_option("--default-tlp", collection_options->default_tlp, "TLP for unmarked objects")
      ->capture_default_str();
  add_collection->callback([collection_options, exit_code] { *exit_code = AddCollection(*collection_options); });
  auto list_options = std::make_shared<SharingOptions>();
  CLI::App* list = collection->add_subcommand("list", "List the collections.");
  list->add_option("--db", list_options->db, "Database URL (sqlite:PATH)")->required();
  list->callback([list_options, exit_code] { *exit_code = ListCollections(*list_options); });
}

}  // namespace dv::cli
