// Studio's filter bar driven like a user: pills made in the popup with keys and clicks, a
// refused value shown in the popup, a pill edited and removed, AND/OR, the debounced quick
// search, and the emitted filters run against the real PostgreSQL. Saves
// docs/screenshots/studio-filters.png.
#include "columnspecs.h"
#include "keysetquery.h"
#include "sqlvalues.h"
#include "studio/filtereditor.h"
#include "studio/filterpill.h"
#include "studio/filterpillbar.h"
#include "studiofilter.h"
#include "testdatabase.h"

#include <QComboBox>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPainter>
#include <QSignalSpy>
#include <QSqlError>
#include <QSqlQuery>
#include <QStandardItemModel>
#include <QTableView>
#include <QTest>
#include <QToolButton>
#include <QVBoxLayout>

using namespace ccpm;
using Op = KeysetQuery::Filter::Op;
using Type = ColumnSpec::Type;

namespace {

TableSpec productsSpec()
{
    TableSpec s;
    s.table = "products";
    s.idColumn = "id";
    s.clientKeys = false;
    s.columns << column("id", Type::Integer, "integer", false) << column("name", Type::Text, "text")
              << column("price", Type::Decimal, "numeric(12,2)");
    ColumnSpec status = column("status", Type::Enum, "status");
    status.values = QStringList{"draft", "active", "retired"};
    s.columns << status << column("in_stock", Type::Boolean, "boolean")
              << column("tags", Type::TextArray, "text[]") << column("attrs", Type::Json, "jsonb")
              << column("added", Type::Date, "date");
    return s;
}

const char *kProducts = R"(
CREATE TYPE status AS ENUM ('draft', 'active', 'retired');
CREATE TABLE products (id integer PRIMARY KEY, name text, price numeric(12,2), status status,
                       in_stock boolean, tags text[], attrs jsonb, added date);
INSERT INTO products VALUES
 (1, 'Walnut desk', 489.00, 'active', true, '{wood,office}', '{"color": "brown", "size": {"w": 140}}', '2026-03-02'),
 (2, 'Oak shelf', 129.50, 'active', true, '{wood}', '{"color": "light"}', '2026-05-17'),
 (3, 'Steel lamp', 59.90, 'draft', false, '{metal,light}', '{"color": "black"}', '2026-09-30'),
 (4, 'Linen curtain', 34.00, 'retired', NULL, '{textile}', NULL, '2025-11-11'),
 (5, 'Glass vase', 12.75, 'active', true, '{}', '{"fragile": true}', '2026-11-01'),
 (6, 'Cedar bench', 310.00, 'active', false, '{wood,garden}', '{"color": "red"}', '2026-06-21'),
 (7, 'Wool rug', 220.00, 'draft', true, '{textile,office}', '{"size": {"w": 200}}', '2026-10-05'),
 (8, NULL, 5.00, 'retired', NULL, NULL, NULL, NULL);
)";

/// Selects a combo box entry the way a user does from the keyboard: typing its first letters.
void pick(QComboBox *box, const QString &text)
{
    box->setFocus();
    // The combo box joins keys typed within the keyboard input interval into one search.
    QTest::qWait(QApplication::keyboardInputInterval() + 50);
    QTest::keyClicks(box, text);
    QVERIFY2(box->currentText().startsWith(text), qPrintable(box->currentText() + " for " + text));
}

} // namespace

class TestFilterPillBar : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase();
    void pillsMadeThroughThePopup();
    void quickSearchIsDebouncedAndBackspaceRemovesAPill();
    void escapeClosesAndCtrlFFocusesTheSearch();
    void typedLineBecomesPills();
    void manyPillsWrapToMoreLines();

private:
    /// The ids the bar's current filters select, run through KeysetQuery against the database.
    QStringList rows(const FilterPillBar &bar, QStandardItemModel *fill = nullptr) const;
    std::unique_ptr<TestDatabase> m_db;
};

void TestFilterPillBar::initTestCase()
{
    m_db = std::make_unique<TestDatabase>("filterpillbar");
    QVERIFY2(m_db->error().isEmpty(), qPrintable(m_db->error()));
    QSqlQuery q(m_db->connection());
    for (const QString &statement : QString::fromUtf8(kProducts).split(";\n", Qt::SkipEmptyParts)) {
        if (!statement.trimmed().isEmpty())
            QVERIFY2(q.exec(statement), qPrintable(q.lastError().text()));
    }
}

void TestFilterPillBar::cleanupTestCase()
{
    m_db.reset();
}

