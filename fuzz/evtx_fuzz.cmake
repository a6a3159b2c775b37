# SPDX-License-Identifier: Apache-2.0
dv_fuzz_target(dv_evtx_fuzz ${CMAKE_CURRENT_SOURCE_DIR}/evtx_fuzz.cpp dv_evtx)
