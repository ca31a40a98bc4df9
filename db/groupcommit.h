#pragma once

#include "dbexecutor.h"
#include "result.h"

#include <QHash>

#include <coroutine>
#include <functional>
#include <memory>
#include <optional>

namespace ccpm {

/// Group commit with coalescing, for writes that many agents make often (status, progress):
/// values submitted while a write is under way are collected and written together by the next
/// single job, so a burst costs one round trip and one commit per batch instead of one per
/// value. When idle, a value is written at once. Of two values with the same key in one batch,
/// the later wins (or the Coalesce function folds them) and both submitters get its outcome.
///
/// Each submit() completes when its batch is committed, with the row as written or the row's
/// own error (the job reports one outcome per key). Nothing acknowledged is lost: a submitter
/// hears "done" only after the commit.
///
/// When the server refuses a whole batch (a value it cannot store), the values are written one
/// by one, so one bad value fails only its own submitter.
/// Submitters wait on a plain coroutine handle, resumed in the owner's thread right after their
/// batch's outcome arrives: no QFuture, watcher or posted event per value (at thousands of values
/// a second those cost more than the write itself).
///
/// Errors: a key the job gives no outcome for gets Error::Kind::Query. Submitters still waiting
/// when the writer is destroyed are not resumed: their owners (the hub's connections) are being
/// torn down in the same thread, and resuming them would run into what is already destroyed.
/// Thread: one thread with an event loop (the hub thread); not thread-safe. The job runs on the
/// executor's workers.
template <typename Key, typename Value, typename Row>
class GroupCommit {
public:
    using Batch = QHash<Key, Value>;
    using Outcome = QHash<Key, Result<Row>>;
    /// Writes a batch in one transaction; runs on a database worker.
    using Job = std::function<Result<Outcome>(QSqlDatabase &db, const Batch &batch)>;
    /// Called in the owner's thread once per batch with the rows written (announce them, …),
    /// before their submitters resume.
    using Written = std::function<void(const QList<Row> &rows)>;
    /// Folds a later value into the one already waiting under the same key; by default the later
    /// replaces it.
    using Coalesce = std::function<void(Value &waiting, Value later)>;

    GroupCommit(DbExecutor &executor, Job job, Written written = {}, Coalesce coalesce = {})
        : m_executor(&executor)
        , m_job(std::move(job))
        , m_written(std::move(written))
        , m_coalesce(std::move(coalesce))
    {
    }
    GroupCommit(const GroupCommit &) = delete;
    GroupCommit &operator=(const GroupCommit &) = delete;

    ~GroupCommit() = default;

    QCoro::Task<Result<Row>> submit(Key key, Value value)
    {
        auto waiter = std::make_shared<Waiter>();
        Pending &pending = m_pending[key];
        if (m_coalesce && !pending.waiters.isEmpty())
            m_coalesce(pending.value, std::move(value));
        else
            pending.value = std::move(value); // the latest value wins
        pending.waiters.append(waiter);
        if (!m_flushing)
            flush();
        // Named, not a temporary inside the co_await: see "GCC 12" in docs/architecture.md.
        Awaiter outcome{std::move(waiter)};
        co_return co_await outcome;
    }

    /// Values waiting for the next batch (for tests and benchmarks).
    qsizetype pending() const { return m_pending.size(); }

private:
    /// One submitter: its outcome, and its coroutine while it waits for it.
    struct Waiter {
        std::optional<Result<Row>> outcome;
        std::coroutine_handle<> suspended;
    };
    struct Awaiter {
        std::shared_ptr<Waiter> waiter;
        bool await_ready() const noexcept { return waiter->outcome.has_value(); }
        void await_suspend(std::coroutine_handle<> handle) noexcept { waiter->suspended = handle; }
        Result<Row> await_resume() { return std::move(*waiter->outcome); }
    };
    struct Pending {
        Value value;
        QList<std::shared_ptr<Waiter>> waiters;
    };

    /// Resumes each waiter in turn; each runs until it next suspends (its reply is sent then).
    static void settle(Pending &pending, const Result<Row> &result)
    {
        const QList<std::shared_ptr<Waiter>> waiters = std::exchange(pending.waiters, {});
        for (const auto &waiter : waiters) {
            waiter->outcome = result;
            if (const std::coroutine_handle<> handle = std::exchange(waiter->suspended, {}))
                handle.resume();
        }
    }

    /// Starts writing a batch on a database worker.
    QCoro::Task<Result<Outcome>> write(const QHash<Key, Pending> &pending)
    {
        Batch batch;
        batch.reserve(pending.size());
        for (auto it = pending.cbegin(); it != pending.cend(); ++it)
            batch.insert(it.key(), it->value);
        // Named, not a temporary inside the co_await: see "GCC 12" in docs/architecture.md.
        const auto job = [write = m_job, batch](QSqlDatabase &db) -> Result<Outcome> {
            Result<Outcome> all = write(db, batch);
            // A lost connection is the batch's error (the executor reports it as such, and the
            // hub answers it as retryable), not each value's.
            if (all || batch.size() < 2 || all.error().kind == Error::Kind::Connection || connectionLost(db))
                return all;
            // The server refused the batch: one bad value must not fail the others, so
            // each is written on its own and gets its own outcome.
            Outcome each;
            for (auto it = batch.cbegin(); it != batch.cend(); ++it) {
                const Result<Outcome> one = write(db, Batch{{it.key(), it.value()}});
                if (!one && connectionLost(db))
                    return one.error();
                each.insert(it.key(), one ? one->value(it.key()) : Result<Row>(one.error()));
            }
            return each;
        };
        return m_executor->exec(job);
    }

    /// Announces a committed batch and resumes its submitters.
    void answer(QHash<Key, Pending> &pending, const Result<Outcome> &outcome)
    {
        const Result<Row> lost(Error{Error::Kind::Query, QStringLiteral("The write lost a row."), {}, {}});
        QList<Result<Row>> results; // in the order of `pending`, which does not change here
        results.reserve(pending.size());
        QList<Row> written;
        for (auto it = pending.cbegin(); it != pending.cend(); ++it) {
            results.append(outcome ? outcome->value(it.key(), lost) : Result<Row>(outcome.error()));
            if (results.constLast())
                written.append(*results.constLast());
        }
        if (m_written && !written.isEmpty())
            m_written(written);
        qsizetype i = 0;
        for (auto it = pending.begin(); it != pending.end(); ++it)
            settle(*it, results.at(i++));
    }

    /// Writes batches until nothing is pending. The next batch is sent to the server before the
    /// submitters of the one just committed are resumed, so their replies are built and sent
    /// while it is written. Batches are still written one after the other, in order.
    QCoro::Task<> flush()
    {
        m_flushing = true;
        QHash<Key, Pending> writing = std::exchange(m_pending, {});
        QCoro::Task<Result<Outcome>> job = write(writing);
        while (true) {
            const Result<Outcome> outcome = co_await job;
            QHash<Key, Pending> committed = std::exchange(writing, {});
            if (!m_pending.isEmpty()) {
                writing = std::exchange(m_pending, {});
                job = write(writing);
            }
            answer(committed, outcome); // its submitters may submit again: into m_pending
            if (writing.isEmpty()) {
                if (m_pending.isEmpty())
                    break;
                writing = std::exchange(m_pending, {});
                job = write(writing);
            }
        }
        m_flushing = false;
    }

    DbExecutor *m_executor;
    Job m_job;
    Written m_written;
    Coalesce m_coalesce;
    QHash<Key, Pending> m_pending;
    bool m_flushing = false;
};

} // namespace ccpm
