#pragma once

#include <QWebSocketProtocol>

namespace ccpm::hub {

/// WebSocket close codes the hub uses (RFC 6455 section 7.4.2 leaves 4000-4999 to applications).
/// Documented for agent authors in docs/agent-protocol.md.
enum class CloseCode : int {
    Normal = 1000,          ///< the agent closed, or the hub closed cleanly
    GoingAway = 1001,       ///< the hub is shutting down
    InternalError = 1011,   ///< the hub could not check the token (database unreachable): retry later
    PolicyViolation = 1008, ///< more than HubSettings::maxQueuedBytes of requests waiting: read the replies
    Unauthorized = 4401,    ///< no token, or a token the hub does not know
    Revoked = 4403,         ///< the token was revoked by an administrator
    Silent = 4408,          ///< no frame and no pong for HubSettings::silenceTimeoutMs
    Replaced = 4409,        ///< a newer connection of the same agent replaced this one
    TooManyFailures = 4429, ///< too many failed token checks from this address: retry later
    HubFull = 4503,         ///< the hub holds HubSettings::maxConnections already: retry later
};

inline QWebSocketProtocol::CloseCode toQt(CloseCode code)
{
    return static_cast<QWebSocketProtocol::CloseCode>(static_cast<int>(code));
}

} // namespace ccpm::hub
