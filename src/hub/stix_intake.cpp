// SPDX-License-Identifier: Apache-2.0
#include "hub/stix_intake.h"

#include <nlohmann/json.hpp>

#include "stix/object.h"

namespace dv::hub {

Result<NewObject> IntakeObject(std::string_view text) {
  auto validated = stix::ValidateObject(text);
  if (!validated.ok()) return validated.error();
  NewObject object;
  object.id = validated->id;
  object.type = validated->type;
  object.spec_version = validated->spec_version;
  object.version = stix::TaxiiVersion(*validated);
  object.tlp = validated->tlp;
  object.json = std::move(validated->canonical_json);
  // Only objects that name recipients are parsed a second time.
  const auto parsed = object.json.find("x_dannevirke_recipients") == std::string::npos
                          ? nlohmann::json::object()
                          : nlohmann::json::parse(object.json, nullptr, false);
  if (const auto recipients = parsed.find("x_dannevirke_recipients"); recipients != parsed.end()) {
    if (!recipients->is_array()) {
      return Error::InvalidArgument(object.id +
                                    ": property 'x_dannevirke_recipients' must be a list of organisation codes");
    }
    for (const auto& code : *recipients) {
      if (!code.is_string() || !IsValidOrgCode(code.get<std::string>())) {
        return Error::InvalidArgument(object.id +
                                      ": property 'x_dannevirke_recipients' holds a value that is not an "
                                      "organisation code");
      }
      object.recipients.push_back(code.get<std::string>());
    }
  }
  if (object.tlp == Tlp::kRed && object.recipients.empty()) {
    return Error::InvalidArgument(object.id +
                                  ": a TLP:RED object needs 'x_dannevirke_recipients' naming who may read it");
  }
  return object;
}

}  // namespace dv::hub
