#include "hub/hubhost.h"

#include "dbexecutor.h"
#include "hub/hubserver.h"

#include <QEventLoop>
#include <QTimer>

namespace ccpm::hub {

void preferUnixEventDispatcher()
{
    if (!qEnvironmentVariableIsSet("QT_NO_GLIB") && !qEnvironmentVariableIsSet("CCPM_HUB_GLIB"))
        qputenv("QT_NO_GLIB", "1");
}

HubHost::HubHost(ConnectionSettings settings, ChangeFeed &feed, QObject *parent)
    : QObject(parent)
    , m_settings(std::move(settings))
    , m_feed(&feed)
{
    m_thread.setObjectName(QStringLiteral("ccpm-hub"));
}

HubHost::~HubHost()
{
    stop();
}

Status HubHost::start(const QHostAddress &address, quint16 port)
{
    if (m_thread.isRunning())
        return Error{Error::Kind::Invalid, QStringLiteral("The agent hub is already running."), {}, {}};
    m_thread.start();
    Status status = Done{};
    // Objects are created inside the hub thread so that they, their sockets and their
    // database futures all belong to it.
    auto *anchor = new QObject;
    anchor->moveToThread(&m_thread);
    QMetaObject::invokeMethod(
        anchor,
        [this, anchor, address, port, &status] {
            m_executor = new DbExecutor(m_settings, 4);
            m_server = new HubServer(*m_executor, *m_feed, m_hubSettings);
            connect(m_server, &HubServer::connectedAgentsChanged, this, [this](int count) {
                m_connectedAgents = count;
                emit connectedAgentsChanged(count);
            });
            connect(m_server, &HubServer::agentPresenceChanged, this, &HubHost::agentPresenceChanged);
            status = m_server->listen(address, port);
            m_url = m_server->url();
            delete anchor;
        },
        Qt::BlockingQueuedConnection);
    if (!status)
        stop();
    return status;
}

void HubHost::stop(int timeoutMs)
{
    if (!m_thread.isRunning())
        return;
    if (m_server) {
        HubServer *server = m_server;
        DbExecutor *executor = m_executor;
        QMetaObject::invokeMethod(
            server,
            [server, executor, timeoutMs] {
                // Runs in the hub thread: drain the connections (bounded), then tear down there.
                QEventLoop loop;
                bool done = false;
                QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
                QCoro::connect(server->shutdown(), server, [&] {
                    done = true;
                    loop.quit();
                });
                if (!done)
                    loop.exec();
                delete server;
                delete executor;
            },
            Qt::BlockingQueuedConnection);
        m_server = nullptr;
        m_executor = nullptr;
    }
    m_thread.quit();
    m_thread.wait();
    m_url.clear();
    m_connectedAgents = 0;
}

} // namespace ccpm::hub
