#pragma once

#include <atomic>
#include <memory>

namespace ccpm {

/// Marks database work that its caller may abandon (the pages and counts of a sort or filter
/// the user has since changed). DbExecutor::cancel() skips the queued jobs that carry the token
/// (they complete with Error::Kind::Cancelled) and asks the server to cancel a statement one of
/// them is running (libpq's PQcancel; the statement fails with SQLSTATE 57014).
/// Cheap to copy; copies share one state. Any thread.
class CancelToken {
public:
    CancelToken()
        : m_cancelled(std::make_shared<std::atomic_bool>(false))
    {
    }
    bool isCancelled() const { return m_cancelled->load(); }
    const void *id() const { return m_cancelled.get(); }

private:
    friend class DbExecutor;
    void cancel() const { m_cancelled->store(true); }

    std::shared_ptr<std::atomic_bool> m_cancelled;
};

} // namespace ccpm
