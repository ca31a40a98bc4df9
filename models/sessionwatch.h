#pragma once

#include "dbexecutor.h"

#include <QObject>
#include <QTimer>

namespace ccpm {

/// Watches this desk's working session (a "sessions" row, AuthService): every `intervalMs`
/// it asks whether the row still exists and has not expired, and emits ended() once when it
/// has not (an administrator revoked it, or its 12 h are over), so that the window asks for the
/// password again. A database that cannot be reached ends nothing: the check is simply retried.
/// Thread: the GUI thread; the query runs on the executor's workers.
class SessionWatch : public QObject {
    Q_OBJECT
public:
    SessionWatch(DbExecutor &executor, int intervalMs = 60000, QObject *parent = nullptr);

    /// Starts watching `sessionId` (a new session after logging in again).
    void watch(const QString &sessionId);
    QString sessionId() const { return m_sessionId; }

signals:
    void ended();

private:
    void check();

    DbExecutor *m_executor;
    QTimer m_timer;
    QString m_sessionId;
    bool m_checking = false;
};

} // namespace ccpm
