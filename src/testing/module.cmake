# Test-only helpers (not linked into the binary).
if(TW_BUILD_TESTS)
    add_library(tw_testing STATIC testing/test_util.cpp)
    target_link_libraries(tw_testing PUBLIC PkgConfig::DEFLATE)
    target_compile_definitions(tw_testing PRIVATE
        TW_SHARED_DIR="${PROJECT_SOURCE_DIR}/../shared"
        TW_BINARY="$<TARGET_FILE:trailwarden>")
endif()
