#pragma once

#include <QByteArray>
#include <QString>

namespace ccpm {

/// Bearer tokens for agents (the JSON-RPC hub and `ccpm` CLI authenticate with them).
/// A token is "ccpm_" followed by 256 random bits in unpadded base64url (48 characters in all);
/// the prefix makes leaked tokens recognisable in logs and to secret scanners. Only hash() of a
/// token is stored, so a database dump does not hand out working tokens.
/// Thread: all functions are pure (generate() draws from the thread-safe system RNG) and safe
/// from any thread. Errors: none; QRandomGenerator::system() aborts rather than return weak bytes.
namespace AgentToken {

/// A new random token, e.g. "ccpm_3q2-7wGx...". Show it once; store only hash().
QString generate();

/// Lower-case hex SHA-256 of the UTF-8 token: 64 characters, deterministic, for the token table.
QString hash(const QString &token);

} // namespace AgentToken

/// Compares two secrets (hashes, digests) in time that depends only on their lengths, so a caller
/// cannot learn from timing how many leading bytes matched. Lengths are not treated as secret.
bool constantTimeEquals(const QByteArray &a, const QByteArray &b);

} // namespace ccpm
