// StudioDelegate (issue 6): each editor is the one for its column type, starts from the cell's
// value, validates as the user types, and commits what the model must store (through a model
// that, like PagedTableModel, turns editor values into stored text with ColumnSpec::fromEdit);
// NULL, '' and DEFAULT are painted apart; Set to NULL / Set to DEFAULT act on the selection.
// Saves screenshots of the JSON editor, the array editor and the enum combo box to
// docs/screenshots/. Runs in New York's time zone.
#include "arrayeditor.h"
#include "byteaeditor.h"
#include "columnspecs.h"
#include "itemroles.h"
#include "jsoneditor.h"
#include "sqlvalues.h"
#include "studiodelegate.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QApplication>
#include <QComboBox>
#include <QDir>
#include <QHeaderView>
#include <QLineEdit>
#include <QListWidget>
#include <QPainter>
#include <QPlainTextEdit>
#include <QTableView>
#include <QTest>

#include <ctime>

using namespace ccpm;
using Type = ColumnSpec::Type;

namespace {

// Stored text per cell; data() and setData() through the columns' ColumnSpec, as
// PagedTableModel does.
class SpecModel : public QAbstractTableModel {
public:
    SpecModel(TableSpec spec, QList<QVariantList> rows)
        : m_spec(std::move(spec))
        , m_rows(std::move(rows))
    {
    }

    int rowCount(const QModelIndex &parent = {}) const override
    {
        return parent.isValid() ? 0 : int(m_rows.size());
    }
    int columnCount(const QModelIndex &parent = {}) const override
    {
        return parent.isValid() ? 0 : int(m_spec.columns.size());
    }
    QVariant data(const QModelIndex &index, int role) const override
    {
        if (!checkIndex(index, CheckIndexOption::IndexIsValid))
            return {};
        const ColumnSpec &c = m_spec.columns.at(index.column());
        const QVariant text = stored(index);
        switch (role) {
        case Qt::DisplayRole:
            return c.display(text);
        case Qt::EditRole:
            return c.editValue(text);
        case roles::RawValue:
            return c.raw(text);
        case Qt::ToolTipRole:
            return c.toolTip(text);
        default:
            return {};
        }
    }
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override
    {
        if (orientation == Qt::Horizontal && role == Qt::DisplayRole && section < m_spec.columns.size())
            return m_spec.columns.at(section).header;
        return QAbstractTableModel::headerData(section, orientation, role);
    }
    Qt::ItemFlags flags(const QModelIndex &index) const override
    {
        return index.isValid() ? QAbstractTableModel::flags(index) | Qt::ItemIsEditable
                               : QAbstractTableModel::flags(index);
    }
    bool setData(const QModelIndex &index, const QVariant &value, int role) override
    {
        if (role != Qt::EditRole || !checkIndex(index, CheckIndexOption::IndexIsValid))
            return false;
        m_rows[index.row()][index.column()] = m_spec.columns.at(index.column()).fromEdit(value);
        ++writes;
        emit dataChanged(index, index);
        return true;
    }
    QVariant stored(const QModelIndex &index) const { return m_rows.at(index.row()).value(index.column()); }

