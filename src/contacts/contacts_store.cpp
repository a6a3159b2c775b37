// SPDX-License-Identifier: Apache-2.0
#include "contacts/contacts_store.h"

#include <algorithm>
#include <set>

#include "core/text.h"

namespace dv::contacts {

namespace {

using Json = nlohmann::json;

Result<MemberContacts> Load(Store& store, std::string_view org_code) {
  auto organisation = store.GetOrganisation(org_code);
  if (!organisation.ok()) return organisation.error();
  MemberContacts out;
  out.org_code = std::string(org_code);
  auto record = store.GetRecord(kContactsKind, org_code);
  if (!record.ok()) {
    if (record.error().kind() == ErrorKind::kNotFound) return out;
    return record.error();
  }
  const Json body = Json::parse(record->body, nullptr, /*allow_exceptions=*/false);
  auto contacts = ContactListFromStored(body);
  if (!contacts.ok()) return contacts.error().WithContext("contacts of " + std::string(org_code));
  out.contacts = std::move(*contacts);
  out.version = record->version;
  out.updated_at = record->at;
  out.problems = ListProblems(out.contacts);
  return out;
}

// The selectors of an erasure, grown as matches bring in more.
struct Selectors {
  std::set<std::string> ids;
  std::set<std::string> names;   // folded case
  std::set<std::string> emails;  // folded case
  std::set<std::string> phones;

