dv_fuzz_target(dv_sigma_rule_fuzz ${CMAKE_CURRENT_SOURCE_DIR}/sigma_rule_fuzz.cpp dv_sigma)