    int writes = 0;

private:
    TableSpec m_spec;
    QList<QVariantList> m_rows;
};

enum Col { Id, Payload, Scores, Mood, MoodRequired, Flag, Blob, Zoned, Local, Amount, Note, Tags, Count };

TableSpec studioTable()
{
    TableSpec spec;
    spec.schema = "public";
    spec.table = "readings";
    spec.idColumn = "id";
    spec.keyColumns = {"id"};
    spec.keyTypes = {"integer"};
    spec.clientKeys = false;
    ColumnSpec id = column("id", Type::Integer, "integer", false);
    id.hasDefault = true;
    id.defaultExpression = "nextval('readings_id_seq'::regclass)";
    ColumnSpec scores = column("scores", Type::Array, "integer[]");
    scores.elementType = "integer";
    ColumnSpec mood = column("mood", Type::Enum, "mood");
    mood.values = {"happy", "sad", "it's, \"odd\""};
    ColumnSpec moodRequired = mood;
    moodRequired.name = moodRequired.header = "mood_required";
    moodRequired.nullable = false;
    ColumnSpec amount = column("amount", Type::Decimal, "numeric(12,2)");
    amount.hasDefault = true;
    amount.defaultExpression = "0";
    spec.columns = {id,
                    column("payload", Type::Json, "jsonb"),
                    scores,
                    mood,
                    moodRequired,
                    column("flag", Type::Boolean, "boolean"),
                    column("blob", Type::Bytea, "bytea"),
                    column("seen_at", Type::ZonedTimestamp, "timestamp with time zone"),
                    column("local_at", Type::LocalTimestamp, "timestamp without time zone"),
                    amount,
                    column("note", Type::Text, "text"),
                    column("tags", Type::TextArray, "text[]")};
    return spec;
}

QList<QVariantList> studioRows()
{
    const QVariant null;
    return {
        {"1", R"({"sensor": "north", "values": [83261.85, 9007199254740993], "ok": true})", "[1,null,3]",
         "sad", "happy", "true", R"(\x00ff10203040506070)", "2026-11-29 18:30:00+00", "2026-11-29 18:30:00",
         "83261.85", "", R"(["a,b",null,""])"},
        {"2", "42", "[]", null, "sad", null, R"(\x)", "2026-07-01 12:00:00.5+00", "2026-03-08 02:30:00", null,
         null, null},
        {"3", "null", null, "it's, \"odd\"", "happy", "false", null, null, null, "-0.01", "a\nb", "[]"},
    };
}

class Probe : public StudioDelegate {
public:
    using StudioDelegate::initStyleOption;
    using StudioDelegate::StudioDelegate;
};

QString screenshotPath(const QString &name)
{
    QDir().mkpath(QStringLiteral(CCPM_SOURCE_DIR "/docs/screenshots"));
    return QStringLiteral(CCPM_SOURCE_DIR "/docs/screenshots/") + name;
}

} // namespace

class TestStudioDelegate : public QObject {
    Q_OBJECT
private slots:
    void init();
    void cleanup();
    void nullEmptyAndDefaultArePaintedApart();
    void hugeTextShowsItsStartOnly();
    void jsonEditorValidatesScalarsAndCommits();
    void arrayEditorEditsElementsAndNulls();
    void enumComboOffersNullWhenNullable();
    void booleanHasThreeStatesWhenNullable();
    void byteaShowsSizeAndHexAndTakesHex();
    void timestampEditorsShowTheirZone();
    void lineEditorFlagsBadInput();
    void editorClosedUnchangedWritesNothing();
    void setNullAndDefaultActions();
    void screenshots();

private:
    QModelIndex cell(int row, int col) const { return m_model->index(row, col); }
    template <typename Editor>
    Editor *openEditor(int row, int col);
    void commit(QWidget *editor);

    std::unique_ptr<SpecModel> m_model;
    std::unique_ptr<QAbstractItemModelTester> m_tester;
    std::unique_ptr<QTableView> m_view;
    Probe *m_delegate = nullptr;
};

void TestStudioDelegate::init()
{
    m_model = std::make_unique<SpecModel>(studioTable(), studioRows());
    m_tester = std::make_unique<QAbstractItemModelTester>(m_model.get());
    m_view = std::make_unique<QTableView>();
    m_delegate = new Probe(m_view.get());
    m_delegate->setSpec(studioTable());
    m_view->setItemDelegate(m_delegate);
    m_view->setModel(m_model.get());
    m_view->resize(1100, 650);
    m_view->horizontalHeader()->setDefaultSectionSize(150);
    m_view->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_view.get()));
}

void TestStudioDelegate::cleanup()
{
    m_view.reset();
    m_tester.reset();
    m_model.reset();
}

template <typename Editor>
Editor *TestStudioDelegate::openEditor(int row, int col)
{
    // A closed editor is deleted later: gone before the next one is looked for
    QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete);
    m_view->setCurrentIndex(cell(row, col));
    m_view->edit(cell(row, col));
    return m_view->viewport()->findChild<Editor *>();
}

