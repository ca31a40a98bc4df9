// The clipboard's formats (models/clipboardformat.h): TSV round trips with tabs, line breaks,
// quotes, and NULL apart from the empty string; blocks as spreadsheets paste them; typed JSON
// rows. Then StudioClipboard on a real PagedTableModel: a pasted block becomes staged edits from
// the current cell (read-only cells skipped and counted), one undo removes them, a copy pastes
// back the same values, and a save writes NULL and '' as pasted.
#include "catalog.h"
#include "clipboardformat.h"
#include "columnspecs.h"
#include "loadedmodel.h"
#include "pagedtablemodel.h"
#include "sqlvalues.h"
#include "studioclipboard.h"
#include "studiospec.h"
#include "testdatabase.h"

#include <QApplication>
#include <QClipboard>
#include <QDateTime>
#include <QMimeData>
#include <QSqlError>
#include <QSqlQuery>
#include <QTableView>
#include <QTest>

using namespace ccpm;
using Kind = exportformat::ValueKind;
using roles::CellState;

Q_DECLARE_METATYPE(QList<QStringList>)

namespace {

/// NULL as \N, so that comparisons see it apart from '' (QString compares null equal to empty).
QStringList shown(const QStringList &row)
{
    QStringList out;
    for (const QString &cell : row)
        out << (cell.isNull() ? QStringLiteral("\\N") : QStringLiteral("'%1'").arg(cell));
    return out;
}

QList<QStringList> shown(const QList<QStringList> &rows)
{
    QList<QStringList> out;
    for (const QStringList &row : rows)
        out << shown(row);
    return out;
}

enum Column { Name, Code, Qty, Price, DoneFlag, Note };

TableSpec itemsSpec()
{
    using Type = ColumnSpec::Type;
    TableSpec spec;
    spec.table = "pasted";
    spec.columns = {
        column("name", Type::Text, "text", false),      column("code", Type::Text, "text", false),
        column("qty", Type::Integer, "integer", false), column("price", Type::Decimal, "numeric", false),
        column("done", Type::Boolean, "boolean", true), column("note", Type::Text, "text", true)};
    spec.columns[Code].editable = false;
    return spec;
}

} // namespace

class TestClipboardFormat : public QObject {
    Q_OBJECT
private slots:
    void tsvRoundTrip_data();
    void tsvRoundTrip();
    void tsvEscaping();
    void spreadsheetBlocks_data();
    void spreadsheetBlocks();
    void cellTextOfRawValues();
    void rowJsonIsTyped();
    void pasteStagesEditsAndUndoRemovesThem();
    void everyStudioTypeRoundTripsThroughTheClipboard();

private:
    std::unique_ptr<TestDatabase> m_db;
};

void TestClipboardFormat::tsvRoundTrip_data()
{
    QTest::addColumn<QList<QStringList>>("rows");
    QTest::newRow("plain") << QList<QStringList>{{"a", "b"}, {"c", "d"}};
    QTest::newRow("tabs and line breaks")
        << QList<QStringList>{{"a\tb", "line1\nline2", "cr\r\nlf"}, {"\t", "\n", "\r"}};
    QTest::newRow("quotes") << QList<QStringList>{{"\"", "say \"hi\"", "\"quoted\"", "5\" screen"}};
    QTest::newRow("NULL and empty") << QList<QStringList>{{QString(), "", QString()}, {"", QString(), ""}};
    QTest::newRow("one NULL") << QList<QStringList>{{QString()}};
    QTest::newRow("one empty string") << QList<QStringList>{{""}};
    QTest::newRow("unicode and spaces") << QList<QStringList>{{" ünï ✓ 😀 ", "  ", "\\N"}};
    QTest::newRow("ragged rows") << QList<QStringList>{{"a"}, {"b", "c", QString()}, {QString(), "d"}};
}

