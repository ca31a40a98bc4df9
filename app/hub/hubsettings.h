#pragma once

#include <QStringList>

namespace ccpm::hub {

/// The hub's timings and limits (docs/agent-protocol.md). Defaults are the protocol's; tests
/// shorten them. Plain value, any thread.
struct HubSettings {
    /// Without an `Authorization` header, the agent must send `agent.hello` with its token
    /// within this many milliseconds, or the connection closes with 4401.
    int helloTimeoutMs = 10000;
    /// Heartbeat: the hub pings every agent this often (RFC 6455 ping; every WebSocket library
    /// answers with a pong by itself)...
    int pingIntervalMs = 15000;
    /// ...and closes a connection that sent no frame and no pong for this long (4408); the agent
    /// becomes INACTIVE, with `lastSeenAt`.
    int silenceTimeoutMs = 45000;
    /// A peer that does not answer the close frame within this long is cut off.
    int closeGraceMs = 5000;
    /// Rate limit per connection: at most `maxRequests` requests in each window of `windowMs`;
    /// the rest are answered with -32005 (`data.retryAfterMs`) and not carried out.
    int maxRequests = 1000;
    int windowMs = 10000;
    /// Origins (`https://tools.example.com`) whose pages may connect. A handshake that carries
    /// an `Origin` header is refused unless it is listed; agents are not browsers, so the list
    /// is empty by default. This stops a web page in the manager's browser from reaching the
    /// hub (cross-site WebSocket hijacking).
    QStringList allowedOrigins;
};

} // namespace ccpm::hub
