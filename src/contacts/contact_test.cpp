// SPDX-License-Identifier: Apache-2.0
#include "contacts/contact.h"

#include <gtest/gtest.h>

namespace dv::contacts {
namespace {

using Json = nlohmann::json;

std::string NextId() {
  static int next = 0;
  return "generated-" + std::to_string(++next);
}

Json Role(int priority, bool out_of_band = false) {
  Json contact = {{"kind", "role"},
                  {"name", "IT-sikkerhed"},
                  {"channels", {{"email", "it-sikkerhed@kommune.dk"}}},
                  {"priority", priority}};
  if (out_of_band) {
    contact["channels"]["phone"] = "+4512345678";
    contact["out_of_band"] = true;
  }
  return contact;
}

std::string ErrorOf(const Json& body) {
  auto parsed = ParseContactList(body, &NextId);
  return parsed.ok() ? "" : parsed.error().message();
}

TEST(Email, AcceptsStrictAddrSpecs) {
  for (const char* good : {"it-sikkerhed@kommune.dk", "a.b+c@sub.example.org", "x@xn--kbenhavn-54a.dk",
                           "\"john doe\"@example.com", "!#$%&'*+-/=?^_`{|}~@example.com", "a@b.co"}) {
    EXPECT_TRUE(ValidateEmail(good).ok()) << good << ": " << ValidateEmail(good).error().message();
  }
}

TEST(Email, RefusesWhatDeliveryCannotUse) {
  for (const char* bad : {"",
                          "plain",
                          "@kommune.dk",
                          "a@",
                          "a@@b.dk",
                          "a@b@c.dk",
                          ".a@b.dk",
                          "a.@b.dk",
                          "a..b@c.dk",
                          "a b@c.dk",
                          "a@localhost",
                          "a@[192.0.2.1]",
                          "a@-b.dk",
                          "a@b-.dk",
                          "a@b..dk",
                          "a@b.123",
                          "jens@københavn.dk",
                          "a(comment)@b.dk",
                          "\"unterminated@b.dk",
                          "a@b.dk ",
                          "a@b_c.dk"}) {
    EXPECT_FALSE(ValidateEmail(bad).ok()) << bad;
  }
  EXPECT_FALSE(ValidateEmail(std::string(65, 'a') + "@b.dk").ok());
  EXPECT_FALSE(ValidateEmail("a@" + std::string(64, 'b') + ".dk").ok());
  EXPECT_FALSE(ValidateEmail(std::string(64, 'a') + "@" + std::string(63, 'b') + "." + std::string(63, 'c') + "." +
                             std::string(60, 'd') + ".dk")
                   .ok());  // 257 > 254
}

TEST(Phone, IsE164) {
  EXPECT_TRUE(ValidatePhone("+4512345678").ok());
  EXPECT_TRUE(ValidatePhone("+441632960123").ok());
  for (const char* bad : {"", "4512345678", "+45 12 34 56 78", "+45-12345678", "+0512345678", "+1234567",
                          "+1234567890123456", "+45abc45678"}) {
    EXPECT_FALSE(ValidatePhone(bad).ok()) << bad;
  }
}

TEST(Webhook, HttpsOnlyWithoutCredentials) {
  for (const char* good : {"https://hooks.example.dk/dannevirke", "HTTPS://hooks.example.dk:8443/a?b=c",
                           "https://192.0.2.10/hook", "https://[2001:db8::1]:443/hook", "https://intranet/hook"}) {
    EXPECT_TRUE(ValidateWebhook(good).ok()) << good << ": " << ValidateWebhook(good).error().message();
  }
  for (const char* bad :
       {"http://hooks.example.dk/", "ftp://x.dk", "https://", "https://user:pw@x.dk/", "https://x.dk/#frag",
        "https://x.dk:0/", "https://x.dk:70000/", "https://x.dk/a b", "https://300.1.1.1/", "https://1.2.3/",
        "https://[zz::1]/", "javascript:alert(1)", "https://x.dk:/"}) {
    EXPECT_FALSE(ValidateWebhook(bad).ok()) << bad;
  }
}

TEST(ContactList, ParsesOrdersByPriorityAndAssignsIds) {
  Json person = {
      {"kind", "person"},
      {"name", "Jens Hansen"},
      {"channels", {{"phone", "+4522334455"}}},
      {"language", "en"},
      {"hours", {{"windows", {{{"days", {"mon", "tue", "wed", "thu", "fri"}}, {"from", "08:00"}, {"to", "16:00"}}}}}},
      {"priority", 5}};
  Json role = Role(1, true);
  role["id"] = "vagt";
  auto parsed = ParseContactList({{"contacts", {person, role}}}, &NextId);
  ASSERT_TRUE(parsed.ok()) << parsed.error().message();
  ASSERT_EQ(parsed->size(), 2u);
  EXPECT_EQ((*parsed)[0].id, "vagt");
  EXPECT_EQ((*parsed)[1].kind, ContactKind::kPerson);
  EXPECT_EQ((*parsed)[1].id.rfind("generated-", 0), 0u);
  EXPECT_EQ((*parsed)[1].language, Language::kEn);
  EXPECT_FALSE((*parsed)[1].hours.always);
  EXPECT_EQ((*parsed)[1].hours.windows[0].end_minute, 16 * 60);
  // The stored form reads back to the same contacts.
  auto again = ContactListFromStored(ContactListToJson(*parsed));
  ASSERT_TRUE(again.ok()) << again.error().message();
  EXPECT_EQ(*again, *parsed);
  // An empty list is a valid write: it removes every contact.
  EXPECT_TRUE(ParseContactList({{"contacts", Json::array()}}, &NextId).ok());
}

TEST(ContactList, ErrorsNameTheFieldAndIndexNeverTheValue) {
  auto with = [](int idx, const std::string& pointer, const Json& value) {
    Json body = {{"contacts", {Role(1, true), Role(2)}}};
    body["contacts"][static_cast<std::size_t>(idx)][Json::json_pointer(pointer)] = value;
    return ErrorOf(body);
  };
  EXPECT_EQ(with(1, "/channels/email", "jens@@x.dk").rfind("contacts[1].channels.email: ", 0), 0u);
  EXPECT_EQ(with(1, "/channels/email", "jens@@x.dk").find("jens"), std::string::npos);
  EXPECT_EQ(with(1, "/channels/phone", "12345678").rfind("contacts[1].channels.phone: ", 0), 0u);
  EXPECT_EQ(with(0, "/channels/webhook", "http://x.dk").rfind("contacts[0].channels.webhook: ", 0), 0u);
  EXPECT_EQ(with(1, "/kind", "team").rfind("contacts[1].kind: ", 0), 0u);
  EXPECT_EQ(with(1, "/name", "").rfind("contacts[1].name: ", 0), 0u);
  EXPECT_EQ(with(1, "/name", std::string(201, 'x')).rfind("contacts[1].name: ", 0), 0u);
  EXPECT_EQ(with(1, "/name", "a\nb").rfind("contacts[1].name: ", 0), 0u);
  EXPECT_EQ(with(1, "/language", "de").rfind("contacts[1].language: ", 0), 0u);
  EXPECT_EQ(with(1, "/priority", 0).rfind("contacts[1].priority: ", 0), 0u);
  EXPECT_EQ(with(1, "/priority", 1).rfind("contacts[1].priority: ", 0), 0u);  // repeated
  EXPECT_EQ(with(1, "/hours", "sometimes").rfind("contacts[1].hours: ", 0), 0u);
  EXPECT_EQ(with(1, "/hours", Json{{"windows", {{{"days", {"mon"}}, {"from", "16:00"}, {"to", "08:00"}}}}})
                .rfind("contacts[1].hours.windows[0].to: ", 0),
            0u);
  EXPECT_EQ(with(1, "/hours", Json{{"windows", {{{"days", {"mon", "funday"}}, {"from", "08:00"}, {"to", "09:00"}}}}})
                .rfind("contacts[1].hours.windows[0].days[1]: ", 0),
            0u);
  EXPECT_EQ(with(1, "/hours", Json{{"windows", {{{"days", {"mon"}}, {"from", "8:00"}, {"to", "09:00"}}}}})
                .rfind("contacts[1].hours.windows[0].from: ", 0),
            0u);
  EXPECT_EQ(with(1, "/hours", Json{{"time_zone", "UTC"}, {"windows", Json::array()}})
                .rfind("contacts[1].hours.time_zone: ", 0),
            0u);
  EXPECT_EQ(with(1, "/colour", "red").rfind("contacts[1].colour: unknown field", 0), 0u);
  EXPECT_EQ(with(1, "/channels/fax", "+4512345678").rfind("contacts[1].channels.fax: unknown field", 0), 0u);
  EXPECT_EQ(with(1, "/id", "Not_An_Id").rfind("contacts[1].id: ", 0), 0u);
  EXPECT_EQ(with(1, "/out_of_band", true).rfind("contacts[1].out_of_band: ", 0), 0u);  // two
  EXPECT_EQ(with(1, "/channels", Json::object()).rfind("contacts[1].channels: ", 0), 0u);

  // List rules.
  EXPECT_EQ(ErrorOf({{"contacts", {Role(1)}}}).rfind("contacts: needs exactly one", 0), 0u);
  Json mail_only = Role(1);
  mail_only["out_of_band"] = true;
  EXPECT_EQ(ErrorOf({{"contacts", {mail_only}}}).rfind("contacts[0].out_of_band: ", 0), 0u);
  Json person = Role(1, true);
  person["kind"] = "person";
  EXPECT_EQ(ErrorOf({{"contacts", {person}}}).rfind("contacts: needs at least one role", 0), 0u);
  Json twin_a = Role(1, true);
  Json twin_b = Role(2);
  twin_a["id"] = twin_b["id"] = "same";
  EXPECT_EQ(ErrorOf({{"contacts", {twin_a, twin_b}}}).rfind("contacts[1].id: ", 0), 0u);
  EXPECT_EQ(ErrorOf({{"people", Json::array()}}).rfind("people: unknown field", 0), 0u);
  EXPECT_EQ(ErrorOf({{"contacts", "x"}}).rfind("contacts: ", 0), 0u);
}

TEST(ContactList, TheCountIsCheckedBeforeAnyContact) {
  Json list = Json::array();
  for (int idx = 0; idx < 201; ++idx) list.push_back(Json("not even an object"));
  EXPECT_EQ(ErrorOf({{"contacts", list}}).rfind("contacts: has 201 contacts; at most 200", 0), 0u);
}

Timestamp At(const char* rfc3339) { return *Timestamp::Parse(rfc3339); }

TEST(Hours, WindowsAreCopenhagenWallClockAcrossBothDstNights) {
  Hours office;
  office.always = false;
  office.windows.push_back(Window{{true, true, true, true, true, false, false}, 8 * 60, 16 * 60});
  // Winter (CET, UTC+1): Monday 2026-01-05 07:30 UTC is 08:30 local.
  EXPECT_TRUE(*AvailableAt(office, At("2026-01-05T07:30:00Z")));
  EXPECT_FALSE(*AvailableAt(office, At("2026-01-05T06:59:00Z")));  // 07:59 local
  EXPECT_FALSE(*AvailableAt(office, At("2026-01-05T15:00:00Z")));  // 16:00 local: the end is exclusive
  // Summer (CEST, UTC+2): Monday 2026-06-01 06:30 UTC is 08:30 local.
  EXPECT_TRUE(*AvailableAt(office, At("2026-06-01T06:30:00Z")));
  EXPECT_FALSE(*AvailableAt(office, At("2026-06-06T08:00:00Z")));  // a Saturday
  // A night window on Sunday 02:00-03:00 local: on 2026-03-29 that hour does
  // not exist (01:00 UTC is 03:00 CEST); on 2026-10-25 it happens twice.
  Hours night;
  night.always = false;
  night.windows.push_back(Window{{false, false, false, false, false, false, true}, 2 * 60, 3 * 60});
  EXPECT_FALSE(*AvailableAt(night, At("2026-03-29T00:59:00Z")));  // 01:59 CET
  EXPECT_FALSE(*AvailableAt(night, At("2026-03-29T01:00:00Z")));  // 03:00 CEST
  EXPECT_TRUE(*AvailableAt(night, At("2026-10-25T00:30:00Z")));   // 02:30 CEST
  EXPECT_TRUE(*AvailableAt(night, At("2026-10-25T01:30:00Z")));   // 02:30 CET
  EXPECT_FALSE(*AvailableAt(night, At("2026-10-25T02:00:00Z")));  // 03:00 CET
  EXPECT_TRUE(*AvailableAt(Hours{}, At("2026-10-25T02:00:00Z")));
}

}  // namespace
}  // namespace dv::contacts
