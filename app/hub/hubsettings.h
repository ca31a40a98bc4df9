#pragma once

namespace ccpm::hub {

/// The hub's timings and limits (docs/agent-protocol.md). Defaults are the protocol's; tests
/// shorten them. Plain value, any thread.
struct HubSettings {
    /// Without an `Authorization` header, the agent must send `agent.hello` with its token
    /// within this many milliseconds, or the connection closes with 4401.
    int helloTimeoutMs = 10000;
};

} // namespace ccpm::hub
