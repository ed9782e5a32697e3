tw_module(event SOURCES event/field_catalog.cpp event/event_view.cpp event/context.cpp DEPS tw_core)
tw_test(event_test SOURCES event/context_test.cpp DEPS tw_event)
