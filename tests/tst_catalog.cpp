// Catalog::load, studioSpec and `ccpm-desk studio --list-tables` against the real PostgreSQL:
// Studio's schema of every type (tests/fixtures/studio-schema.sql) and the ccpm backend's.
#include "catalog.h"
#include "dbexecutor.h"
#include "studiocommand.h"
#include "studiospec.h"
#include "testdatabase.h"

#include <QImage>
#include <QProcess>
#include <QSqlError>
#include <QSqlQuery>
#include <QSqlRecord>
#include <QTest>

#include <QCoro/QCoroTask>

#include <algorithm>
#include <limits>

using namespace ccpm;
using Type = ColumnSpec::Type;

namespace {

Result<SchemaCatalog> loadCatalog(const TestDatabase &db)
{
    DbExecutor executor(db.settings(), 1);
    auto job = [](QSqlDatabase &connection) { return Catalog::load(connection); };
    return QCoro::waitFor(executor.exec(job));
}

QStringList names(const QList<CatalogUniqueKey> &keys)
{
    QStringList out;
    for (const CatalogUniqueKey &k : keys)
        out << k.name + QLatin1Char('(') + k.columns.join(QLatin1Char(',')) + QLatin1Char(')');
    return out;
}

/// `name|fromOid|toOid|{attnums}|{attnums}`: a foreign key as pg_constraint holds it.
QString constraintText(const SchemaCatalog &catalog, const CatalogForeignKey &key)
{
    const CatalogTable *from = catalog.find(key.fromSchema, key.fromTable);
    const CatalogTable *to = catalog.find(key.toSchema, key.toTable);
    if (!from || !to)
        return QStringLiteral("missing table of ") + key.name;
    QStringList fromNums;
    QStringList toNums;
    for (const QString &c : key.fromColumns)
        fromNums << QString::number(from->columns.value(from->columnIndex(c)).position);
    for (const QString &c : key.toColumns)
        toNums << QString::number(to->columns.value(to->columnIndex(c)).position);
    return QStringLiteral("%1|%2|%3|{%4}|{%5}")
        .arg(key.name)
        .arg(from->oid)
        .arg(to->oid)
        .arg(fromNums.join(QLatin1Char(',')), toNums.join(QLatin1Char(',')));
}

QStringList sqlRows(const TestDatabase &db, const QString &sql)
{
    QSqlQuery q(db.connection());
    QStringList rows;
    if (!q.exec(sql))
        return {QStringLiteral("ERROR: ") + q.lastError().text()};
    while (q.next()) {
        QStringList fields;
        for (int i = 0; i < q.record().count(); ++i)
            fields << q.value(i).toString();
        rows << fields.join(QLatin1Char('|'));
    }
    return rows;
}

QString urlOf(const TestDatabase &db)
{
    return QStringLiteral("postgresql://%1@localhost:%2/%3?host=%4")
        .arg(db.settings().user)
        .arg(db.settings().port)
        .arg(db.name(), QString::fromLatin1(QUrl::toPercentEncoding(db.settings().host)));
}

struct Run {
    int exitCode = -1;
    QString out;
    QString err;
};

Run runDesk(const QStringList &arguments, bool offscreen = false)
{
    QProcess process;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.remove("DATABASE_URL");
    env.remove("DISPLAY");
    env.remove("WAYLAND_DISPLAY");
    env.remove("QT_QPA_PLATFORM");
    if (offscreen)
        env.insert("QT_QPA_PLATFORM", "offscreen");
    env.remove("QT_LOGGING_RULES"); // as a user runs it: the error must be the only line
    env.insert("XDG_CONFIG_HOME", QDir::tempPath() + "/ccpm-catalog-test-config"); // no saved setting
    process.setProcessEnvironment(env);
    process.start(QStringLiteral(CCPM_DESK_BINARY), arguments);
    Run run;
    if (!process.waitForFinished(60000))
        return run;
    run.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -2;
    run.out = QString::fromUtf8(process.readAllStandardOutput());
    run.err = QString::fromUtf8(process.readAllStandardError());
    return run;
}

const QString kWeird = QStringLiteral("we\"ird; drop table x; --");

} // namespace

class TestCatalog : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void listsEveryUserRelationInOrder();
    void readsEveryColumn_data();
    void readsEveryColumn();
    void columnsMatchInformationSchema();
    void readsPrimaryAndUniqueKeys();
    void readsForeignKeysBothWaysAsPgConstraintHasThem();
    void readsCommentsEnumsAndEstimates();
    void keepsOddNamesExactly();
    void loadEndsItsSnapshotOrJoinsTheCallersTransaction();
    void specMapsKeysAndReadOnlyTables();
    void readsTheCcpmSchema();
    void listTablesPrintsEveryTableAndWritesNothing();
    void listTablesFailsClearly();
    void studioWindowOpensATableAndWritesNothing();

