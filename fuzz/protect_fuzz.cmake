# SPDX-License-Identifier: Apache-2.0
dv_fuzz_target(dv_protect_fuzz ${CMAKE_CURRENT_SOURCE_DIR}/protect_fuzz.cpp dv_protect)