void TestStudioDelegate::commit(QWidget *editor)
{
    emit m_delegate->commitData(editor);
    emit m_delegate->closeEditor(editor, QAbstractItemDelegate::NoHint);
}

void TestStudioDelegate::nullEmptyAndDefaultArePaintedApart()
{
    auto style = [this](int row, int col) {
        QStyleOptionViewItem option;
        option.initFrom(m_view.get());
        m_delegate->initStyleOption(&option, cell(row, col));
        return option;
    };
    // NULL: a grey italic NULL; '': nothing; a value: itself
    QCOMPARE(style(1, Note).text, QStringLiteral("NULL"));
    QVERIFY(style(1, Note).font.italic());
    QCOMPARE(style(0, Note).text, QString());
    QVERIFY(!style(0, Note).font.italic());
    QCOMPARE(style(2, Payload).text, QStringLiteral("null")); // JSON null is a value
    QVERIFY(!style(2, Payload).font.italic());
    QCOMPARE(style(1, Mood).text, QStringLiteral("NULL"));
    QCOMPARE(style(1, Flag).text, QStringLiteral("NULL"));
    // DEFAULT: staged through the model
    QVERIFY(m_model->setData(cell(0, Amount), sql::columnDefault(), Qt::EditRole));
    QVERIFY(sql::isColumnDefault(m_model->stored(cell(0, Amount))));
    QCOMPARE(style(0, Amount).text, QStringLiteral("DEFAULT"));
    QVERIFY(style(0, Amount).font.italic());
    QVERIFY(style(0, Amount).palette.color(QPalette::Text) != style(1, Note).palette.color(QPalette::Text));
    // Numbers right-aligned, exact
    QCOMPARE(style(2, Amount).text, QStringLiteral("-0.01"));
    QVERIFY(style(2, Amount).displayAlignment & Qt::AlignRight);
    // Bytea as its size and hex; timestamptz in New York time with its offset
    QCOMPARE(style(0, Blob).text, QString::fromUtf8("9 bytes · 00ff1020304050607"
                                                    "0"));
    QCOMPARE(style(0, Zoned).text, QStringLiteral("2026-11-29 13:30:00 -05:00"));
    QCOMPARE(style(1, Local).text, QStringLiteral("2026-03-08 02:30:00")); // never shifted
}

void TestStudioDelegate::hugeTextShowsItsStartOnly()
{
    // 10 MB in one cell: the grid lays out only its start, the value itself stays whole
    const QString huge = QStringLiteral("line\n") + QString(10'000'000, QLatin1Char('x'));
    QVERIFY(m_model->setData(cell(0, Note), huge, Qt::EditRole));
    QStyleOptionViewItem option;
    option.initFrom(m_view.get());
    m_delegate->initStyleOption(&option, cell(0, Note));
    QCOMPARE(option.text.size(), 2000);
    QVERIFY(option.text.startsWith(QStringLiteral("line") + QChar(0x23CE) + QStringLiteral("xxx")));
    QVERIFY(option.text.endsWith(QChar(0x2026)));
    QCOMPARE(m_model->data(cell(0, Note), Qt::EditRole).toString().size(), huge.size());
    QCOMPARE(m_model->stored(cell(0, Note)).toString(), huge);
    QVERIFY(!m_view->grab().isNull()); // painted with it in view
}

