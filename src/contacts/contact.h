// SPDX-License-Identifier: Apache-2.0
#pragma once

// A member's contacts (issue 15, docs/contacts.md): who the hub reaches when
// something concerns the member — role addresses first (it-sikkerhed@…),
// people only as needed — on which channels, in which language, at which
// hours, in which order, and which one is out of band (reachable when the
// member's own mail is down). Pure: parsing, validation and the clock; the
// store and the audit are in contacts/contacts_store.h.
//
// Contacts are personal data. Nothing here logs or keeps a copy; error
// messages name the field and its index ("contacts[3].channels.email") and
// say what is wrong, never repeat the value.
//
// Thread-safe: functions are pure (AvailableAt reads the time-zone database,
// loaded once).

#include <array>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "core/time.h"

namespace dv::contacts {

// Limits, checked before any other work on a list.
inline constexpr std::size_t kMaxContacts = 200;
inline constexpr std::size_t kMaxNameLength = 200;  // bytes of UTF-8
inline constexpr std::size_t kMaxIdLength = 64;
inline constexpr std::size_t kMaxEmailLength = 254;  // RFC 5321 path (256) less the angle brackets
inline constexpr std::size_t kMaxWebhookLength = 2048;
inline constexpr std::size_t kMaxWindows = 28;  // per contact: four a day
inline constexpr int kMaxPriority = 1000;

enum class ContactKind { kRole, kPerson };
enum class Language { kDa, kEn };

std::string_view ContactKindName(ContactKind kind);  // "role", "person"
std::string_view LanguageName(Language language);    // "da", "en"

// A weekly window in Europe/Copenhagen wall-clock time: on each of `days`
// (0 = Monday … 6 = Sunday), from `start_minute` (inclusive) to `end_minute`
// (exclusive) after local midnight; 0 <= start < end <= 1440. A night shift
// across midnight is two windows. On the DST nights the wall clock decides:
// 02:00-03:00 does not exist on the last Sunday of March, and occurs twice
// on the last Sunday of October (both count).
struct Window {
  std::array<bool, 7> days = {};
  int start_minute = 0;
  int end_minute = 0;
  friend bool operator==(const Window&, const Window&) = default;
};

// When a contact may be reached: always, or in the weekly windows.
struct Hours {
  bool always = true;
  std::vector<Window> windows;  // non-empty when !always
  friend bool operator==(const Hours&, const Hours&) = default;
};

// A contact's channels; an empty string is an absent channel. At least one
// is present.
struct Channels {
  std::string email;    // RFC 5321/5322 addr-spec, ASCII (ValidateEmail)
  std::string phone;    // E.164, for SMS: "+4512345678" (ValidatePhone)
  std::string webhook;  // https URL without credentials (ValidateWebhook)
  friend bool operator==(const Channels&, const Channels&) = default;
};

struct Contact {
  std::string id;  // [a-z0-9-], unique in the list; chosen by the hub when a write leaves it out
  ContactKind kind = ContactKind::kRole;
  std::string name;  // the role's name ("IT-sikkerhed") or the person's name
  Channels channels;
  Language language = Language::kDa;
  Hours hours;
  int priority = 1;  // 1 first; unique in the list
  bool out_of_band = false;
  friend bool operator==(const Contact&, const Contact&) = default;
};

// The channel checks. Ok, or kInvalidArgument saying what is wrong (without
// the value and without a field name: the caller prefixes the field).
//
// Email: the addr-spec of RFC 5322 as RFC 5321 restricts it for delivery:
// local-part a dot-atom (atext, single dots, neither first nor last) or a
// quoted string of printable ASCII; at most 64 octets; domain a host name of
// two or more labels (letters, digits, inner hyphens; 1-63 octets each; an
// IDN in its A-label "xn--" form), at most 255 octets, whose last label is
// not all digits; at most 254 octets in all. Refused: address literals
// ("user@[192.0.2.1]"), comments, folding white space, obsolete forms,
// non-ASCII (SMTPUTF8) addresses.
Status ValidateEmail(std::string_view email);
// E.164: "+", a country code not starting with 0, 8-15 digits in all;
// no spaces or punctuation.
Status ValidatePhone(std::string_view phone);
// "https://host[:port][/path][?query]": scheme https only (case-insensitive),
// no user information (credentials do not belong in a stored URL), no
// fragment, a host name as for e-mail domains (one label allowed) or an IP
// literal, a port 1-65535, no white space or control characters, at most
// kMaxWebhookLength bytes. Whether the host may be posted to (no loopback or
// private addresses in production) is decided when posting, on the resolved
// address, by the sender (issue 16), not here.
Status ValidateWebhook(std::string_view url);

// The request body of a write: {"contacts": [ … ]} with each contact as in
// ContactToJson ("id" optional). Unknown fields are refused. Checks, in
// order: the object's shape and the number of contacts (kMaxContacts) before
// reading any contact; each contact's fields (messages name
// "contacts[<index>].<field>"); then the list: unique ids and priorities,
// and — when the list is not empty — exactly one out-of-band contact, which
// has a phone or a webhook (a channel that does not depend on the member's
// own mail), and at least one role contact (people only as needed). An empty
// list is accepted: it removes every contact. Contacts without an id get
// `new_id()`'s. The result is ordered by priority.
Result<std::vector<Contact>> ParseContactList(const nlohmann::json& body, std::string (*new_id)());

// The wire and storage form of a contact, and of a list ({"contacts": […]}).
nlohmann::json ContactToJson(const Contact& contact);
nlohmann::json ContactListToJson(const std::vector<Contact>& contacts);
// Reads what ContactListToJson wrote, without the list rules (an erasure may
// leave a stored list without its out-of-band contact). kInternal naming the
// field when the stored form is not understood.
Result<std::vector<Contact>> ContactListFromStored(const nlohmann::json& stored);

// What is missing from a stored list that a write would require (after an
// erasure): "no out-of-band contact", "no role contact". Empty when complete.
std::vector<std::string> ListProblems(const std::vector<Contact>& contacts);

// True when `hours` include the instant `at` (in Copenhagen's wall-clock
// time). kIo when the time-zone database cannot be read.
Result<bool> AvailableAt(const Hours& hours, Timestamp at);

}  // namespace dv::contacts
