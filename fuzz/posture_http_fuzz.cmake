# SPDX-License-Identifier: Apache-2.0
dv_fuzz_target(dv_posture_http_fuzz ${CMAKE_CURRENT_SOURCE_DIR}/posture_http_fuzz.cpp dv_posture_net)