void TestStudioDelegate::jsonEditorValidatesScalarsAndCommits()
{
    auto *editor = openEditor<JsonEditor>(0, Payload);
    QVERIFY(editor);
    QCOMPARE(editor->text(), m_model->stored(cell(0, Payload)).toString());
    QVERIFY(editor->status().startsWith("Valid JSON: an object"));

    // Scalars are valid; broken JSON says why and cannot be applied
    editor->textEdit()->setPlainText("42");
    QCOMPARE(editor->status(), QStringLiteral("Valid JSON: a number."));
    editor->textEdit()->setPlainText("null");
    QCOMPARE(editor->status(), QStringLiteral("Valid JSON: JSON null (not SQL NULL)."));
    editor->textEdit()->setPlainText("{\"a\": }");
    QVERIFY(!editor->isValid());
    QVERIFY2(editor->status().startsWith("Invalid: payload is not valid JSON"), qPrintable(editor->status()));
    QTest::keyClick(editor->textEdit(), Qt::Key_Return, Qt::ControlModifier);
    QCOMPARE(m_model->writes, 0); // refused while invalid
    QVERIFY(m_view->viewport()->findChild<JsonEditor *>());

    // When a scalar string is typed and Ctrl+Enter pressed
    editor->textEdit()->setPlainText(" \"x\" ");
    QVERIFY(editor->isValid());
    QTest::keyClick(editor->textEdit(), Qt::Key_Return, Qt::ControlModifier);
    // Then the model stores it, and the editor is gone
    QCOMPARE(m_model->writes, 1);
    QCOMPARE(m_model->stored(cell(0, Payload)).toString(), QStringLiteral("\"x\""));
    QTRY_VERIFY(!m_view->viewport()->findChild<JsonEditor *>());

    // Emptied: SQL NULL, not JSON null
    editor = openEditor<JsonEditor>(1, Payload);
    QCOMPARE(editor->text(), QStringLiteral("42"));
    editor->textEdit()->clear();
    QCOMPARE(editor->status(), QStringLiteral("Empty: saves SQL NULL."));
    commit(editor);
    QVERIFY(m_model->stored(cell(1, Payload)).isNull());
}

void TestStudioDelegate::arrayEditorEditsElementsAndNulls()
{
    auto *editor = openEditor<ArrayEditor>(0, Scores);
    QVERIFY(editor);
    QCOMPARE(editor->elements(), (QStringList{"1", QString(), "3"}));
    QVERIFY(editor->elements().at(1).isNull());
    QVERIFY(editor->list()->item(1)->font().italic());
    QCOMPARE(editor->status(), QStringLiteral("3 elements of integer."));

    // A bad element is named
    editor->addElement("x2");
    QVERIFY(!editor->isValid());
    QCOMPARE(editor->status(), QString::fromUtf8("Element 4 (“x2”) must be a whole number."));
    editor->list()->item(3)->setText("2147483648");
    QCOMPARE(editor->status(),
             QString::fromUtf8("Element 4 (“2147483648”) must be between -2,147,483,648 and "
                               "2,147,483,647."));
    editor->removeCurrent();
    QVERIFY(editor->isValid());

    // Add a NULL, move it up, turn the first element into NULL, give the middle NULL a value
    editor->addNull();
    editor->moveCurrent(-1);
    QCOMPARE(editor->elements(), (QStringList{"1", QString(), QString(), "3"}));
    editor->list()->setCurrentRow(0);
    editor->setCurrentNull();
    editor->list()->item(1)->setText("7");
    QCOMPARE(editor->elements(), (QStringList{QString(), "7", QString(), "3"}));
    QTest::keyClick(editor->list(), Qt::Key_Return, Qt::ControlModifier);
    QCOMPARE(m_model->stored(cell(0, Scores)).toString(), QStringLiteral(R"([null,"7",null,"3"])"));

    // text[] too: commas, NULL and '' kept apart
    editor = openEditor<ArrayEditor>(0, Tags);
    QCOMPARE(editor->elements(), (QStringList{"a,b", QString(), ""}));
    QVERIFY(editor->elements().at(1).isNull());
    QVERIFY(!editor->elements().at(2).isNull());
    editor->addElement("q\"uote");
    commit(editor);
    QCOMPARE(m_model->stored(cell(0, Tags)).toString(), QStringLiteral(R"(["a,b",null,"","q\"uote"])"));

    // A NULL array starts empty; applied, it is an empty array
    editor = openEditor<ArrayEditor>(2, Scores);
    QCOMPARE(editor->elements(), QStringList());
    editor->addElement("5");
    commit(editor);
    QCOMPARE(m_model->stored(cell(2, Scores)).toString(), QStringLiteral(R"(["5"])"));
}

