#include "statusbar.h"

#include "databasewatch.h"
#include "hubstatus.h"
#include "serverinfo.h"

#include <QLabel>

namespace ccpm {

StatusBar::StatusBar(DbExecutor &executor, const ConnectionSettings &settings, const QString &databaseLabel,
                     QWidget *parent)
    : QStatusBar(parent)
    , m_executor(&executor)
    , m_database(new QLabel(this))
    , m_server(new QLabel(this))
    , m_ping(new QLabel(this))
    , m_hub(new QLabel(this))
{
    m_database->setText(tr("Database: %1").arg(databaseLabel));
    m_database->setToolTip(settings.redactedUrl()); // never the password
    m_server->setText(tr("Server: …"));
    m_ping->setText(tr("Round trip: …"));
    m_hub->setText(tr("Hub: off"));
    addPermanentWidget(m_database);
    addPermanentWidget(m_server);
    addPermanentWidget(m_ping);
    addPermanentWidget(m_hub);

    // The first ping waits for the version query, so it measures a round trip and not the
    // opening of a connection.
    showVersion();
    connect(&m_timer, &QTimer::timeout, this, &StatusBar::ping);
    m_timer.start(5000);
}

void StatusBar::showVersion()
{
    QCoro::connect(ServerInfo::version(*m_executor), this, [this](Result<QString> version) {
        m_server->setText(version ? *version : tr("Server: unreachable"));
        m_server->setToolTip(version ? QString() : version.error().toString());
        ping();
    });
}

void StatusBar::followWatch(DatabaseWatch &watch)
{
    m_watched = true;
    m_timer.stop();
    connect(&watch, &DatabaseWatch::pinged, this, [this](double ms) {
        m_ping->setText(tr("Round trip: %1 ms").arg(ms, 0, 'f', 1));
        m_ping->setToolTip({});
        m_ping->setStyleSheet({});
    });
    connect(&watch, &DatabaseWatch::countdown, this, [this, &watch](int seconds) {
        m_ping->setText(seconds > 0 ? tr("Database unavailable · retry in %1 s").arg(seconds)
                                    : tr("Database unavailable · retrying…"));
        m_ping->setToolTip(watch.lastError().toString());
        m_ping->setStyleSheet(QStringLiteral("color: #c62828; font-weight: bold;"));
    });
    // The server may have come back as another version (an upgrade), or was not there at start
    connect(&watch, &DatabaseWatch::restored, this, &StatusBar::showVersion);
}

void StatusBar::followHub(HubStatus &hub)
{
    const auto update = [this, &hub] {
        if (hub.isRunning())
            setHub(hub.url(), hub.connections());
        else
            setHubOff();
    };
    connect(&hub, &HubStatus::changed, this, update);
    update();
}

void StatusBar::ping()
{
    if (m_pinging || m_watched)
        return; // the previous ping has not come back: do not pile up
    m_pinging = true;
    QCoro::connect(ServerInfo::ping(*m_executor), this, [this](Result<double> ms) {
        m_pinging = false;
        if (ms) {
            m_ping->setText(tr("Round trip: %1 ms").arg(*ms, 0, 'f', 1));
            m_ping->setToolTip({});
        } else {
            m_ping->setText(tr("Database unreachable"));
            m_ping->setToolTip(ms.error().toString());
        }
    });
}

void StatusBar::setHub(const QUrl &url, int connectedAgents)
{
    const QString agents =
        connectedAgents == 1 ? tr("1 agent connected") : tr("%1 agents connected").arg(connectedAgents);
    m_hub->setText(tr("Hub: %1 · %2").arg(url.toString(), agents));
}

void StatusBar::setHubOff()
{
    m_hub->setText(tr("Hub: off"));
}

QString StatusBar::databaseText() const
{
    return m_database->text();
}
QString StatusBar::serverText() const
{
    return m_server->text();
}
QString StatusBar::pingText() const
{
    return m_ping->text();
}
QString StatusBar::hubText() const
{
    return m_hub->text();
}

} // namespace ccpm
