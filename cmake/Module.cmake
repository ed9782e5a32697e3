# tw_module(NAME SOURCES ... DEPS ...): a static library tw_<NAME> for src/<NAME>.
# Every module is linked into the trailwarden binary (global property TW_MODULES).
function(tw_module name)
    cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
    add_library(tw_${name} STATIC ${ARG_SOURCES})
    target_link_libraries(tw_${name} PUBLIC ${ARG_DEPS})
    set_property(GLOBAL APPEND PROPERTY TW_MODULES tw_${name})
endfunction()

# tw_test(NAME SOURCES ... DEPS ...): a GoogleTest binary registered with CTest.
# TW_SOURCE_DIR and TW_SHARED_DIR (../shared beside the checkout) are defined for fixtures.
function(tw_test name)
    if(NOT TW_BUILD_TESTS)
        return()
    endif()
    cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
    add_executable(${name} ${ARG_SOURCES})
    target_link_libraries(${name} PRIVATE ${ARG_DEPS} GTest::gtest GTest::gmock GTest::gtest_main)
    target_compile_definitions(${name} PRIVATE
        TW_SOURCE_DIR="${PROJECT_SOURCE_DIR}"
        TW_SHARED_DIR="${PROJECT_SOURCE_DIR}/../shared"
        TW_BINARY="$<TARGET_FILE:trailwarden>")
    add_dependencies(${name} trailwarden)
    include(GoogleTest)
    gtest_discover_tests(${name} DISCOVERY_TIMEOUT 120 PROPERTIES TIMEOUT 900)
endfunction()