  bool Matches(const Json& contact) const {
    if (!contact.is_object()) return false;
    const Json channels = contact.value("channels", Json::object());
    const auto text = [](const Json& object, const char* key) {
      return object.is_object() && object.contains(key) && object[key].is_string() ? object[key].get<std::string>()
                                                                                   : std::string();
    };
    const std::string id = text(contact, "id");
    const std::string name = FoldCase(text(contact, "name"));
    const std::string email = FoldCase(text(channels, "email"));
    const std::string phone = text(channels, "phone");
    return (!id.empty() && ids.count(id)) || (!name.empty() && names.count(name)) ||
           (!email.empty() && emails.count(email)) || (!phone.empty() && phones.count(phone));
  }
  // Adds the contact's identifiers; true when one was new.
  bool Absorb(const Json& contact) {
    const Json channels = contact.value("channels", Json::object());
    bool grew = false;
    const auto add = [&](std::set<std::string>& set, const Json& object, const char* key, bool fold) {
      if (object.is_object() && object.contains(key) && object[key].is_string() &&
          !object[key].get<std::string>().empty()) {
        grew =
            set.insert(fold ? FoldCase(object[key].get<std::string>()) : object[key].get<std::string>()).second || grew;
      }
    };
    add(ids, contact, "id", false);
    add(names, contact, "name", true);
    add(emails, channels, "email", true);
    add(phones, channels, "phone", false);
    return grew;
  }
};

bool ValidReference(std::string_view reference) {
  return reference.size() <= 64 && std::all_of(reference.begin(), reference.end(), [](char c) {
           return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
                  c == ':' || c == '/' || c == '-';
         });
}

}  // namespace

Result<MemberContacts> ContactsOf(Store& store, std::string_view org_code, const Reader& reader) {
  if (reader.actor.empty()) return Error::InvalidArgument("a read of contacts needs a reader for the audit log");
  auto contacts = Load(store, org_code);
  if (!contacts.ok()) return contacts.error();
  const Json detail = {
      {"purpose", reader.purpose}, {"version", contacts->version}, {"count", contacts->contacts.size()}};
  if (auto audited = store.Audit(reader.actor, kReadAction, org_code, detail.dump()); !audited.ok()) {
    return audited.error().WithContext("contacts of " + std::string(org_code) + ": the read could not be audited");
  }
  return contacts;
}

Result<MemberContacts> PutContacts(Store& store, std::string_view org_code, const std::vector<Contact>& contacts,
                                   std::optional<std::int64_t> expected_version, std::string_view actor) {
  auto organisation = store.GetOrganisation(org_code);
  if (!organisation.ok()) return organisation.error();
  RecordWrite write{std::string(kContactsKind), std::string(org_code), std::string(org_code),
                    ContactListToJson(contacts).dump(), expected_version};
  auto record = store.PutRecord(write, actor);
  if (!record.ok()) return record.error();
  MemberContacts out;
  out.org_code = std::string(org_code);
  out.contacts = contacts;
  out.version = record->version;
  out.updated_at = record->at;
  out.problems = ListProblems(out.contacts);
  return out;
}

std::string_view ErasureReasonName(ErasureReason reason) {
  switch (reason) {
    case ErasureReason::kDataSubjectRequest:
      return "data_subject_request";
    case ErasureReason::kNoLongerNeeded:
      return "no_longer_needed";
    case ErasureReason::kUnlawfullyRegistered:
      return "unlawfully_registered";
    case ErasureReason::kOther:
      return "other";
  }
  return "other";
}

std::optional<ErasureReason> ParseErasureReason(std::string_view name) {
  for (const auto reason : {ErasureReason::kDataSubjectRequest, ErasureReason::kNoLongerNeeded,
                            ErasureReason::kUnlawfullyRegistered, ErasureReason::kOther}) {
    if (ErasureReasonName(reason) == name) return reason;
  }
  return std::nullopt;
}

Result<ErasureOutcome> EraseContact(Store& store, std::string_view org_code, const ErasureRequest& request,
                                    std::string_view actor) {
  if (request.contact_id.empty() && request.name.empty() && request.email.empty() && request.phone.empty()) {
    return Error::InvalidArgument("erasure: give at least one of contact_id, name, email and phone");
  }
  if (!ValidReference(request.reference)) {
    return Error::InvalidArgument("reference: at most 64 characters of letters, digits and ._:/- (a case number)");
  }
  auto organisation = store.GetOrganisation(org_code);
  if (!organisation.ok()) return organisation.error();
  const std::string where = "contacts of " + std::string(org_code);

  // Not one outer transaction: the store's erasure must commit on its own so
  // that the backend can drop its copies of the old pages (DoAfterErasure).
  // A write racing between this read and the erasure is still cleaned by
  // the selectors found here.
  ErasureOutcome outcome;
  const Status status = [&]() -> Status {
    auto history = store.RecordHistory(kContactsKind, org_code);
    if (!history.ok()) {
      if (history.error().kind() == ErrorKind::kNotFound) return Error::NotFound(where + ": no contact matches");
      return history.error();
    }
    Selectors selectors;
    if (!request.contact_id.empty()) selectors.ids.insert(request.contact_id);
    if (!request.name.empty()) selectors.names.insert(FoldCase(request.name));
    if (!request.email.empty()) selectors.emails.insert(FoldCase(request.email));
    if (!request.phone.empty()) selectors.phones.insert(request.phone);
    // Grow the selectors over every version until nothing new matches.
    bool matched = false;
    for (bool grew = true; grew;) {
      grew = false;
      for (const Record& version : *history) {
        if (version.deleted) continue;
        const Json body = Json::parse(version.body, nullptr, /*allow_exceptions=*/false);
        if (!body.is_object() || !body.contains("contacts") || !body["contacts"].is_array()) continue;
        for (const Json& contact : body["contacts"]) {
          if (!selectors.Matches(contact)) continue;
          matched = true;
          grew = selectors.Absorb(contact) || grew;
        }
      }
    }
    if (!matched) return Error::NotFound(where + ": no contact matches");

    const std::int64_t current_version = history->back().deleted ? 0 : history->back().version;
    Json detail = {{"reason", ErasureReasonName(request.reason)}, {"reference", request.reference}};
    // The count of the current list is known before the rewrite runs.
    for (const Record& version : *history) {
      if (version.version != current_version) continue;
      const Json body = Json::parse(version.body, nullptr, /*allow_exceptions=*/false);
      if (body.is_object() && body.contains("contacts") && body["contacts"].is_array()) {
        outcome.removed_from_current = std::count_if(body["contacts"].begin(), body["contacts"].end(),
                                                     [&](const Json& contact) { return selectors.Matches(contact); });
      }
    }
    detail["removed_from_current"] = outcome.removed_from_current;
    auto rewritten = store.EraseFromRecordHistory(
        kContactsKind, org_code,
        [&](const Record& version) -> Result<std::optional<std::string>> {
          if (version.deleted) return std::optional<std::string>();
          Json body = Json::parse(version.body, nullptr, /*allow_exceptions=*/false);
          if (!body.is_object() || !body.contains("contacts") || !body["contacts"].is_array()) {
            return Error::Internal(where + ": version " + std::to_string(version.version) + " is not a contact list");
          }
          Json& contacts = body["contacts"];
          const auto before = contacts.size();
          contacts.erase(std::remove_if(contacts.begin(), contacts.end(),
                                        [&](const Json& contact) { return selectors.Matches(contact); }),
                         contacts.end());
          if (contacts.size() == before) return std::optional<std::string>();
          return std::optional<std::string>(body.dump());
        },
        detail.dump(), actor);
    if (!rewritten.ok()) return rewritten.error();
    outcome.versions_rewritten = *rewritten;
    return Ok();
  }();
  if (!status.ok()) return status.error();
  return outcome;
}

}  // namespace dv::contacts
