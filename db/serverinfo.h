#pragma once

#include "dbexecutor.h"

namespace ccpm {

/// Facts about the connected server for the status bar.
/// Thread: as DbExecutor (resumes in the caller's thread).
class ServerInfo {
public:
    /// PostgreSQL's version, e.g. "PostgreSQL 15.18".
    static QCoro::Task<Result<QString>> version(DbExecutor &executor);
    /// Round trip of `SELECT 1` on a worker, in milliseconds (queueing included, which is what a
    /// user waits for).
    static QCoro::Task<Result<double>> ping(DbExecutor &executor);
};

} // namespace ccpm