void TestStudioDelegate::enumComboOffersNullWhenNullable()
{
    auto *combo = openEditor<QComboBox>(0, Mood);
    QVERIFY(combo);
    QCOMPARE(combo->count(), 4);
    QCOMPARE(combo->itemText(0), QStringLiteral("NULL"));
    QCOMPARE(combo->currentText(), QStringLiteral("sad"));
    combo->setCurrentIndex(combo->findText("it's, \"odd\""));
    commit(combo);
    QCOMPARE(m_model->stored(cell(0, Mood)).toString(), QStringLiteral("it's, \"odd\""));

    combo = openEditor<QComboBox>(0, Mood);
    combo->setCurrentIndex(0);
    commit(combo);
    QVERIFY(m_model->stored(cell(0, Mood)).isNull());

    // NULL stays NULL when opened; a required enum has no NULL
    combo = openEditor<QComboBox>(1, Mood);
    QCOMPARE(combo->currentIndex(), 0);
    commit(combo);
    combo = openEditor<QComboBox>(0, MoodRequired);
    QCOMPARE(combo->count(), 3);
    QCOMPARE(combo->findText("NULL"), -1);
    QCOMPARE(combo->currentText(), QStringLiteral("happy"));
    commit(combo);
}

void TestStudioDelegate::booleanHasThreeStatesWhenNullable()
{
    auto *combo = openEditor<QComboBox>(1, Flag);
    QVERIFY(combo);
    QCOMPARE(combo->count(), 3);
    QCOMPARE(combo->currentText(), QStringLiteral("NULL"));
    combo->setCurrentIndex(combo->findText("false"));
    commit(combo);
    QCOMPARE(m_model->stored(cell(1, Flag)).toString(), QStringLiteral("false"));
    combo = openEditor<QComboBox>(0, Flag);
    QCOMPARE(combo->currentText(), QStringLiteral("true"));
    combo->setCurrentIndex(0);
    commit(combo);
    QVERIFY(m_model->stored(cell(0, Flag)).isNull());
}

void TestStudioDelegate::byteaShowsSizeAndHexAndTakesHex()
{
    auto *editor = openEditor<ByteaEditor>(0, Blob);
    QVERIFY(editor);
    QCOMPARE(editor->text(), QStringLiteral(R"(\x00ff10203040506070)"));
    QVERIFY2(editor->dump().startsWith("00000000  00 ff 10 20 30 40 50 60 70"), qPrintable(editor->dump()));
    QCOMPARE(editor->status(), QStringLiteral("Valid: 9 bytes."));
    editor->hexEdit()->setPlainText(R"(\x0a1)");
    QCOMPARE(editor->status(),
             QStringLiteral("blob has an odd number of hex digits (3): each byte needs two."));
    editor->hexEdit()->setPlainText(R"(\x0A 1B 00)");
    QVERIFY(editor->isValid());
    QTest::keyClick(editor->hexEdit(), Qt::Key_Enter, Qt::ControlModifier);
    QCOMPARE(m_model->stored(cell(0, Blob)).toString(), QStringLiteral(R"(\x0a1b00)"));
    QCOMPARE(cell(0, Blob).data().toString(), QString::fromUtf8("3 bytes · 0a1b00"));
}

void TestStudioDelegate::timestampEditorsShowTheirZone()
{
    // timestamptz: edited in New York time, stored in UTC
    auto *zoned = openEditor<QLineEdit>(0, Zoned);
    QVERIFY(zoned);
    QCOMPARE(zoned->text(), QStringLiteral("2026-11-29 13:30:00"));
    QVERIFY2(zoned->placeholderText().contains("local time (UTC-0"), qPrintable(zoned->placeholderText()));
    zoned->setText("2026-11-29 14:00");
    zoned->setModified(true);
    commit(zoned);
    QCOMPARE(m_model->stored(cell(0, Zoned)).toString(), QStringLiteral("2026-11-29 19:00:00+00"));

    // timestamp: edited and stored as typed, even in the hour New York skips
    auto *local = openEditor<QLineEdit>(1, Local);
    QCOMPARE(local->text(), QStringLiteral("2026-03-08 02:30:00"));
    QVERIFY(local->placeholderText().contains("no time zone"));
    local->setText("2026-03-08 02:45");
    local->setModified(true);
    commit(local);
    QCOMPARE(m_model->stored(cell(1, Local)).toString(), QStringLiteral("2026-03-08 02:45:00"));

    // NULL: an empty editor whose placeholder says NULL
    auto *empty = openEditor<QLineEdit>(2, Zoned);
    QCOMPARE(empty->text(), QString());
    QVERIFY(empty->placeholderText().startsWith("NULL"));
    commit(empty);
    QVERIFY(m_model->stored(cell(2, Zoned)).isNull());
}

