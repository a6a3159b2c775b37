# SPDX-License-Identifier: Apache-2.0
dv_fuzz_target(dv_stix_pattern_fuzz ${CMAKE_CURRENT_SOURCE_DIR}/stix_pattern_fuzz.cpp dv_stix)
