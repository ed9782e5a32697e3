tw_module(query SOURCES query/where.cpp query/query.cpp DEPS tw_ingest tw_output PkgConfig::RE2)
tw_test(query_test SOURCES query/query_test.cpp DEPS tw_query tw_testing)
