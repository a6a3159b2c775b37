// SPDX-License-Identifier: Apache-2.0
#include <csignal>
#include <iostream>

#include "cli/commands.h"

int main(int argc, char** argv) {
  // A peer that closes a connection mid-write (a member's mail or web server
  // during a posture probe, a client of the hub) must give an error, not end
  // the process: every write reports EPIPE instead.
  (void)std::signal(SIGPIPE, SIG_IGN);
  CLI::App app{
      "Dannevirke — the shared cyber defence of the Danish public sector.\n"
      "Run `dannevirke demo` to start a hub with the demo federation and open the dashboard.",
      "dannevirke"};
  app.set_version_flag("--version", std::string("dannevirke ") + dv::cli::Version());
  app.require_subcommand(1);
  int exit_code = 0;
  dv::cli::AddServeCommands(app, &exit_code);
  dv::cli::AddFederationCommands(app, &exit_code);
  dv::cli::AddSigmaCommands(app, &exit_code);
  dv::cli::AddScanCommand(app, &exit_code);
  dv::cli::AddSharingCommands(app, &exit_code);
  dv::cli::AddSensorCommand(app, &exit_code);
  dv::cli::AddRiskCommands(app, &exit_code);
  dv::cli::AddExposureCommand(app, &exit_code);
  dv::cli::AddBaselineCommands(app, &exit_code);
  dv::cli::AddPostureCommands(app, &exit_code);
  dv::cli::AddStoreCommands(app, &exit_code);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    // Help and version print and succeed; every other parse error is bad usage: exit 2.
    const int code = app.exit(error);
    return code == 0 ? 0 : 2;
  }
  return exit_code;
}
