// SPDX-License-Identifier: Apache-2.0
#pragma once

// A member's contacts in the hub's store (docs/contacts.md): the one way in
// and out. The list is one member record, kind kContactsKind, id the
// member's organisation code, versioned like every record; the store audits
// each write ("record.contacts.list.put") and each erasure
// ("record.contacts.list.erase"), and ContactsOf audits each read
// ("contacts.read"). No other code reads or writes kContactsKind records:
// the hub's contacts module calls these functions after it has decided who
// may act (hub/modules/contacts), and the duty chain (issue 16) calls
// ContactsOf for a member it notifies.
//
// Audit entries name the reader or writer, the member and counts — never a
// contact's name, e-mail, phone or webhook.
//
// Thread-safe as the Store is. Errors: kNotFound for an unknown organisation,
// kInvalidArgument naming the field, kConflict for a stale expected version,
// kIo from the store.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "contacts/contact.h"
#include "core/result.h"
#include "store/store.h"

namespace dv::contacts {

inline constexpr std::string_view kContactsKind = "contacts.list";
inline constexpr std::string_view kReadAction = "contacts.read";

// Who reads, for the audit log: the actor ("member:kbh-soc", "system:duty")
// and why ("api", "notification <id>"). Both are written to the audit log
// as they are: they must not hold a contact's data.
struct Reader {
  std::string actor;
  std::string purpose;
};

// A member's current list.
struct MemberContacts {
  std::string org_code;
  std::vector<Contact> contacts;  // ordered by priority; empty when none are registered
  std::int64_t version = 0;       // of the record; 0 when none was ever written
  std::optional<Timestamp> updated_at;
  std::vector<std::string> problems;  // ListProblems: what an erasure left missing
};

// The member's contacts, audited as kReadAction on the organisation code with
// {"purpose", "version", "count"}. When the audit cannot be written, the
// read fails (kIo) and nothing is returned: an unaudited read does not
// happen. The caller has decided that `reader` may read them.
Result<MemberContacts> ContactsOf(Store& store, std::string_view org_code, const Reader& reader);

// Replaces the member's list with `contacts` (as ParseContactList returns
// them) as a new version. `expected_version` as in RecordWrite (nullopt:
// regardless). The store audits the write.
Result<MemberContacts> PutContacts(Store& store, std::string_view org_code, const std::vector<Contact>& contacts,
                                   std::optional<std::int64_t> expected_version, std::string_view actor);

// Why a person is erased; the audit log keeps the reason and a reference
// (a case number), never free text that might name the person.
enum class ErasureReason { kDataSubjectRequest, kNoLongerNeeded, kUnlawfullyRegistered, kOther };
std::string_view ErasureReasonName(ErasureReason reason);  // "data_subject_request", …
std::optional<ErasureReason> ParseErasureReason(std::string_view name);

// Whom to erase: any of the selectors (at least one). A contact in any
// version matches when its id equals contact_id, its name equals name
// (case-insensitively), its e-mail equals email (case-insensitively) or its
// phone equals phone; the name, e-mail and phone of every match then select
// further contacts, until nothing new matches — so the person goes however
// often they were re-registered, and a role contact that carried their
// phone or e-mail goes with them.
struct ErasureRequest {
  std::string contact_id;
  std::string name;
  std::string email;
  std::string phone;
  ErasureReason reason = ErasureReason::kDataSubjectRequest;
  std::string reference;  // optional: [A-Za-z0-9._:/-], at most 64
};

struct ErasureOutcome {
  std::int64_t removed_from_current = 0;  // contacts removed from the current list
  std::int64_t versions_rewritten = 0;    // record versions whose body changed
};

// Removes the matching contacts from the current list and from every stored
// version (Store::EraseFromRecordHistory), in one transaction. Audited by the
// store as "record.contacts.list.erase" with {"reason", "reference",
// "removed_from_current", "org", "versions"}. kNotFound when nothing matches
// in any version (nothing is written or audited); kInvalidArgument for a
// request without a selector or with a bad reference.
Result<ErasureOutcome> EraseContact(Store& store, std::string_view org_code, const ErasureRequest& request,
                                    std::string_view actor);

}  // namespace dv::contacts
