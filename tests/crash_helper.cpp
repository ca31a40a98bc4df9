// The child process of tst_crashsafety, which SIGKILLs it in the middle of its work:
//   ccpm_crash_helper save <database> <rows>   one TableWriter save of <rows> new tasks, one transaction
//   ccpm_crash_helper migrate <database>       the app's migrations (Migrator, as AppCore runs them)
// The server comes from CCPM_TEST_PGHOST / CCPM_TEST_PGPORT / CCPM_TEST_PGUSER. Prints "started"
// before the work and "committed" or "migrated" after it; exits 1 with the error otherwise.
#include "cuid.h"
#include "dbexecutor.h"
#include "tablewriter.h"
#include "testdatabase.h"

#include <QCoreApplication>
#include <QSqlQuery>
#include <QTextStream>

#include <QCoro/QCoroTask>

#include <cstdio>

using namespace ccpm;

namespace {

Result<SaveReport> saveTasks(QSqlDatabase &db, int rows)
{
    QSqlQuery q(db);
    if (!q.exec(QStringLiteral("SELECT id FROM users WHERE username = 'admin'")) || !q.next())
        return Error{Error::Kind::Query, QStringLiteral("The fixture's admin is missing."), {}, {}};
    const QString admin = q.value(0).toString();
    ChangeSet changes;
    changes.table = QStringLiteral("tasks");
    changes.touchColumn = QStringLiteral("updatedAt");
    changes.rows.reserve(rows);
    for (int i = 0; i < rows; ++i) {
        RowWrite row;
        row.kind = RowWrite::Kind::Insert;
        row.id = newCuid();
        row.values = {
            {QStringLiteral("title"), QStringLiteral("text"), QStringLiteral("Crash save %1").arg(i)},
            {QStringLiteral("description"), QStringLiteral("text"),
             QStringLiteral("Row %1 of a save that is killed").arg(i)},
            {QStringLiteral("createdBy"), QStringLiteral("text"), admin},
            {QStringLiteral("metadata"), QStringLiteral("jsonb"), QStringLiteral("{}")}};
        changes.rows.append(row);
    }
    std::puts("started");
    std::fflush(stdout);
    return TableWriter::apply(db, changes);
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    if (args.size() < 3)
        return 2;
    ConnectionSettings settings = TestDatabase::serverSettings();
    settings.database = args.at(2);
    DbExecutor executor(settings, 1);
    if (args.at(1) == QLatin1String("save") && args.size() == 4) {
        const int rows = args.at(3).toInt();
        const auto job = [rows](QSqlDatabase &db) { return saveTasks(db, rows); };
        const Result<SaveReport> saved = QCoro::waitFor(executor.exec(job));
        if (!saved || !saved->ok()) {
            std::fprintf(stderr, "%s\n",
                         qPrintable(!saved ? saved.error().toString() : saved->failure->error.toString()));
            return 1;
        }
        std::puts("committed");
        return 0;
    }
    if (args.at(1) == QLatin1String("migrate")) {
        std::puts("started");
        std::fflush(stdout);
        const auto migrated = TestDatabase::migrate(executor);
        if (!migrated) {
            std::fprintf(stderr, "%s\n", qPrintable(migrated.error().toString()));
            return 1;
        }
        std::puts("migrated");
        return 0;
    }
    return 2;
}
