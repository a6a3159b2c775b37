// SPDX-License-Identifier: Apache-2.0
#pragma once

// Sub-commands of the `dannevirke` program. Each Add*Command registers its
// options on the CLI11 app and sets `*exit_code` when it runs. Commands print
// results to stdout and diagnostics to stderr; exit codes: 0 success,
// 1 failure of the operation, 2 bad usage (CLI11's own).

#include <CLI/CLI.hpp>

namespace dv::cli {

void AddServeCommands(CLI::App& app, int* exit_code);       // demo, hub
void AddFederationCommands(CLI::App& app, int* exit_code);  // federation load|check
void AddSigmaCommands(CLI::App& app, int* exit_code);       // sigma check|compile
void AddScanCommand(CLI::App& app, int* exit_code);         // scan
void AddSharingCommands(CLI::App& app, int* exit_code);     // member, token, collection
void AddSensorCommand(CLI::App& app, int* exit_code);       // sensor
void AddRiskCommands(CLI::App& app, int* exit_code);        // risk weakest|simulate|plan|export
void AddExposureCommand(CLI::App& app, int* exit_code);     // exposure
void AddBaselineCommands(CLI::App& app, int* exit_code);    // baseline catalogue|score|report|import-xccdf
void AddPostureCommands(CLI::App& app, int* exit_code);     // posture scan
void AddStoreCommands(CLI::App& app, int* exit_code);       // store migrate

// The running program's version, "0.1.0".
const char* Version();

}  // namespace dv::cli
