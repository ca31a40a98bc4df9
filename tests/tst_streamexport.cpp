// StreamExport against the real server: the CSV and JSON of tricky values byte for byte, the CSV
// read back by PostgreSQL's own COPY … FROM, the view's filter and order (KeysetQuery::all()),
// cancellation and failures that leave no file (and the previous one untouched), progress, and
// memory that stays flat while 200,000 wide rows stream through.
#include "catalog.h"
#include "clipboardformat.h"
#include "keysetquery.h"
#include "streamexport.h"
#include "studiospec.h"
#include "testdatabase.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <QCoro/QCoroTask>

#include <unistd.h>

using namespace ccpm;
using Kind = exportformat::ValueKind;
using Format = StreamExport::Format;

namespace {

// Every interesting value once; the columns as Studio selects them (the server's text).
constexpr auto kTrickySql = R"sql(
CREATE TABLE tricky (
    id bigint PRIMARY KEY, t text, n numeric, b bigint, j jsonb, flag boolean, ts timestamptz);
INSERT INTO tricky VALUES
    (1, 'a,b', 83261.85, 9007199254740993, '"scalar"', true, '2026-11-29 18:30:00.123+00'),
    (2, 'say "hi"', 'NaN', -1, '{"b": "x\ny", "a": [1, 2.50]}', false, NULL),
    (3, E'line1\nline2\r\nend\ttab', NULL, NULL, 'null', NULL, '1999-12-31 23:59:59+00'),
    (4, '', 0.000, 0, '12345678901234567890.5', NULL, NULL),
    (5, NULL, -0.5, -9223372036854775808, NULL, true, NULL),
    (6, 'ünïcödé ✓ 😀 \ back', 1e-7, 42, '[]', false, NULL),
    (7, '\.', 123456789012345678901234567890.123456789, 7, '{"k": "\"q\" ✓"}', NULL, NULL);
)sql";

const QStringList kTrickyColumns{"id", "t", "n", "b", "j", "flag", "ts"};

KeysetQuery trickyQuery(QList<KeysetQuery::Filter> filters = {}, bool ascending = true)
{
    KeysetQuery::Source source;
    source.from = "\"tricky\" t";
    source.table = "\"tricky\"";
    source.id = "t.\"id\"";
    source.key = {"t.\"id\""};
    source.keyTypes = {"bigint"};
    for (const QString &c : kTrickyColumns)
        source.columns << QString("CAST(t.\"%1\" AS text)").arg(c);
    return KeysetQuery(source, {{"t.\"id\"", ascending, false}}, std::move(filters));
}

QList<StreamExport::Column> trickyColumns()
{
    return {{"id", Kind::Number}, {"t", Kind::String},     {"n", Kind::Number}, {"b", Kind::Number},
            {"j", Kind::Json},    {"flag", Kind::Boolean}, {"ts", Kind::String}};
}

const QByteArray kTrickyCsv =
    "id,t,n,b,j,flag,ts\r\n"
    "1,\"a,b\",83261.85,9007199254740993,\"\"\"scalar\"\"\",true,2026-11-29 "
    "18:30:00.123+00\r\n"
    "2,\"say \"\"hi\"\"\",NaN,-1,\"{\"\"a\"\": [1, 2.50], \"\"b\"\": \"\"x\\ny\"\"}\",false,\r\n"
    "3,\"line1\nline2\r\nend\ttab\",,,null,,1999-12-31 23:59:59+00\r\n"
    "4,\"\",0.000,0,12345678901234567890.5,,\r\n"
    "5,,-0.5,-9223372036854775808,,true,\r\n"
    "6,ünïcödé ✓ 😀 \\ back,0.0000001,42,[],false,\r\n"
    "7,\"\\.\",123456789012345678901234567890.123456789,7,\"{\"\"k\"\": "
    "\"\"\\\"\"q\\\"\" ✓\"\"}\",,\r\n";

