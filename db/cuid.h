#pragma once

#include <QString>

namespace ccpm {

/// Row ids in the format of Prisma's `@default(cuid())` (cuid v1), so rows created here look like
/// rows created by the ccpm web app: 25 characters, "c" then lower-case base36 made of
///   - 8: milliseconds since the Unix epoch (ids from different milliseconds sort by time),
///   - 4: a per-process counter (wraps at 36^4),
///   - 4: a host fingerprint from the process id and host name,
///   - 8: random, from QRandomGenerator::system().
/// Not secret and not a security token (see AgentToken for those).
/// Thread: safe from any thread (the counter is atomic).
QString newCuid();

/// Whether `id` has the shape newCuid() produces: 25 characters, "c", then [0-9a-z].
bool isCuid(const QString &id);

} // namespace ccpm
