// SPDX-License-Identifier: Apache-2.0
#include <httplib.h>

#include "hub/api_modules.h"

namespace dv::hub {

void RegisterIndicatorApi(httplib::Server& server, ApiContext& context) {
  server.Get("/api/v1/me", [&context](const httplib::Request& req, httplib::Response& res) {
    context.Authed(req, res, [&](const Principal& principal) {
      if (auto status = CheckParams(req, {}); !status.ok()) return SendError(res, status.error());
      SendJson(res, 200,
               {{"member", principal.member.id},
                {"name", principal.member.name},
                {"role", MemberRoleName(principal.member.role)},
                {"coordinator", IsCoordinator(principal)},
                {"organisation",
                 {{"code", principal.organisation.code},
                  {"name", principal.organisation.name},
                  {"kind", OrgKindName(principal.organisation.kind)}}}});
    });
  });
}

}  // namespace dv::hub