private:
    std::unique_ptr<TestDatabase> m_db;
    SchemaCatalog m_catalog;
    const CatalogTable &table(const QString &schema, const QString &name);
};

const CatalogTable &TestCatalog::table(const QString &schema, const QString &name)
{
    static const CatalogTable none;
    const CatalogTable *t = m_catalog.find(schema, name);
    return t ? *t : none;
}

void TestCatalog::initTestCase()
{
    m_db = std::make_unique<TestDatabase>("catalog");
    QVERIFY2(m_db->error().isEmpty(), qPrintable(m_db->error()));
    const QString loaded = m_db->loadStudioFixture();
    QVERIFY2(loaded.isEmpty(), qPrintable(loaded));
    Result<SchemaCatalog> catalog = loadCatalog(*m_db);
    CCPM_VERIFY_OK(catalog);
    m_catalog = *catalog;
}

void TestCatalog::listsEveryUserRelationInOrder()
{
    QStringList listed;
    for (const CatalogTable &t : m_catalog.tables)
        listed << t.displayName() + QLatin1Char(':') + t.kind;
    const QStringList expected{"Sales.Customers:r",       "Sales.OrderLines:r",  "Sales.OrderTotals:v",
                               "Sales.Orders:r",          "Sales.Shipments:r",   "public.audit_log:r",
                               "public.employees:r",      "public.everything:r", "public.invoices:r",
                               "public." + kWeird + ":r", "public.x:r"};
    QCOMPARE(listed, expected);
    QCOMPARE(m_catalog.schemas(), (QStringList{"Sales", "public"}));
    // The oids are pg_class's.
    QCOMPARE(m_db->scalar("SELECT '\"Sales\".\"OrderLines\"'::regclass::oid").toUInt(),
             table("Sales", "OrderLines").oid);
}

void TestCatalog::readsEveryColumn_data()
{
    QTest::addColumn<QString>("column");
    QTest::addColumn<QString>("type");
    QTest::addColumn<QString>("typeName");
    QTest::addColumn<QString>("categoryKind"); // typcategory + typtype
    QTest::addColumn<QString>("element");      // format_type + typtype of an array's element
    QTest::addColumn<QStringList>("enumValues");
    QTest::addColumn<bool>("nullable");
    QTest::addColumn<QString>("defaultExpression");
    QTest::addColumn<QString>("identityGenerated"); // attidentity, then "g" when generated
    QTest::addColumn<int>("specType");
    const QStringList moods{"sad", "ok", "happy"};
    auto row = [](const char *column, const char *type, const char *typeName,
                  const char *categoryKind) -> QTestData & {
        return QTest::newRow(column) << QString::fromLatin1(column) << QString::fromLatin1(type)
                                     << QString::fromLatin1(typeName) << QString::fromLatin1(categoryKind);
    };
    row("id", "integer", "int4", "Nb") << "" << QStringList() << false << ""
                                       << "a" << int(Type::Integer);
    row("small", "smallint", "int2", "Nb") << "" << QStringList() << true << ""
                                           << "" << int(Type::Integer);
    row("whole", "integer", "int4", "Nb") << "" << QStringList() << false << "7"
                                          << "" << int(Type::Integer);
    row("big", "bigint", "int8", "Nb") << "" << QStringList() << true << ""
                                       << "" << int(Type::Integer);
    row("amount", "numeric(12,2)", "numeric", "Nb") << "" << QStringList() << true << ""
                                                    << "" << int(Type::Decimal);
    row("ratio", "real", "float4", "Nb") << "" << QStringList() << true << ""
                                         << "" << int(Type::Decimal);
    row("precise", "double precision", "float8", "Nb") << "" << QStringList() << true << ""
                                                       << "" << int(Type::Decimal);
    row("flag", "boolean", "bool", "Bb") << "" << QStringList() << true << ""
                                         << "" << int(Type::Boolean);
    row("feeling", "mood", "mood", "Ee") << "" << moods << true << "'ok'::mood"
                                         << "" << int(Type::Enum);
    row("note", "text", "text", "Sb") << "" << QStringList() << true << ""
                                      << "" << int(Type::Text);
    row("label", "character varying(40)", "varchar", "Sb") << "" << QStringList() << true << ""
                                                           << "" << int(Type::Text);
    row("code", "character(3)", "bpchar", "Sb") << "" << QStringList() << true << ""
                                                << "" << int(Type::Text);
    row("happened", "timestamp with time zone", "timestamptz", "Db") << "" << QStringList() << true << "now()"
                                                                     << "" << int(Type::ZonedTimestamp);
    row("local_at", "timestamp(3) without time zone", "timestamp", "Db") << "" << QStringList() << true << ""
                                                                         << "" << int(Type::LocalTimestamp);
    row("day", "date", "date", "Db") << "" << QStringList() << true << ""
                                     << "" << int(Type::Date);
    row("clock", "time without time zone", "time", "Db") << "" << QStringList() << true << ""
                                                         << "" << int(Type::Time);
    row("clock_tz", "time with time zone", "timetz", "Db") << "" << QStringList() << true << ""
                                                           << "" << int(Type::Time);
    row("span", "interval", "interval", "Tb") << "" << QStringList() << true << ""
                                              << "" << int(Type::Interval);
    row("doc", "json", "json", "Ub") << "" << QStringList() << true << ""
                                     << "" << int(Type::Json);
    row("data", "jsonb", "jsonb", "Ub") << "" << QStringList() << true << ""
                                        << "" << int(Type::Json);
    row("uid", "uuid", "uuid", "Ub") << "" << QStringList() << true << ""
                                     << "" << int(Type::Uuid);
    row("blob", "bytea", "bytea", "Ub") << "" << QStringList() << true << ""
                                        << "" << int(Type::Bytea);
    row("address", "inet", "inet", "Ib") << "" << QStringList() << true << ""
                                         << "" << int(Type::Inet);
    row("network", "cidr", "cidr", "Ib") << "" << QStringList() << true << ""
                                         << "" << int(Type::Inet);
    row("tags", "text[]", "_text", "Ab") << "text b" << QStringList() << true << ""
                                         << "" << int(Type::TextArray);
    row("numbers", "integer[]", "_int4", "Ab") << "integer b" << QStringList() << true << ""
                                               << "" << int(Type::Array);
    row("prices", "numeric(10,2)[]", "_numeric", "Ab") << "numeric(10,2) b" << QStringList() << true << ""
                                                       << "" << int(Type::Array);
    row("moods", "mood[]", "_mood", "Ab") << "mood e" << moods << true << ""
                                          << "" << int(Type::Array);
    row("during", "int4range", "int4range", "Rr") << "" << QStringList() << true << ""
                                                  << "" << int(Type::Other);
    row("doubled", "numeric", "numeric", "Nb") << "" << QStringList() << true << ""
                                               << "g" << int(Type::Decimal);
}