QStringList TestFilterPillBar::rows(const FilterPillBar &bar, QStandardItemModel *fill) const
{
    const TableSpec &spec = bar.tableSpec();
    KeysetQuery query(spec.source(), {{spec.expression(0), true, false}}, bar.filters(), bar.quickSearch(),
                      bar.quickSearchColumns());
    query.setMatchAny(bar.matchAny());
    const KeysetQuery::Sql sql = query.page(KeysetQuery::Direction::Forward, std::nullopt, 100);
    QSqlQuery q(m_db->connection());
    if (Status s = sql::execPrepared(q, sql.text, sql.bindings, "page"); !s)
        return {"error: " + s.error().toString()};
    QStringList ids;
    if (fill) {
        fill->clear();
        QStringList headers;
        for (const ColumnSpec &c : spec.columns)
            headers << c.header;
        fill->setHorizontalHeaderLabels(headers);
    }
    while (q.next()) {
        ids << q.value(0).toString();
        if (fill) {
            QList<QStandardItem *> items;
            for (int i = 0; i < spec.columns.size(); ++i) {
                auto *item =
                    new QStandardItem(q.value(i).isNull() ? QStringLiteral("NULL") : q.value(i).toString());
                if (q.value(i).isNull())
                    item->setForeground(QColor(150, 150, 150));
                items << item;
            }
            fill->appendRow(items);
        }
    }
    return ids;
}

