# SPDX-License-Identifier: Apache-2.0
dv_fuzz_target(dv_json_depth_fuzz ${CMAKE_CURRENT_SOURCE_DIR}/json_depth_fuzz.cpp dv_hub dv_core
               nlohmann_json::nlohmann_json)
