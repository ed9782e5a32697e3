tw_module(event SOURCES event/field_catalog.cpp event/event_view.cpp DEPS tw_core)