void TestFilterPillBar::pillsMadeThroughThePopup()
{
    QWidget window;
    window.resize(1100, 650);
    auto *layout = new QVBoxLayout(&window);
    auto *bar = new FilterPillBar(&window);
    auto *grid = new QTableView(&window);
    auto *model = new QStandardItemModel(&window);
    grid->setModel(model);
    grid->verticalHeader()->hide();
    grid->horizontalHeader()->setStretchLastSection(true);
    layout->addWidget(bar);
    layout->addWidget(grid, 1);
    bar->setTableSpec(productsSpec());
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QSignalSpy changed(bar, &FilterPillBar::filtersChanged);
    FilterEditor *editor = bar->editor();

    // Given the popup opened with "+ Filter"
    QTest::mouseClick(bar->addButton(), Qt::LeftButton);
    QVERIFY(editor->isVisible());
    // When a price ≥ pill gets letters
    pick(editor->columnBox(), "price");
    editor->opBox()->setFocus();
    for (int i = 0; i < 5; ++i) // = ≠ < ≤ > ≥
        QTest::keyClick(editor->opBox(), Qt::Key_Down);
    QCOMPARE(editor->opBox()->currentData().toInt(), int(Op::AtLeast));
    QVERIFY(editor->valueEdit()->isVisible());
    QTest::keyClicks(editor->valueEdit(), "abc");
    QTest::keyClick(editor->valueEdit(), Qt::Key_Return);
    // Then the popup says why, stays open, and nothing is emitted
    QVERIFY(editor->isVisible());
    QCOMPARE(editor->errorText(), QStringLiteral("price: 'abc' is not a number."));
    QCOMPARE(changed.count(), 0);
    QVERIFY(bar->pillWidgets().isEmpty());
    // When the value is corrected
    editor->valueEdit()->selectAll();
    QTest::keyClicks(editor->valueEdit(), "100");
    QVERIFY(editor->errorText().isEmpty()); // typing clears the sentence
    QTest::keyClick(editor->valueEdit(), Qt::Key_Return);
    // Then the pill is added and the filters emitted at once
    QVERIFY(!editor->isVisible());
    QCOMPARE(changed.count(), 1);
    QCOMPARE(bar->pillWidgets().size(), 1);
    QCOMPARE(bar->pillWidgets().first()->text(), QString::fromUtf8("price ≥ 100"));
    auto filters = changed.last().at(0).value<QList<KeysetQuery::Filter>>();
    QCOMPARE(filters.size(), 1);
    QCOMPARE(filters.first().op, Op::AtLeast);
    QCOMPARE(filters.first().cast, QStringLiteral("numeric"));
    QCOMPARE(filters.first().value.toString(), QStringLiteral("100"));
    QCOMPARE(rows(*bar), (QStringList{"1", "2", "6", "7"}));

    // A second pill: status = draft, picked from the enum's combo box, Enter on the combo
    QTest::mouseClick(bar->addButton(), Qt::LeftButton);
    pick(editor->columnBox(), "status");
    QVERIFY(editor->choiceBox()->isVisible());
    QVERIFY(!editor->valueEdit()->isVisible());
    pick(editor->choiceBox(), "draft");
    QTest::keyClick(editor->choiceBox(), Qt::Key_Return);
    QVERIFY(!editor->isVisible());
    QCOMPARE(bar->pillWidgets().size(), 2);
    QCOMPARE(bar->pillWidgets().at(1)->text(), QStringLiteral("status = draft"));
    QVERIFY(bar->matchButton()->isVisible());
    QCOMPARE(rows(*bar), QStringList{"7"});

    // A third: tags contains 'office' (arrays offer "contains element" first)
    QTest::mouseClick(bar->addButton(), Qt::LeftButton);
    pick(editor->columnBox(), "tags");
    QCOMPARE(editor->opBox()->currentData().toInt(), int(Op::ArrayContains));
    QTest::keyClicks(editor->valueEdit(), "office");
    QTest::keyClick(editor->valueEdit(), Qt::Key_Return);
    QCOMPARE(bar->pillWidgets().size(), 3);
    QCOMPARE(bar->pillWidgets().at(2)->text(), QStringLiteral("tags contains 'office'"));
    QCOMPARE(changed.count(), 3);
    QCOMPARE(rows(*bar), QStringList{"7"});

    // When AND becomes OR
    QTest::mouseClick(bar->matchButton(), Qt::LeftButton);
    QCOMPARE(changed.count(), 4);
    QCOMPARE(changed.last().at(1).toBool(), true);
    QCOMPARE(bar->matchButton()->text(), QStringLiteral("OR"));
    QCOMPARE(changed.last().at(0).value<QList<KeysetQuery::Filter>>().size(), 3);
    QCOMPARE(rows(*bar), (QStringList{"1", "2", "3", "6", "7"}));

    // The screenshot: three pills joined by OR over the rows they select, and the popup making a
    // fourth whose value is refused.
    rows(*bar, model);
    grid->resizeColumnsToContents();
    grid->horizontalHeader()->setStretchLastSection(true);
    QTest::mouseClick(bar->addButton(), Qt::LeftButton);
    pick(editor->columnBox(), "added");
    editor->opBox()->setFocus();
    for (int i = 0; i < 4; ++i)
        QTest::keyClick(editor->opBox(), Qt::Key_Down); // >
    QTest::keyClicks(editor->valueEdit(), "2026-13-01");
    QTest::keyClick(editor->valueEdit(), Qt::Key_Return);
    QCOMPARE(editor->errorText(), QStringLiteral("added: '2026-13-01' is not a date such as 2026-11-29."));
    QCOMPARE(changed.count(), 4);
    QApplication::processEvents();
    QPixmap shot = window.grab();
    {
        QPainter painter(&shot);
        // Where FilterPillBar puts the popup: under "+ Filter" (the offscreen screen is 800 px
        // wide, so the window system nudged the real one left).
        painter.drawPixmap(bar->addButton()->mapTo(&window, QPoint(0, bar->addButton()->height() + 2)),
                           editor->grab());
    }
    const QString path = QStringLiteral(CCPM_SOURCE_DIR "/docs/screenshots/studio-filters.png");
    QVERIFY(shot.save(path));
    QTest::keyClick(editor->valueEdit(), Qt::Key_Escape);
    QVERIFY(!editor->isVisible());
    QCOMPARE(bar->pillWidgets().size(), 3);

    // When a pill is clicked, it opens for editing; a new value replaces it in place
    FilterPill *price = bar->pillWidgets().first();
    QTest::mouseClick(price, Qt::LeftButton, {}, QPoint(12, price->height() / 2));
    QVERIFY(editor->isVisible());
    QCOMPARE(editor->valueEdit()->text(), QStringLiteral("100"));
    editor->valueEdit()->selectAll();
    QTest::keyClicks(editor->valueEdit(), "300");
    QTest::keyClick(editor->valueEdit(), Qt::Key_Enter);
    QCOMPARE(bar->pillWidgets().size(), 3);
    QCOMPARE(bar->pillWidgets().first()->text(), QString::fromUtf8("price ≥ 300"));
    QCOMPARE(bar->pills().first().value, QStringLiteral("300"));
    QCOMPARE(changed.count(), 5);
    QCOMPARE(rows(*bar), (QStringList{"1", "3", "6", "7"}));

    // When the × of the second pill is clicked, that pill goes
    FilterPill *status = bar->pillWidgets().at(1);
    QTest::mouseClick(status, Qt::LeftButton, {}, status->closeRect().center());
    QCOMPARE(changed.count(), 6);
    QCOMPARE(bar->pillWidgets().size(), 2);
    QCOMPARE(bar->pills().at(0).column, QStringLiteral("price"));
    QCOMPARE(bar->pills().at(1).column, QStringLiteral("tags"));
    filters = changed.last().at(0).value<QList<KeysetQuery::Filter>>();
    QCOMPARE(filters.size(), 2);
    QCOMPARE(filters.at(1).op, Op::ArrayContains);
    QCOMPARE(filters.at(1).cast, QStringLiteral("text"));
    QCOMPARE(rows(*bar), (QStringList{"1", "6", "7"}));
}

