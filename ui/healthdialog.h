#pragma once

#include "connectionsettings.h"
#include "dbexecutor.h"

#include <QDialog>
#include <QPointer>

class QFormLayout;
class QLabel;

namespace ccpm {

class DatabaseWatch;
class HubStatus;

/// Help ▸ Health…: is the database reachable and how fast (round trip in ms of `SELECT 1`),
/// the server's version, the migrations applied and pending (Migrator::status), and the agent
/// hub's address and connections. Read when opened and on Refresh, on a db worker; a failure
/// shows in the row it concerns. Thread: GUI. The watch and the hub status are optional and
/// not owned.
class HealthDialog : public QDialog {
    Q_OBJECT
public:
    HealthDialog(DbExecutor &executor, const ConnectionSettings &settings, DatabaseWatch *watch,
                 HubStatus *hub, QWidget *parent = nullptr);

    /// The value shown in a row: "reachable", "roundTrip", "server", "applied", "pending", "hub",
    /// "connections".
    QString value(const QString &row) const;

public slots:
    void refresh();

signals:
    void refreshed();

private:
    QLabel *addRow(const QString &key, const QString &label);
    void showHub();

    DbExecutor *m_executor;
    QPointer<HubStatus> m_hub;
    QFormLayout *m_form;
    QHash<QString, QLabel *> m_rows;
    int m_waiting = 0;
};

} // namespace ccpm