const QByteArray kTrickyJson =
    "[\n"
    "{\"id\":1,\"t\":\"a,b\",\"n\":83261.85,\"b\":9007199254740993,\"j\":\"scalar\",\"flag\":true,\"ts\":"
    "\"2026-11-29 18:30:00.123+00\"},"
    "\n"
    "{\"id\":2,\"t\":\"say "
    "\\\"hi\\\"\",\"n\":\"NaN\",\"b\":-1,\"j\":{\"a\":[1,2.50],\"b\":\"x\\ny\"},\"flag\":false,\"ts\":null},"
    "\n"
    "{\"id\":3,\"t\":\"line1\\nline2\\r\\nend\\ttab\",\"n\":null,\"b\":null,\"j\":null,\"flag\":null,\"ts\":"
    "\"1999-12-31 23:59:59+00\"},"
    "\n"
    "{\"id\":4,\"t\":\"\",\"n\":0.000,\"b\":0,\"j\":12345678901234567890.5,\"flag\":null,\"ts\":null},"
    "\n"
    "{\"id\":5,\"t\":null,\"n\":-0.5,\"b\":-9223372036854775808,\"j\":null,\"flag\":true,\"ts\":null},"
    "\n"
    "{\"id\":6,\"t\":\"ünïcödé ✓ 😀 \\\\ back\",\"n\":0.0000001,\"b\":42,\"j\":[],\"flag\":false,\"ts\":null},"
    "\n"
    "{\"id\":7,\"t\":\"\\\\.\",\"n\":123456789012345678901234567890.123456789,\"b\":7,\"j\":{\"k\":"
    "\"\\\"q\\\" ✓\"},\"flag\":null,\"ts\":null}"
    "\n]\n";

QByteArray readAll(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray("<missing>");
}

bool writeFile(const QString &path, const QByteArray &data)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(data) == data.size();
}

/// psql with the test server's settings; stdout, or "ERROR: …" on failure.
QString psql(const TestDatabase &db, const QStringList &args)
{
    const QString bin = qEnvironmentVariable("CCPM_TEST_PGBIN");
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert("PGTZ", "UTC");
    p.setProcessEnvironment(env);
    p.start(bin.isEmpty() ? QString("psql") : QString(bin + "/psql"),
            QStringList{"-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", db.settings().host, "-p",
                        QString::number(db.settings().port), "-U", db.settings().user, "-d", db.name()} +
                args);
    if (!p.waitForFinished(120000) || p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0)
        return "ERROR: " + QString::fromLocal8Bit(p.readAllStandardError());
    return QString::fromUtf8(p.readAllStandardOutput());
}

qint64 residentBytes()
{
    QFile statm("/proc/self/statm");
    if (!statm.open(QIODevice::ReadOnly))
        return 0;
    const QList<QByteArray> fields = statm.readAll().split(' ');
    return fields.size() > 1 ? fields.at(1).toLongLong() * sysconf(_SC_PAGESIZE) : 0;
}

} // namespace

class TestStreamExport : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase();
    void init();
    void positionalPlaceholders();
    void csvIsExact();
    void jsonIsExact();
    void csvReadsBackWithCopy();
    void filterAndOrderOfTheView();
    void progressArrivesWithTheTotal();
    void cancelLeavesNoFileAndKeepsTheOldOne();
    void cancelStopsARunningFetch();
    void failingQueryLeavesNoFile();
    void memoryStaysBounded();
    void studioTableOfEveryType();

private:
    Result<StreamExport::Summary> exportTo(const QString &file, Format format, const KeysetQuery::Sql &sql,
                                           QList<StreamExport::Column> columns,
                                           std::optional<KeysetQuery::Sql> count = {},
                                           StreamExport::ProgressCallback progress = {},
                                           CancelToken token = CancelToken());

    std::unique_ptr<TestDatabase> m_db;
    std::unique_ptr<DbExecutor> m_executor;
    std::unique_ptr<QTemporaryDir> m_dir;
};

