#pragma once

#include "result.h"

#include <QString>

namespace ccpm {

/// bcrypt password hashes compatible with the ccpm web app, which writes them with Node's
/// bcrypt/bcryptjs (`$2a$`/`$2b$`, cost 10 in the seed data). Backed by libxcrypt's crypt_rn.
///
/// Units: `cost` is bcrypt's log2 work factor (4..31); each step doubles the time, and cost 12
/// takes about 0.25 s. Thread: pure functions, safe from any thread, but slow on purpose: never
/// call them on the GUI thread; run them on a worker (QtConcurrent) and co_await the result.
/// bcrypt only reads the first 72 bytes of the UTF-8 password (same as Node's bcrypt).
class Password {
public:
    /// A new "$2b$<cost>$..." hash with a fresh random salt.
    /// Errors: Kind::Invalid for a cost outside 4..31 or a password containing U+0000;
    /// Kind::Environment when libxcrypt cannot make a salt or a hash (no entropy, bcrypt disabled).
    static Result<QString> hash(const QString &plain, int cost = 12);

    /// Whether `plain` matches a "$2a$", "$2b$" or "$2y$" hash. Compares in constant time.
    /// Returns false, never crashes, for empty or malformed hashes and for any libxcrypt failure.
    static bool verify(const QString &plain, const QString &hash);
};

} // namespace ccpm
