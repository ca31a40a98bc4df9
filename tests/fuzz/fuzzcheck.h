#pragma once

// Shared by the libFuzzer targets. Each target defines its check as
//   CCPM_FUZZ_TARGET(name) { ...uses data, size... }
// which becomes LLVMFuzzerTestOneInput in a fuzzer build, and the function fuzz::name() when
// CCPM_FUZZ_REPLAY is defined: tests/tst_fuzzregressions links every target that way and
// replays the corpora and the inputs that once failed, without clang.
// FUZZ_CHECK(cond, what): an invariant. In a fuzzer it aborts (libFuzzer saves the input); in a
// replay it throws fuzz::Failure, which the test reports.
// Inputs are bytes; targets that take text decode them as UTF-8 (invalid sequences become
// U+FFFD, as Qt does for any received text).
#include <QByteArray>
#include <QString>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <string>

namespace fuzz {
struct Failure : std::runtime_error {
    using std::runtime_error::runtime_error;
};
} // namespace fuzz

#ifdef CCPM_FUZZ_REPLAY
#define CCPM_FUZZ_FAIL(message) throw fuzz::Failure(message)
#define CCPM_FUZZ_TARGET(name)                                                                               \
    namespace fuzz {                                                                                         \
    void name(const uint8_t *data, size_t size);                                                             \
    }                                                                                                        \
    void fuzz::name(const uint8_t *data, size_t size)
#else
#define CCPM_FUZZ_FAIL(message)                                                                              \
    do {                                                                                                     \
        std::fprintf(stderr, "%s\n", std::string(message).c_str());                                          \
        std::abort();                                                                                        \
    } while (false)
#define CCPM_FUZZ_TARGET(name)                                                                               \
    static void name##_check(const uint8_t *data, size_t size);                                              \
    extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)                                  \
    {                                                                                                        \
        name##_check(data, size);                                                                            \
        return 0;                                                                                            \
    }                                                                                                        \
    static void name##_check(const uint8_t *data, size_t size)
#endif

#define FUZZ_CHECK(cond, what)                                                                               \
    do {                                                                                                     \
        if (!(cond))                                                                                         \
            CCPM_FUZZ_FAIL(std::string("invariant broken: ") + (what) + " (" #cond ") at " __FILE__ ":" +    \
                           std::to_string(__LINE__));                                                        \
    } while (false)

inline QString fuzzText(const uint8_t *data, size_t size)
{
    return QString::fromUtf8(reinterpret_cast<const char *>(data), qsizetype(size));
}
