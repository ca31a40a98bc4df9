// The model engine on tables outside the ccpm schema, as Studio opens them: composite and typed
// primary keys, keys the database makes, a schema-qualified table whose name holds quotes and a
// semicolon, staged DEFAULT and NULL, json without an equality operator, and the save preview.
// Real PostgreSQL; QAbstractItemModelTester watches every model (LoadedModel).
#include "columnspecs.h"
#include "keysetquery.h"
#include "loadedmodel.h"
#include "pagedtablemodel.h"
#include "sqlvalues.h"
#include "testdatabase.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSqlError>
#include <QSqlQuery>
#include <QTest>

using namespace ccpm;

namespace {

QString key(const QStringList &values)
{
    return QString::fromUtf8(
        QJsonDocument(QJsonArray::fromStringList(values)).toJson(QJsonDocument::Compact));
}

// translations(item int, lang text, body text, extra json): composite key (item, lang).
TableSpec translations()
{
    TableSpec spec;
    spec.schema = QStringLiteral("Mixed Case");
    spec.table = QStringLiteral("tr\"ans; lations");
    spec.idColumn = QStringLiteral("item");
    spec.keyColumns = {QStringLiteral("item"), QStringLiteral("lang")};
    spec.keyTypes = {QStringLiteral("integer"), QStringLiteral("text")};
    spec.clientKeys = false;
    spec.columns = {column("item", ColumnSpec::Type::Integer, "integer", false),
                    column("lang", ColumnSpec::Type::Text, "text", false),
                    column("body", ColumnSpec::Type::Text, "text"),
                    column("extra", ColumnSpec::Type::Json, "json")};
    spec.columns[2].hasDefault = true;
    return spec;
}

// counters(id bigint identity, label text default 'new', n numeric(30,10), tags integer[])
TableSpec counters()
{
    TableSpec spec;
    spec.table = QStringLiteral("counters");
    spec.keyColumns = {QStringLiteral("id")};
    spec.keyTypes = {QStringLiteral("bigint")};
    spec.clientKeys = false;
    spec.columns = {column("id", ColumnSpec::Type::Integer, "bigint", false),
                    column("label", ColumnSpec::Type::Text, "text", false),
                    column("n", ColumnSpec::Type::Decimal, "numeric(30,10)"),
                    column("tags", ColumnSpec::Type::Array, "integer[]")};
    spec.columns[0].hasDefault = true;
    spec.columns[0].editable = false;
    spec.columns[0].generated = true;
    spec.columns[1].hasDefault = true;
    spec.columns[3].elementType = QStringLiteral("integer");
    return spec;
}

} // namespace

class TestStudioModel : public QObject {
    Q_OBJECT
private slots:
    void init();
    void cleanup();
    void pagesACompositeKeyInOrder();
    void editsAndDeletesByCompositeKey();
    void insertLetsTheDatabaseMakeTheKey();
    void stagedDefaultAndNullAreWritten();
    void conflictWithoutVersionColumnOnJson();
    void savePreviewListsStatementsAndValues();
    void refreshFindsARowByCompositeKey();

private:
    QString table(const QString &columns = QStringLiteral("item, lang, body")) const;
    QString cell(const QString &sql) const;
    std::unique_ptr<TestDatabase> m_db;
    std::unique_ptr<DbExecutor> m_executor;
};

void TestStudioModel::init()
{
    m_db = std::make_unique<TestDatabase>("studiomodel");
    QVERIFY2(m_db->error().isEmpty(), qPrintable(m_db->error()));
    QSqlDatabase db = m_db->connection();
    QSqlQuery q(db);
    for (
        const char *sql : {
            R"(CREATE SCHEMA "Mixed Case")",
            R"(CREATE TABLE "Mixed Case"."tr""ans; lations" (item integer, lang text, body text DEFAULT 'def',
                extra json, PRIMARY KEY (item, lang)))",
            // 600 rows: ties on item across languages, so the page boundaries fall inside a key
            R"(INSERT INTO "Mixed Case"."tr""ans; lations"
                SELECT i / 3, (ARRAY['de','en','fr'])[i % 3 + 1], 'body ' || i, '{"i": 1}'
                FROM generate_series(0, 599) AS i)",
            R"(CREATE TABLE counters (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                label text NOT NULL DEFAULT 'new', n numeric(30,10), tags integer[]))",
            R"(INSERT INTO counters (label, n, tags) VALUES ('a', 83261.85, '{1,NULL,3}'))",
        }) {
        QVERIFY2(q.exec(QString::fromUtf8(sql)), qPrintable(q.lastError().text()));
    }
    m_executor = std::make_unique<DbExecutor>(m_db->settings());
}

