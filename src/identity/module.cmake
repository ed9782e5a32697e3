tw_module(identity
    SOURCES identity/string_pool.cpp identity/facts.cpp identity/graph.cpp
            identity/graph_builder.cpp identity/graph_links.cpp identity/closure.cpp identity/timeline.cpp
            identity/timeline_output.cpp
    DEPS tw_ingest tw_output)
tw_test(identity_test
    SOURCES identity/test_support.cpp identity/graph_test.cpp identity/derivation_test.cpp
            identity/timeline_test.cpp identity/corpus_test.cpp identity/scim_test.cpp
            identity/sim_test.cpp
    DEPS tw_identity tw_testing)
if(TARGET identity_test)
    # Test records are written with designated initializers that leave members defaulted.
    target_compile_options(identity_test PRIVATE -Wno-missing-field-initializers)
endif()
