#include "migrator.h"

#include "sqlvalues.h"

#include <QCryptographicHash>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLoggingCategory>
#include <QMap>
#include <QRegularExpression>
#include <QSqlDriver>
#include <QSqlError>
#include <QSqlQuery>

Q_LOGGING_CATEGORY(lcMigrator, "ccpm.db.migrator")

namespace ccpm {

namespace {

// pg_advisory_lock key: "ccpm" in ASCII, shared by every CCPM Desk instance.
constexpr qint64 kMigrationLockKey = 0x6363706d;

constexpr auto kCreateMigrationsTable = R"sql(
CREATE TABLE IF NOT EXISTS "_ccpm_migrations" (
    "version" INTEGER NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "checksum" TEXT NOT NULL,
    "appliedAt" TIMESTAMP(3) NOT NULL DEFAULT (now() AT TIME ZONE 'UTC'),
    "durationMs" INTEGER NOT NULL,
    "baselined" BOOLEAN NOT NULL DEFAULT false
))sql";

constexpr auto kSelectApplied = R"sql(
SELECT "version", "name", "checksum", "appliedAt"::text, "durationMs", "baselined"
FROM "_ccpm_migrations" ORDER BY "version")sql";

constexpr auto kInsertApplied = R"sql(
INSERT INTO "_ccpm_migrations" ("version", "name", "checksum", "durationMs", "baselined")
VALUES (:version, :name, :checksum, :duration, CAST(:baselined AS boolean)))sql";

constexpr auto kMigrationsTableExists = R"sql(
SELECT to_regclass(quote_ident(current_schema()) || '."_ccpm_migrations"') IS NOT NULL)sql";

constexpr auto kSelectColumns = R"sql(
SELECT table_name, column_name FROM information_schema.columns
WHERE table_schema = current_schema()
  AND table_name IN ('users', 'agents', 'tasks', 'messages', 'sessions'))sql";

constexpr auto kSelectEnums = R"sql(
SELECT t.typname, array_to_json(array_agg(e.enumlabel ORDER BY e.enumsortorder))::text
FROM pg_type t
JOIN pg_enum e ON e.enumtypid = t.oid
JOIN pg_namespace n ON n.oid = t.typnamespace
WHERE n.nspname = current_schema()
GROUP BY t.typname)sql";

struct AppliedRow {
    QString name;
    QString checksum;
    QDateTime appliedAt;
    int durationMs = 0;
    bool baselined = false;
};

// The backend's schema (migration 1), what a baseline must find.
const QMap<QString, QStringList> &expectedTables()
{
    static const QMap<QString, QStringList> tables{
        {QStringLiteral("users"),
         {QStringLiteral("id"), QStringLiteral("username"), QStringLiteral("email"),
          QStringLiteral("password"), QStringLiteral("role"), QStringLiteral("createdAt"),
          QStringLiteral("updatedAt")}},
        {QStringLiteral("agents"),
         {QStringLiteral("id"), QStringLiteral("name"), QStringLiteral("type"),
          QStringLiteral("capabilities"), QStringLiteral("status"), QStringLiteral("metadata"),
          QStringLiteral("createdAt"), QStringLiteral("updatedAt")}},
        {QStringLiteral("tasks"),
         {QStringLiteral("id"), QStringLiteral("title"), QStringLiteral("description"),
          QStringLiteral("status"), QStringLiteral("priority"), QStringLiteral("createdBy"),
          QStringLiteral("assignedTo"), QStringLiteral("createdAt"), QStringLiteral("updatedAt"),
          QStringLiteral("completedAt"), QStringLiteral("metadata")}},
        {QStringLiteral("messages"),
         {QStringLiteral("id"), QStringLiteral("content"), QStringLiteral("senderId"),
          QStringLiteral("senderType"), QStringLiteral("receiverId"), QStringLiteral("receiverType"),
          QStringLiteral("taskId"), QStringLiteral("createdAt"), QStringLiteral("updatedAt"),
          QStringLiteral("metadata")}},
        {QStringLiteral("sessions"),
         {QStringLiteral("id"), QStringLiteral("userId"), QStringLiteral("token"),
          QStringLiteral("expiresAt"), QStringLiteral("createdAt")}},
    };
    return tables;
}

