#include "dbexecutor.h"

#include "dbworker.h"

#include <QThread>

namespace ccpm {

namespace {
std::atomic<int> s_executorCount{0};
}

DbExecutor::DbExecutor(ConnectionSettings settings, int connections, QObject *parent)
    : QObject(parent)
    , m_settings(std::move(settings))
    , m_cancelThread(new QThread(this))
    , m_canceller(new QObject)
{
    m_canceller->moveToThread(m_cancelThread);
    connect(m_cancelThread, &QThread::finished, m_canceller, &QObject::deleteLater);
    m_cancelThread->start();
    const int id = ++s_executorCount;
    for (int i = 0; i < std::max(1, connections); ++i) {
        auto *thread = new QThread(this);
        thread->setObjectName(QStringLiteral("ccpm-db-%1-%2").arg(id).arg(i));
        auto *worker = new DbWorker(m_settings, thread->objectName());
        worker->moveToThread(thread);
        connect(thread, &QThread::finished, worker, &QObject::deleteLater);
        thread->start();
        m_threads.push_back(thread);
        m_workers.push_back(worker);
    }
}

DbExecutor::~DbExecutor()
{
    // Pending cancel requests name workers: they finish before the workers go.
    m_cancelThread->quit();
    m_cancelThread->wait();
    for (size_t i = 0; i < m_workers.size(); ++i) {
        DbWorker *worker = m_workers[i];
        QMetaObject::invokeMethod(
            worker, [worker] { worker->shutdown(); }, Qt::QueuedConnection);
        m_threads[i]->quit();
    }
    for (QThread *thread : m_threads)
        thread->wait();
}

void DbExecutor::cancel(const CancelToken &token)
{
    token.cancel();
    // Off the caller's thread: PQcancel opens a connection to the server and waits for it.
    QMetaObject::invokeMethod(
        m_canceller,
        [workers = m_workers, token] { // the token, not its address: the address is not reused meanwhile
            for (DbWorker *worker : workers)
                worker->cancelIfRunning(token.id());
        },
        Qt::QueuedConnection);
}

void DbExecutor::post(std::optional<CancelToken> token, Job job)
{
    DbWorker *best = m_workers.front();
    for (DbWorker *w : m_workers) {
        if (w->pending().load() < best->pending().load())
            best = w;
    }
    ++best->pending();
    QMetaObject::invokeMethod(
        best, [best, token = std::move(token), job = std::move(job)] { best->execute(job, token); },
        Qt::QueuedConnection);
}

} // namespace ccpm
