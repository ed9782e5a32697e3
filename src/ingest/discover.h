// Discovery: turns the PATH arguments of a command (files, directories walked recursively,
// shell-style globs, "-" for stdin) into a sorted, de-duplicated list of input files.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/diagnostics.h"

namespace tw::ingest {

struct InputFile {
    std::string path;       // as given or found; "-" for stdin
    bool named = false;     // named on the command line (not found by walking a directory)
    std::string read_from;  // when set, the bytes are read from here: a copy (ingest::Spool)
};

// Expands `args`. Hidden files and folders (names starting with ".") met while walking a
// directory are skipped (a folder with a warning, unless .git, .hg or .svn); named ones are
// read. A path that does not exist or cannot be listed is reported to `diag` as a lost file;
// the others are still returned. Order: sorted by path, stdin last.
[[nodiscard]] std::vector<InputFile> DiscoverInputs(const std::vector<std::string>& args,
                                                    Diagnostics& diag);

}  // namespace tw::ingest
