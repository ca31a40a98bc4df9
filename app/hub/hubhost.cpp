#include "hub/hubhost.h"

#include "dbexecutor.h"
#include "eventloop/epolleventdispatcher.h"
#include "hub/hubregistry.h"
#include "hub/hubserver.h"

#include <QEventLoop>
#include <QSemaphore>
#include <QTimer>

#include <algorithm>

namespace ccpm::hub {

void preferUnixEventDispatcher()
{
    if (!qEnvironmentVariableIsSet("QT_NO_GLIB") && !qEnvironmentVariableIsSet("CCPM_HUB_GLIB"))
        qputenv("QT_NO_GLIB", "1");
}

namespace {

/// Runs `work` in `thread` and waits for it.
template <typename F>
void runIn(QThread *thread, F work)
{
    auto *anchor = new QObject;
    anchor->moveToThread(thread);
    QMetaObject::invokeMethod(
        anchor,
        [anchor, &work] {
            work();
            delete anchor;
        },
        Qt::BlockingQueuedConnection);
}

} // namespace

HubHost::HubHost(ConnectionSettings settings, ChangeFeed &feed, QObject *parent)
    : QObject(parent)
    , m_settings(std::move(settings))
    , m_feed(&feed)
{
}

HubHost::~HubHost()
{
    stop();
}

Status HubHost::start(const QHostAddress &address, quint16 port)
{
    if (!m_threads.empty())
        return Error{Error::Kind::Invalid, QStringLiteral("The agent hub is already running."), {}, {}};
    // The hub shares the machine with the GUI, its database workers and often PostgreSQL: on 2
    // cores two hub threads answered slower than one (docs/performance.md, "Hub threads").
    const int threads =
        m_hubSettings.threads > 0 ? m_hubSettings.threads : std::clamp(QThread::idealThreadCount() / 4, 1, 8);
    m_registry = std::make_unique<HubRegistry>(m_hubSettings);
    connect(m_registry.get(), &HubRegistry::connectedAgentsChanged, this, [this](int count) {
        m_connectedAgents = count;
        emit connectedAgentsChanged(count);
    });
    connect(m_registry.get(), &HubRegistry::agentPresenceChanged, this, &HubHost::agentPresenceChanged);
    Status status = Done{};
    quint16 boundPort = port;
    for (int i = 0; i < threads && status; ++i) {
        auto &thread = m_threads.emplace_back(std::make_unique<QThread>());
        thread->setObjectName(i == 0 ? QStringLiteral("ccpm-hub") : QStringLiteral("ccpm-hub-%1").arg(i + 1));
        // Each thread holds up to thousands of sockets: an epoll dispatcher, not poll() over all.
        if (QAbstractEventDispatcher *dispatcher = makeSocketEventDispatcher())
            thread->setEventDispatcher(dispatcher);
        thread->start();
        // Objects are created inside their hub thread so that they, their sockets and their
        // database futures all belong to it.
        runIn(thread.get(), [this, i, threads, &address, &boundPort, &status] {
            if (i == 0)
                m_executor = new DbExecutor(m_settings, 4);
            auto *server = new HubServer(*m_executor, *m_feed, *m_registry, m_hubSettings);
            m_servers.push_back(server);
            status = server->listen(address, boundPort, threads > 1);
            if (status && i == 0) {
                m_url = server->url();
                boundPort = quint16(m_url.port()); // port 0: the others join the port the first got
            }
        });
    }
    if (!status)
        stop();
    return status;
}

QList<int> HubHost::connectionsPerThread() const
{
    QList<int> held;
    for (const HubServer *server : m_servers)
        held.append(server->heldConnections());
    return held;
}

QString HubHost::eventDispatcherName() const
{
    const QAbstractEventDispatcher *dispatcher =
        m_threads.empty() ? nullptr : QAbstractEventDispatcher::instance(m_threads.front().get());
    return dispatcher ? QString::fromLatin1(dispatcher->metaObject()->className()) : QString();
}

void HubHost::stop(int timeoutMs)
{
    if (m_threads.empty())
        return;
    // Every thread drains its connections (bounded) and tears down there, all at once.
    QSemaphore done;
    for (HubServer *server : m_servers) {
        QMetaObject::invokeMethod(
            server,
            [server, timeoutMs, &done] {
                QEventLoop loop;
                bool closed = false;
                QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
                QCoro::connect(server->shutdown(), server, [&] {
                    closed = true;
                    loop.quit();
                });
                if (!closed)
                    loop.exec();
                delete server;
                done.release();
            },
            Qt::QueuedConnection);
    }
    done.acquire(int(m_servers.size()));
    m_servers.clear();
    if (m_executor) {
        DbExecutor *executor = std::exchange(m_executor, nullptr);
        runIn(m_threads.front().get(), [executor] { delete executor; });
    }
    for (auto &thread : m_threads) {
        thread->quit();
        thread->wait();
    }
    m_threads.clear();
    m_registry.reset();
    m_url.clear();
    m_connectedAgents = 0;
}

} // namespace ccpm::hub
