#pragma once

#include "connectionsettings.h"
#include "dbexecutor.h"

#include <QStatusBar>
#include <QTimer>
#include <QUrl>

class QLabel;

namespace ccpm {

class DatabaseWatch;
class HubStatus;

/// The main window's status bar: which database (host and name, never the password), the
/// server version, the round-trip time of a periodic `SELECT 1` (every 5 s, on a db worker),
/// and the hub's address with the number of connected agents. With followWatch(), the round trip
/// and the database's state (unavailable, retry countdown) come from that DatabaseWatch instead
/// of its own pings; with followHub(), the hub's field follows a HubStatus.
/// Thread: GUI.
class StatusBar : public QStatusBar {
    Q_OBJECT
public:
    StatusBar(DbExecutor &executor, const ConnectionSettings &settings, const QString &databaseLabel,
              QWidget *parent = nullptr);

    void setHub(const QUrl &url, int connectedAgents);
    void setHubOff();
    /// Not owned; each must outlive the status bar.
    void followWatch(DatabaseWatch &watch);
    void followHub(HubStatus &hub);

    QString databaseText() const;
    QString serverText() const;
    QString pingText() const;
    QString hubText() const;

private:
    void ping();
    void showVersion();

    DbExecutor *m_executor;
    QLabel *m_database;
    QLabel *m_server;
    QLabel *m_ping;
    QLabel *m_hub;
    QTimer m_timer;
    bool m_pinging = false;
    bool m_watched = false; ///< a DatabaseWatch pings instead
};

} // namespace ccpm
