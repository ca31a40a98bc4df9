// ExportDialog against the real server: the default file name, an export of a filtered view
// with its progress and final message (and a screenshot while it runs), cancel, and a failure
// showing the server's message. Offscreen.
#include "exportdialog.h"
#include "keysetquery.h"
#include "testdatabase.h"

#include <QApplication>
#include <QDir>
#include <QFile>
#include <QLocale>
#include <QProgressBar>
#include <QSignalSpy>
#include <QSqlError>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace ccpm;
using Kind = exportformat::ValueKind;
using Filter = KeysetQuery::Filter;

namespace {

KeysetQuery numbersQuery(QList<Filter> filters = {}, const QString &table = "numbers")
{
    KeysetQuery::Source source;
    source.from = "\"" + table + "\" t";
    source.table = "\"" + table + "\"";
    source.id = "t.\"id\"";
    source.columns = {"CAST(t.\"id\" AS text)", "CAST(t.\"label\" AS text)"};
    return KeysetQuery(source, {{"t.\"id\"", true, false}}, std::move(filters));
}

const QList<StreamExport::Column> kColumns{{"id", Kind::Number}, {"label", Kind::String}};

} // namespace

class TestExportDialog : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase();
    void defaultFileFollowsTheTableAndFormat();
    void exportsTheViewWithProgress();
    void cancelLeavesNoFile();
    void failureShowsTheServerMessage();

private:
    std::unique_ptr<TestDatabase> m_db;
    std::unique_ptr<DbExecutor> m_executor;
    QTemporaryDir m_dir;
};

void TestExportDialog::initTestCase()
{
    QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates));
    m_db = std::make_unique<TestDatabase>("exportdialog");
    QVERIFY2(m_db->error().isEmpty(), qPrintable(m_db->error()));
    QSqlQuery q(m_db->connection());
    QVERIFY2(q.exec("CREATE TABLE numbers (id bigint PRIMARY KEY, label text)"),
             qPrintable(q.lastError().text()));
    QVERIFY(q.exec("INSERT INTO numbers SELECT g, 'row ' || g || ', ' || md5(g::text) FROM "
                   "generate_series(1, 400000) g"));
    m_executor = std::make_unique<DbExecutor>(m_db->settings(), 2);
}

void TestExportDialog::cleanupTestCase()
{
    m_executor.reset();
    m_db.reset();
}

void TestExportDialog::defaultFileFollowsTheTableAndFormat()
{
    ExportDialog dialog(*m_executor, numbersQuery(), kColumns, "we\"ird/name");
    const QString documents = QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
    QCOMPARE(QFileInfo(dialog.fileName()).fileName(), QString("we_ird_name.csv"));
    if (!documents.isEmpty())
        QCOMPARE(QFileInfo(dialog.fileName()).absolutePath(), QDir(documents).absolutePath());
    dialog.setFormat(StreamExport::Format::Json);
    QCOMPARE(QFileInfo(dialog.fileName()).fileName(), QString("we_ird_name.json"));
    dialog.setFormat(StreamExport::Format::Csv);
    QCOMPARE(QFileInfo(dialog.fileName()).fileName(), QString("we_ird_name.csv"));
}

void TestExportDialog::exportsTheViewWithProgress()
{
    // Given the view filtered to ids up to 300,000
    ExportDialog dialog(*m_executor, numbersQuery({{"t.\"id\"", Filter::Op::AtMost, "300000", "bigint"}}),
                        kColumns, "numbers");
    const QString file = m_dir.filePath("numbers.csv");
    dialog.setFileName(file);
    dialog.resize(640, 260);
    dialog.show();
    QSignalSpy finished(&dialog, &ExportDialog::exportFinished);

    // When it exports, the progress shows rows out of the exact count
    dialog.start();
    QVERIFY(dialog.isRunning());
    QTRY_VERIFY_WITH_TIMEOUT(dialog.statusText().contains(" of 300,000 rows") || !finished.isEmpty(), 60000);
    if (finished.isEmpty() && !qEnvironmentVariableIsEmpty("CCPM_SCREENSHOT_DIR"))
        dialog.grab().save(
            QDir(qEnvironmentVariable("CCPM_SCREENSHOT_DIR")).filePath("studio-export-progress.png"));

    // Then it ends with the row count and the time, and the file holds the header and the rows
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 120000);
    QCOMPARE(finished.first().at(0).toBool(), true);
    const QString message = finished.first().at(1).toString();
    QVERIFY2(message.startsWith("Exported 300,000 rows to "), qPrintable(message));
    QVERIFY2(message.contains(" rows/s)"), qPrintable(message));
    QCOMPARE(dialog.statusText(), message);
    QCOMPARE(dialog.findChild<QProgressBar *>()->value(), dialog.findChild<QProgressBar *>()->maximum());
    QFile f(file);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QByteArray csv = f.readAll();
    QCOMPARE(csv.count("\r\n"), 300001);
    QVERIFY(csv.startsWith("id,label\r\n1,\"row 1, c4ca4238a0b923820dcc509a6f75849b\"\r\n"));
    if (!qEnvironmentVariableIsEmpty("CCPM_SCREENSHOT_DIR"))
        dialog.grab().save(
            QDir(qEnvironmentVariable("CCPM_SCREENSHOT_DIR")).filePath("studio-export-done.png"));
}

void TestExportDialog::cancelLeavesNoFile()
{
    ExportDialog dialog(*m_executor, numbersQuery(), kColumns, "numbers");
    const QString file = m_dir.filePath("cancelled.json");
    dialog.setFileName(file);
    dialog.setFormat(StreamExport::Format::Json);
    QSignalSpy finished(&dialog, &ExportDialog::exportFinished);
    dialog.start();
    QTRY_VERIFY_WITH_TIMEOUT(dialog.statusText().contains(" of 400,000 rows") || !finished.isEmpty(), 60000);
    dialog.cancel();
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 60000);
    if (finished.first().at(0).toBool())
        QSKIP("The export finished before the cancel reached it.");
    QCOMPARE(finished.first().at(1).toString(), QString("Export cancelled: no file was written."));
    QVERIFY(!QFile::exists(file));
    QVERIFY(!dialog.isRunning());
}

void TestExportDialog::failureShowsTheServerMessage()
{
    ExportDialog dialog(*m_executor, numbersQuery({}, "gone"), kColumns, "gone");
    dialog.setFileName(m_dir.filePath("gone.csv"));
    QSignalSpy finished(&dialog, &ExportDialog::exportFinished);
    dialog.start();
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 60000);
    QCOMPARE(finished.first().at(0).toBool(), false);
    QCOMPARE(finished.first().at(1).toString(),
             QString("The export failed: relation \"gone\" does not exist"));
    QVERIFY(!QFile::exists(m_dir.filePath("gone.csv")));
}

QTEST_MAIN(TestExportDialog)
#include "tst_exportdialog.moc"
