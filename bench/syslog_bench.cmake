# SPDX-License-Identifier: Apache-2.0
# dv_syslog_bench: events/s through the sensor's syslog UDP listener on loopback (see the source).
if(TARGET dv_sensor)
  add_executable(dv_syslog_bench ${CMAKE_CURRENT_SOURCE_DIR}/syslog_bench.cpp)
  target_link_libraries(dv_syslog_bench PRIVATE dv_sensor Threads::Threads dv_warnings)
endif()
