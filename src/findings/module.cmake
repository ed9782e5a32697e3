tw_module(findings SOURCES findings/finding.cpp findings/id_list.cpp DEPS tw_core simdjson::simdjson)
tw_test(findings_test SOURCES findings/id_list_test.cpp DEPS tw_findings)
