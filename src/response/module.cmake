tw_module(response
    SOURCES response/policy.cpp response/validator.cpp response/generators.cpp response/fit.cpp
            response/facts.cpp response/contain.cpp response/apply_script.cpp
            response/playbook.cpp response/log_facts.cpp
    DEPS tw_findings tw_ingest simdjson::simdjson)
tw_test(response_test
    SOURCES response/validator_test.cpp response/generators_test.cpp response/facts_test.cpp
            response/contain_test.cpp response/log_facts_test.cpp
            response/contain_e2e_test.cpp
    DEPS tw_response tw_testing)
