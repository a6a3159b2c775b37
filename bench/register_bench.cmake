# SPDX-License-Identifier: Apache-2.0
if(TARGET dv_register)
  add_executable(dv_register_bench ${CMAKE_CURRENT_SOURCE_DIR}/register_bench.cpp)
  target_link_libraries(dv_register_bench PRIVATE dv_register dv_warnings)
endif()
