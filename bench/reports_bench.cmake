# SPDX-License-Identifier: Apache-2.0
if(TARGET dv_reports)
  add_executable(dv_reports_bench ${CMAKE_CURRENT_SOURCE_DIR}/reports_bench.cpp)
  target_link_libraries(dv_reports_bench PRIVATE dv_reports dv_warnings)
endif()
