#pragma once

#include "connectionsettings.h"
#include "result.h"

#include <QString>

namespace ccpm {

/// Parses a Prisma-style DATABASE_URL into ConnectionSettings, so the desktop app accepts the
/// same URL as the ccpm web app's `.env` (rule source: Prisma's PostgreSQL connector docs,
/// "Connection URL" and "Arguments").
///
/// Accepted form: `postgresql://[user[:password]@][host][:port]/database[?key=value&...]`, scheme
/// `postgresql` or `postgres` (any case). User, password and database are percent-decoded; the
/// host may be an IPv6 address in brackets; the port defaults to 5432. Query parameters, decoded
/// like HTML forms (`+` is a space) as Prisma does:
///   - `schema`: the search_path schema (default `public`)
///   - `sslmode`: disable, allow, prefer, require, verify-ca or verify-full
///   - `host`: an absolute Unix-socket directory; replaces the host in the authority, which may
///     then be empty (`postgresql://user@/ccpm?host=/var/run/postgresql`)
///   - `connect_timeout`: whole seconds, 0 or more (0: wait forever, as in libpq)
/// Other parameters (Prisma's `connection_limit`, `pool_timeout`, `pgbouncer`, ...) are ignored.
///
/// Errors: Error::Kind::Invalid whose message names the part that is wrong (scheme, user name,
/// password encoding, host, port, database name, a query parameter). The password never appears
/// in an error, not even when it is the part that is wrong.
/// Thread: pure function, safe from any thread.
Result<ConnectionSettings> parseDatabaseUrl(const QString &url);

} // namespace ccpm