void TestClipboardFormat::tsvRoundTrip()
{
    QFETCH(QList<QStringList>, rows);
    const QString tsv = clipboard::toTsv(rows);
    QCOMPARE(shown(clipboard::fromTsv(tsv)), shown(rows));
}

void TestClipboardFormat::tsvEscaping()
{
    // Quoted only when needed, quotes doubled, NULL empty, '' as "", rows ended by CRLF
    const QList<QStringList> rows{{"plain", "a\tb", "say \"hi\"", QString(), "", "x\ny"}};
    QCOMPARE(clipboard::toTsv(rows), QString("plain\t\"a\tb\"\t\"say \"\"hi\"\"\"\t\t\"\"\t\"x\ny\"\r\n"));
}

void TestClipboardFormat::spreadsheetBlocks_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QList<QStringList>>("rows");
    QTest::newRow("Excel, CRLF") << "a\tb\r\nc\td\r\n" << QList<QStringList>{{"a", "b"}, {"c", "d"}};
    QTest::newRow("LF, no final break") << "a\tb\nc\td" << QList<QStringList>{{"a", "b"}, {"c", "d"}};
    QTest::newRow("one value") << "42" << QList<QStringList>{{"42"}};
    QTest::newRow("one value and a break") << "42\n" << QList<QStringList>{{"42"}};
    QTest::newRow("LibreOffice multi-line cell") << "\"first\nsecond\"\tnext\n"
                                                 << QList<QStringList>{{"first\nsecond", "next"}};
    QTest::newRow("a quote inside an unquoted cell") << "5\" screen\tok\n"
                                                     << QList<QStringList>{{"5\" screen", "ok"}};
    QTest::newRow("empty cells") << "\tb\t\n\t\n"
                                 << QList<QStringList>{{QString(), "b", QString()}, {QString(), QString()}};
    QTest::newRow("an empty line is one empty cell") << "a\r\n\r\nb\r\n"
                                                     << QList<QStringList>{{"a"}, {QString()}, {"b"}};
    QTest::newRow("old Mac CR") << "a\rb\r" << QList<QStringList>{{"a"}, {"b"}};
    QTest::newRow("nothing") << "" << QList<QStringList>{};
}

void TestClipboardFormat::spreadsheetBlocks()
{
    QFETCH(QString, text);
    QFETCH(QList<QStringList>, rows);
    QCOMPARE(shown(clipboard::fromTsv(text)), shown(rows));
}

void TestClipboardFormat::cellTextOfRawValues()
{
    QCOMPARE(clipboard::cellText(QVariant()), QString());
    QVERIFY(clipboard::cellText(QVariant()).isNull());
    QVERIFY(!clipboard::cellText(QString("")).isNull());
    QCOMPARE(clipboard::cellText(true), "true");
    QCOMPARE(clipboard::cellText(qlonglong(9007199254740993LL)), "9007199254740993");
    QCOMPARE(clipboard::cellText(QString("83261.85")), "83261.85");
    QCOMPARE(clipboard::cellText(QDateTime(QDate(2026, 11, 29), QTime(18, 30, 0, 123), Qt::UTC)),
             "2026-11-29T18:30:00.123Z");
    QCOMPARE(clipboard::cellText(QStringList{"a", "b,c", QString()}), "[\"a\",\"b,c\",\"\"]");
    QCOMPARE(clipboard::cellText(QByteArray("\x00\xff"
                                            "A",
                                            3)),
             "\\x00ff41");
    QCOMPARE(clipboard::cellText(QDate(2026, 2, 28)), "2026-02-28");
    QVERIFY(clipboard::cellText(sql::columnDefault()).isNull());
}

