# SPDX-License-Identifier: Apache-2.0
if(TARGET dv_protect)
  add_executable(dv_protect_bench ${CMAKE_CURRENT_SOURCE_DIR}/protect_bench.cpp)
  target_link_libraries(dv_protect_bench PRIVATE dv_protect dv_warnings)
endif()
