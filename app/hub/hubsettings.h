#pragma once

#include <QStringList>

namespace ccpm::hub {

/// The hub's timings and limits (docs/agent-protocol.md). Defaults are the protocol's; tests
/// shorten them. Plain value, any thread.
struct HubSettings {
    /// Without an `Authorization` header, the agent must send `agent.hello` with its token
    /// within this many milliseconds, or the connection closes with 4401.
    int helloTimeoutMs = 10000;
    /// Origins (`https://tools.example.com`) whose pages may connect. A handshake that carries
    /// an `Origin` header is refused unless it is listed; agents are not browsers, so the list
    /// is empty by default. This stops a web page in the manager's browser from reaching the
    /// hub (cross-site WebSocket hijacking).
    QStringList allowedOrigins;
};

} // namespace ccpm::hub
