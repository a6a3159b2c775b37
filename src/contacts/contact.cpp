// SPDX-License-Identifier: Apache-2.0
#include "contacts/contact.h"

#include <algorithm>
#include <set>

#include "incident/local_time.h"

namespace dv::contacts {

namespace {

using Json = nlohmann::json;

constexpr std::array<std::string_view, 7> kDayNames = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
constexpr std::string_view kTimeZone = "Europe/Copenhagen";

Error FieldError(const std::string& field, const std::string& what) {
  return Error::InvalidArgument(field + ": " + what);
}

bool IsAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// RFC 5322 atext.
bool IsAtext(char c) {
  return IsAlpha(c) || IsDigit(c) || std::string_view("!#$%&'*+-/=?^_`{|}~").find(c) != std::string_view::npos;
}

// A host name: labels of letters, digits and inner hyphens, 1-63 octets,
// at most 255 in all; the last label not all digits.
Status ValidateHostName(std::string_view host, bool need_two_labels) {
  if (host.empty()) return Error::InvalidArgument("the domain is empty");
  if (host.size() > 255) return Error::InvalidArgument("the domain is longer than 255 characters");
  std::size_t labels = 0;
  std::string_view last;
  std::size_t start = 0;
  while (true) {
    const std::size_t dot = host.find('.', start);
    const std::string_view label = host.substr(start, dot == std::string_view::npos ? host.npos : dot - start);
    if (label.empty()) return Error::InvalidArgument("the domain has an empty label");
    if (label.size() > 63) return Error::InvalidArgument("a label of the domain is longer than 63 characters");
    for (char c : label) {
      if (!IsAlpha(c) && !IsDigit(c) && c != '-') {
        return Error::InvalidArgument(
            "the domain may hold only letters, digits, hyphens and dots (an international domain in its xn-- form)");
      }
    }
    if (label.front() == '-' || label.back() == '-') {
      return Error::InvalidArgument("a label of the domain starts or ends with a hyphen");
    }
    ++labels;
    last = label;
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  if (need_two_labels && labels < 2) return Error::InvalidArgument("the domain needs at least two labels");
  if (std::all_of(last.begin(), last.end(), IsDigit)) {
    return Error::InvalidArgument("the domain's last label is all digits");
  }
  return Ok();
}

// "HH:MM" -> minutes after midnight; "24:00" only when `allow_end`.
std::optional<int> ParseClock(std::string_view text, bool allow_end) {
  if (text.size() != 5 || text[2] != ':' || !IsDigit(text[0]) || !IsDigit(text[1]) || !IsDigit(text[3]) ||
      !IsDigit(text[4])) {
    return std::nullopt;
  }
  const int hour = (text[0] - '0') * 10 + (text[1] - '0');
  const int minute = (text[3] - '0') * 10 + (text[4] - '0');
  if (minute > 59) return std::nullopt;
  if (hour == 24 && minute == 0 && allow_end) return 1440;
  if (hour > 23) return std::nullopt;
  return hour * 60 + minute;
}

std::string FormatClock(int minutes) {
  const int hour = minutes / 60;
  const int minute = minutes % 60;
  std::string out;
  out += static_cast<char>('0' + hour / 10);
  out += static_cast<char>('0' + hour % 10);
  out += ':';
  out += static_cast<char>('0' + minute / 10);
  out += static_cast<char>('0' + minute % 10);
  return out;
}

Status CheckKeys(const Json& object, const std::string& field, std::initializer_list<std::string_view> known) {
  for (const auto& [key, value] : object.items()) {
    if (std::find(known.begin(), known.end(), key) == known.end()) {
      std::string list;
      for (const auto name : known) list += (list.empty() ? "" : ", ") + std::string(name);
      return FieldError(field + "." + key, "unknown field (known: " + list + ")");
    }
  }
  return Ok();
}

Result<std::string> RequiredString(const Json& object, const std::string& field, std::string_view key) {
  const std::string where = field + "." + std::string(key);
  if (!object.contains(key)) return FieldError(where, "is required");
  if (!object[std::string(key)].is_string()) return FieldError(where, "must be a string");
  return object[std::string(key)].get<std::string>();
}

Status CheckText(const std::string& text, const std::string& field, std::size_t max) {
  if (text.empty()) return FieldError(field, "must not be empty");
  if (text.size() > max) return FieldError(field, "is longer than " + std::to_string(max) + " bytes");
  for (char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte == 0x7f) return FieldError(field, "holds a control character");
  }
  if (text.front() == ' ' || text.back() == ' ') return FieldError(field, "starts or ends with a space");
  return Ok();
}

Result<Window> ParseWindow(const Json& value, const std::string& field) {
  if (!value.is_object()) return FieldError(field, "must be an object with days, from and to");
  DV_TRY(CheckKeys(value, field, {"days", "from", "to"}));
  Window window;
  if (!value.contains("days") || !value["days"].is_array() || value["days"].empty() || value["days"].size() > 7) {
    return FieldError(field + ".days", "must be an array of 1-7 days (mon, tue, wed, thu, fri, sat, sun)");
  }
  for (std::size_t day_idx = 0; day_idx < value["days"].size(); ++day_idx) {
    const Json& day = value["days"][day_idx];
    const std::string at = field + ".days[" + std::to_string(day_idx) + "]";
    const auto found =
        day.is_string() ? std::find(kDayNames.begin(), kDayNames.end(), day.get<std::string>()) : kDayNames.end();
    if (found == kDayNames.end()) return FieldError(at, "must be one of mon, tue, wed, thu, fri, sat, sun");
    bool& slot = window.days[static_cast<std::size_t>(found - kDayNames.begin())];
    if (slot) return FieldError(at, "repeats a day");
    slot = true;
  }
  for (const auto& [key, end] : {std::pair<std::string_view, bool>{"from", false}, {"to", true}}) {
    auto text = RequiredString(value, field, key);
    if (!text.ok()) return text.error();
    const auto minutes = ParseClock(*text, end);
    if (!minutes) {
      return FieldError(field + "." + std::string(key),
                        end ? "must be a time HH:MM from 00:01 to 24:00" : "must be a time HH:MM from 00:00 to 23:59");
    }
    (end ? window.end_minute : window.start_minute) = *minutes;
  }
  if (window.start_minute >= window.end_minute) {
    return FieldError(field + ".to", "must be later than 'from' (split a window across midnight in two)");
  }
  return window;
}

Result<Hours> ParseHours(const Json& value, const std::string& field) {
  Hours hours;
  if (value.is_string()) {
    if (value.get<std::string>() != "always") return FieldError(field, "must be \"always\" or an object with windows");
    return hours;
  }
  if (!value.is_object()) return FieldError(field, "must be \"always\" or an object with windows");
  DV_TRY(CheckKeys(value, field, {"time_zone", "windows"}));
  if (value.contains("time_zone") && value["time_zone"] != kTimeZone) {
    return FieldError(field + ".time_zone", "must be Europe/Copenhagen (the only time zone of the windows)");
  }
  if (!value.contains("windows") || !value["windows"].is_array() || value["windows"].empty() ||
      value["windows"].size() > kMaxWindows) {
    return FieldError(field + ".windows", "must be an array of 1-" + std::to_string(kMaxWindows) + " windows");
  }
  hours.always = false;
  for (std::size_t window_idx = 0; window_idx < value["windows"].size(); ++window_idx) {
    auto window = ParseWindow(value["windows"][window_idx], field + ".windows[" + std::to_string(window_idx) + "]");
    if (!window.ok()) return window.error();
    hours.windows.push_back(*window);
  }
  return hours;
}

Result<Contact> ParseContact(const Json& value, const std::string& field) {
  if (!value.is_object()) return FieldError(field, "must be an object");
  DV_TRY(CheckKeys(value, field, {"id", "kind", "name", "channels", "language", "hours", "priority", "out_of_band"}));
  Contact contact;
  if (value.contains("id")) {
    const Json& id = value["id"];
    const std::string text = id.is_string() ? id.get<std::string>() : std::string();
    const bool ok = !text.empty() && text.size() <= kMaxIdLength && std::all_of(text.begin(), text.end(), [](char c) {
      return (c >= 'a' && c <= 'z') || IsDigit(c) || c == '-';
    });
    if (!ok) return FieldError(field + ".id", "must be 1-64 characters of a-z, 0-9 and '-'");
    contact.id = text;
  }
  auto kind = RequiredString(value, field, "kind");
  if (!kind.ok()) return kind.error();
  if (*kind == "role") {
    contact.kind = ContactKind::kRole;
  } else if (*kind == "person") {
    contact.kind = ContactKind::kPerson;
  } else {
    return FieldError(field + ".kind", "must be \"role\" or \"person\"");
  }
  auto name = RequiredString(value, field, "name");
  if (!name.ok()) return name.error();
  DV_TRY(CheckText(*name, field + ".name", kMaxNameLength));
  contact.name = std::move(*name);

  const std::string channels_field = field + ".channels";
  if (!value.contains("channels") || !value["channels"].is_object()) {
    return FieldError(channels_field, "is required: an object with email, phone and/or webhook");
  }
  const Json& channels = value["channels"];
  DV_TRY(CheckKeys(channels, channels_field, {"email", "phone", "webhook"}));
  struct ChannelRule {
    std::string_view key;
    std::string* out;
    Status (*validate)(std::string_view);
    std::size_t max;
  };
  const std::array<ChannelRule, 3> rules = {
      ChannelRule{"email", &contact.channels.email, &ValidateEmail, kMaxEmailLength},
      ChannelRule{"phone", &contact.channels.phone, &ValidatePhone, 16},
      ChannelRule{"webhook", &contact.channels.webhook, &ValidateWebhook, kMaxWebhookLength}};
  for (const auto& rule : rules) {
    if (!channels.contains(rule.key)) continue;
    const std::string at = channels_field + "." + std::string(rule.key);
    const Json& text = channels[std::string(rule.key)];
    if (!text.is_string()) return FieldError(at, "must be a string");
    if (text.get<std::string>().size() > rule.max) {
      return FieldError(at, "is longer than " + std::to_string(rule.max) + " characters");
    }
    if (auto status = rule.validate(text.get<std::string>()); !status.ok()) {
      return FieldError(at, status.error().message());
    }
    *rule.out = text.get<std::string>();
  }
  if (contact.channels.email.empty() && contact.channels.phone.empty() && contact.channels.webhook.empty()) {
    return FieldError(channels_field, "needs at least one of email, phone and webhook");
  }

  if (value.contains("language")) {
    const Json& language = value["language"];
    if (language == "da") {
      contact.language = Language::kDa;
    } else if (language == "en") {
      contact.language = Language::kEn;
    } else {
      return FieldError(field + ".language", "must be \"da\" or \"en\"");
    }
  }
  if (value.contains("hours")) {
    auto hours = ParseHours(value["hours"], field + ".hours");
    if (!hours.ok()) return hours.error();
    contact.hours = std::move(*hours);
  }
  if (!value.contains("priority")) return FieldError(field + ".priority", "is required");
  const Json& priority = value["priority"];
  if (!priority.is_number_integer() || priority.get<std::int64_t>() < 1 ||
      priority.get<std::int64_t>() > kMaxPriority) {
    return FieldError(field + ".priority", "must be a whole number from 1 to " + std::to_string(kMaxPriority));
  }
  contact.priority = static_cast<int>(priority.get<std::int64_t>());
  if (value.contains("out_of_band")) {
    if (!value["out_of_band"].is_boolean()) return FieldError(field + ".out_of_band", "must be true or false");
    contact.out_of_band = value["out_of_band"].get<bool>();
  }
  return contact;
}

// 0 = Monday for a proleptic Gregorian date (Howard Hinnant's days_from_civil).
int Weekday(int year, int month, int day) {
  year -= month <= 2 ? 1 : 0;
  const int era = (year >= 0 ? year : year - 399) / 400;
  const int year_of_era = year - era * 400;
  const int day_of_year = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
  const int day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
  const long long days = static_cast<long long>(era) * 146097 + day_of_era - 719468;  // 0 = 1970-01-01, a Thursday
  return static_cast<int>(((days + 3) % 7 + 7) % 7);
}

}  // namespace

std::string_view ContactKindName(ContactKind kind) { return kind == ContactKind::kRole ? "role" : "person"; }
std::string_view LanguageName(Language language) { return language == Language::kDa ? "da" : "en"; }

Status ValidateEmail(std::string_view email) {
  if (email.empty()) return Error::InvalidArgument("must not be empty");
  if (email.size() > kMaxEmailLength) return Error::InvalidArgument("is longer than 254 characters");
  const std::size_t at = email.rfind('@');
  if (at == std::string_view::npos) return Error::InvalidArgument("is not an e-mail address (no '@')");
  const std::string_view local = email.substr(0, at);
  const std::string_view domain = email.substr(at + 1);
  if (local.empty()) return Error::InvalidArgument("has an empty local part (before '@')");
  if (local.size() > 64) return Error::InvalidArgument("has a local part (before '@') longer than 64 characters");
  if (local.front() == '"') {
    // quoted-string: qtextSMTP / quoted-pairSMTP (RFC 5321 4.1.2)
    if (local.size() < 2 || local.back() != '"') {
      return Error::InvalidArgument("has a quoted local part without its closing quote");
    }
    for (std::size_t idx = 1; idx + 1 < local.size(); ++idx) {
      const auto c = static_cast<unsigned char>(local[idx]);
      if (c == '\\') {
        ++idx;
        if (idx + 1 >= local.size() || static_cast<unsigned char>(local[idx]) < 32 ||
            static_cast<unsigned char>(local[idx]) > 126) {
          return Error::InvalidArgument("has a bad escape in its quoted local part");
        }
        continue;
      }
      if (c < 32 || c > 126 || c == '"') {
        return Error::InvalidArgument("has a character its quoted local part may not hold");
      }
    }
  } else {
    if (email.find('@') != at) return Error::InvalidArgument("has more than one '@' outside quotes");
    if (local.front() == '.' || local.back() == '.' || local.find("..") != std::string_view::npos) {
      return Error::InvalidArgument("has a local part (before '@') that starts or ends with a dot or holds two");
    }
    for (char c : local) {
      if (c != '.' && !IsAtext(c)) {
        return Error::InvalidArgument(
            "has a character its local part may not hold (letters, digits, .!#$%&'*+-/=?^_`{|}~; others need quotes)");
      }
    }
  }
  if (!domain.empty() && domain.front() == '[') {
    return Error::InvalidArgument("uses an address literal; give a domain name");
  }
  if (auto status = ValidateHostName(domain, /*need_two_labels=*/true); !status.ok()) return status;
  return Ok();
}

Status ValidatePhone(std::string_view phone) {
  if (phone.empty() || phone.front() != '+') {
    return Error::InvalidArgument("must be in E.164 form: '+', country code and number, digits only");
  }
  const std::string_view digits = phone.substr(1);
  if (!std::all_of(digits.begin(), digits.end(), IsDigit)) {
    return Error::InvalidArgument("must be in E.164 form: '+' and digits only, no spaces or punctuation");
  }
  if (digits.size() < 8 || digits.size() > 15) {
    return Error::InvalidArgument("must have 8-15 digits after '+' (E.164)");
  }
  if (digits.front() == '0') return Error::InvalidArgument("has a country code starting with 0 (E.164)");
  return Ok();
}

Status ValidateWebhook(std::string_view url) {
  if (url.size() > kMaxWebhookLength) return Error::InvalidArgument("is longer than 2048 characters");
  for (char c : url) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte <= 0x20 || byte >= 0x7f) {
      return Error::InvalidArgument("holds white space, a control character or non-ASCII (percent-encode it)");
    }
  }
  constexpr std::string_view kScheme = "https://";
  if (url.size() < kScheme.size() ||
      !std::equal(kScheme.begin(), kScheme.end(), url.begin(), [](char a, char b) { return a == (b | 0x20); })) {
    return Error::InvalidArgument("must be an https:// URL");
  }
  const std::string_view rest = url.substr(kScheme.size());
  if (rest.find('#') != std::string_view::npos) return Error::InvalidArgument("must not have a fragment ('#')");
  const std::string_view authority = rest.substr(0, rest.find_first_of("/?"));
  if (authority.find('@') != std::string_view::npos) {
    return Error::InvalidArgument("must not hold user information or credentials ('user@')");
  }
  std::string_view host = authority;
  std::string_view port;
  if (!host.empty() && host.front() == '[') {
    const std::size_t close = host.find(']');
    if (close == std::string_view::npos) return Error::InvalidArgument("has an IPv6 literal without ']'");
    const std::string_view literal = host.substr(1, close - 1);
    if (literal.empty() || !std::all_of(literal.begin(), literal.end(), [](char c) {
          return IsDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || c == ':' || c == '.';
        })) {
      return Error::InvalidArgument("has an IPv6 literal that is not one");
    }
    const std::string_view after = host.substr(close + 1);
    if (!after.empty() && after.front() != ':') return Error::InvalidArgument("has text after its IPv6 literal");
    if (!after.empty()) port = after.substr(1);
    host = {};
  } else if (const std::size_t colon = host.find(':'); colon != std::string_view::npos) {
    port = host.substr(colon + 1);
    host = host.substr(0, colon);
    if (port.empty()) return Error::InvalidArgument("has an empty port");
  }
  if (!port.empty()) {
    if (port.size() > 5 || !std::all_of(port.begin(), port.end(), IsDigit) || std::stoi(std::string(port)) < 1 ||
        std::stoi(std::string(port)) > 65535) {
      return Error::InvalidArgument("has a port that is not 1-65535");
    }
  }
  if (!authority.empty() && authority.front() == '[') return Ok();
  if (host.empty()) return Error::InvalidArgument("has no host");
  const bool dotted_quad = std::all_of(host.begin(), host.end(), [](char c) { return IsDigit(c) || c == '.'; });
  if (dotted_quad) {
    int parts = 0;
    std::size_t start = 0;
    while (true) {
      const std::size_t dot = host.find('.', start);
      const std::string_view part = host.substr(start, dot == std::string_view::npos ? host.npos : dot - start);
      if (part.empty() || part.size() > 3 || std::stoi(std::string(part)) > 255) {
        return Error::InvalidArgument("has an IPv4 address that is not one");
      }
      ++parts;
      if (dot == std::string_view::npos) break;
      start = dot + 1;
    }
    if (parts != 4) return Error::InvalidArgument("has an IPv4 address that is not one");
    return Ok();
  }
  if (auto status = ValidateHostName(host, /*need_two_labels=*/false); !status.ok()) {
    return Error::InvalidArgument("has a host name that is not one: " + status.error().message());
  }
  return Ok();
}