void TestStudioDelegate::lineEditorFlagsBadInput()
{
    auto *amount = openEditor<QLineEdit>(0, Amount);
    QVERIFY(amount);
    QCOMPARE(amount->text(), QStringLiteral("83261.85"));
    QTest::keyClicks(amount, "x");
    QVERIFY2(amount->toolTip().startsWith("amount must be a number"), qPrintable(amount->toolTip()));
    amount->selectAll();
    QTest::keyClicks(amount, "9007199254.99");
    QVERIFY2(amount->toolTip().isEmpty(), qPrintable(amount->toolTip()));
    QTest::keyClick(amount, Qt::Key_Home);
    QTest::keyClicks(amount, "9");
    QVERIFY2(amount->toolTip().startsWith("amount allows at most 10 digits before the decimal point"),
             qPrintable(amount->toolTip()));
    QTest::keyClick(amount, Qt::Key_Backspace);
    QCOMPARE(amount->text(), QStringLiteral("9007199254.99"));
    commit(amount);
    QCOMPARE(m_model->stored(cell(0, Amount)).toString(), QStringLiteral("9007199254.99"));
}

void TestStudioDelegate::editorClosedUnchangedWritesNothing()
{
    commit(openEditor<JsonEditor>(0, Payload));
    commit(openEditor<ArrayEditor>(0, Scores));
    commit(openEditor<ByteaEditor>(0, Blob));
    commit(openEditor<QLineEdit>(0, Zoned));
    commit(openEditor<QLineEdit>(1, Note)); // NULL stays NULL, not ''
    QCOMPARE(m_model->writes, 0);
    QVERIFY(m_model->stored(cell(1, Note)).isNull());
    // Multi-line text gets a text popup that keeps its lines
    QVERIFY(openEditor<PopupEditor>(2, Note));
    commit(m_view->viewport()->findChild<PopupEditor *>());
    QCOMPARE(m_model->writes, 0);
}

void TestStudioDelegate::setNullAndDefaultActions()
{
    const QList<QAction *> actions = m_delegate->createCellActions(m_view.get());
    QCOMPARE(actions.size(), 2);
    QAction *setNull = actions.at(0);
    QAction *setDefault = actions.at(1);
    QCOMPARE(setNull->shortcut(), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_N));
    QCOMPARE(setDefault->shortcut(), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_D));

    // A nullable column without default: NULL only
    m_view->setCurrentIndex(cell(0, Mood));
    QVERIFY(setNull->isEnabled());
    QVERIFY(!setDefault->isEnabled());
    setNull->trigger();
    QVERIFY(m_model->stored(cell(0, Mood)).isNull());
    // A required enum: neither
    m_view->setCurrentIndex(cell(0, MoodRequired));
    QVERIFY(!setNull->isEnabled());
    QVERIFY(!setDefault->isEnabled());
    // A selection over two rows of a column with a default, by the shortcut
    m_view->selectionModel()->select(QItemSelection(cell(0, Amount), cell(2, Amount)),
                                     QItemSelectionModel::ClearAndSelect);
    QVERIFY(setDefault->isEnabled());
    m_view->activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(m_view.get()));
    m_view->setFocus();
    QTest::keyClick(m_view.get(), Qt::Key_D, Qt::ControlModifier | Qt::ShiftModifier);
    for (int row = 0; row < 3; ++row)
        QVERIFY(sql::isColumnDefault(m_model->stored(cell(row, Amount))));
    QCOMPARE(cell(2, Amount).data().toString(), QStringLiteral("DEFAULT"));
    QCOMPARE(cell(2, Amount).data(Qt::ToolTipRole).toString(),
             QStringLiteral("Set to the column's default: 0"));
}

