// SPDX-License-Identifier: Apache-2.0
// /api/v1/contacts/…: a member's contacts (issue 15, docs/contacts.md).
//   members/{code}         the member's contacts (GET, PUT: the whole list)
//   members/{code}/erase   erase a person from the list and its history (POST)
//
// Contacts are personal data. Who may do what:
//   read   the member's own people (role member, not its sensors),
//          coordinators and administrators;
//   write  the member's own people and administrators;
//   erase  the member's own people and administrators.
// Everyone else gets 403 and the refusal is audited ("read.refused" /
// "write.refused"); a request without valid credentials gets 401 (audited,
// aggregated per address and minute). Every read is audited by
// contacts::ContactsOf ("contacts.read", naming the reader and the member),
// every write and erasure by the store. Storage, reads and erasure go
// through contacts/contacts_store.h only.

#include <httplib.h>

#include <array>

#include "contacts/contacts_store.h"
#include "core/uuid.h"
#include "hub/api.h"
#include "hub/module.h"
#include "hub/router.h"

namespace dv::hub {

namespace {

// Limits before work: a body larger than this is refused before parsing
// (200 contacts with every field at its longest stay well below it).
constexpr std::size_t kMaxBodyBytes = 1024 * 1024;

std::string NewContactId() {
  const std::string uuid = Uuid::V4().ToString();
  return "c-" + uuid.substr(0, 8) + uuid.substr(9, 4);
}

Json MemberContactsJson(const contacts::MemberContacts& stored) {
  Json list = contacts::ContactListToJson(stored.contacts)["contacts"];
  return {{"organisation", stored.org_code},
          {"version", stored.version},
          {"updated_at", stored.updated_at ? Json(stored.updated_at->ToRfc3339()) : Json(nullptr)},
          {"contacts", std::move(list)},
          {"problems", stored.problems}};
}

class ContactsApi {
 public:
  explicit ContactsApi(ApiContext& context) : context_(context) {}

  void Register(Router& server) {
    const std::string member = R"(/api/v1/contacts/members/([A-Za-z0-9_.-]{1,64}))";
    server.Get(member, context_.Route(this, &ContactsApi::Get));
    server.Put(member, context_.Route(this, &ContactsApi::Put));
    server.Post(member + "/erase", context_.Route(this, &ContactsApi::Erase));
  }

 private:
  // The organisation named in the path, after the access check (so a refused
  // caller learns nothing from the answer but 403).
  Result<Organisation> PathOrganisation(const httplib::Request& req) {
    const std::string code = req.matches[1].str();
    auto organisation = context_.store().GetOrganisation(code);
    if (!organisation.ok() && organisation.error().kind() == ErrorKind::kNotFound) {
      return Error::NotFound("no organisation has the code '" + code + "'");
    }
    return organisation;
  }

  void Get(const httplib::Request& req, httplib::Response& res, const Principal& principal) {
    const std::string code = req.matches[1].str();
    if (!CanReadOrgPeopleRecords(principal, code))
      return context_.Forbid(principal, req, res, "the contacts of " + code);
    if (auto status = CheckParams(req, {}); !status.ok()) return SendError(res, status.error());
    auto organisation = PathOrganisation(req);
    if (!organisation.ok()) return SendError(res, organisation.error());
    auto stored = contacts::ContactsOf(context_.store(), organisation->code, {ApiContext::Actor(principal), "api"});
    if (!stored.ok()) return SendError(res, stored.error());
    res.set_header("Cache-Control", "no-store");
    SendJson(res, 200, MemberContactsJson(*stored));
  }

