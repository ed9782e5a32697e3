tw_module(core SOURCES core/diagnostics.cpp core/memory.cpp core/strings.cpp core/time.cpp core/uuid.cpp)
tw_test(core_test SOURCES core/time_test.cpp core/strings_test.cpp core/uuid_test.cpp
                           core/memory_test.cpp DEPS tw_core)
