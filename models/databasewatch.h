#pragma once

#include "dbexecutor.h"

namespace ccpm {
class ChangeListener;
}

#include <QObject>
#include <QTimer>

namespace ccpm {

/// Whether the database answers, for the banner, the status bar and the Health dialog.
///
/// While available it pings (`SELECT 1` through ServerInfo::ping on a db worker) every
/// pingInterval() (5 s), and at once when suspect() is called (a model reported an error).
/// When a ping fails with Error::Kind::Connection the database is unavailable: it retries
/// after 1 s, then every 2 s (maxRetryDelay(): the delay doubles up to it), counting down each
/// second, or at once on retryNow(). The cap is low on purpose: a ping costs one connection
/// attempt, and the app must be back within 2 s of the server (docs/reliability.md). The first ping that
/// answers makes it available again (restored()). A ping refused for another reason (a query error) leaves
/// the state as it is.
///
/// Nothing is cached or dropped here: models keep their pages and staged edits while the
/// database is away; the owner reloads them on restored(). Times in milliseconds and seconds
/// as named. Thread: GUI (the object's thread); the pings run on the executor's workers.
class DatabaseWatch : public QObject {
    Q_OBJECT
public:
    explicit DatabaseWatch(DbExecutor &executor, QObject *parent = nullptr);

    /// Pings now, then every pingInterval().
    void start();
    /// Pings at once whenever `listener` subscribes again after losing its connection: the
    /// listener retries every 1.5 s at most, so an outage ends here without waiting for the
    /// countdown. The listener must outlive this watch, or the connection is dropped with it.
    void retryWhenListening(const ChangeListener &listener);

    void setPingInterval(int ms) { m_pingTimer.setInterval(ms); }
    int pingInterval() const { return m_pingTimer.interval(); }
    void setMaxRetryDelay(int seconds) { m_maxDelay = seconds; }
    int maxRetryDelay() const { return m_maxDelay; }

    /// False until the first ping answers, and while unavailable.
    bool isAvailable() const { return m_available; }
    bool isUnavailable() const { return m_unavailable; }
    /// While unavailable: seconds until the next retry (0 while a retry runs).
    int secondsLeft() const { return m_secondsLeft; }
    /// While unavailable: the wait before the current retry, in seconds (1, then 2).
    int retryDelay() const { return m_delay; }
    /// The last answered ping's round trip, in milliseconds (negative before the first).
    double roundTripMs() const { return m_roundTripMs; }
    /// Why the database is unavailable (the last failed ping's error).
    Error lastError() const { return m_lastError; }

public slots:
    /// Something failed (a model's query): ping now unless one runs or the database is already
    /// known to be away (then the countdown goes on).
    void suspect();
    /// Ping now, also while counting down ("Retry now").
    void retryNow();

signals:
    /// The database stopped answering (once per outage).
    void unavailable(const ccpm::Error &error);
    /// Each second of the countdown, and 0 when a retry starts.
    void countdown(int secondsLeft);
    /// The database answers again after being unavailable.
    void restored();
    /// Every answered ping.
    void pinged(double roundTripMs);

private:
    void ping();
    void answered(const Result<double> &result);
    void tick();

    DbExecutor *m_executor;
    QTimer m_pingTimer;
    QTimer m_tick;
    bool m_pinging = false;
    bool m_available = false;
    bool m_unavailable = false;
    int m_delay = 0;
    int m_maxDelay = 2;
    int m_secondsLeft = 0;
    double m_roundTripMs = -1;
    Error m_lastError;
};

} // namespace ccpm
