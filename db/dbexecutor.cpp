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
{
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
    for (DbWorker *worker : m_workers)
        worker->cancelIfRunning(token.id());
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