void TestCatalog::readsEveryColumn()
{
    QFETCH(QString, column);
    const CatalogTable &t = table("public", "everything");
    const int index = t.columnIndex(column);
    QVERIFY2(index >= 0, qPrintable(column));
    const CatalogColumn &c = t.columns.at(index);
    QTEST(c.type, "type");
    QTEST(c.typeName, "typeName");
    QTEST(QString(QString(c.typeCategory) + c.typeKind), "categoryKind");
    QTEST(c.elementType.isEmpty() ? QString() : QString(c.elementType + QLatin1Char(' ') + c.elementKind),
          "element");
    QTEST(c.enumValues, "enumValues");
    QTEST(c.nullable, "nullable");
    QTEST(c.defaultExpression, "defaultExpression");
    QTEST(QString((c.identity.isNull() ? QString() : QString(c.identity)) + (c.generated ? "g" : "")),
          "identityGenerated");
    QCOMPARE(c.generated, !c.generationExpression.isEmpty());

    const ColumnSpec spec = studioColumn(c);
    QTEST(int(spec.type), "specType");
    QCOMPARE(spec.name, column);
    QCOMPARE(spec.header, column);
    QCOMPARE(spec.sqlType, c.type);
    QCOMPARE(spec.nullable, c.nullable);
    QCOMPARE(spec.defaultExpression, c.defaultExpression);
    QCOMPARE(spec.comment, c.comment);
}

