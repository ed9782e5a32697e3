tw_module(ingest
    SOURCES ingest/reader.cpp ingest/format.cpp ingest/splitter.cpp ingest/record_parser.cpp
            ingest/discover.cpp ingest/pipeline.cpp
    DEPS tw_event simdjson::simdjson PkgConfig::ISAL Threads::Threads)