void TestStreamExport::initTestCase()
{
    m_db = std::make_unique<TestDatabase>("streamexport");
    QVERIFY2(m_db->error().isEmpty(), qPrintable(m_db->error()));
    QSqlQuery q(m_db->connection());
    for (const QString &statement : QString(kTrickySql).split(";\n", Qt::SkipEmptyParts)) {
        if (!statement.trimmed().isEmpty())
            QVERIFY2(q.exec(statement), qPrintable(q.lastError().text()));
    }
    m_executor = std::make_unique<DbExecutor>(m_db->settings(), 2);
}

void TestStreamExport::cleanupTestCase()
{
    m_executor.reset();
    m_db.reset();
}

void TestStreamExport::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

Result<StreamExport::Summary>
TestStreamExport::exportTo(const QString &file, Format format, const KeysetQuery::Sql &sql,
                           QList<StreamExport::Column> columns, std::optional<KeysetQuery::Sql> count,
                           StreamExport::ProgressCallback progress, CancelToken token)
{
    StreamExport::Request request;
    request.query = sql;
    request.count = std::move(count);
    request.columns = std::move(columns);
    request.format = format;
    request.fileName = file;
    return QCoro::waitFor(StreamExport::run(*m_executor, request, token, std::move(progress)));
}

void TestStreamExport::positionalPlaceholders()
{
    // Casts, quoted strings and identifiers keep their colons; a name used twice is one parameter
    const QString sql = "SELECT x::text, ':a', \"b:a\", E'\\':a', :a, :b2 -- :a\n"
                        ", :a /* :b2 */ FROM t";
    const auto p = StreamExport::positional(sql, {{":a", 1}, {":b2", "two"}});
    QVERIFY2(p.error.isEmpty(), qPrintable(p.error));
    const QByteArray expected = "SELECT x::text, ':a', \"b:a\", E'\\':a', $1, $2 -- :a\n"
                                ", $1 /* :b2 */ FROM t";
    QCOMPARE(p.sql, expected);
    QCOMPARE(p.values, (QList<QVariant>{1, "two"}));
    QVERIFY(!StreamExport::positional("SELECT :missing", {}).error.isEmpty());
}

void TestStreamExport::csvIsExact()
{
    const QString file = m_dir->filePath("tricky.csv");
    const auto r = exportTo(file, Format::Csv, trickyQuery().all(), trickyColumns());
    CCPM_VERIFY_OK(r);
    QCOMPARE(r->rows, 7);
    const QByteArray csv = readAll(file);
    QCOMPARE(r->bytes, csv.size());
    QCOMPARE(csv, kTrickyCsv);
}

void TestStreamExport::jsonIsExact()
{
    const QString file = m_dir->filePath("tricky.json");
    const auto r = exportTo(file, Format::Json, trickyQuery().all(), trickyColumns());
    CCPM_VERIFY_OK(r);
    const QByteArray json = readAll(file);
    QCOMPARE(json, kTrickyJson);
    // And it is one valid JSON document: an array of 7 objects
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &error);
    QVERIFY2(error.error == QJsonParseError::NoError, qPrintable(error.errorString()));
    QCOMPARE(doc.array().size(), 7);
    QCOMPARE(doc.array().at(1).toObject().value("j").toObject().value("b").toString(), "x\ny");

    // An empty result is an empty array
    const auto empty = exportTo(
        file, Format::Json,
        trickyQuery({{"t.\"id\"", KeysetQuery::Filter::Op::Above, "100", "bigint"}}).all(), trickyColumns());
    CCPM_VERIFY_OK(empty);
    QCOMPARE(empty->rows, 0);
    QCOMPARE(readAll(file), QByteArray("[\n]\n"));
}