Result<std::vector<Contact>> ParseContactList(const Json& body, std::string (*new_id)()) {
  if (!body.is_object()) return FieldError("request body", "must be a JSON object with a 'contacts' array");
  for (const auto& [key, value] : body.items()) {
    if (key != "contacts" && key != "expected_version") {
      return FieldError(key, "unknown field (known: contacts, expected_version)");
    }
  }
  if (!body.contains("contacts") || !body["contacts"].is_array()) {
    return FieldError("contacts", "is required: an array of contacts");
  }
  const Json& list = body["contacts"];
  if (list.size() > kMaxContacts) {
    return FieldError("contacts", "has " + std::to_string(list.size()) + " contacts; at most " +
                                      std::to_string(kMaxContacts) + " are kept");
  }
  std::vector<Contact> contacts;
  contacts.reserve(list.size());
  std::set<std::string> ids;
  std::set<int> priorities;
  int out_of_band = 0;
  bool has_role = false;
  for (std::size_t contact_idx = 0; contact_idx < list.size(); ++contact_idx) {
    const std::string field = "contacts[" + std::to_string(contact_idx) + "]";
    auto contact = ParseContact(list[contact_idx], field);
    if (!contact.ok()) return contact.error();
    if (!contact->id.empty() && !ids.insert(contact->id).second) {
      return FieldError(field + ".id", "repeats the id of an earlier contact");
    }
    if (!priorities.insert(contact->priority).second) {
      return FieldError(field + ".priority", "repeats the priority of an earlier contact (each has its own place)");
    }
    if (contact->out_of_band) {
      if (++out_of_band > 1) return FieldError(field + ".out_of_band", "another contact is already out of band");
      if (contact->channels.phone.empty() && contact->channels.webhook.empty()) {
        return FieldError(field + ".out_of_band",
                          "an out-of-band contact needs a phone or a webhook (a channel that works when the "
                          "member's own mail is down)");
      }
    }
    has_role = has_role || contact->kind == ContactKind::kRole;
    contacts.push_back(std::move(*contact));
  }
  if (!contacts.empty() && out_of_band == 0) {
    return FieldError("contacts",
                      "needs exactly one contact with out_of_band true (reachable when the member's own "
                      "mail is down)");
  }
  if (!contacts.empty() && !has_role) {
    return FieldError("contacts", "needs at least one role contact (role addresses first; people only as needed)");
  }
  for (auto& contact : contacts) {
    if (!contact.id.empty()) continue;
    do {
      contact.id = new_id();
    } while (!ids.insert(contact.id).second);
  }
  std::sort(contacts.begin(), contacts.end(),
            [](const Contact& a, const Contact& b) { return a.priority < b.priority; });
  return contacts;
}