void TestFilterPillBar::quickSearchIsDebouncedAndBackspaceRemovesAPill()
{
    FilterPillBar bar;
    bar.setTableSpec(productsSpec());
    bar.show();
    QVERIFY(QTest::qWaitForWindowExposed(&bar));
    QSignalSpy changed(&bar, &FilterPillBar::filtersChanged);
    CCPM_VERIFY_OK(bar.addPill({"in_stock", Op::Equals, "true", {}, {}}));
    QCOMPARE(changed.count(), 1);
    // A pill the spec refuses is not added
    QVERIFY(!bar.addPill({"nope", Op::IsNull, {}, {}, {}}).ok());
    QCOMPARE(bar.pills().size(), 1);

    // When a word is typed in the quick search, one change follows the pause, not one per key
    QTest::keyClicks(bar.searchEdit(), "oak");
    QCOMPARE(changed.count(), 1);
    QTRY_COMPARE_WITH_TIMEOUT(changed.count(), 2, 2000);
    QCOMPARE(changed.last().at(2).toString(), QStringLiteral("oak"));
    QCOMPARE(rows(bar), QStringList{"2"});
    QTest::qWait(400);
    QCOMPARE(changed.count(), 2);

    // Backspace in a non-empty search edits the text; in an empty one it removes the last pill
    bar.searchEdit()->clear();
    QTRY_COMPARE_WITH_TIMEOUT(changed.count(), 3, 2000);
    QCOMPARE(bar.pills().size(), 1);
    QTest::keyClick(bar.searchEdit(), Qt::Key_Backspace);
    QCOMPARE(bar.pills().size(), 0);
    QCOMPARE(changed.count(), 4);
    QVERIFY(changed.last().at(0).value<QList<KeysetQuery::Filter>>().isEmpty());
    QCOMPARE(rows(bar).size(), 8);

    // setPills (a back-relation opened filtered) replaces them all, or none when one is refused
    CCPM_VERIFY_OK(bar.setPills({{"status", Op::InSet, {}, {"draft", "retired"}, {}},
                                 {"attrs", Op::JsonPathEquals, "brown", {}, {"color"}}},
                                true));
    QCOMPARE(bar.pillWidgets().size(), 2);
    QCOMPARE(bar.pillWidgets().at(1)->text(), QString::fromUtf8("attrs → color = 'brown'"));
    QCOMPARE(rows(bar), (QStringList{"1", "3", "4", "7", "8"}));
    const Status refused = bar.setPills({{"price", Op::Equals, "cheap", {}, {}}});
    QVERIFY(!refused.ok());
    QCOMPARE(refused.error().message, QStringLiteral("price: 'cheap' is not a number."));
    QCOMPARE(bar.pills().size(), 2);
}

void TestFilterPillBar::typedLineBecomesPills()
{
    FilterPillBar bar;
    bar.setTableSpec(productsSpec());
    bar.show();
    QVERIFY(QTest::qWaitForWindowExposed(&bar));
    QSignalSpy changed(&bar, &FilterPillBar::filtersChanged);

    // When a filter line is typed in the search box and Enter pressed
    QTest::keyClicks(bar.searchEdit(), "price >= 100 or tags contains office");
    QTest::keyClick(bar.searchEdit(), Qt::Key_Return);
    // Then it becomes two OR'ed pills in one change, and the search box is empty again
    QCOMPARE(bar.pillWidgets().size(), 2);
    QCOMPARE(bar.pillWidgets().at(1)->text(), QStringLiteral("tags contains 'office'"));
    QVERIFY(bar.matchAny());
    QCOMPARE(bar.searchEdit()->text(), QString());
    QCOMPARE(changed.count(), 1);
    QCOMPARE(changed.last().at(2).toString(), QString());
    QCOMPARE(rows(bar), (QStringList{"1", "2", "6", "7"}));
    QTest::qWait(400); // the debounce timer of the typing was stopped
    QCOMPARE(changed.count(), 1);

    // A refused line stays as typed and says why; a plain word is just searched
    QTest::keyClicks(bar.searchEdit(), "price < cheap");
    QTest::keyClick(bar.searchEdit(), Qt::Key_Return);
    QCOMPARE(bar.pills().size(), 2);
    QCOMPARE(bar.searchEdit()->text(), QStringLiteral("price < cheap"));
    QCOMPARE(bar.lineError(), QStringLiteral("price: 'cheap' is not a number."));
    bar.searchEdit()->clear();
    QTest::keyClicks(bar.searchEdit(), "walnut");
    QTest::keyClick(bar.searchEdit(), Qt::Key_Return);
    QCOMPARE(bar.lineError(), QString());
    QCOMPARE(bar.pills().size(), 2);
    QTRY_COMPARE_WITH_TIMEOUT(changed.last().at(2).toString(), QStringLiteral("walnut"), 2000);
    QCOMPARE(rows(bar), QStringList{"1"});

    // A JSON path whose key holds a dot opens for editing as a JSON array and comes back whole
    CCPM_VERIFY_OK(bar.setPills({{"attrs", Op::JsonPathEquals, "1", {}, {"a.b", "c"}}}));
    bar.editPill(0);
    QCOMPARE(bar.editor()->pathEdit()->text(), QStringLiteral(R"(["a.b","c"])"));
    QTest::keyClick(bar.editor()->pathEdit(), Qt::Key_Return);
    QCOMPARE(bar.pills().first().path, (QStringList{"a.b", "c"}));
}