void TestCatalog::columnsMatchInformationSchema()
{
    // Every column of every table and view, as information_schema (a separate path) lists it,
    // the dropped column left out.
    const QStringList expected =
        sqlRows(*m_db, "SELECT table_schema, table_name, column_name, ordinal_position, is_nullable, "
                       "coalesce(column_default, ''), is_identity, identity_generation, is_generated, "
                       "coalesce(generation_expression, '') FROM information_schema.columns "
                       "WHERE table_schema IN ('public', 'Sales') "
                       "ORDER BY table_schema COLLATE \"C\", table_name COLLATE \"C\", ordinal_position");
    QStringList actual;
    for (const CatalogTable &t : m_catalog.tables) {
        for (const CatalogColumn &c : t.columns) {
            const QString identity = c.identity == QLatin1Char('a')   ? "ALWAYS"
                                     : c.identity == QLatin1Char('d') ? "BY DEFAULT"
                                                                      : "";
            actual << QStringList{t.schema,
                                  t.name,
                                  c.name,
                                  QString::number(c.position),
                                  c.nullable ? "YES" : "NO",
                                  c.defaultExpression,
                                  c.identity.isNull() ? "NO" : "YES",
                                  identity,
                                  c.generated ? "ALWAYS" : "NEVER",
                                  c.generationExpression}
                          .join('|');
        }
    }
    QCOMPARE(actual, expected);
    QVERIFY(actual.size() > 50);
    const CatalogTable &everything = table("public", "everything");
    QCOMPARE(everything.columns.size(), 30);
    QCOMPARE(everything.columnIndex("gone"), -1);
    QCOMPARE(everything.columns.last().position, 31); // after the dropped column's attnum
}

void TestCatalog::readsPrimaryAndUniqueKeys()
{
    QCOMPARE(table("Sales", "OrderLines").primaryKey, (QStringList{"orderId", "lineNo"}));
    QCOMPARE(table("public", "everything").primaryKey, QStringList{"id"});
    QCOMPARE(table("public", "invoices").primaryKey, QStringList{"number"});
    QVERIFY(table("public", "audit_log").primaryKey.isEmpty());
    QVERIFY(table("Sales", "OrderTotals").primaryKey.isEmpty());
    // Unique constraints in key order, a bare unique index too, the expression index not.
    QCOMPARE(names(table("Sales", "OrderLines").uniqueKeys),
             QStringList{"OrderLines_order_sku_key(sku,orderId)"});
    QCOMPARE(names(table("Sales", "Customers").uniqueKeys), QStringList{"Customers_email_key(email)"});
    QCOMPARE(names(table("public", "everything").uniqueKeys), QStringList{"everything_uid_key(uid)"});
    QCOMPARE(names(table("public", "employees").uniqueKeys), QStringList{"employees_badge_key(badge)"});

    // Every primary key as pg_constraint lists it, by attnum.
    QStringList expected =
        sqlRows(*m_db, "SELECT conrelid::oid, conkey::text FROM pg_constraint c "
                       "JOIN pg_namespace n ON n.oid = c.connamespace "
                       "WHERE contype = 'p' AND nspname IN ('public', 'Sales') ORDER BY 1");
    QStringList actual;
    for (const CatalogTable &t : m_catalog.tables) {
        QStringList nums;
        for (const QString &k : t.primaryKey)
            nums << QString::number(t.columns.at(t.columnIndex(k)).position);
        if (!nums.isEmpty())
            actual << QStringLiteral("%1|{%2}").arg(t.oid).arg(nums.join(','));
    }
    std::sort(actual.begin(), actual.end(), [](const QString &a, const QString &b) {
        return a.section('|', 0, 0).toUInt() < b.section('|', 0, 0).toUInt();
    });
    QCOMPARE(actual, expected);
}

void TestCatalog::readsForeignKeysBothWaysAsPgConstraintHasThem()
{
    // The composite key whose columns come in reverse table order pairs them by position.
    const CatalogTable &shipments = table("Sales", "Shipments");
    QCOMPARE(shipments.foreignKeys.size(), 1);
    const CatalogForeignKey &line = shipments.foreignKeys.first();
    QCOMPARE(line.name, QString("Shipments_line_fkey"));
    QCOMPARE(line.fromColumns, (QStringList{"orderId", "lineNo"}));
    QCOMPARE(line.toSchema, QString("Sales"));
    QCOMPARE(line.toTable, QString("OrderLines"));
    QCOMPARE(line.toColumns, (QStringList{"orderId", "lineNo"}));
    QCOMPARE(table("Sales", "OrderLines").referencedBy.size(), 1);
    QCOMPARE(table("Sales", "OrderLines").referencedBy.first().fromTable, QString("Shipments"));

    // A self-reference is at both ends of its table; a cross-schema one at both tables.
    const CatalogTable &employees = table("public", "employees");
    QCOMPARE(employees.foreignKeys.size(), 1);
    QCOMPARE(employees.referencedBy.size(), 1);
    QCOMPARE(employees.referencedBy.first().fromColumns, QStringList{"manager_id"});
    QCOMPARE(employees.foreignKeys.first().toColumns, QStringList{"id"});
    QStringList intoOrders;
    for (const CatalogForeignKey &k : table("Sales", "Orders").referencedBy)
        intoOrders << k.fromSchema + '.' + k.fromTable + '.' + k.fromColumns.join(',');
    QCOMPARE(intoOrders, (QStringList{"Sales.OrderLines.orderId", "public.invoices.orderId"}));

    // Every foreign key, out of its table and into the other, as pg_constraint holds it.
    const QStringList expected =
        sqlRows(*m_db, "SELECT conname, conrelid::oid, confrelid::oid, conkey::text, "
                       "confkey::text FROM pg_constraint WHERE contype = 'f' "
                       "ORDER BY 1");
    QStringList out;
    QStringList in;
    for (const CatalogTable &t : m_catalog.tables) {
        for (const CatalogForeignKey &k : t.foreignKeys) {
            QCOMPARE(k.fromTable, t.name);
            out << constraintText(m_catalog, k);
        }
        for (const CatalogForeignKey &k : t.referencedBy) {
            QCOMPARE(k.toTable, t.name);
            in << constraintText(m_catalog, k);
        }
    }
    out.sort();
    in.sort();
    QCOMPARE(out, expected);
    QCOMPARE(in, expected);
    QCOMPARE(expected.size(), 5);
}