const QMap<QString, QStringList> &expectedEnums()
{
    static const QMap<QString, QStringList> enums{
        {QStringLiteral("Role"), {QStringLiteral("USER"), QStringLiteral("ADMIN")}},
        {QStringLiteral("AgentType"), {QStringLiteral("AI"), QStringLiteral("HUMAN"), QStringLiteral("BOT")}},
        {QStringLiteral("AgentStatus"),
         {QStringLiteral("ACTIVE"), QStringLiteral("INACTIVE"), QStringLiteral("BUSY")}},
        {QStringLiteral("TaskStatus"),
         {QStringLiteral("PENDING"), QStringLiteral("ASSIGNED"), QStringLiteral("IN_PROGRESS"),
          QStringLiteral("COMPLETED"), QStringLiteral("FAILED")}},
        {QStringLiteral("Priority"),
         {QStringLiteral("LOW"), QStringLiteral("MEDIUM"), QStringLiteral("HIGH")}},
        {QStringLiteral("SenderType"), {QStringLiteral("USER"), QStringLiteral("AGENT")}},
        {QStringLiteral("ReceiverType"), {QStringLiteral("USER"), QStringLiteral("AGENT")}},
    };
    return enums;
}

Result<QMap<int, AppliedRow>> readApplied(QSqlDatabase &db)
{
    QSqlQuery q(db);
    if (!q.exec(QLatin1String(kMigrationsTableExists)) || !q.next())
        return Error::fromSql(q.lastError(), QStringLiteral("Cannot read the migration history"));
    QMap<int, AppliedRow> applied;
    if (!q.value(0).toBool())
        return applied;
    if (!q.exec(QLatin1String(kSelectApplied)))
        return Error::fromSql(q.lastError(), QStringLiteral("Cannot read the migration history"));
    while (q.next()) {
        applied.insert(q.value(0).toInt(), AppliedRow{q.value(1).toString(), q.value(2).toString(),
                                                      sql::timestampFromText(q.value(3)), q.value(4).toInt(),
                                                      q.value(5).toBool()});
    }
    return applied;
}

enum class BackendSchema { Absent, Present };

// Compares the current schema with the backend's: Absent (nothing of it), Present (all of it),
// or an error naming every difference.
Result<BackendSchema> inspectBackendSchema(QSqlDatabase &db)
{
    QSqlQuery q(db);
    if (!q.exec(QLatin1String(kSelectColumns)))
        return Error::fromSql(q.lastError(), QStringLiteral("Cannot inspect the schema"));
    QMap<QString, QStringList> columns;
    while (q.next())
        columns[q.value(0).toString()].append(q.value(1).toString());
    if (!q.exec(QLatin1String(kSelectEnums)))
        return Error::fromSql(q.lastError(), QStringLiteral("Cannot inspect the enum types"));
    QMap<QString, QStringList> enums;
    while (q.next()) {
        QStringList values;
        for (const QJsonValue &v : QJsonDocument::fromJson(q.value(1).toString().toUtf8()).array())
            values << v.toString();
        enums.insert(q.value(0).toString(), values);
    }

    QStringList differences;
    int found = 0;
    for (auto it = expectedTables().cbegin(); it != expectedTables().cend(); ++it) {
        if (!columns.contains(it.key())) {
            differences << QStringLiteral("table \"%1\" is missing").arg(it.key());
            continue;
        }
        ++found;
        for (const QString &column : it.value()) {
            if (!columns.value(it.key()).contains(column))
                differences << QStringLiteral("column \"%1\".\"%2\" is missing").arg(it.key(), column);
        }
    }
    for (auto it = expectedEnums().cbegin(); it != expectedEnums().cend(); ++it) {
        if (!enums.contains(it.key())) {
            differences << QStringLiteral("enum type \"%1\" is missing").arg(it.key());
            continue;
        }
        ++found;
        const QStringList actual = enums.value(it.key());
        for (const QString &value : it.value()) {
            if (!actual.contains(value))
                differences << QStringLiteral("enum type \"%1\" lacks the value %2").arg(it.key(), value);
        }
    }
    if (found == 0)
        return BackendSchema::Absent;
    if (differences.isEmpty())
        return BackendSchema::Present;
    return Error{Error::Kind::Schema,
                 QStringLiteral("This database holds part of the ccpm schema but not all of it, so CCPM Desk "
                                "will neither baseline nor create it: %1.")
                     .arg(differences.join(QStringLiteral("; "))),
                 {},
                 {}};
}

Status exec(QSqlQuery &q, const QString &sql, const QString &what)
{
    if (!q.exec(sql))
        return Error::fromSql(q.lastError(), what);
    return Done{};
}

