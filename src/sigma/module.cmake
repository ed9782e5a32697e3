tw_module(sigma
    SOURCES sigma/detection.cpp sigma/condition.cpp sigma/meta.cpp sigma/loader.cpp
    DEPS tw_rules yaml-cpp)
tw_test(sigma_test
    SOURCES sigma/semantics_test.cpp sigma/modifiers_test.cpp sigma/loader_test.cpp
            sigma/corpus_test.cpp
    DEPS tw_sigma tw_ingest)
tw_test(sigma_plan_test SOURCES sigma/plan_test.cpp DEPS tw_sigma tw_ingest)
