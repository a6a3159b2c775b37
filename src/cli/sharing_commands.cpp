// SPDX-License-Identifier: Apache-2.0
// `dannevirke member|token|collection`: who may use the hub and where they share.

#include <pwd.h>
#include <unistd.h>

#include <charconv>
#include <cstdlib>
#include <iomanip>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/common.h"
#include "core/time.h"
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
  // token create|list|revoke|rotate
  std::string member;
  std::string expires;
  std::string grace = "1h";
  bool all = false;
};

Result<std::unique_ptr<Store>> OpenStore(const std::string& db) { return Store::Open(db); }

// Bad usage the option parser cannot see: the message, and exit code 2.
int UsageError(const std::string& message) {
  std::cerr << "dannevirke: " << message << "\n";
  return 2;
}

// Who the audit log names for a change made here: the operating-system user.
std::string CliActor() {
  if (const passwd* user = ::getpwuid(::geteuid()); user != nullptr && user->pw_name != nullptr) {
    return std::string("cli:") + user->pw_name;
  }
  return "cli:uid-" + std::to_string(::geteuid());
}

// "90d", "12h", "30m", "45s", "2w" (a whole number and one unit of core/time.h) in
// milliseconds; nullopt for anything else or more than ten years.
std::optional<std::int64_t> ParseDurationMs(std::string_view text) {
  if (text.size() < 2) return std::nullopt;
  std::int64_t count = 0;
  const auto* end = text.data() + text.size() - 1;
  const auto [ptr, ec] = std::from_chars(text.data(), end, count);
  if (ec != std::errc() || ptr != end || count < 0) return std::nullopt;
  const auto unit = DurationUnitMs(text.back());
  if (!unit) return std::nullopt;
  const std::int64_t unit_ms = *unit;
  constexpr std::int64_t kTenYearsMs = 3653 * 86'400'000LL;
  if (count > kTenYearsMs / unit_ms) return std::nullopt;
  return count * unit_ms;
}

// --expires: a duration from now, a date (expiring at 00:00 UTC that day) or an RFC 3339 time.
std::optional<Timestamp> ParseExpiry(std::string_view text, Timestamp now) {
  if (auto duration = ParseDurationMs(text)) return Timestamp(now.unix_ms() + *duration);
  const std::string full = text.size() == 10 ? std::string(text) + "T00:00:00Z" : std::string(text);
  auto parsed = Timestamp::Parse(full);
  if (!parsed.ok()) return std::nullopt;
  return *parsed;
}

constexpr const char* kExpiresHelp =
    "--expires must be a duration (90d, 12h, 30m, 45s, 2w) or a date (2026-12-31, or RFC 3339 "
    "2026-12-31T12:00:00Z)";

nlohmann::json OptionalTimeJson(const std::optional<Timestamp>& time) {
  return time ? nlohmann::json(time->ToRfc3339()) : nlohmann::json();
}

// "2026-11-26 10:00" (UTC), or "-".
std::string ShortTime(const std::optional<Timestamp>& time) {
  if (!time) return "-";
  std::string text = time->ToRfc3339();
  text[10] = ' ';
  return text.substr(0, 16);
}

int AddMember(const SharingOptions& options) {
  auto store = OpenStore(options.db);
  if (!store.ok()) return ReportError(store.error());
  const auto role = ParseMemberRole(options.role);
  if (!role) return ReportError(Error::InvalidArgument("--role must be member, sensor, coordinator or admin"));
  Member member{options.id, options.org, options.name.empty() ? options.id : options.name, *role};
  auto previous = (*store)->GetMember(member.id);
  if (auto status = (*store)->UpsertMember(member, CliActor()); !status.ok()) return ReportError(status.error());
  std::cout << "Member '" << member.id << "' of " << member.org_code << " (" << options.role << ") saved.\n";
  if (previous.ok() && previous->org_code != member.org_code) {
    std::cout << "It moved from " << previous->org_code << ": its tokens are revoked.\n";
  }
  return 0;
}

// member disable|enable|remove
int ChangeMember(const SharingOptions& options, std::string_view change) {
  auto store = OpenStore(options.db);
  if (!store.ok()) return ReportError(store.error());
  const std::string actor = CliActor();
  Status status = change == "disable"  ? (*store)->DisableMember(options.id, actor)
                  : change == "enable" ? (*store)->EnableMember(options.id, actor)
                                       : (*store)->RemoveMember(options.id, actor);
  if (!status.ok()) return ReportError(status.error());
  if (change == "disable") {
    std::cout << "Member '" << options.id << "' is disabled: none of its tokens is accepted until it is enabled.\n";
  } else if (change == "enable") {
    std::cout << "Member '" << options.id << "' is enabled.\n";
  } else {
    std::cout << "Member '" << options.id << "' is removed and its tokens are revoked; its audit history is kept.\n";
  }
  return 0;
}