Status record(QSqlDatabase &db, const Migrator::Migration &m, qint64 durationMs, bool baselined)
{
    QSqlQuery q(db);
    return sql::execPrepared(q, QLatin1String(kInsertApplied),
                             {{QStringLiteral(":version"), m.version},
                              {QStringLiteral(":name"), m.name},
                              {QStringLiteral(":checksum"), m.checksum},
                              {QStringLiteral(":duration"), int(durationMs)},
                              {QStringLiteral(":baselined"), sql::boolText(baselined)}},
                             QStringLiteral("Cannot record migration %1").arg(m.version));
}

Status apply(QSqlDatabase &db, const Migrator::Migration &m)
{
    QElapsedTimer timer;
    timer.start();
    if (!db.transaction())
        return Error::fromSql(db.lastError(), QStringLiteral("Cannot start migration %1").arg(m.version));
    QSqlQuery q(db);
    for (const QString &statement : Migrator::splitStatements(m.sql)) {
        if (!q.exec(statement)) {
            Error e = Error::fromSql(q.lastError(),
                                     QStringLiteral("Migration %1 (%2) failed").arg(m.version).arg(m.name));
            db.rollback();
            return e;
        }
    }
    if (Status s = record(db, m, timer.elapsed(), false); !s) {
        db.rollback();
        return s;
    }
    if (!db.commit())
        return Error::fromSql(db.lastError(), QStringLiteral("Cannot commit migration %1").arg(m.version));
    qCInfo(lcMigrator) << "applied migration" << m.version << m.name << "in" << timer.elapsed() << "ms";
    return Done{};
}

Result<Migrator::Report> migrateLocked(QSqlDatabase &db, const QString &schema)
{
    QSqlQuery q(db);
    const QString quotedSchema = db.driver()->escapeIdentifier(schema, QSqlDriver::TableName);
    if (Status s = exec(q, QStringLiteral("CREATE SCHEMA IF NOT EXISTS %1").arg(quotedSchema),
                        QStringLiteral("Cannot create schema \"%1\"").arg(schema));
        !s)
        return s.error();
    if (Status s = exec(q, QLatin1String(kCreateMigrationsTable),
                        QStringLiteral("Cannot create the migration history table"));
        !s)
        return s.error();

    auto applied = readApplied(db);
    if (!applied)
        return applied.error();
    const QList<Migrator::Migration> migrations = Migrator::available();
    const int newest = migrations.isEmpty() ? 0 : migrations.last().version;
    for (auto it = applied->cbegin(); it != applied->cend(); ++it) {
        if (it.key() > newest)
            return Error{
                Error::Kind::Schema,
                QStringLiteral("This database was migrated by a newer CCPM Desk (migration %1 \"%2\"); "
                               "this version knows migrations up to %3. Update CCPM Desk.")
                    .arg(it.key())
                    .arg(it->name)
                    .arg(newest),
                {},
                {}};
    }

    Migrator::Report report;
    for (const Migrator::Migration &m : migrations) {
        if (applied->contains(m.version)) {
            const AppliedRow &row = applied->value(m.version);
            if (row.checksum != m.checksum)
                return Error{
                    Error::Kind::Schema,
                    QStringLiteral("Migration %1 (%2) was changed after it was applied to this database: "
                                   "its checksum was %3 and is now %4. Restore the original file; "
                                   "schema changes go into a new migration.")
                        .arg(m.version)
                        .arg(m.name, row.checksum.left(12), m.checksum.left(12)),
                    {},
                    {}};
            continue;
        }
        if (m.version == 1) {
            auto backend = inspectBackendSchema(db);
            if (!backend)
                return backend.error();
            if (*backend == BackendSchema::Present) {
                if (Status s = record(db, m, 0, true); !s)
                    return s.error();
                report.baselined << m.version;
                qCInfo(lcMigrator) << "baselined migration 1: the backend's schema is already there";
                continue;
            }
        }
        if (Status s = apply(db, m); !s)
            return s.error();
        report.applied << m.version;
    }
    return report;
}

} // namespace

