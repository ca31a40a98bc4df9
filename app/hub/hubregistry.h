#pragma once

#include "hub/hubsettings.h"
#include "hub/loginthrottle.h"

#include <QHash>
#include <QHostAddress>
#include <QMutex>
#include <QObject>

#include <atomic>

namespace ccpm::hub {

class HubServer;

/// What the hub's threads share (HubHost runs one HubServer per thread, HubSettings::threads):
/// which connection is each agent's live one, how many connections are open, the sequence that
/// orders connections by arrival, and the per-address login throttle. The kernel spreads new
/// connections over the threads (SO_REUSEPORT), so two connections of one agent may be held by
/// different threads; the registry decides which one is live, and its owner closes the other.
///
/// Presence signals are emitted while the registry's lock is held, so a receiver in another
/// thread gets them in the order the registry changed ("left" before "came back").
/// Thread: every method may be called from any thread; signals are emitted from the caller's.
class HubRegistry : public QObject {
    Q_OBJECT
public:
    explicit HubRegistry(const HubSettings &settings, QObject *parent = nullptr);

    /// The next connection's sequence number (1, 2, …): of two connections of one agent, the
    /// higher number wins, whichever token check finishes first.
    quint64 nextSequence() { return ++m_sequence; }
    /// Counts a new connection; false (nothing counted) when HubSettings::maxConnections are open.
    bool reserveConnection();
    void releaseConnection();
    int openConnections() const { return m_open.load(); }

    /// The login throttle (LoginThrottle), shared so that spreading attempts over the hub's threads
    /// does not multiply them.
    bool admitLogin(const QHostAddress &address);
    void loginFailed(const QHostAddress &address);
    qint64 loginRetryAfter(const QHostAddress &address) const;

    /// What claim() decided.
    struct Claim {
        enum Kind {
            Arrived,   ///< the agent had no live connection: this one is it
            Replacing, ///< this one is live now; connection `previous` of the same server must close
            Superseded ///< a newer connection of the agent is live: this one must close
        } kind = Arrived;
        quint64 previous = 0; ///< the sequence of the connection to close (Replacing)
    };
    /// Connection `sequence` of `server` authenticated as `agentId`. When it replaces a connection
    /// held by another server, that server is asked to close it (HubServer::closeReplaced, queued
    /// to its thread) and the result is Arrived; Replacing means the caller holds the old one.
    Claim claim(const QString &agentId, HubServer *server, quint64 sequence);
    /// `server` is being destroyed: its connections are no longer anyone's live one (an agent
    /// that had one is disconnected), and no other server will call it again.
    void forget(HubServer *server);
    /// Connection `sequence` of `agentId` ended; true when it was the agent's live one (the agent
    /// is disconnected now), false when a newer connection had replaced it.
    bool release(const QString &agentId, quint64 sequence);
    /// Is connection `sequence` the agent's live one?
    bool isLive(const QString &agentId, quint64 sequence) const;
    int connectedAgents() const;

signals:
    void connectedAgentsChanged(int count);
    /// An agent's live connection opened or ended (not emitted for a replacement).
    void agentPresenceChanged(const QString &agentId, bool connected);

private:
    struct Live {
        HubServer *server;
        quint64 sequence;
    };

    const int m_maxConnections;
    std::atomic<quint64> m_sequence{0};
    std::atomic<int> m_open{0};
    mutable QMutex m_mutex; ///< guards m_live and m_throttle
    QHash<QString, Live> m_live;
    LoginThrottle m_throttle;
};

} // namespace ccpm::hub
