#pragma once

#include "changefeed.h"
#include "connectionsettings.h"

#include <QByteArray>
#include <QStringList>
#include <QThread>

#include <atomic>
#include <optional>

namespace ccpm {

/// Follows the changes other desks, the backend and psql make, through PostgreSQL LISTEN/NOTIFY
/// on channel "ccpm_changes" (the triggers of migration 7), and publishes them on the ChangeFeed
/// with origin "pg": one publish per row id, or one Op::TableChanged for a bulk statement.
/// Notifications that carry the settings' own changeOrigin are this desk's writes, already
/// published in-process, and are dropped.
///
/// A lost connection gives QPSQL no event, so the listener pings its connection (every
/// pingIntervalMs, default 2,000 ms), reconnects with a growing delay (retryMinMs doubling up
/// to retryMaxMs, default 250 to 1,500 ms: back within 2 s of the server), subscribes again and then
/// publishes TableChanged for every followed table: what was sent during the outage is lost.
///
/// Errors: malformed payloads and connection failures are logged (category ccpm.db.listen) and
/// never stop the listener. Thread: a dedicated thread with its own connection; construct,
/// start() and stop() (or destroy) from one thread. The signals are emitted from the listener
/// thread: connect with a receiver to get them queued.
class ChangeListener : public QThread {
    Q_OBJECT
public:
    struct Tuning {
        int pingIntervalMs = 2000;
        int retryMinMs = 250;
        int retryMaxMs = 1500;
    };
    /// One decoded payload; ids are empty for TableChanged.
    struct Notice {
        QString table;
        ChangeFeed::Op op = ChangeFeed::Op::TableChanged;
        QStringList ids;
        QString origin;
    };

    static constexpr const char *kChannel = "ccpm_changes";
    /// The tables migration 7 follows; all get TableChanged after a reconnect.
    static QStringList followedTables();
    /// Decodes a payload; nullopt when malformed (not JSON, unknown op, no table, ids missing).
    static std::optional<Notice> parse(const QByteArray &payload);

    ChangeListener(ConnectionSettings settings, ChangeFeed &feed, QObject *parent = nullptr);
    ChangeListener(ConnectionSettings settings, ChangeFeed &feed, Tuning tuning, QObject *parent = nullptr);
    ~ChangeListener() override;

    /// Ends the thread (closing its connection) and waits for it. start() begins listening.
    void stop();
    /// True while subscribed (from `listening` until the connection is lost or the thread ends).
    /// Any thread.
    bool isListening() const { return m_listening.load(); }

signals:
    /// Subscribed: the first time (`reconnected` false) and after each reconnect.
    void listening(bool reconnected);
    /// The connection was lost; a reconnect is scheduled.
    void connectionLost();
    /// Every notification as received, own ones included (for measurements and tests).
    void payloadReceived(const QByteArray &payload);

protected:
    void run() override;

private:
    ConnectionSettings m_settings;
    ChangeFeed &m_feed;
    Tuning m_tuning;
    std::atomic<bool> m_listening{false};
    friend class ChangeListenerSession;
};

} // namespace ccpm
