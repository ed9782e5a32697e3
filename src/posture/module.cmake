tw_module(posture
    SOURCES posture/inputs.cpp posture/credential_report.cpp posture/checks.cpp
            posture/checks_credentials.cpp posture/checks_org.cpp posture/audit.cpp
            posture/report.cpp
    DEPS tw_findings simdjson::simdjson)
tw_test(posture_test
    SOURCES posture/credential_report_test.cpp posture/inputs_test.cpp posture/checks_test.cpp
            posture/audit_test.cpp
    DEPS tw_posture tw_testing)