int ListMembers(const SharingOptions& options) {
  auto store = OpenStore(options.db);
  if (!store.ok()) return ReportError(store.error());
  auto members = (*store)->ListMembers();
  if (!members.ok()) return ReportError(members.error());
  nlohmann::json out = nlohmann::json::array();
  for (const auto& member : *members) {
    auto state = (*store)->GetMemberState(member.id);
    if (!state.ok()) return ReportError(state.error());
    if (options.json) {
      out.push_back({{"id", member.id},
                     {"org", member.org_code},
                     {"name", member.name},
                     {"role", MemberRoleName(member.role)},
                     {"disabled_at", OptionalTimeJson(state->disabled_at)}});
    } else {
      std::cout << std::left << std::setw(24) << member.id << std::setw(10) << member.org_code << std::setw(13)
                << MemberRoleName(member.role) << (state->disabled_at ? "disabled" : "enabled") << "  " << member.name
                << "\n";
    }
  }
  if (options.json) std::cout << out.dump(2) << "\n";
  return 0;
}

// Prints a new token once: stdout holds the token (or JSON with it), stderr the advice.
void PrintNewToken(const TokenInfo& info, const std::string& token, bool json) {
  if (json) {
    std::cout << nlohmann::json{{"id", info.id},
                                {"member", info.member_id},
                                {"token", token},
                                {"expires_at", OptionalTimeJson(info.expires_at)}}
                     .dump()
              << "\n";
    return;
  }
  std::cout << token << "\n";
  std::cerr << "Token " << info.id << " for member '" << info.member_id << "'"
            << (info.expires_at ? ", expires " + info.expires_at->ToRfc3339() : std::string(", never expires"))
            << ".\nThis token is shown once; the hub keeps only its SHA-256 hash.\n";
}

int CreateToken(const SharingOptions& options) {
  std::optional<Timestamp> expires_at;
  if (!options.expires.empty()) {
    expires_at = ParseExpiry(options.expires, Timestamp::Now());
    if (!expires_at) return UsageError(kExpiresHelp);
  }
  auto store = OpenStore(options.db);
  if (!store.ok()) return ReportError(store.error());
  const std::string token = hub::NewToken();
  auto created = (*store)->CreateToken({hub::HashToken(token), options.id, options.label, expires_at}, CliActor());
  if (!created.ok()) return ReportError(created.error());
  PrintNewToken(*created, token, options.json);
  return 0;
}

int ListTokens(const SharingOptions& options) {
  auto store = OpenStore(options.db);
  if (!store.ok()) return ReportError(store.error());
  auto tokens = (*store)->ListTokens(options.member);
  if (!tokens.ok()) return ReportError(tokens.error());
  const Timestamp now = Timestamp::Now();
  if (options.json) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& token : *tokens) {
      out.push_back({{"id", token.id},
                     {"member", token.member_id},
                     {"label", token.label},
                     {"created", token.created_at.ToRfc3339()},
                     {"expires", OptionalTimeJson(token.expires_at)},
                     {"last_used", OptionalTimeJson(token.last_used)},
                     {"revoked", OptionalTimeJson(token.revoked_at)},
                     {"state", TokenStateName(StateOf(token, now))}});
    }
    std::cout << out.dump(2) << "\n";
    return 0;
  }
  std::cout << std::left << std::setw(14) << "ID" << std::setw(18) << "MEMBER" << std::setw(18) << "LABEL"
            << std::setw(18) << "CREATED" << std::setw(18) << "EXPIRES" << std::setw(18) << "LAST USED"
            << "STATE\n";
  for (const auto& token : *tokens) {
    std::cout << std::setw(14) << token.id << std::setw(18) << token.member_id << std::setw(18) << token.label
              << std::setw(18) << ShortTime(token.created_at) << std::setw(18) << ShortTime(token.expires_at)
              << std::setw(18) << ShortTime(token.last_used) << TokenStateName(StateOf(token, now)) << "\n";
  }
  return 0;
}

int RevokeTokens(const SharingOptions& options) {
  if (options.id.empty() && !(options.all && !options.member.empty())) {
    return UsageError("token revoke: give --id ID, or --member ID --all");
  }
  auto store = OpenStore(options.db);
  if (!store.ok()) return ReportError(store.error());
  if (!options.id.empty()) {
    if (auto status = (*store)->RevokeToken(options.id, CliActor()); !status.ok()) return ReportError(status.error());
    std::cout << "Token " << options.id << " is revoked.\n";
    return 0;
  }
  auto revoked = (*store)->RevokeMemberTokens(options.member, "revoke", CliActor());
  if (!revoked.ok()) return ReportError(revoked.error());
  std::cout << *revoked << " token(s) of member '" << options.member << "' revoked.\n";
  return 0;
}

