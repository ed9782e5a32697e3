// Programmer-error checks: active in debug and sanitizer builds, compiled out in release.
// Never reachable from input; input errors go through Status or Diagnostics instead.
#pragma once

#include <cstdio>
#include <cstdlib>

#if defined(TW_DEBUG_CHECKS) || !defined(NDEBUG)
#define TW_DCHECK(cond)                                                                   \
    do {                                                                                  \
        if (!(cond)) {                                                                    \
            std::fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
            std::abort();                                                                 \
        }                                                                                 \
    } while (0)
#else
#define TW_DCHECK(cond) \
    do {                \
    } while (0)
#endif
