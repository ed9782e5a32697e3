# The built-in pack (rules/builtin/**/*.yml) is embedded in the binary.
file(GLOB_RECURSE TW_BUILTIN_RULES CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/rules/builtin/*.yml)
set(TW_BUILTIN_INC ${PROJECT_BINARY_DIR}/generated/builtin_rules.inc)
add_custom_command(OUTPUT ${TW_BUILTIN_INC}
    COMMAND ${CMAKE_COMMAND} -DROOT=${PROJECT_SOURCE_DIR}/rules -DOUT=${TW_BUILTIN_INC}
            -P ${PROJECT_SOURCE_DIR}/cmake/EmbedRules.cmake
    DEPENDS ${TW_BUILTIN_RULES} ${PROJECT_SOURCE_DIR}/cmake/EmbedRules.cmake
    COMMENT "Embedding the built-in rule pack")

tw_module(detect
    SOURCES detect/event_info.cpp detect/summary.cpp detect/correlate.cpp detect/aggregate.cpp
            detect/builtin.cpp detect/hunt.cpp detect/report.cpp detect/attribution.cpp ${TW_BUILTIN_INC}
    DEPS tw_sigma tw_ingest tw_baseline tw_identity)
target_include_directories(tw_detect PRIVATE ${PROJECT_BINARY_DIR}/generated)
tw_test(detect_test SOURCES detect/hunt_e2e_test.cpp detect/correlate_test.cpp detect/event_info_test.cpp
    DEPS tw_detect)
tw_test(builtin_pack_test SOURCES detect/builtin_pack_test.cpp DEPS tw_detect tw_testing yaml-cpp)
tw_test(derived_activity_test SOURCES detect/derived_activity_test.cpp DEPS tw_detect tw_testing)
tw_test(hunt_sim_test SOURCES detect/hunt_sim_test.cpp DEPS tw_testing simdjson::simdjson)