void TestCatalog::readsCommentsEnumsAndEstimates()
{
    const CatalogTable &everything = table("public", "everything");
    QCOMPARE(everything.comment, QString("One column of every type"));
    QCOMPARE(everything.columns.at(everything.columnIndex("amount")).comment,
             QString("Exact money, two decimals"));
    QCOMPARE(everything.columns.at(everything.columnIndex("small")).comment, QString());
    QCOMPARE(table("Sales", "Customers").comment, QString("People who buy"));
    QCOMPARE(table("Sales", "Customers").columns.at(1).comment, QString("As printed on invoices"));
    QCOMPARE(table("Sales", "OrderTotals").comment, QString("Sum of each order"));

    QCOMPARE(m_catalog.enums.size(), 2);
    QCOMPARE(m_catalog.enums.at(0).schema, QString("Sales"));
    QCOMPARE(m_catalog.enums.at(0).name, QString("Region"));
    QCOMPARE(m_catalog.enums.at(0).values, (QStringList{"north", "east west", "south"})); // enumsortorder
    QCOMPARE(m_catalog.enums.at(1).name, QString("mood"));
    QCOMPARE(m_catalog.enums.at(1).values, (QStringList{"sad", "ok", "happy"}));
    const CatalogTable &customers = table("Sales", "Customers");
    QCOMPARE(customers.columns.at(customers.columnIndex("region")).type, QString("\"Sales\".\"Region\""));
    QCOMPARE(customers.columns.at(customers.columnIndex("region")).enumValues,
             (QStringList{"north", "east west", "south"}));
    QCOMPARE(customers.columns.at(0).identity, QChar('d'));

    // Only Customers was analyzed.
    QCOMPARE(customers.estimatedRows, 3);
    QCOMPARE(everything.estimatedRows, -1);
}

void TestCatalog::keepsOddNamesExactly()
{
    const CatalogTable &weird = table("public", kWeird);
    QCOMPARE(weird.name, kWeird);
    QCOMPARE(weird.comment, QString("Named to break string-built SQL"));
    QCOMPARE(weird.columns.size(), 3);
    QCOMPARE(weird.columns.at(1).name, QString("it's \"quoted\""));
    QCOMPARE(weird.columns.at(1).comment, QString("Quotes ' and \""));
    QCOMPARE(weird.columns.at(2).name, QString("a.b"));
    QCOMPARE(weird.primaryKey, QStringList{"id"});
    QCOMPARE(weird.qualifiedName(), QString("\"public\".\"we\"\"ird; drop table x; --\""));
    // The quoted name reads the table, and nothing was dropped.
    QCOMPARE(m_db->scalar("SELECT count(*) FROM " + weird.qualifiedName()).toInt(), 2);
    QCOMPARE(m_db->scalar("SELECT count(*) FROM public.x").toInt(), 1);
    const CatalogTable &lines = table("Sales", "OrderLines");
    QCOMPARE(lines.qualifiedName(), QString("\"Sales\".\"OrderLines\""));
    QCOMPARE(lines.columns.at(lines.columnIndex("unitPrice")).comment, QString("Price of one unit"));
    QCOMPARE(lines.columns.at(lines.columnIndex("unitPrice")).type, QString("numeric(12,2)"));
}

