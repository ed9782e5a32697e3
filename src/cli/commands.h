// Subcommand registry. Each cli/<command>.cpp registers itself with TW_REGISTER_COMMAND; main()
// adds them to the CLI11 app in `order`. When a subcommand is selected on the command line, its
// callback stores the function to run in `run`.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <vector>

namespace tw::cli {

using RegisterFn = void (*)(CLI::App& app, std::function<int()>& run);

struct CommandRegistration {
    const char* name;
    int order;  // position in --help
    RegisterFn fn;
};

// All registrations, in no particular order.
std::vector<CommandRegistration>& Registry();

struct Registrar {
    Registrar(const char* name, int order, RegisterFn fn) {
        Registry().push_back({name, order, fn});
    }
};

}  // namespace tw::cli

#define TW_REGISTER_COMMAND(name, order, fn) \
    static ::tw::cli::Registrar tw_registrar_##name(#name, order, fn)
