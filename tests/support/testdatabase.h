#pragma once

#include "connectionsettings.h"
#include "dbexecutor.h"
#include "migrator.h"

#include <QSqlDatabase>
#include <QString>

/// A fresh, uniquely named database on the throwaway server that scripts/test starts
/// (CCPM_TEST_PGHOST / CCPM_TEST_PGPORT / CCPM_TEST_PGUSER), dropped again in the destructor.
/// Used from the test's main thread; connection() is a direct connection for assertions (the
/// code under test gets settings() and opens its own).
class TestDatabase {
public:
    explicit TestDatabase(const QString &purpose);
    ~TestDatabase();
    TestDatabase(const TestDatabase &) = delete;
    TestDatabase &operator=(const TestDatabase &) = delete;

    /// Empty when the database exists; otherwise why not (unset environment, server down).
    QString error() const { return m_error; }
    ccpm::ConnectionSettings settings() const { return m_settings; }
    QString name() const { return m_settings.database; }

    /// Loads an SQL file with psql (ON_ERROR_STOP); returns psql's error output or empty.
    QString loadSqlFile(const QString &path) const;
    /// tests/fixtures/<name>
    static QString fixture(const QString &name);
    /// Loads tests/fixtures/prisma-seeded-ccpm.sql: the database exactly as the backend leaves it.
    QString loadBackendFixture() const
    {
        return loadSqlFile(fixture(QStringLiteral("prisma-seeded-ccpm.sql")));
    }
    /// Loads tests/fixtures/studio-schema.sql: Studio's schema of every type, keys and odd names
    /// (schemas public and "Sales"; only "Sales"."Customers" analyzed). Empty or psql's error.
    QString loadStudioFixture() const { return loadSqlFile(fixture(QStringLiteral("studio-schema.sql"))); }
    /// Creates `items(id text pk, grp int, name text, created timestamp(3), prio enum)` with `rows`
    /// rows full of ties and NULLs (7 groups, 100 names, 1,000 distinct milliseconds, 3
    /// priorities; NULLs every 11th, 13th, 17th, 19th row), then ANALYZEs it. Empty or an error.
    QString createItemsTable(int rows) const;
    /// Runs the app's migrations through `executor` (waits).
    static ccpm::Result<ccpm::Migrator::Report> migrate(ccpm::DbExecutor &executor);

    /// A connection owned by the calling thread, for checks.
    QSqlDatabase connection() const;

    /// Every row of `columns` of `table`, ordered by id, as tab-separated text (NULL as \N):
    /// what a dump of those columns would hold.
    QStringList dumpRows(const QString &table, const QStringList &columns) const;

    /// Runs one statement on connection(); returns the first column of the first row.
    QVariant scalar(const QString &sql) const;

    /// Returns settings of the server without a database (env), or empty host when unset.
    static ccpm::ConnectionSettings serverSettings();

private:
    ccpm::ConnectionSettings m_settings;
    QString m_connectionName;
    QString m_error;
};

/// QVERIFY for Result<T>: prints the error message when it fails.
#define CCPM_VERIFY_OK(result)                                                                               \
    do {                                                                                                     \
        const auto &r_ = (result);                                                                           \
        if (!r_.ok())                                                                                        \
            QFAIL(qPrintable(                                                                                \
                QStringLiteral("%1 failed: %2").arg(QLatin1String(#result), r_.error().toString())));        \
    } while (false)
