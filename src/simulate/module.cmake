tw_module(simulate
    SOURCES simulate/json_buf.cpp simulate/org.cpp simulate/identity.cpp simulate/record.cpp
            simulate/api_catalog.cpp simulate/api_bodies.cpp simulate/api_mix.cpp simulate/plan.cpp simulate/actors.cpp
            simulate/planned.cpp simulate/background.cpp simulate/scenarios.cpp simulate/scenario_util.cpp
            simulate/scenario_idp.cpp simulate/scenario_misc.cpp simulate/scim.cpp simulate/scenario_people.cpp
            simulate/simulate.cpp
    DEPS tw_core PkgConfig::DEFLATE Threads::Threads)
tw_test(simulate_test
    SOURCES simulate/simulate_test.cpp simulate/shape_test.cpp simulate/scenario_test.cpp
            simulate/test_support.cpp
    DEPS tw_simulate tw_ingest simdjson::simdjson)