void TestStreamExport::csvReadsBackWithCopy()
{
    // Given the export of every tricky row
    const QString file = m_dir->filePath("back.csv");
    CCPM_VERIFY_OK(exportTo(file, Format::Csv, trickyQuery().all(), trickyColumns()));

    // When PostgreSQL's own COPY reads it into a table of the same types
    QCOMPARE(psql(*m_db, {"-c", "DROP TABLE IF EXISTS back; CREATE TABLE back (LIKE tricky)"}), QString());
    QCOMPARE(psql(*m_db, {"-c", QString("\\copy back FROM '%1' WITH (FORMAT csv, HEADER true)").arg(file)}),
             QString());

    // Then it holds the same rows: NULL and '' apart, numbers exact, jsonb and newlines intact
    QCOMPARE(m_db->scalar("SELECT count(*) FROM back").toInt(), 7);
    QCOMPARE(m_db->scalar("SELECT count(*) FROM (SELECT * FROM tricky EXCEPT SELECT * FROM back) d").toInt(),
             0);
    QCOMPARE(m_db->scalar("SELECT count(*) FROM back WHERE t IS NULL").toInt(), 1);
    QCOMPARE(m_db->scalar("SELECT count(*) FROM back WHERE t = ''").toInt(), 1);
    QCOMPARE(m_db->scalar("SELECT b::text FROM back WHERE id = 1").toString(), "9007199254740993");

    // And PostgreSQL's own CSV of the same query is ours but for the line ends of the records
    // (booleans cast to text as Studio selects them; COPY quotes `\.` only in a one-column row)
    QString theirs =
        psql(*m_db, {"-c", "COPY (SELECT id, t, n, b, j, CAST(flag AS text) AS flag, ts FROM tricky "
                           "ORDER BY id) TO STDOUT WITH (FORMAT csv, HEADER true)"});
    QVERIFY2(!theirs.startsWith("ERROR"), qPrintable(theirs));
    theirs.replace(",\\.,", ",\"\\.\",");
    QByteArray ours = readAll(file);
    QCOMPARE(ours.count("\r\n"), 9); // 8 records and the CRLF inside row 3
    ours.replace("\r\n", "\n");
    QString expected = theirs;
    expected.replace("\r\n", "\n");
    QCOMPARE(QString::fromUtf8(ours), expected);
}

void TestStreamExport::filterAndOrderOfTheView()
{
    // A filter with bound values (the quick search's pattern is used twice) and a descending sort
    KeysetQuery query = trickyQuery({{"t.\"id\"", KeysetQuery::Filter::Op::AtLeast, "2", "bigint"},
                                     {"t.\"flag\"", KeysetQuery::Filter::Op::IsNotNull}},
                                    false);
    const QString file = m_dir->filePath("view.csv");
    const auto r = exportTo(file, Format::Csv, query.all(), {{"id", Kind::Number}}, query.count());
    CCPM_VERIFY_OK(r);
    QCOMPARE(readAll(file), QByteArray("id\r\n6\r\n5\r\n2\r\n"));

    KeysetQuery::Source source;
    source.from = "\"tricky\" t";
    source.id = "t.\"id\"";
    source.columns = {"CAST(t.\"id\" AS text)", "CAST(t.\"t\" AS text)"};
    KeysetQuery quick(source, {{"t.\"id\"", true, false}}, {}, "I", {"t.\"t\"", "CAST(t.\"j\" AS text)"});
    const auto q = exportTo(file, Format::Json, quick.all(), {{"id", Kind::Number}, {"t", Kind::String}});
    CCPM_VERIFY_OK(q);
    QCOMPARE(readAll(file), QByteArray("[\n"
                                       "{\"id\":2,\"t\":\"say \\\"hi\\\"\"},"
                                       "\n"
                                       "{\"id\":3,\"t\":\"line1\\nline2\\r\\nend\\ttab\"}"
                                       "\n]\n"));
}

