tw_module(detect
    SOURCES detect/event_info.cpp detect/correlate.cpp detect/aggregate.cpp detect/builtin.cpp
            detect/hunt.cpp
    DEPS tw_sigma tw_ingest)
tw_test(detect_test SOURCES detect/hunt_e2e_test.cpp detect/correlate_test.cpp DEPS tw_detect)
