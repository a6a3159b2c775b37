# SPDX-License-Identifier: Apache-2.0
# evtx_bench [DIR]: our EVTX reader against libevtx (when installed) over every .evtx file under DIR.
add_executable(evtx_bench ${CMAKE_CURRENT_SOURCE_DIR}/evtx_bench.cpp)
target_link_libraries(evtx_bench PRIVATE dv_evtx dv_warnings)
target_compile_definitions(evtx_bench PRIVATE DV_SHARED_DIR="${DV_SHARED_DIR}")
if(LIBEVTX_FOUND)
  target_link_libraries(evtx_bench PRIVATE PkgConfig::LIBEVTX)
  target_compile_definitions(evtx_bench PRIVATE DV_HAVE_LIBEVTX=1)
endif()
