#pragma once

#include <QStringList>

class QSettings;

namespace ccpm::hub {

/// The hub's timings and limits (docs/agent-protocol.md). Defaults are the protocol's; tests
/// shorten them; users change them in the [hub] group of the settings file (fromSettings()),
/// TLS on the command line. Plain value, any thread.
struct HubSettings {
    /// The defaults, overridden by the positive numbers found under [hub] (keys as the members
    /// below: pingIntervalMs=15000, maxConnections=10000, …; allowedOrigins as a list).
    static HubSettings fromSettings(QSettings &settings);

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

    /// Hub threads: each runs an event loop holding its share of the connections (the kernel
    /// spreads them, SO_REUSEPORT). 0: one per 4 cores (QThread::idealThreadCount() / 4, 1 to 8):
    /// a thread more only pays where cores are idle (docs/performance.md, "Hub threads").
    int threads = 0;
    /// Connections held at once; one more is closed with 4503 (the hub is full) right after its
    /// handshake. Each costs a file descriptor: the hub raises its soft RLIMIT_NOFILE to the
    /// hard limit when it starts.
    int maxConnections = 10000;
    /// TCP connections accepted and not yet upgraded to WebSocket (and the listen backlog):
    /// Qt's default of 30 drops agents when thousands reconnect at once.
    int maxPendingHandshakes = 1024;
    /// A TCP (or TLS) connection must complete its WebSocket upgrade within this long, or it
    /// is dropped: idle or slow-loris sockets cannot hold the hub's slots and descriptors.
    int handshakeTimeoutMs = 10000;
    /// Largest frame and message an agent may send (RFC 6455 close 1009 above).
    qint64 maxMessageBytes = 1024 * 1024;
    /// A peer that stops reading: when more than this many bytes wait to be written to it,
    /// the connection is cut (its agent becomes INACTIVE), so one stuck agent cannot make the
    /// hub hold unbounded memory.
    qint64 maxQueuedBytes = 8 * 1024 * 1024;
    /// Failed token checks per remote address: after `maxFailedLogins` failures within
    /// `failedLoginWindowMs`, that address gets one token check per `throttledLoginIntervalMs`
    /// until the window has passed; other attempts are closed with 4429 at once.
    int maxFailedLogins = 10;
    int failedLoginWindowMs = 60000;
    int throttledLoginIntervalMs = 1000;

    /// TLS (wss://): PEM files of the certificate (chain) and its private key. Both empty:
    /// plain ws://, which the hub allows on a non-loopback address only with `allowInsecure`.
    QString tlsCertificateFile;
    QString tlsKeyFile;
    bool allowInsecure = false;
};

} // namespace ccpm::hub