void TestCatalog::loadEndsItsSnapshotOrJoinsTheCallersTransaction()
{
    // now() is the transaction's start: it equals statement_timestamp() only in a statement's
    // own transaction, so it tells whether a transaction is still open.
    DbExecutor executor(m_db->settings(), 1);
    auto job = [](QSqlDatabase &db) -> Result<QStringList> {
        QSqlQuery q(db);
        QStringList seen;
        auto inTransaction = [&]() {
            q.exec("SELECT pg_sleep(0.01), now() <> statement_timestamp()");
            return q.next() && q.value(1).toBool();
        };
        Result<SchemaCatalog> alone = Catalog::load(db);
        seen << QString::number(alone ? alone->tables.size() : -1) << (inTransaction() ? "open" : "closed");
        q.exec("BEGIN");
        q.exec("CREATE TABLE made_in_transaction (id int)");
        Result<SchemaCatalog> joined = Catalog::load(db);
        seen << QString::number(joined ? joined->tables.size() : -1) << (inTransaction() ? "open" : "closed");
        q.exec("ROLLBACK");
        return seen;
    };
    Result<QStringList> seen = QCoro::waitFor(executor.exec(job));
    CCPM_VERIFY_OK(seen);
    // Alone: its own snapshot, ended. Inside the caller's: it sees the caller's table and leaves
    // the transaction to the caller.
    QCOMPARE(*seen, (QStringList{"11", "closed", "12", "open"}));
}

void TestCatalog::specMapsKeysAndReadOnlyTables()
{
    // A composite key, typed; the writes cast to each column's type.
    const TableSpec lines = studioSpec(table("Sales", "OrderLines"));
    QCOMPARE(lines.schema, QString("Sales"));
    QCOMPARE(lines.table, QString("OrderLines"));
    QCOMPARE(lines.keyColumns, (QStringList{"orderId", "lineNo"}));
    QCOMPARE(lines.keyTypes, (QStringList{"integer", "smallint"}));
    QVERIFY(!lines.clientKeys);
    QVERIFY(lines.readOnlyReason.isEmpty());
    QVERIFY(lines.canInsert && lines.canDelete);
    QCOMPARE(lines.columns.size(), 5);
    QCOMPARE(lines.columns.at(3).type, Type::Decimal);
    QCOMPARE(lines.columns.at(3).sqlType, QString("numeric(12,2)"));
    QVERIFY(lines.columns.at(4).hasDefault);
    QVERIFY(lines.columns.at(4).editable);
    QCOMPARE(lines.writeRole, Role::Admin);

    // Every type's particulars.
    const TableSpec everything = studioSpec(table("public", "everything"));
    auto column = [&](const char *name) { return everything.columns.at(everything.columnOf(name)); };
    QCOMPARE(everything.keyColumns, QStringList{"id"});
    QCOMPARE(everything.keyTypes, QStringList{"integer"});
    QVERIFY(column("id").generated && !column("id").editable && column("id").hasDefault);
    QVERIFY(column("doubled").generated && !column("doubled").editable);
    QVERIFY(!column("whole").generated && column("whole").editable && column("whole").hasDefault);
    QCOMPARE(column("whole").defaultExpression, QString("7"));
    QVERIFY(!column("small").hasDefault);
    QCOMPARE(column("small").minimum, std::optional<qint64>(-32768));
    QCOMPARE(column("small").maximum, std::optional<qint64>(32767));
    QCOMPARE(column("whole").maximum, std::optional<qint64>(2147483647));
    QCOMPARE(column("big").maximum, std::optional<qint64>(std::numeric_limits<qint64>::max()));
    QCOMPARE(column("big").minimum, std::optional<qint64>(std::numeric_limits<qint64>::min()));
    QCOMPARE(column("label").maxLength, 40);
    QCOMPARE(column("code").maxLength, 3);
    QCOMPARE(column("note").maxLength, 0);
    QCOMPARE(column("feeling").values, (QStringList{"sad", "ok", "happy"}));
    QCOMPARE(column("moods").values, (QStringList{"sad", "ok", "happy"}));
    QCOMPARE(column("moods").elementType, QString("mood"));
    QCOMPARE(column("prices").elementType, QString("numeric(10,2)"));
    QCOMPARE(column("numbers").elementType, QString("integer"));
    QVERIFY(column("numbers").values.isEmpty());
    QCOMPARE(column("amount").comment, QString("Exact money, two decimals"));
    QVERIFY(column("flag").nullable);
    QCOMPARE(column("happened").defaultExpression, QString("now()"));

    // Identity BY DEFAULT: a value may be typed, or left to the identity.
    const TableSpec customers = studioSpec(table("Sales", "Customers"));
    QVERIFY(customers.columns.at(0).editable && !customers.columns.at(0).generated);
    QVERIFY(customers.columns.at(0).hasDefault);
    QCOMPARE(customers.columns.at(3).type, Type::Enum);

    // No primary key, or a view: read-only, and the spec says why.
    const TableSpec audit = studioSpec(table("public", "audit_log"));
    QVERIFY(audit.readOnlyReason.contains("no primary key"));
    QVERIFY(audit.readOnlyReason.contains("public.audit_log"));
    QVERIFY(!audit.canInsert && !audit.canDelete);
    QCOMPARE(audit.keyColumns, QStringList{"ctid"});
    const TableSpec view = studioSpec(table("Sales", "OrderTotals"));
    QVERIFY(view.readOnlyReason.contains("view"));
    QVERIFY(!view.canInsert && !view.canDelete);
    QVERIFY(view.keyColumns.isEmpty());
    // A ctid key pages a table without a primary key (tid compares in order).
    QCOMPARE(m_db->scalar("SELECT count(*) FROM public.audit_log WHERE ctid > CAST('(0,1)' AS tid)").toInt(),
             1);
}

