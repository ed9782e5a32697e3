tw_module(simulate
    SOURCES simulate/json_buf.cpp simulate/org.cpp simulate/identity.cpp simulate/record.cpp
            simulate/api_catalog.cpp simulate/api_mix.cpp simulate/plan.cpp simulate/actors.cpp
            simulate/planned.cpp simulate/background.cpp simulate/scenarios.cpp
            simulate/scenario_idp.cpp simulate/scenario_misc.cpp simulate/simulate.cpp
    DEPS tw_core PkgConfig::DEFLATE Threads::Threads)
