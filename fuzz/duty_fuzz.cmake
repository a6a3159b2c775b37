# SPDX-License-Identifier: Apache-2.0
dv_fuzz_target(dv_duty_fuzz ${CMAKE_CURRENT_SOURCE_DIR}/duty_fuzz.cpp dv_duty)