void TestCatalog::readsTheCcpmSchema()
{
    TestDatabase ccpm("catalogccpm");
    QVERIFY2(ccpm.error().isEmpty(), qPrintable(ccpm.error()));
    const QString loaded = ccpm.loadBackendFixture();
    QVERIFY2(loaded.isEmpty(), qPrintable(loaded));
    Result<SchemaCatalog> catalog = loadCatalog(ccpm);
    CCPM_VERIFY_OK(catalog);
    QStringList listed;
    for (const CatalogTable &t : catalog->tables)
        listed << t.displayName() + '(' + t.primaryKey.join(',') + ')';
    QCOMPARE(listed, (QStringList{"public.agents(id)", "public.messages(id)", "public.sessions(id)",
                                  "public.tasks(id)", "public.users(id)"}));
    const CatalogTable *users = catalog->find("public", "users");
    QVERIFY(users);
    QCOMPARE(names(users->uniqueKeys),
             (QStringList{"users_email_key(email)", "users_username_key(username)"}));
    QStringList into;
    for (const CatalogForeignKey &k : users->referencedBy)
        into << k.fromTable + '.' + k.fromColumns.join(',') + "->" + k.toColumns.join(',');
    QCOMPARE(into, (QStringList{"sessions.userId->id", "tasks.createdBy->id"}));
    const CatalogTable *tasks = catalog->find("public", "tasks");
    QStringList out;
    for (const CatalogForeignKey &k : tasks->foreignKeys)
        out << k.name + ':' + k.toTable;
    QCOMPARE(out, (QStringList{"tasks_assignedTo_fkey:agents", "tasks_createdBy_fkey:users"}));
    QCOMPARE(tasks->columns.at(tasks->columnIndex("status")).enumValues,
             (QStringList{"PENDING", "ASSIGNED", "IN_PROGRESS", "COMPLETED", "FAILED"}));
    const TableSpec spec = studioSpec(*tasks);
    QCOMPARE(spec.columns.at(spec.columnOf("status")).type, Type::Enum);
    QCOMPARE(spec.columns.at(spec.columnOf("createdAt")).type, Type::LocalTimestamp);
    const TableSpec agents = studioSpec(*catalog->find("public", "agents"));
    QCOMPARE(agents.columns.at(agents.columnOf("capabilities")).type, Type::TextArray);
    QCOMPARE(agents.columns.at(agents.columnOf("metadata")).type, Type::Json);
}

void TestCatalog::listTablesPrintsEveryTableAndWritesNothing()
{
    const QString relations =
        "SELECT count(*) || ':' || string_agg(c.oid::text || c.relname, ',' ORDER BY c.oid) "
        "FROM pg_class c";
    const QString before = m_db->scalar(relations).toString();

    const Run run = runDesk({"studio", "--database-url", urlOf(*m_db), "--list-tables"});
    QCOMPARE(run.exitCode, 0);
    QVERIFY2(run.err.isEmpty(), qPrintable(run.err));
    const QStringList lines = run.out.split('\n', Qt::SkipEmptyParts);
    QCOMPARE(lines.size(), 1 + 11);
    QCOMPARE(lines.at(0), QString("table\tcolumns\tprimary key\testimated rows"));
    QCOMPARE(lines.at(1), QString("Sales.Customers\t4\tid\t~3"));
    QCOMPARE(lines.at(2), QString("Sales.OrderLines\t5\torderId, lineNo\tunknown"));
    QCOMPARE(lines.at(3), QString("Sales.OrderTotals\t2\tview\tunknown"));
    QCOMPARE(lines.at(6), QString("public.audit_log\t2\tno primary key\tunknown"));
    QCOMPARE(lines.at(8), QString("public.everything\t30\tid\tunknown"));
    QCOMPARE(lines.at(10), QString("public.we\"ird; drop table x; --\t3\tid\tunknown"));
    QCOMPARE(lines.at(11), QString("public.x\t1\tid\tunknown"));

    // Nothing was created: no migrations table, not one relation more or less.
    QCOMPARE(m_db->scalar(relations).toString(), before);
    QCOMPARE(m_db->scalar("SELECT to_regclass('public._ccpm_migrations') IS NULL").toBool(), true);
    QCOMPARE(m_db->scalar("SELECT to_regclass('\"Sales\"._ccpm_migrations') IS NULL").toBool(), true);
    QCOMPARE(estimatedRowsText(1000000), QString("~1,000,000"));
    QCOMPARE(estimatedRowsText(0), QString("~0"));
    QCOMPARE(estimatedRowsText(-1), QString("unknown"));
}