void TestStudioModel::cleanup()
{
    m_executor.reset();
    m_db.reset();
}

QString TestStudioModel::cell(const QString &sql) const
{
    QSqlDatabase db = m_db->connection();
    QSqlQuery q(db);
    if (!q.exec(sql) || !q.next())
        return QStringLiteral("<error: %1>").arg(q.lastError().text());
    return q.isNull(0) ? QStringLiteral("<NULL>") : q.value(0).toString();
}

void TestStudioModel::pagesACompositeKeyInOrder()
{
    // Given 600 rows keyed by (item, lang)
    LoadedModel t(*m_executor, translations(), 600);
    QCOMPARE(t.model.rowCount(), 600);

    // Then every row is there once, in key order, across the page boundaries (250, 500)
    QString previous;
    for (int row = 0; row < 600; ++row) {
        t.model.index(row, 0).data(); // asks for the page, as a view scrolling there does
        QTRY_VERIFY(t.model.isLoaded(row));
        const QString id = t.model.index(row, 0).data(roles::RowId).toString();
        QCOMPARE(id, key({QString::number(row / 3), QStringList{"de", "en", "fr"}.at(row % 3)}));
        QVERIFY(id != previous);
        previous = id;
    }
}

void TestStudioModel::editsAndDeletesByCompositeKey()
{
    LoadedModel t(*m_executor, translations(), 600);
    const QString en7 = key({"7", "en"});
    const QString fr7 = key({"7", "fr"});
    QVERIFY(t.model.rowOf(en7) >= 0);

    // When one row's body is edited and its neighbour with the same item is deleted
    QVERIFY(t.model.setData(t.cell(en7, 2), "seven"));
    QVERIFY(t.model.removeRows(t.model.rowOf(fr7), 1));
    const QVariantList saved = t.save();
    QVERIFY2(saved.value(0).toBool(), qPrintable(saved.value(1).toString()));

    // Then exactly those rows changed
    QCOMPARE(cell(R"(SELECT body FROM "Mixed Case"."tr""ans; lations" WHERE item = 7 AND lang = 'en')"),
             QStringLiteral("seven"));
    QCOMPARE(cell(R"(SELECT body FROM "Mixed Case"."tr""ans; lations" WHERE item = 7 AND lang = 'de')"),
             QStringLiteral("body 21"));
    QCOMPARE(cell(R"(SELECT count(*) FROM "Mixed Case"."tr""ans; lations")"), QStringLiteral("599"));
    QCOMPARE(cell(R"(SELECT count(*) FROM "Mixed Case"."tr""ans; lations" WHERE item = 7 AND lang = 'fr')"),
             QStringLiteral("0"));
}

void TestStudioModel::insertLetsTheDatabaseMakeTheKey()
{
    LoadedModel t(*m_executor, counters(), 1);

    // When a row is added with only n typed (id is an identity, label has a default)
    QVERIFY(t.model.insertRows(0, 1));
    QVERIFY(t.model.index(0, 0).data(roles::RowId).toString().startsWith("new:"));
    QVERIFY(t.model.setData(t.model.index(0, 2), "9007199254740993.0000000001"));
    const QVariantList saved = t.save();
    QVERIFY2(saved.value(0).toBool(), qPrintable(saved.value(1).toString()));

    // Then the database made the key and the default, and the numeric is exact
    QCOMPARE(cell("SELECT count(*) FROM counters"), QStringLiteral("2"));
    QCOMPARE(cell("SELECT label || ' ' || n::text FROM counters WHERE id = 2"),
             QStringLiteral("new 9007199254740993.0000000001"));
    QTRY_COMPARE(t.model.rowCount(), 2);
    QTRY_COMPARE(t.model.index(1, 0).data(roles::RowId).toString(), key({"2"}));
}

