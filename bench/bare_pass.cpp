// The yardstick of `make bench`: a bare pass over a CloudTrail tree that only decompresses
// each file (libdeflate, whole buffer) and iterates its events with simdjson On-Demand reading
// eventName. Every trailwarden command is reported as a ratio to this pass, measured in the
// same run, so noisy machines do not distort the figures.
//
// Hypothesis: decompression dominates; a command that extracts only the fields it needs should
// stay within a few percent of this pass.
//
// Usage: bare_pass DIR [THREADS]   -> prints "files events bytes seconds"
#include <libdeflate.h>
#include <simdjson.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

namespace fs = std::filesystem;
namespace od = simdjson::ondemand;

namespace {

struct Totals {
    std::atomic<uint64_t> events{0}, bytes{0}, names{0};
};

void ReadFile(const std::string& path, std::vector<char>& out) {
    std::ifstream in(path, std::ios::binary);
    in.seekg(0, std::ios::end);
    out.resize(static_cast<size_t>(in.tellg()));
    in.seekg(0);
    in.read(out.data(), static_cast<std::streamsize>(out.size()));
}

void Worker(const std::vector<std::string>& files, std::atomic<size_t>& next, Totals& totals) {
    libdeflate_decompressor* d = libdeflate_alloc_decompressor();
    od::parser parser;
    std::vector<char> raw;
    std::vector<char> plain;
    uint64_t events = 0, bytes = 0, names = 0;
    for (size_t i; (i = next.fetch_add(1)) < files.size();) {
        ReadFile(files[i], raw);
        size_t n = raw.size();
        const char* data = raw.data();
        if (n >= 18 && static_cast<unsigned char>(raw[0]) == 0x1f &&
            static_cast<unsigned char>(raw[1]) == 0x8b) {
            uint32_t isize;
            std::memcpy(&isize, raw.data() + n - 4, 4);
            plain.resize(isize + simdjson::SIMDJSON_PADDING);
            size_t out = 0;
            if (libdeflate_gzip_decompress(d, raw.data(), n, plain.data(), isize, &out) !=
                LIBDEFLATE_SUCCESS) {
                continue;
            }
            n = out;
            data = plain.data();
        } else {
            raw.resize(n + simdjson::SIMDJSON_PADDING);
            data = raw.data();
        }
        bytes += n;
        od::document doc;
        if (parser.iterate(data, n, n + simdjson::SIMDJSON_PADDING).get(doc)) continue;
        od::array records;
        if (doc["Records"].get_array().get(records)) continue;
        for (auto rec : records) {
            od::object obj;
            if (rec.get_object().get(obj)) break;
            std::string_view name;
            if (!obj["eventName"].get_string().get(name)) names += name.size();
            ++events;
        }
    }
    libdeflate_free_decompressor(d);
    totals.events += events;
    totals.bytes += bytes;
    totals.names += names;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: bare_pass DIR [THREADS]\n");
        return 2;
    }
    const unsigned threads = argc > 2 ? static_cast<unsigned>(std::atoi(argv[2])) : 1;
    const auto start = std::chrono::steady_clock::now();
    std::vector<std::string> files;
    for (const auto& e : fs::recursive_directory_iterator(argv[1])) {
        if (e.is_regular_file() && e.path().string().find(".json") != std::string::npos) {
            files.push_back(e.path().string());
        }
    }
    std::sort(files.begin(), files.end());
    Totals totals;
    std::atomic<size_t> next{0};
    std::vector<std::thread> pool;
    for (unsigned t = 0; t < std::max(1u, threads); ++t) {
        pool.emplace_back(Worker, std::cref(files), std::ref(next), std::ref(totals));
    }
    for (auto& t : pool) t.join();
    const double secs =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::printf("%zu %llu %llu %.6f\n", files.size(),
                static_cast<unsigned long long>(totals.events.load()),
                static_cast<unsigned long long>(totals.bytes.load()), secs);
    return 0;
}