void TestClipboardFormat::rowJsonIsTyped()
{
    const QByteArray json = clipboard::rowJson(
        {"id", "price", "big", "ok", "meta", "name", "none", "nan"},
        {"7", "83261.85", "9007199254740993", "true", "{\"a\": [1, 2.50]}", "say \"hi\"\n", QString(), "NaN"},
        {Kind::Number, Kind::Number, Kind::Number, Kind::Boolean, Kind::Json, Kind::String, Kind::String,
         Kind::Number});
    QCOMPARE(json,
             QByteArray(
                 "{\"id\":7,\"price\":83261.85,\"big\":9007199254740993,\"ok\":true,"
                 "\"meta\":{\"a\":[1,2.50]},\"name\":\"say \\\"hi\\\"\\n\",\"none\":null,\"nan\":\"NaN\"}"));

    // The kinds follow the column types
    QCOMPARE(clipboard::valueKind(column("n", ColumnSpec::Type::Decimal, "numeric", true)), Kind::Number);
    QCOMPARE(clipboard::valueKind(column("b", ColumnSpec::Type::Boolean, "boolean", true)), Kind::Boolean);
    QCOMPARE(clipboard::valueKind(column("j", ColumnSpec::Type::Json, "jsonb", true)), Kind::Json);
    QCOMPARE(clipboard::valueKind(column("a", ColumnSpec::Type::Array, "integer[]", true)), Kind::Json);
    QCOMPARE(clipboard::valueKind(column("t", ColumnSpec::Type::ZonedTimestamp, "timestamptz", true)),
             Kind::String);
    const QList<StreamExport::Column> exported = clipboard::exportColumns(itemsSpec());
    QCOMPARE(exported.size(), 6);
    QCOMPARE(exported.at(Qty).name, QString("qty"));
    QCOMPARE(exported.at(Qty).kind, Kind::Number);
    QCOMPARE(exported.at(DoneFlag).kind, Kind::Boolean);
    QCOMPARE(exported.at(Note).kind, Kind::String);
}

