tw_module(ingest
    SOURCES ingest/reader.cpp ingest/format.cpp ingest/splitter.cpp ingest/record_parser.cpp
            ingest/discover.cpp ingest/pipeline.cpp ingest/spool.cpp
    DEPS tw_event simdjson::simdjson PkgConfig::ISAL PkgConfig::DEFLATE Threads::Threads)
tw_test(ingest_test
    SOURCES ingest/ingest_test.cpp ingest/ingest_test_util.cpp ingest/splitter_test.cpp
            ingest/record_parser_test.cpp ingest/corpus_test.cpp ingest/robustness_test.cpp
    DEPS tw_ingest tw_testing)
