#include "testdatabase.h"

#include <QCoreApplication>

#include <QCoro/QCoroTask>
#include <QProcess>
#include <QSqlDriver>
#include <QSqlError>
#include <QSqlQuery>
#include <QSqlRecord>

#include <atomic>

namespace {
std::atomic<int> s_counter{0};

QString adminConnection()
{
    const QString name = QStringLiteral("testdatabase-admin");
    if (!QSqlDatabase::contains(name)) {
        const ccpm::ConnectionSettings s = TestDatabase::serverSettings();
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QPSQL"), name);
        db.setHostName(s.host);
        db.setPort(s.port);
        db.setUserName(s.user);
        db.setDatabaseName(QStringLiteral("postgres"));
    }
    return name;
}
} // namespace

ccpm::ConnectionSettings TestDatabase::serverSettings()
{
    ccpm::ConnectionSettings s;
    s.host = qEnvironmentVariable("CCPM_TEST_PGHOST");
    s.port = qEnvironmentVariableIntValue("CCPM_TEST_PGPORT");
    s.user = qEnvironmentVariable("CCPM_TEST_PGUSER", QStringLiteral("postgres"));
    s.connectTimeoutSeconds = 10;
    return s;
}

TestDatabase::TestDatabase(const QString &purpose)
{
    m_settings = serverSettings();
    if (m_settings.host.isEmpty() || m_settings.port == 0) {
        m_error =
            QStringLiteral("CCPM_TEST_PGHOST/CCPM_TEST_PGPORT are not set: run the tests with scripts/test, "
                           "which starts a throwaway PostgreSQL server.");
        return;
    }
    m_settings.database = QStringLiteral("ccpm_test_%1_%2_%3")
                              .arg(purpose.toLower())
                              .arg(QCoreApplication::applicationPid())
                              .arg(++s_counter);
    QSqlDatabase admin = QSqlDatabase::database(adminConnection());
    if (!admin.isOpen()) {
        m_error = QStringLiteral("Cannot reach the test server: %1").arg(admin.lastError().text());
        return;
    }
    QSqlQuery q(admin);
    const QString quoted = admin.driver()->escapeIdentifier(m_settings.database, QSqlDriver::TableName);
    if (!q.exec(QStringLiteral("CREATE DATABASE %1").arg(quoted))) {
        m_error = q.lastError().text();
        return;
    }
    m_connectionName = QStringLiteral("testdatabase-%1").arg(m_settings.database);
    QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QPSQL"), m_connectionName);
    db.setHostName(m_settings.host);
    db.setPort(m_settings.port);
    db.setUserName(m_settings.user);
    db.setDatabaseName(m_settings.database);
    if (!db.open())
        m_error = db.lastError().text();
    else
        QSqlQuery(db).exec(QStringLiteral("SET TIME ZONE 'UTC'"));
}

TestDatabase::~TestDatabase()
{
    if (!m_connectionName.isEmpty()) {
        QSqlDatabase::database(m_connectionName, false).close();
        QSqlDatabase::removeDatabase(m_connectionName);
    }
    if (m_settings.database.isEmpty() || !QSqlDatabase::contains(adminConnection()))
        return;
    QSqlDatabase admin = QSqlDatabase::database(adminConnection());
    const QString quoted = admin.driver()->escapeIdentifier(m_settings.database, QSqlDriver::TableName);
    QSqlQuery(admin).exec(QStringLiteral("DROP DATABASE IF EXISTS %1 WITH (FORCE)").arg(quoted));
}

QString TestDatabase::fixture(const QString &name)
{
    return QStringLiteral(CCPM_FIXTURES_DIR "/") + name;
}

QString TestDatabase::loadSqlFile(const QString &path) const
{
    const QString bin = qEnvironmentVariable("CCPM_TEST_PGBIN");
    QProcess psql;
    psql.start(bin.isEmpty() ? QStringLiteral("psql") : bin + QStringLiteral("/psql"),
               {QStringLiteral("-X"), QStringLiteral("-q"), QStringLiteral("-v"),
                QStringLiteral("ON_ERROR_STOP=1"), QStringLiteral("-h"), m_settings.host,
                QStringLiteral("-p"), QString::number(m_settings.port), QStringLiteral("-U"), m_settings.user,
                QStringLiteral("-d"), m_settings.database, QStringLiteral("-f"), path});
    if (!psql.waitForFinished(60000))
        return QStringLiteral("psql did not finish: %1").arg(psql.errorString());
    if (psql.exitStatus() != QProcess::NormalExit || psql.exitCode() != 0)
        return QString::fromLocal8Bit(psql.readAllStandardError());
    return {};
}

QSqlDatabase TestDatabase::connection() const
{
    return QSqlDatabase::database(m_connectionName);
}

QStringList TestDatabase::dumpRows(const QString &table, const QStringList &columns) const
{
    QSqlDatabase db = connection();
    QStringList quotedColumns;
    for (const QString &c : columns)
        quotedColumns << db.driver()->escapeIdentifier(c, QSqlDriver::FieldName) + QStringLiteral("::text");
    QSqlQuery q(db);
    const QString sql = QStringLiteral("SELECT %1 FROM %2 ORDER BY \"id\"")
                            .arg(quotedColumns.join(QStringLiteral(", ")),
                                 db.driver()->escapeIdentifier(table, QSqlDriver::TableName));
    QStringList rows;
    if (!q.exec(sql)) {
        rows << QStringLiteral("ERROR: ") + q.lastError().text();
        return rows;
    }
    while (q.next()) {
        QStringList fields;
        for (int i = 0; i < columns.size(); ++i)
            fields << (q.value(i).isNull() ? QStringLiteral("\\N") : q.value(i).toString());
        rows << fields.join(QLatin1Char('\t'));
    }
    return rows;
}

QVariant TestDatabase::scalar(const QString &sql) const
{
    QSqlQuery q(connection());
    if (!q.exec(sql) || !q.next())
        return QVariant(QStringLiteral("ERROR: ") + q.lastError().text());
    return q.value(0);
}

QString TestDatabase::createItemsTable(int rows) const
{
    QSqlQuery q(connection());
    const QStringList statements{
        QStringLiteral("CREATE TYPE prio AS ENUM ('LOW', 'MEDIUM', 'HIGH')"),
        QStringLiteral(
            "CREATE TABLE items (id text PRIMARY KEY, grp int, name text, created timestamp(3), prio prio)"),
        QStringLiteral(
            "INSERT INTO items SELECT 'i' || lpad(g::text, 7, '0'), "
            "CASE WHEN g % 11 = 0 THEN NULL ELSE g % 7 END, "
            "CASE WHEN g % 13 = 0 THEN NULL ELSE 'name ' || (g % 100) END, "
            "CASE WHEN g % 17 = 0 THEN NULL ELSE timestamp '2026-01-01' + (g % 1000) * interval '1 ms' END, "
            "CASE WHEN g % 19 = 0 THEN NULL ELSE (ARRAY['LOW','MEDIUM','HIGH'])[g % 3 + 1]::prio END "
            "FROM generate_series(1, %1) g")
            .arg(rows),
        QStringLiteral("ANALYZE items")};
    for (const QString &statement : statements) {
        if (!q.exec(statement))
            return q.lastError().text();
    }
    return {};
}

ccpm::Result<ccpm::Migrator::Report> TestDatabase::migrate(ccpm::DbExecutor &executor)
{
    const QString schema = executor.settings().schema;
    return QCoro::waitFor(
        executor.exec([schema](QSqlDatabase &db) { return ccpm::Migrator::migrate(db, schema); }));
}