void TestFilterPillBar::escapeClosesAndCtrlFFocusesTheSearch()
{
    QWidget window;
    auto *layout = new QVBoxLayout(&window);
    auto *bar = new FilterPillBar(&window);
    auto *other = new QLineEdit(&window);
    layout->addWidget(bar);
    layout->addWidget(other);
    bar->setTableSpec(productsSpec());
    window.show();
    QApplication::setActiveWindow(&window);
    QVERIFY(QTest::qWaitForWindowActive(&window));

    QTest::mouseClick(bar->addButton(), Qt::LeftButton);
    QVERIFY(bar->editor()->isVisible());
    QTest::keyClick(bar->editor()->columnBox(), Qt::Key_Escape);
    QVERIFY(!bar->editor()->isVisible());
    QVERIFY(bar->pills().isEmpty());

    // Is null takes no value
    QTest::mouseClick(bar->addButton(), Qt::LeftButton);
    pick(bar->editor()->columnBox(), "name");
    bar->editor()->opBox()->setFocus();
    QTest::keyClicks(bar->editor()->opBox(), "is null");
    QCOMPARE(bar->editor()->opBox()->currentData().toInt(), int(Op::IsNull));
    QVERIFY(!bar->editor()->valueEdit()->isVisible());
    QTest::keyClick(bar->editor()->opBox(), Qt::Key_Return);
    QCOMPARE(bar->pills().size(), 1);
    QCOMPARE(rows(*bar), QStringList{"8"});

    QApplication::setActiveWindow(&window);
    QVERIFY(QTest::qWaitForWindowActive(&window));
    other->setFocus();
    QTest::keySequence(&window, QKeySequence::Find);
    QTRY_VERIFY(bar->searchEdit()->hasFocus());
}

void TestFilterPillBar::manyPillsWrapToMoreLines()
{
    QWidget window;
    auto *layout = new QVBoxLayout(&window);
    auto *bar = new FilterPillBar(&window);
    layout->addWidget(bar);
    layout->addStretch(1);
    bar->setTableSpec(productsSpec());
    window.resize(640, 300);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    const int oneLine = bar->height();
    for (const char *line : {"price >= 1", "name contains 'desk'", "status in (draft, active)",
                             "tags contains wood", "attrs has key color", "added > 2026-01-01"})
        CCPM_VERIFY_OK(bar->applyLine(QString::fromUtf8(line)));
    QCOMPARE(bar->pillWidgets().size(), 6);
    QTRY_VERIFY(bar->height() > oneLine * 2);
    // Every pill is inside the bar, left of the search box, none overlapping another
    const QRect search = bar->searchEdit()->geometry();
    QList<QRect> placed;
    for (FilterPill *pill : bar->pillWidgets()) {
        const QRect r(pill->mapTo(bar, QPoint(0, 0)), pill->size());
        QVERIFY2(bar->rect().contains(r), qPrintable(pill->text()));
        QVERIFY(r.right() < search.left());
        for (const QRect &other : std::as_const(placed))
            QVERIFY(!other.intersects(r));
        placed << r;
    }
    QVERIFY(bar->addButton()->isVisible());
}

QTEST_MAIN(TestFilterPillBar)
#include "tst_filterpillbar.moc"
