#pragma once

#include "changefeed.h"
#include "connectionsettings.h"
#include "hub/hubsettings.h"
#include "result.h"

#include <QHostAddress>
#include <QObject>
#include <QThread>
#include <QUrl>

#include <memory>
#include <vector>

namespace ccpm {
class DbExecutor;
}

namespace ccpm::hub {

class HubRegistry;
class HubServer;

/// Call first in main(), before the Q*Application: makes Qt use its poll()-based UNIX event
/// dispatcher instead of glib's (sets QT_NO_GLIB unless it or CCPM_HUB_GLIB is set). A hub
/// thread holds thousands of sockets; glib's dispatcher spends most of that thread's time in
/// its own bookkeeping, with a linear search of the socket notifiers after every write
/// (measured: docs/performance.md). Nothing in CCPM Desk needs the glib loop.
void preferUnixEventDispatcher();

/// Runs the agent hub in threads of its own (HubSettings::threads, named ccpm-hub, ccpm-hub-2, …),
/// with its own database connections, so that agents never stall the GUI and the GUI never
/// stalls agents. Each thread runs a HubServer on the same port; the kernel spreads connections
/// over them and a HubRegistry keeps one live connection per agent across them. Owned by the GUI
/// (or the headless `ccpm-desk hub` command); signals arrive in the owner's thread.
class HubHost : public QObject {
    Q_OBJECT
public:
    /// `feed` must outlive the host; the hub publishes agent changes on it.
    HubHost(ConnectionSettings settings, ChangeFeed &feed, QObject *parent = nullptr);
    ~HubHost() override; ///< stop()s when still running

    /// Timings and limits for the next start().
    void setHubSettings(const HubSettings &settings) { m_hubSettings = settings; }
    /// Starts listening (waits for the hub threads to bind, a few milliseconds).
    Status start(const QHostAddress &address, quint16 port);
    /// Closes every agent connection, marks those agents INACTIVE, and stops the threads.
    /// Waits at most `timeoutMs` for the last writes (all threads at once).
    void stop(int timeoutMs = 3000);

    QUrl url() const { return m_url; }
    int connectedAgents() const { return m_connectedAgents; }
    /// The hub threads running (HubSettings::threads; when 0, one per 4 cores).
    int threadCount() const { return int(m_servers.size()); }
    /// How many connections each hub thread holds now (tests, benchmarks).
    QList<int> connectionsPerThread() const;
    /// The class name of the hub threads' event dispatcher (benchmarks), empty when stopped.
    QString eventDispatcherName() const;

signals:
    void connectedAgentsChanged(int count);
    /// An agent connected to the hub or left it (the GUI shows "connected" apart from the
    /// status the agent reports).
    void agentPresenceChanged(const QString &agentId, bool connected);

private:
    ConnectionSettings m_settings;
    HubSettings m_hubSettings;
    ChangeFeed *m_feed;
    std::vector<std::unique_ptr<QThread>> m_threads;
    std::unique_ptr<HubRegistry> m_registry; ///< shared by the hub threads
    DbExecutor *m_executor = nullptr;        ///< lives in the first hub thread; used by all
    std::vector<HubServer *> m_servers;      ///< one per hub thread, living in it
    QUrl m_url;
    int m_connectedAgents = 0;
};

} // namespace ccpm::hub
