#pragma once

#include "agent/agentclient.h"
#include "agent/agentstats.h"

#include <QElapsedTimer>
#include <QObject>
#include <QStringList>
#include <QTimer>

#include <memory>
#include <vector>

namespace ccpm::agent {

/// Many agents in one process and one thread (`ccpm-agent --simulate N`), cheap enough for
/// 10,000: one AgentClient (one QWebSocket) per token, no threads of their own, one shared timer
/// for the load mode's updates. Connections open in batches (Settings::connectBatch at a time,
/// the next batch once every client of the last one is connected, waiting or refused), so the
/// hub's queue of pending handshakes is never flooded.
/// Errors: the clients'; figures in stats(). Thread: the thread it lives in.
class AgentFleet : public QObject {
    Q_OBJECT
public:
    struct Settings {
        AgentClient::Settings agent; ///< the token is replaced by each agent's
        int connectBatch = 200;
        /// Load mode: each online agent sends one update (AgentClient::chatter()) every
        /// chatterMs ± 20 %; 0 = off.
        int chatterMs = 0;
        /// Load mode: no updates until every agent's first connection attempt is over; then
        /// allConnected() is emitted, the figures start again from zero and the updates begin.
        /// So a load test measures N agents online, not the ramp.
        bool connectFirst = false;
        /// After stop(), clients that have not closed within this long are cut off.
        int stopTimeoutMs = 6000;
    };

    AgentFleet(Settings settings, const QStringList &tokens, QObject *parent = nullptr);
    ~AgentFleet() override;

    void start();
    /// Closes every connection cleanly (1000); allStopped() follows (perhaps before stop() returns).
    void stop();

    int size() const { return int(m_clients.size()); }
    AgentClient *client(int i) const { return m_clients.at(std::size_t(i)).get(); }
    const AgentStats &stats() const { return m_stats; }
    /// Clients whose first connection attempt has started.
    int opened() const { return m_nextToOpen; }

signals:
    /// Every client's first connection attempt is over (online, waiting to retry, or refused).
    void allConnected();
    /// Every client has stopped: after stop(), or because every one was refused.
    void allStopped();

private:
    void openNextBatch();
    void onSettled(int index);
    void onStopped();
    void schedule(int index, int delayMs);
    void onTick();
    void startChatter(int index);
    void finish();

    Settings m_settings;
    AgentStats m_stats;
    std::vector<std::unique_ptr<AgentClient>> m_clients;
    std::vector<char> m_settled; ///< the first attempt is over (online, waiting or stopped)
    std::vector<char> m_chattering;
    int m_nextToOpen = 0;
    int m_unsettled = 0; ///< clients of the current batch still connecting
    int m_stopped = 0;
    int m_settledCount = 0;
    bool m_chatterOpen = true; ///< false until allConnected() with Settings::connectFirst
    bool m_stopping = false;
    bool m_finished = false;

    // Load mode: a timing wheel of client indices, one slot per tick.
    static constexpr int kTickMs = 10;
    QTimer m_ticker;
    QElapsedTimer m_clock;
    qint64 m_tick = 0;
    std::vector<std::vector<int>> m_wheel;
};

} // namespace ccpm::agent
