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
#
# The tests build faster: their own files are compiled at -O1 (the code they test keeps the
# build's optimisation; one file of them 17.6 -> 12.9 s), and GoogleTest, GoogleMock and the
# standard headers they use are parsed once, into one precompiled header that every test binary
# reuses (target tw_test_pch), instead of once for each of their 43 files (about 1 s of a file's
# 9 s). A header GCC finds unfit (other macros or options) is read as text: the same build.
function(tw_test_settings target)
    target_link_libraries(${target} PRIVATE GTest::gtest GTest::gmock)
    # -pthread as some of the libraries they link give it (the header is rejected otherwise).
    target_compile_options(${target} PRIVATE -O1 -pthread)
    target_compile_definitions(${target} PRIVATE
        TW_SOURCE_DIR="${PROJECT_SOURCE_DIR}"
        TW_SHARED_DIR="${PROJECT_SOURCE_DIR}/../shared"
        TW_BINARY="$<TARGET_FILE:trailwarden>")
endfunction()

function(tw_test name)
    if(NOT TW_BUILD_TESTS)
        return()
    endif()
    if(NOT TARGET tw_test_pch)
        file(WRITE ${PROJECT_BINARY_DIR}/tw_test_pch.cpp "")
        add_library(tw_test_pch STATIC ${PROJECT_BINARY_DIR}/tw_test_pch.cpp)
        tw_test_settings(tw_test_pch)
        target_precompile_headers(tw_test_pch PRIVATE
            <gtest/gtest.h> <gmock/gmock.h> <algorithm> <cstdint> <cstdio> <cstdlib>
            <filesystem> <fstream> <functional> <map> <memory> <set> <sstream> <string>
            <string_view> <thread> <unordered_map> <vector>)
    endif()
    cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
    add_executable(${name} ${ARG_SOURCES})
    target_link_libraries(${name} PRIVATE ${ARG_DEPS} GTest::gtest_main)
    tw_test_settings(${name})
    target_precompile_headers(${name} REUSE_FROM tw_test_pch)
    add_dependencies(${name} trailwarden)
    include(GoogleTest)
    gtest_discover_tests(${name} DISCOVERY_TIMEOUT 120 PROPERTIES TIMEOUT 900)
endfunction()
