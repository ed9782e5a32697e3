tw_module(output SOURCES output/ordered_writer.cpp output/event_format.cpp
    DEPS tw_event simdjson::simdjson)
