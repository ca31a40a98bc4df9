#pragma once

#include "result.h"

#include <QSqlDatabase>

namespace ccpm {

/// Writes the backend's sample data (the users, agents, tasks and messages of its seed script,
/// same names and passwords: admin/admin123, testuser/user123, developer/user123) into an
/// empty database, in one transaction.
///
/// Errors: Error::Kind::Invalid when any of those tables already holds rows (nothing is
/// written). Thread: synchronous; call inside a DbExecutor job.
class DemoSeeder {
public:
    struct Report {
        int users = 0;
        int agents = 0;
        int tasks = 0;
        int messages = 0;
    };
    static Result<Report> seed(QSqlDatabase &db);
    /// True when users, agents, tasks and messages are all empty.
    static Result<bool> isEmpty(QSqlDatabase &db);
};

} // namespace ccpm
