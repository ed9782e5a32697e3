tw_module(query SOURCES query/where.cpp query/query.cpp DEPS tw_ingest tw_output PkgConfig::RE2)