void TestStudioDelegate::screenshots()
{
    m_view->resize(1100, 650);
    m_view->setColumnWidth(Payload, 260);
    m_view->setColumnWidth(Scores, 130);
    m_view->setColumnWidth(Blob, 190);
    m_view->setColumnWidth(Zoned, 200);
    m_view->setColumnWidth(Local, 220);
    QVERIFY(m_model->setData(cell(1, Amount), sql::columnDefault(), Qt::EditRole));

    auto *json = openEditor<JsonEditor>(0, Payload);
    json->textEdit()->setPlainText(
        "{\n  \"sensor\": \"north\",\n  \"values\": [83261.85, 9007199254740993],\n"
        "  \"ok\": true,\n}");
    QVERIFY(!json->isValid());
    QVERIFY(m_view->grab().save(screenshotPath("studio-json-editor-invalid.png")));
    json->textEdit()->setPlainText(
        "{\n  \"sensor\": \"north\",\n  \"values\": [83261.85, 9007199254740993],\n"
        "  \"ok\": true\n}");
    QVERIFY(json->isValid());
    QVERIFY(m_view->grab().save(screenshotPath("studio-json-editor.png")));
    emit m_delegate->closeEditor(json, QAbstractItemDelegate::RevertModelCache);

    auto *array = openEditor<ArrayEditor>(0, Scores);
    array->addElement("x2");
    array->list()->setCurrentRow(1);
    QVERIFY(m_view->grab().save(screenshotPath("studio-array-editor.png")));
    emit m_delegate->closeEditor(array, QAbstractItemDelegate::RevertModelCache);

    auto *bytea = openEditor<ByteaEditor>(0, Blob);
    QVERIFY(m_view->grab().save(screenshotPath("studio-bytea-editor.png")));
    emit m_delegate->closeEditor(bytea, QAbstractItemDelegate::RevertModelCache);

    // The grid itself: NULL, '', JSON null, DEFAULT, local and zoned times, exact numbers
    m_view->setColumnHidden(Payload, true);
    m_view->setColumnWidth(Id, 40);
    m_view->setColumnWidth(Scores, 110);
    m_view->setColumnWidth(Mood, 90);
    m_view->setColumnWidth(MoodRequired, 110);
    m_view->setColumnWidth(Flag, 60);
    m_view->setColumnWidth(Blob, 170);
    m_view->setColumnWidth(Zoned, 230);
    m_view->setColumnWidth(Local, 210);
    m_view->setColumnWidth(Amount, 90);
    m_view->setColumnWidth(Note, 70);
    m_view->resizeRowsToContents();
    QVERIFY(m_view->grab().save(screenshotPath("studio-cells.png")));
    m_view->setColumnHidden(Payload, false);

    // The combo box with its list open: the list is a window of its own, drawn onto the grid
    auto *combo = openEditor<QComboBox>(0, Mood);
    combo->showPopup();
    QWidget *popup = combo->view()->window();
    QTRY_VERIFY(popup->isVisible());
    QPixmap shot = m_view->grab();
    {
        QPainter painter(&shot);
        const QPoint at = m_view->mapFromGlobal(popup->mapToGlobal(QPoint(0, 0)));
        painter.drawPixmap(at, popup->grab());
    }
    QVERIFY(shot.save(screenshotPath("studio-enum-combo.png")));
    combo->hidePopup();
}

int main(int argc, char **argv)
{
    qputenv("TZ", "America/New_York");
    tzset();
    QApplication app(argc, argv);
    TestStudioDelegate test;
    QTEST_SET_MAIN_SOURCE_PATH
    return QTest::qExec(&test, argc, argv);
}

#include "tst_studiodelegate.moc"
