tw_module(baseline
    SOURCES baseline/principal.cpp baseline/behavior.cpp baseline/behavior_findings.cpp
    DEPS tw_event tw_findings)
tw_test(baseline_test SOURCES baseline/behavior_test.cpp ingest/ingest_test_util.cpp
    DEPS tw_baseline tw_ingest tw_testing)