Json ContactToJson(const Contact& contact) {
  Json channels = Json::object();
  if (!contact.channels.email.empty()) channels["email"] = contact.channels.email;
  if (!contact.channels.phone.empty()) channels["phone"] = contact.channels.phone;
  if (!contact.channels.webhook.empty()) channels["webhook"] = contact.channels.webhook;
  Json hours = "always";
  if (!contact.hours.always) {
    Json windows = Json::array();
    for (const auto& window : contact.hours.windows) {
      Json days = Json::array();
      for (std::size_t day = 0; day < 7; ++day) {
        if (window.days[day]) days.push_back(kDayNames[day]);
      }
      windows.push_back(
          {{"days", days}, {"from", FormatClock(window.start_minute)}, {"to", FormatClock(window.end_minute)}});
    }
    hours = {{"time_zone", kTimeZone}, {"windows", windows}};
  }
  return {{"id", contact.id},
          {"kind", ContactKindName(contact.kind)},
          {"name", contact.name},
          {"channels", channels},
          {"language", LanguageName(contact.language)},
          {"hours", hours},
          {"priority", contact.priority},
          {"out_of_band", contact.out_of_band}};
}

Json ContactListToJson(const std::vector<Contact>& contacts) {
  Json list = Json::array();
  for (const auto& contact : contacts) list.push_back(ContactToJson(contact));
  return {{"contacts", list}};
}