void TestStudioModel::stagedDefaultAndNullAreWritten()
{
    LoadedModel t(*m_executor, counters(), 1);
    const QString first = key({"1"});
    // When label is set to DEFAULT and n to NULL, and the array gets a new element list
    QVERIFY(t.model.setData(t.cell(first, 1), sql::columnDefault()));
    QVERIFY(t.model.setData(t.cell(first, 2), QVariant()));
    const QVariantList saved = t.save();
    QVERIFY2(saved.value(0).toBool(), qPrintable(saved.value(1).toString()));
    QCOMPARE(cell("SELECT label FROM counters WHERE id = 1"), QStringLiteral("new"));
    QCOMPARE(cell("SELECT n FROM counters WHERE id = 1"), QStringLiteral("<NULL>"));
    // The array was not touched and keeps its NULL element
    QCOMPARE(cell("SELECT tags::text FROM counters WHERE id = 1"), QStringLiteral("{1,NULL,3}"));
    // And the model shows the database's value, not the marker
    QTRY_COMPARE(t.cell(first, 1).data(roles::RawValue).toString(), QStringLiteral("new"));
}

void TestStudioModel::conflictWithoutVersionColumnOnJson()
{
    LoadedModel t(*m_executor, translations(), 600);
    const QString de0 = key({"0", "de"});
    // When someone else changes the json after it was loaded
    QSqlDatabase db = m_db->connection();
    QSqlQuery q(db);
    QVERIFY(q.exec(
        R"(UPDATE "Mixed Case"."tr""ans; lations" SET extra = '{"i": 2}' WHERE item = 0 AND lang = 'de')"));
    // And the desk edits the same json
    QVERIFY(t.model.setData(t.cell(de0, 3), R"({"i": 3})"));
    const QVariantList saved = t.save();

    // Then nothing is overwritten: a conflict (json has no `=`, the text comparison still works)
    QVERIFY(!saved.value(0).toBool());
    QVERIFY2(saved.value(1).toString().contains("changed"), qPrintable(saved.value(1).toString()));
    QCOMPARE(
        cell(R"(SELECT extra::text FROM "Mixed Case"."tr""ans; lations" WHERE item = 0 AND lang = 'de')"),
        QStringLiteral(R"({"i": 2})"));
}

void TestStudioModel::savePreviewListsStatementsAndValues()
{
    LoadedModel t(*m_executor, translations(), 600);
    QVERIFY(t.model.setData(t.cell(key({"1", "en"}), 2), "'; DROP TABLE counters; --"));
    const QList<TableWriter::Statement> preview = t.model.savePreview();
    QCOMPARE(preview.size(), 1);
    QCOMPARE(t.model.stagedRowCount(), int(preview.size())); // the status line's count
    // The statement names the table quoted once, and the value only as a bound parameter
    QVERIFY2(preview.first().text.startsWith(R"(UPDATE "Mixed Case"."tr""ans; lations" SET "body" = )"),
             qPrintable(preview.first().text));
    QVERIFY(!preview.first().text.contains("DROP"));
    QVERIFY(preview.first().bindings.values().contains(QVariant("'; DROP TABLE counters; --")));
    const QVariantList saved = t.save();
    QVERIFY2(saved.value(0).toBool(), qPrintable(saved.value(1).toString()));
    QCOMPARE(cell("SELECT count(*) FROM counters"), QStringLiteral("1"));
}

void TestStudioModel::refreshFindsARowByCompositeKey()
{
    LoadedModel t(*m_executor, translations(), 600);
    const QString de5 = key({"5", "de"});
    QSqlDatabase db = m_db->connection();
    QSqlQuery q(db);
    QVERIFY(q.exec(
        R"(UPDATE "Mixed Case"."tr""ans; lations" SET body = 'other writer' WHERE item = 5 AND lang = 'de')"));
    t.model.refreshRow(de5);
    QTRY_COMPARE(t.cell(de5, 2).data().toString(), QStringLiteral("other writer"));
}

QTEST_GUILESS_MAIN(TestStudioModel)
#include "tst_studiomodel.moc"
