# SPDX-License-Identifier: Apache-2.0
dv_fuzz_target(dv_zeek_fuzz ${CMAKE_CURRENT_SOURCE_DIR}/zeek_fuzz.cpp dv_ingest)