void TestCatalog::listTablesFailsClearly()
{
    // A malformed URL is a usage error naming the part; the password never shows.
    const Run malformed =
        runDesk({"studio", "--list-tables", "--database-url", "postgresql://u:Pw-SECRET@h:99999/db"});
    QCOMPARE(malformed.exitCode, 2);
    QVERIFY2(malformed.err.contains("invalid port"), qPrintable(malformed.err));
    QVERIFY(!malformed.err.contains("Pw-SECRET"));
    QCOMPARE(malformed.err.count('\n'), 1);

    // A server that is not there, or a database that does not exist: exit 1, one line.
    const Run unreachable = runDesk(
        {"studio", "--list-tables", "--database-url", "postgresql://u:Pw-SECRET@127.0.0.1:1/nothing"});
    QCOMPARE(unreachable.exitCode, 1);
    QVERIFY2(unreachable.err.startsWith("ccpm-desk: Cannot connect to 127.0.0.1:1/nothing"),
             qPrintable(unreachable.err));
    QVERIFY(!unreachable.err.contains("Pw-SECRET"));
    QCOMPARE(unreachable.err.count('\n'), 1);
    QVERIFY(unreachable.out.isEmpty());
    QString missingUrl = urlOf(*m_db);
    missingUrl.replace(m_db->name(), "ccpm_no_such_database");
    const Run missing = runDesk({"studio", "--list-tables", "--database-url", missingUrl});
    QCOMPARE(missing.exitCode, 1);
    QVERIFY2(missing.err.contains("does not exist"), qPrintable(missing.err));

    // No URL: Studio never falls back to (and so never starts) the embedded database.
    const Run noUrl = runDesk({"studio", "--list-tables"});
    QCOMPARE(noUrl.exitCode, 2);
    QVERIFY2(noUrl.err.contains("--database-url"), qPrintable(noUrl.err));

    // Without --list-tables, and without a display, the window says how to get one.
    const Run noDisplay = runDesk({"studio", "--database-url", urlOf(*m_db)});
    QCOMPARE(noDisplay.exitCode, 2);
    QVERIFY2(noDisplay.err.contains("no display"), qPrintable(noDisplay.err));
}

void TestCatalog::studioWindowOpensATableAndWritesNothing()
{
    const QString relations =
        "SELECT count(*) || ':' || string_agg(c.oid::text || c.relname, ',' ORDER BY c.oid) FROM pg_class c";
    const QString before = m_db->scalar(relations).toString();
    const QString png = QDir::tempPath() + "/ccpm-studio-window-test.png";
    QFile::remove(png);
    const Run window = runDesk(
        {"studio", "--database-url", urlOf(*m_db), "--table", "Sales.OrderLines", "--screenshot", png}, true);
    QVERIFY2(window.exitCode == 0, qPrintable(window.err));
    QVERIFY2(QImage(png).width() > 600, qPrintable(window.err));
    QCOMPARE(m_db->scalar(relations).toString(), before); // no migration, nothing written
    const Run unknown = runDesk(
        {"studio", "--database-url", urlOf(*m_db), "--table", "no_such_table", "--screenshot", png}, true);
    QVERIFY2(unknown.err.contains("there is no table 'no_such_table'"), qPrintable(unknown.err));
    QCOMPARE(unknown.exitCode, 1);

    // --table takes what --list-tables prints, dots in the schema or the name included
    SchemaCatalog dotted;
    CatalogTable a;
    a.schema = "we\"ird.sch;ema";
    a.name = "t%1.x";
    CatalogTable b;
    b.schema = "public";
    b.name = "a.b";
    dotted.tables = {a, b};
    QCOMPARE(findTable(dotted, "we\"ird.sch;ema.t%1.x"),
             std::make_optional(std::make_pair(a.schema, a.name)));
    QCOMPARE(findTable(dotted, "a.b"), std::make_optional(std::make_pair(QString("public"), QString("a.b"))));
    QVERIFY(!findTable(dotted, "we\"ird.t%1.x"));
}

QTEST_GUILESS_MAIN(TestCatalog)
#include "tst_catalog.moc"