void TestStreamExport::progressArrivesWithTheTotal()
{
    // Given 12,345 rows and their count
    KeysetQuery::Sql sql{"SELECT CAST(g AS text) FROM generate_series(1, :n) g ORDER BY g", {{":n", 12345}}};
    KeysetQuery::Sql count{"SELECT count(*) FROM generate_series(1, :n) g", {{":n", 12345}}};
    QList<std::pair<qint64, qint64>> calls;
    QMutex mutex;
    auto progress = [&](qint64 rows, qint64 total) {
        QMutexLocker lock(&mutex);
        calls.append({rows, total});
    };
    const auto r = exportTo(m_dir->filePath("p.csv"), Format::Csv, sql, {{"g"}}, count, progress);
    CCPM_VERIFY_OK(r);
    QCOMPARE(r->rows, 12345);
    // Then one call per batch, with the total
    QCOMPARE(calls, (QList<std::pair<qint64, qint64>>{{5000, 12345}, {10000, 12345}, {12345, 12345}}));

    // Without a count the total is unknown
    calls.clear();
    CCPM_VERIFY_OK(exportTo(m_dir->filePath("p.csv"), Format::Csv, sql, {{"g"}}, {}, progress));
    QCOMPARE(calls.last(), (std::pair<qint64, qint64>{12345, -1}));
}

void TestStreamExport::cancelLeavesNoFileAndKeepsTheOldOne()
{
    // Given an earlier export in the file
    const QString file = m_dir->filePath("old.csv");
    QVERIFY(writeFile(file, "the old export\n"));

    // When the export of 200,000 rows is cancelled after its second batch
    KeysetQuery::Sql sql{"SELECT CAST(g AS text) FROM generate_series(1, 200000) g", {}};
    CancelToken token;
    qint64 lastProgress = 0;
    auto progress = [&](qint64 rows, qint64) {
        lastProgress = rows;
        if (rows == 2 * StreamExport::kFetchRows)
            m_executor->cancel(token); // any thread
    };
    const auto r = exportTo(file, Format::Csv, sql, {{"g"}}, {}, progress, token);

    // Then it reports the cancel, stopped there, and the old file is intact with no leftovers
    QVERIFY(!r.ok());
    QCOMPARE(r.error().kind, Error::Kind::Cancelled);
    QCOMPARE(lastProgress, 2 * StreamExport::kFetchRows);
    QCOMPARE(readAll(file), QByteArray("the old export\n"));
    QCOMPARE(QDir(m_dir->path()).entryList(QDir::Files), QStringList{"old.csv"});

    // And the worker's connection is usable: the next export works
    CCPM_VERIFY_OK(exportTo(file, Format::Csv, trickyQuery().all(), trickyColumns()));
    QCOMPARE(readAll(file), kTrickyCsv);
}

void TestStreamExport::cancelStopsARunningFetch()
{
    // Given a query whose first row takes 30 s on the server
    KeysetQuery::Sql sql{"SELECT CAST(g AS text), CAST(pg_sleep(CASE WHEN g = 1 THEN 30 ELSE 0 END) AS text) "
                         "FROM generate_series(1, 3) g",
                         {}};
    const QString file = m_dir->filePath("slow.json");
    CancelToken token;
    QElapsedTimer clock;
    clock.start();
    QTimer::singleShot(300, m_executor.get(), [&] { m_executor->cancel(token); });
    const auto r = exportTo(file, Format::Json, sql, {{"g", Kind::Number}}, {}, {}, token);

    // Then the server cancels the FETCH at once, and no file appears
    QVERIFY(!r.ok());
    QCOMPARE(r.error().kind, Error::Kind::Cancelled);
    QVERIFY2(clock.elapsed() < 10000, qPrintable(QString::number(clock.elapsed())));
    QVERIFY(!QFile::exists(file));
    QVERIFY(QDir(m_dir->path()).entryList(QDir::Files).isEmpty());
}