QList<Migrator::Migration> Migrator::available()
{
    QList<Migration> out;
    static const QRegularExpression pattern(QStringLiteral("^(\\d{4})_(\\w+)\\.sql$"));
    const QDir dir(QStringLiteral(":/migrations"));
    for (const QString &file : dir.entryList({QStringLiteral("*.sql")}, QDir::Files, QDir::Name)) {
        const QRegularExpressionMatch match = pattern.match(file);
        if (!match.hasMatch())
            continue;
        QFile f(dir.filePath(file));
        if (!f.open(QIODevice::ReadOnly))
            continue;
        const QByteArray bytes = f.readAll();
        out.append(Migration{
            match.captured(1).toInt(), match.captured(2),
            QString::fromLatin1(QCryptographicHash::hash(bytes, QCryptographicHash::Sha256).toHex()),
            QString::fromUtf8(bytes)});
    }
    return out;
}

Result<QList<Migrator::Entry>> Migrator::status(QSqlDatabase &db)
{
    auto applied = readApplied(db);
    if (!applied)
        return applied.error();
    QList<Entry> entries;
    const QList<Migration> migrations = available();
    for (const Migration &m : migrations) {
        Entry e{m.version, m.name, State::Pending, {}, 0};
        if (applied->contains(m.version)) {
            const AppliedRow &row = applied->value(m.version);
            e.state = row.checksum != m.checksum ? State::Modified
                      : row.baselined            ? State::Baselined
                                                 : State::Applied;
            e.appliedAt = row.appliedAt;
            e.durationMs = row.durationMs;
        }
        entries.append(e);
    }
    return entries;
}

Result<Migrator::Report> Migrator::migrate(QSqlDatabase &db, const QString &schema)
{
    QSqlQuery lock(db);
    lock.prepare(QStringLiteral("SELECT pg_advisory_lock(:key)"));
    lock.bindValue(QStringLiteral(":key"), kMigrationLockKey);
    if (!lock.exec())
        return Error::fromSql(lock.lastError(), QStringLiteral("Cannot take the migration lock"));
    Result<Report> result = migrateLocked(db, schema);
    QSqlQuery unlock(db);
    unlock.prepare(QStringLiteral("SELECT pg_advisory_unlock(:key)"));
    unlock.bindValue(QStringLiteral(":key"), kMigrationLockKey);
    unlock.exec();
    return result;
}

QStringList Migrator::splitStatements(const QString &script)
{
    QStringList statements;
    QString current;
    const qsizetype n = script.size();
    qsizetype i = 0;
    auto flush = [&] {
        const QString trimmed = current.trimmed();
        if (!trimmed.isEmpty())
            statements << trimmed;
        current.clear();
    };
    while (i < n) {
        const QChar c = script.at(i);
        const QChar next = i + 1 < n ? script.at(i + 1) : QChar();
        if (c == QLatin1Char('-') && next == QLatin1Char('-')) { // line comment: dropped
            while (i < n && script.at(i) != QLatin1Char('\n'))
                ++i;
            continue;
        }
        if (c == QLatin1Char('/') && next == QLatin1Char('*')) { // block comment: dropped
            const qsizetype end = script.indexOf(QLatin1String("*/"), i + 2);
            i = end < 0 ? n : end + 2;
            continue;
        }
        if (c == QLatin1Char('\'') || c == QLatin1Char('"')) { // quoted literal or identifier
            qsizetype j = i + 1;
            while (j < n) {
                if (script.at(j) == c) {
                    if (j + 1 < n && script.at(j + 1) == c) {
                        j += 2;
                        continue;
                    }
                    break;
                }
                ++j;
            }
            current += script.mid(i, j - i + 1);
            i = j + 1;
            continue;
        }
        if (c == QLatin1Char('$')) { // dollar quote: $$ or $tag$
            static const QRegularExpression tagPattern(QStringLiteral("^\\$[A-Za-z_]*\\$"));
            const QRegularExpressionMatch m = tagPattern.match(QStringView(script).mid(i));
            if (m.hasMatch()) {
                const QString tag = m.captured(0);
                const qsizetype end = script.indexOf(tag, i + tag.size());
                const qsizetype stop = end < 0 ? n : end + tag.size();
                current += script.mid(i, stop - i);
                i = stop;
                continue;
            }
        }
        if (c == QLatin1Char(';')) {
            flush();
            ++i;
            continue;
        }
        current += c;
        ++i;
    }
    flush();
    return statements;
}

QString Migrator::stateName(State state)
{
    switch (state) {
    case State::Pending:
        return QStringLiteral("pending");
    case State::Applied:
        return QStringLiteral("applied");
    case State::Baselined:
        return QStringLiteral("baselined");
    case State::Modified:
        return QStringLiteral("MODIFIED");
    }
    return {};
}

} // namespace ccpm
