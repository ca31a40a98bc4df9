#pragma once

#include "agent/latencyhistogram.h"

#include <QString>

namespace ccpm::agent {

/// What a set of agents did, for the figures `ccpm-agent` prints on exit. Shared by the clients
/// of one process (they only ever add to it).
/// Thread: the clients' thread (the main thread); not synchronised.
struct AgentStats {
    int agents = 0;                ///< clients created
    int connected = 0;             ///< clients authenticated right now
    int maxConnected = 0;          ///< the most authenticated at once
    int stoppedForGood = 0;        ///< clients refused or replaced (4401, 4403, 4409)
    quint64 requests = 0;          ///< requests sent
    quint64 replies = 0;           ///< replies received, results and errors
    quint64 errors = 0;            ///< error replies, plus requests whose connection closed first
    quint64 reconnects = 0;        ///< connection attempts after an agent's first
    LatencyHistogram replyLatency; ///< from sending a request to reading its reply, µs
    quint64 rampRequests = 0;      ///< requests sent before resetTraffic()

    void onConnected()
    {
        ++connected;
        maxConnected = std::max(maxConnected, connected);
    }
    void onDisconnected() { --connected; }
    /// Forgets requests, replies, errors and latencies so far (the connections stay counted):
    /// the load phase's figures start from here.
    void resetTraffic()
    {
        rampRequests += requests;
        requests = replies = errors = 0;
        replyLatency = LatencyHistogram();
    }

    /// "name=value" lines: agents, connected (the maximum), requests, replies, errors, reconnects,
    /// reply_p50_ms, reply_p99_ms, and stopped (refused or replaced).
    QString figures() const
    {
        const auto ms = [this](double p) {
            return QString::number(double(replyLatency.percentile(p)) / 1000.0, 'f', 3);
        };
        return QStringLiteral("agents=%1\nconnected=%2\nrequests=%3\nreplies=%4\nerrors=%5\nreconnects=%6\n"
                              "reply_p50_ms=%7\nreply_p99_ms=%8\nstopped=%9\n")
            .arg(agents)
            .arg(maxConnected)
            .arg(requests)
            .arg(replies)
            .arg(errors)
            .arg(reconnects)
            .arg(ms(50), ms(99))
            .arg(stoppedForGood);
    }
};

} // namespace ccpm::agent