Result<std::vector<Contact>> ContactListFromStored(const Json& stored) {
  if (!stored.is_object() || !stored.contains("contacts") || !stored["contacts"].is_array()) {
    return Error::Internal("stored contacts: field 'contacts' is not an array");
  }
  std::vector<Contact> contacts;
  for (std::size_t contact_idx = 0; contact_idx < stored["contacts"].size(); ++contact_idx) {
    const std::string field = "stored contacts[" + std::to_string(contact_idx) + "]";
    auto contact = ParseContact(stored["contacts"][contact_idx], field);
    if (!contact.ok()) return Error::Internal(contact.error().message());
    if (contact->id.empty()) return Error::Internal(field + ".id is missing");
    contacts.push_back(std::move(*contact));
  }
  return contacts;
}

std::vector<std::string> ListProblems(const std::vector<Contact>& contacts) {
  std::vector<std::string> problems;
  if (contacts.empty()) return problems;
  if (std::none_of(contacts.begin(), contacts.end(), [](const Contact& c) { return c.out_of_band; })) {
    problems.emplace_back("no out-of-band contact: add one with a phone or webhook");
  }
  if (std::none_of(contacts.begin(), contacts.end(), [](const Contact& c) { return c.kind == ContactKind::kRole; })) {
    problems.emplace_back("no role contact: add a role address");
  }
  return problems;
}

Result<bool> AvailableAt(const Hours& hours, Timestamp at) {
  if (hours.always) return true;
  auto local = incident::ToCopenhagen(at);
  if (!local.ok()) return local.error();
  const auto day = static_cast<std::size_t>(Weekday(local->year, local->month, local->day));
  const int minute = local->hour * 60 + local->minute;
  return std::any_of(hours.windows.begin(), hours.windows.end(), [&](const Window& window) {
    return window.days[day] && window.start_minute <= minute && minute < window.end_minute;
  });
}

}  // namespace dv::contacts