void TestClipboardFormat::pasteStagesEditsAndUndoRemovesThem()
{
    // Given a small table in a grid
    TestDatabase db("clipboard");
    QVERIFY2(db.error().isEmpty(), qPrintable(db.error()));
    QSqlQuery q(db.connection());
    QVERIFY2(q.exec("CREATE TABLE pasted (id text PRIMARY KEY, name text NOT NULL, code text NOT NULL, "
                    "qty integer NOT NULL, price numeric NOT NULL, done boolean, note text)"),
             qPrintable(q.lastError().text()));
    QVERIFY(q.exec("INSERT INTO pasted SELECT 'r' || g, 'name ' || g, 'C' || g, g, g * 1.25, NULL, 'n' || g "
                   "FROM generate_series(1, 4) g"));
    DbExecutor executor(db.settings());
    LoadedModel t(executor, itemsSpec(), 4);
    QCOMPARE(t.model.rowCount(), 4);
    QTableView view;
    view.setModel(&t.model);
    StudioClipboard clipboard(&view);

    // When a 2 x 6 block is pasted at the first row's first cell
    view.setCurrentIndex(t.cell("r1", Name));
    const QString block = "alpha\tX\t7\t1.50\ttrue\t\r\n"
                          "beta\tY\toops\t2\t\t\"\"\r\n";
    const QString message = clipboard.pasteRows(clipboard::fromTsv(block));

    // Then ten cells are staged and the two read-only codes skipped
    QCOMPARE(message, QString("Pasted 10 cells as staged edits. 2 cells skipped: not editable."));
    QCOMPARE(t.cell("r1", Name).data(Qt::EditRole).toString(), "alpha");
    QCOMPARE(t.cell("r1", Price).data(roles::RawValue).toString(), "1.50");
    QCOMPARE(t.cell("r1", DoneFlag).data(roles::RawValue), QVariant(true));
    QVERIFY(t.cell("r1", Note).data(roles::RawValue).isNull());  // an empty cell: NULL
    QVERIFY(!t.cell("r2", Note).data(roles::RawValue).isNull()); // "": the empty string
    QCOMPARE(t.cell("r2", Note).data(roles::RawValue).toString(), QString());
    QVERIFY(t.cell("r2", DoneFlag).data(roles::RawValue).isNull());
    QCOMPARE(t.state("r1", Code), CellState::Clean);
    QCOMPARE(t.state("r2", Qty), CellState::Edited);
    QCOMPARE(t.state("r3", Name), CellState::Clean);
    // "oops" is staged all the same, and the model names the problem when validating
    QCOMPARE(t.cell("r2", Qty).data(Qt::DisplayRole).toString(), "oops");
    QVERIFY(!t.model.validate().isEmpty());
    QVERIFY(!t.cell("r2", Qty).data(roles::Problem).toString().isEmpty());

    // And one undo removes the whole paste; redo brings it back
    QVERIFY(t.model.hasStagedChanges());
    t.model.undoStack()->undo();
    QVERIFY(!t.model.hasStagedChanges());
    QCOMPARE(t.cell("r1", Name).data(Qt::EditRole).toString(), "name 1");
    QCOMPARE(t.cell("r1", Note).data(roles::RawValue).toString(), "n1");
    t.model.undoStack()->redo();
    QCOMPARE(t.cell("r2", Name).data(Qt::EditRole).toString(), "beta");
    t.model.undoStack()->undo();

    // A copied selection pastes back the same values elsewhere
    view.selectionModel()->select(QItemSelection(t.cell("r1", Qty), t.cell("r2", Note)),
                                  QItemSelectionModel::ClearAndSelect);
    QCOMPARE(clipboard.copy(), QString("Copied 8 cells as TSV."));
    QCOMPARE(QGuiApplication::clipboard()->text(), QString("1\t1.25\t\tn1\r\n2\t2.50\t\tn2\r\n"));
    view.setCurrentIndex(t.cell("r3", Qty));
    view.selectionModel()->clearSelection();
    QCOMPARE(clipboard.paste(), QString("Pasted 8 cells as staged edits."));
    QCOMPARE(t.cell("r3", Qty).data(roles::RawValue), QVariant(qlonglong(1)));
    QCOMPARE(t.cell("r4", Price).data(roles::RawValue).toString(), "2.50");
    QVERIFY(t.cell("r4", DoneFlag).data(roles::RawValue).isNull());
    t.model.undoStack()->undo();

    // One value over a selection goes into every selected cell
    view.selectionModel()->select(QItemSelection(t.cell("r1", Name), t.cell("r3", Name)),
                                  QItemSelectionModel::ClearAndSelect);
    QCOMPARE(clipboard.pasteRows({{"same"}}), QString("Pasted 3 cells as staged edits."));
    QCOMPARE(t.cell("r3", Name).data().toString(), "same");
    t.model.undoStack()->undo();

    // A single cell copies as its own text; a row copies as typed JSON
    view.selectionModel()->clearSelection();
    view.setCurrentIndex(t.cell("r2", Price));
    QCOMPARE(clipboard.copy(), QString("Copied the cell."));
    QCOMPARE(QGuiApplication::clipboard()->text(), QString("2.50"));
    QCOMPARE(clipboard.copyRowAsJson(), QString("Copied 1 row as JSON."));
    QCOMPARE(
        QGuiApplication::clipboard()->text(),
        QString(
            "{\"name\":\"name 2\",\"code\":\"C2\",\"qty\":2,\"price\":2.50,\"done\":null,\"note\":\"n2\"}"));

    // The keys do the same in a shown grid (the view's own Ctrl+C would copy the display text)
    view.show();
    view.activateWindow();
    view.setFocus();
    QVERIFY(QTest::qWaitForWindowActive(&view));
    view.selectionModel()->select(QItemSelection(t.cell("r1", Qty), t.cell("r1", Price)),
                                  QItemSelectionModel::ClearAndSelect);
    QTest::keyClick(&view, Qt::Key_C, Qt::ControlModifier);
    QCOMPARE(QGuiApplication::clipboard()->text(), QString("1\t1.25\r\n"));
    view.selectionModel()->clearSelection();
    view.setCurrentIndex(t.cell("r4", Qty));
    QTest::keyClick(&view, Qt::Key_V, Qt::ControlModifier);
    QCOMPARE(t.cell("r4", Price).data(roles::RawValue).toString(), "1.25");
    t.model.undoStack()->undo();
    QVERIFY(!t.model.hasStagedChanges());

    // A paste that runs past the table's edge counts what fell outside
    view.setCurrentIndex(t.cell("r4", Note));
    QCOMPARE(clipboard.pasteRows({{"x", "y"}, {"z"}}),
             QString("Pasted 1 cell as staged edits. 2 values fell outside the table."));
    t.model.undoStack()->undo();

    // Saving a valid paste writes NULL and '' as pasted
    view.setCurrentIndex(t.cell("r1", Note));
    clipboard.pasteRows(clipboard::fromTsv("\r\n\"\"\r\n"));
    QCOMPARE(t.save().at(0).toBool(), true);
    QVERIFY(db.scalar("SELECT note IS NULL FROM pasted WHERE id = 'r1'").toBool());
    QCOMPARE(db.scalar("SELECT note = '' FROM pasted WHERE id = 'r2'").toBool(), true);
}