int RotateToken(const SharingOptions& options) {
  const auto grace_ms = ParseDurationMs(options.grace == "0" ? "0s" : options.grace);
  if (!grace_ms) return UsageError("--grace must be a duration such as 0s, 30m, 1h or 2d");
  const Timestamp now = Timestamp::Now();
  std::optional<Timestamp> expires_at;
  if (!options.expires.empty()) {
    expires_at = ParseExpiry(options.expires, now);
    if (!expires_at) return UsageError(kExpiresHelp);
  }
  auto store = OpenStore(options.db);
  if (!store.ok()) return ReportError(store.error());
  auto old_token = (*store)->GetToken(options.id);
  if (!old_token.ok()) return ReportError(old_token.error());
  // Without --expires the new token lives as long as the old one was meant to.
  if (!expires_at && old_token->expires_at) {
    expires_at = Timestamp(now.unix_ms() + (old_token->expires_at->unix_ms() - old_token->created_at.unix_ms()));
  }
  const std::string token = hub::NewToken();
  auto created = (*store)->RotateToken(options.id, {hub::HashToken(token), "", "", expires_at},
                                       Timestamp(now.unix_ms() + *grace_ms), CliActor());
  if (!created.ok()) return ReportError(created.error());
  PrintNewToken(*created, token, options.json);
  std::cerr << "The old token " << options.id << " stops working "
            << (*grace_ms == 0 ? std::string("now") : "at " + Timestamp(now.unix_ms() + *grace_ms).ToRfc3339())
            << ".\n";
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
  for (const auto& [change, help] : std::vector<std::pair<std::string, std::string>>{
           {"disable", "Refuse every token of a member until it is enabled again (the tokens are kept)."},
           {"enable", "Accept a disabled member's unexpired, unrevoked tokens again."},
           {"remove", "Remove a member: revoke its tokens and forget it; its audit history is kept."}}) {
    auto change_options = std::make_shared<SharingOptions>();
    CLI::App* cmd = member->add_subcommand(change, help);
    cmd->add_option("--db", change_options->db, "Database URL (sqlite:PATH)")->required();
    cmd->add_option("--id", change_options->id, "The member's id")->required();
    cmd->callback([change_options, exit_code, change = change] { *exit_code = ChangeMember(*change_options, change); });
  }
  auto member_list_options = std::make_shared<SharingOptions>();
  CLI::App* member_list = member->add_subcommand("list", "List the members with organisation, role and state.");
  member_list->add_option("--db", member_list_options->db, "Database URL (sqlite:PATH)")->required();
  member_list->add_flag("--json", member_list_options->json, "Print as JSON");
  member_list->callback([member_list_options, exit_code] { *exit_code = ListMembers(*member_list_options); });

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
  create->add_option("--expires", token_options->expires,
                     "When it stops working: a duration (90d, 12h, 2w) or a date (2026-12-31, 00:00 UTC)");
  create->add_flag("--json", token_options->json, "Print as JSON");
  create->callback([token_options, exit_code] { *exit_code = CreateToken(*token_options); });

  auto list_token_options = std::make_shared<SharingOptions>();
  CLI::App* list_tokens = token->add_subcommand(
      "list", "List tokens: id, member, label, created, expires, last used and state; never the token or its hash.");
  list_tokens->add_option("--db", list_token_options->db, "Database URL (sqlite:PATH)")->required();
  list_tokens->add_option("--member", list_token_options->member, "Only this member's tokens");
  list_tokens->add_flag("--json", list_token_options->json, "Print as JSON");
  list_tokens->callback([list_token_options, exit_code] { *exit_code = ListTokens(*list_token_options); });

  auto revoke_options = std::make_shared<SharingOptions>();
  CLI::App* revoke =
      token->add_subcommand("revoke", "Revoke a token (--id), or every token of a member (--member --all).");
  revoke->add_option("--db", revoke_options->db, "Database URL (sqlite:PATH)")->required();
  auto* revoke_id = revoke->add_option("--id", revoke_options->id, "The token's id (from token list)");
  auto* revoke_member = revoke->add_option("--member", revoke_options->member, "The member whose tokens to revoke");
  auto* revoke_all = revoke->add_flag("--all", revoke_options->all, "With --member: revoke all its tokens");
  revoke_id->excludes(revoke_member)->excludes(revoke_all);
  revoke_member->needs(revoke_all);
  revoke_all->needs(revoke_member);
  revoke->callback([revoke_options, exit_code] { *exit_code = RevokeTokens(*revoke_options); });

  auto rotate_options = std::make_shared<SharingOptions>();
  CLI::App* rotate = token->add_subcommand(
      "rotate",
      "Replace a token: print a new one (same member and label) once; the old one keeps working for the grace "
      "period, then expires.");
  rotate->add_option("--db", rotate_options->db, "Database URL (sqlite:PATH)")->required();
  rotate->add_option("--id", rotate_options->id, "The token's id (from token list)")->required();
  rotate->add_option("--grace", rotate_options->grace, "How long the old token keeps working (0s: stop it now)")
      ->capture_default_str();
  rotate->add_option("--expires", rotate_options->expires,
                     "When the new token stops working (default: the old token's lifetime, from now)");
  rotate->add_flag("--json", rotate_options->json, "Print as JSON");
  rotate->callback([rotate_options, exit_code] { *exit_code = RotateToken(*rotate_options); });

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