void TestStreamExport::failingQueryLeavesNoFile()
{
    // A division by zero at row 15,000: two batches were written to the temporary file already
    KeysetQuery::Sql sql{"SELECT CAST(1 / (15000 - g) AS text) FROM generate_series(1, 20000) g", {}};
    const QString fresh = m_dir->filePath("fresh.csv");
    auto r = exportTo(fresh, Format::Csv, sql, {{"x"}});
    QVERIFY(!r.ok());
    QCOMPARE(r.error().kind, Error::Kind::Query);
    QVERIFY2(r.error().message.contains("division by zero"), qPrintable(r.error().toString()));
    QVERIFY(r.error().detail.contains("22012"));
    QVERIFY(!QFile::exists(fresh));

    // An existing file stays as it was; an unknown column fails before any row
    const QString old = m_dir->filePath("old.json");
    QVERIFY(writeFile(old, "[]\n"));
    r = exportTo(old, Format::Json, {"SELECT nope FROM tricky", {}}, {{"x"}});
    QVERIFY(!r.ok());
    QVERIFY2(r.error().message.contains("nope"), qPrintable(r.error().toString()));
    QCOMPARE(readAll(old), QByteArray("[]\n"));
    QCOMPARE(QDir(m_dir->path()).entryList(QDir::Files), QStringList{"old.json"});

    // A file that cannot be written is named
    r = exportTo(m_dir->filePath("no/such/dir/x.csv"), Format::Csv, trickyQuery().all(), trickyColumns());
    QVERIFY(!r.ok());
    QCOMPARE(r.error().kind, Error::Kind::Environment);
    QVERIFY(r.error().message.contains("x.csv"));
}

void TestStreamExport::memoryStaysBounded()
{
    // Given 200,000 rows of ~660 bytes (130 MB of CSV), generated by the server
    KeysetQuery::Sql sql{"SELECT CAST(g AS text), repeat(md5(CAST(g AS text)), 20), CAST(g * 1.5 AS text) "
                         "FROM generate_series(1, 200000) g ORDER BY g",
                         {}};
    const QList<StreamExport::Column> columns{{"g", Kind::Number}, {"text"}, {"n", Kind::Number}};
    // A first small export warms up the worker (connection, allocator)
    CCPM_VERIFY_OK(exportTo(m_dir->filePath("warm.csv"), Format::Csv, trickyQuery().all(), trickyColumns()));
    qint64 peak = 0;
    const qint64 before = residentBytes();
    auto progress = [&](qint64, qint64) { peak = std::max(peak, residentBytes()); };

    // When they are exported as CSV and as JSON
    for (const Format format : {Format::Csv, Format::Json}) {
        const QString file = m_dir->filePath(format == Format::Csv ? "big.csv" : "big.json");
        const auto r = exportTo(file, format, sql, columns, {}, progress);
        CCPM_VERIFY_OK(r);
        QCOMPARE(r->rows, 200000);
        QVERIFY(r->bytes > 120'000'000);
        QCOMPARE(QFileInfo(file).size(), r->bytes);
        QFile::remove(file);
    }

    // Then the process grew by far less than the data: the rows streamed through
    const qint64 growth = peak - before;
    qInfo("resident before %lld MB, peak while exporting %lld MB", before >> 20, peak >> 20);
#ifdef CCPM_SANITIZED
    // AddressSanitizer keeps freed memory in its quarantine (256 MB) and adds its shadow: the
    // resident size measures the sanitizer, not the export. The plain build checks the bound.
    QSKIP("Resident size is AddressSanitizer's here; the bound is checked by the plain build");
#endif
    QVERIFY2(growth < 50LL * 1024 * 1024, qPrintable(QString("grew by %1 MB").arg(growth >> 20)));
}