void TestClipboardFormat::everyStudioTypeRoundTripsThroughTheClipboard()
{
    // Given the Studio test schema's table of every type (NULLs, '' and NULL, bigint extremes,
    // timestamptz, bytea, arrays with NULL elements, empty arrays, json scalars) in a grid
    TestDatabase db("clipboardtypes");
    QVERIFY2(db.error().isEmpty(), qPrintable(db.error()));
    const QString loaded = db.loadSqlFile(TestDatabase::fixture("studio-schema.sql"));
    QVERIFY2(loaded.isEmpty(), qPrintable(loaded));
    QSqlDatabase connection = db.connection();
    const Result<SchemaCatalog> catalog = Catalog::load(connection);
    CCPM_VERIFY_OK(catalog);
    const CatalogTable *table = catalog->find("public", "everything");
    QVERIFY(table);
    DbExecutor executor(db.settings());
    LoadedModel t(executor, studioSpec(*table), 3);
    QCOMPARE(t.model.rowCount(), 3);
    QTableView view;
    view.setModel(&t.model);
    StudioClipboard clipboard(&view);

    // When every cell is copied and pasted back where it came from
    const int columns = t.model.columnCount();
    view.selectAll();
    QVERIFY2(clipboard.copy().startsWith("Copied"), qPrintable(clipboard.copy()));
    view.selectionModel()->clearSelection();
    view.setCurrentIndex(t.model.index(0, 0));
    const QString message = clipboard.paste();

    // Then every editable cell read its own value back: nothing differs, nothing is staged
    // (the identity id and the generated column are the two read-only ones)
    QCOMPARE(message,
             QString("Pasted %1 cells as staged edits. 6 cells skipped: not editable.").arg(3 * columns - 6));
    const QList<StagedChanges::Problem> problems = t.model.validate();
    QVERIFY(problems.isEmpty());
    if (t.model.hasStagedChanges()) {
        QStringList changed;
        for (int row = 0; row < 3; ++row) {
            for (int c = 0; c < columns; ++c) {
                if (CellState(t.model.index(row, c).data(roles::EditState).toInt()) == CellState::Edited)
                    changed << QString("%1/%2: %3")
                                   .arg(row)
                                   .arg(t.model.spec().columns.at(c).name,
                                        t.model.index(row, c).data(Qt::EditRole).toString());
            }
        }
        QFAIL(qPrintable("staged after the round trip: " + changed.join("; ")));
    }
}

QTEST_MAIN(TestClipboardFormat)
#include "tst_clipboardformat.moc"