  void Put(const httplib::Request& req, httplib::Response& res, const Principal& principal) {
    const std::string code = req.matches[1].str();
    if (!CanWriteOrgRecords(principal, code)) return context_.Forbid(principal, req, res, "the contacts of " + code);
    if (auto status = CheckParams(req, {}); !status.ok()) return SendError(res, status.error());
    if (req.body.size() > kMaxBodyBytes) {
      return SendError(res, Error::InvalidArgument("request body: larger than " + std::to_string(kMaxBodyBytes) +
                                                   " bytes; at most " + std::to_string(contacts::kMaxContacts) +
                                                   " contacts are kept"));
    }
    auto organisation = PathOrganisation(req);
    if (!organisation.ok()) return SendError(res, organisation.error());
    auto body = JsonBody(req);
    if (!body.ok()) return SendError(res, body.error());
    std::optional<std::int64_t> expected_version;
    if (body->contains("expected_version")) {
      const Json& version = (*body)["expected_version"];
      if (!version.is_number_integer() || version.get<std::int64_t>() < 0) {
        return SendError(res, Error::InvalidArgument("expected_version: must be a whole number from 0"));
      }
      expected_version = version.get<std::int64_t>();
    }
    auto parsed = contacts::ParseContactList(*body, &NewContactId);
    if (!parsed.ok()) return SendError(res, parsed.error());
    auto stored = contacts::PutContacts(context_.store(), organisation->code, *parsed, expected_version,
                                        ApiContext::Actor(principal));
    if (!stored.ok()) return SendError(res, stored.error());
    res.set_header("Cache-Control", "no-store");
    SendJson(res, 200, MemberContactsJson(*stored));
  }

  void Erase(const httplib::Request& req, httplib::Response& res, const Principal& principal) {
    const std::string code = req.matches[1].str();
    if (!CanWriteOrgRecords(principal, code)) return context_.Forbid(principal, req, res, "the contacts of " + code);
    if (auto status = CheckParams(req, {}); !status.ok()) return SendError(res, status.error());
    if (req.body.size() > 16 * 1024) {
      return SendError(res, Error::InvalidArgument("request body: larger than 16384 bytes"));
    }
    auto organisation = PathOrganisation(req);
    if (!organisation.ok()) return SendError(res, organisation.error());
    auto body = JsonBody(req);
    if (!body.ok()) return SendError(res, body.error());
    contacts::ErasureRequest request;
    for (const auto& [key, value] : body->items()) {
      std::string* target = key == "contact_id"  ? &request.contact_id
                            : key == "name"      ? &request.name
                            : key == "email"     ? &request.email
                            : key == "phone"     ? &request.phone
                            : key == "reference" ? &request.reference
                                                 : nullptr;
      if (key == "reason") {
        const auto reason = value.is_string() ? contacts::ParseErasureReason(value.get<std::string>()) : std::nullopt;
        if (!reason) {
          return SendError(res, Error::InvalidArgument("reason: must be one of data_subject_request, "
                                                       "no_longer_needed, unlawfully_registered, other"));
        }
        request.reason = *reason;
        continue;
      }
      if (target == nullptr) {
        return SendError(res, Error::InvalidArgument(
                                  key + ": unknown field (known: contact_id, name, email, phone, reason, reference)"));
      }
      if (!value.is_string() || value.get<std::string>().size() > 256) {
        return SendError(res, Error::InvalidArgument(key + ": must be a string of at most 256 bytes"));
      }
      *target = value.get<std::string>();
    }
    if (!body->contains("reason")) return SendError(res, Error::InvalidArgument("reason: is required"));
    auto outcome = contacts::EraseContact(context_.store(), organisation->code, request, ApiContext::Actor(principal));
    if (!outcome.ok()) return SendError(res, outcome.error());
    SendJson(res, 200,
             {{"organisation", organisation->code},
              {"reason", contacts::ErasureReasonName(request.reason)},
              {"removed_from_current", outcome->removed_from_current},
              {"versions_rewritten", outcome->versions_rewritten}});
  }

  ApiContext& context_;
};

void RegisterContactsApi(Router& server, ApiContext& context) {
  auto module = std::make_shared<ContactsApi>(context);
  module->Register(server);
  context.Keep(module);
}

constexpr std::array<std::string_view, 1> kContactsPathPrefixes = {"/api/v1/contacts"};
constexpr std::array<std::string_view, 1> kContactsRecordKinds = {contacts::kContactsKind};
constexpr std::array<std::string_view, 1> kContactsAuditActions = {contacts::kReadAction};

}  // namespace

extern const Module kContactsModule;
constinit const Module kContactsModule{
    .name = "contacts",
    .register_routes = &RegisterContactsApi,
    .openapi_fragment = "contacts.openapi.json",
    .path_prefixes = kContactsPathPrefixes,
    .record_kinds = kContactsRecordKinds,
    .audit_actions = kContactsAuditActions,
    .dashboard_route = "#/contacts",
};

}  // namespace dv::hub