void TestStreamExport::studioTableOfEveryType()
{
    // Given the Studio schema's table of every type, typed by the catalog as the grid types it
    TestDatabase db("exporttypes");
    QVERIFY2(db.error().isEmpty(), qPrintable(db.error()));
    const QString loaded = db.loadSqlFile(TestDatabase::fixture("studio-schema.sql"));
    QVERIFY2(loaded.isEmpty(), qPrintable(loaded));
    QSqlDatabase connection = db.connection();
    const Result<SchemaCatalog> catalog = Catalog::load(connection);
    CCPM_VERIFY_OK(catalog);
    const CatalogTable *table = catalog->find("public", "everything");
    QVERIFY(table);
    const TableSpec spec = studioSpec(*table);
    const KeysetQuery query = spec.query(spec.columnOf("id"), true);
    DbExecutor executor(db.settings(), 1);

    // When the grid's query is exported as JSON
    StreamExport::Request request;
    request.query = query.all();
    request.count = query.count();
    request.columns = clipboard::exportColumns(spec);
    request.format = Format::Json;
    request.fileName = m_dir->filePath("everything.json");
    const auto r = QCoro::waitFor(StreamExport::run(executor, request, CancelToken()));
    CCPM_VERIFY_OK(r);
    QCOMPARE(r->rows, 3);

    // Then it is valid JSON with the values typed and exact
    const QByteArray json = readAll(request.fileName);
    QJsonParseError error;
    const QJsonArray rows = QJsonDocument::fromJson(json, &error).array();
    QVERIFY2(error.error == QJsonParseError::NoError, qPrintable(error.errorString() + "\n" + json));
    QCOMPARE(rows.size(), 3);
    QCOMPARE(json.count('\n'), 5); // five lines: "[", three objects, "]"
    for (const char *exact :
         {"\"big\":9007199254740993,", "\"big\":-9223372036854775808,", "\"amount\":83261.85,",
          "\"amount\":9999999999.99,", "\"small\":-32768,", "\"flag\":true,", "\"note\":\"\",",
          "\"note\":null,", "\"data\":42,", "\"data\":\"text\",", "\"doc\":{\"a\":[1,2]},",
          "\"numbers\":[1,2,3],", "\"tags\":[\"a\",\"b c\",null],", "\"prices\":[1.50,2.25],",
          "\"blob\":\"\\\\xdeadbeef\",", "\"happened\":\"2026-11-29 18:30:00.123+00\","})
        QVERIFY2(json.contains(exact), qPrintable(QString(exact) + " in " + QString::fromUtf8(json)));
    QCOMPARE(rows.at(0).toObject().value("during").toString(), QString("[1,10)"));

    // And as CSV, PostgreSQL's COPY reads it back into a copy of the table as it was
    request.format = Format::Csv;
    request.fileName = m_dir->filePath("everything.csv");
    CCPM_VERIFY_OK(QCoro::waitFor(StreamExport::run(executor, request, CancelToken())));
    // (arrays are exported as Studio selects them, as JSON: they go into jsonb columns)
    QCOMPARE(
        psql(db, {"-c", "CREATE TABLE back (LIKE everything); ALTER TABLE back ALTER tags TYPE jsonb USING "
                        "NULL, ALTER numbers TYPE jsonb USING NULL, ALTER prices TYPE jsonb USING NULL, "
                        "ALTER moods TYPE jsonb USING NULL"}),
        QString());
    QStringList names;
    for (const auto &c : request.columns)
        names << c.name;
    QCOMPARE(psql(db, {"-c", QString("\\copy back (%1) FROM '%2' WITH (FORMAT csv, HEADER true)")
                                 .arg(names.join(", "), request.fileName)}),
             QString());
    const QString scalars =
        "id, small, whole, big, amount, ratio, precise, flag, feeling, note, label, code, happened, "
        "local_at, day, clock, clock_tz, span, CAST(doc AS text), data, uid, blob, address, "
        "network, during";
    QCOMPARE(
        db.scalar(QString("SELECT count(*) FROM (SELECT %1 FROM everything EXCEPT SELECT %1 FROM back) d")
                      .arg(scalars))
            .toInt(),
        0);
    QCOMPARE(db.scalar("SELECT count(*) FROM back").toInt(), 3);
    QCOMPARE(
        db.scalar(
              "SELECT count(*) FROM everything e JOIN back b USING (id) WHERE to_jsonb(e.tags) IS DISTINCT "
              "FROM b.tags OR to_jsonb(e.numbers) IS DISTINCT FROM b.numbers OR to_jsonb(e.prices) IS "
              "DISTINCT FROM b.prices OR to_jsonb(e.moods) IS DISTINCT FROM b.moods")
            .toInt(),
        0);
}

QTEST_GUILESS_MAIN(TestStreamExport)
#include "tst_streamexport.moc"
