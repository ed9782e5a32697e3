tw_module(findings SOURCES findings/finding.cpp DEPS tw_core simdjson::simdjson)
