// Staged edits in PagedTableModel against a real server: undo and redo, validation before
// saving, one transaction per save (a failing row rolls back every staged change), optimistic
// concurrency between two connections (nothing overwritten; keep mine or take theirs), and
// refreshes that keep staged edits. QAbstractItemModelTester watches every step.
#include "changefeed.h"
#include "entityspecs.h"
#include "loadedmodel.h"
#include "pagedtablemodel.h"
#include "testdatabase.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QSqlQuery>
#include <QTest>

using namespace ccpm;
using namespace ccpm::specs;
using roles::CellState;

namespace {

constexpr auto kBuildBotTask = "cmx1zcg9g00088e7dw2r6u28j"; // "Set up CI/CD pipeline"
constexpr auto kAdmin = "cmx1zcg4000008e7dzffn89tr";

using Loaded = LoadedModel;

} // namespace

class TestEditing : public QObject {
    Q_OBJECT
private slots:
    void init();
    void cleanup();
    void editsAreStagedAndUndoable();
    void insertAndDeleteAreStagedAndUndoable();
    void validationBlocksTheSave_data();
    void validationBlocksTheSave();
    void saveWritesEverythingInOneTransaction();
    void failingSaveRollsBackEveryChange();
    void conflictIsDetectedAndNothingOverwritten();
    void keepMineOverwritesOnlyWhenAsked();
    void conflictOnADeletedRow();
    void tableWithoutVersionColumnMatchesLoadedValues();
    void refreshKeepsStagedEdits();
    void discardDropsEverything();
    void editorClosedUnchangedStagesNothing_data();
    void editorClosedUnchangedStagesNothing();
    void badArgumentsAreRefused();
    void undoDuringASaveShowsTheDatabase();

private:
    std::unique_ptr<TestDatabase> m_db;
    std::unique_ptr<DbExecutor> m_executor;
};

void TestEditing::init()
{
    m_db = std::make_unique<TestDatabase>("editing");
    QVERIFY2(m_db->error().isEmpty(), qPrintable(m_db->error()));
    const QString loaded = m_db->loadBackendFixture();
    QVERIFY2(loaded.isEmpty(), qPrintable(loaded));
    m_executor = std::make_unique<DbExecutor>(m_db->settings());
    CCPM_VERIFY_OK(TestDatabase::migrate(*m_executor));
}

void TestEditing::cleanup()
{
    m_executor.reset();
    m_db.reset();
}

void TestEditing::editsAreStagedAndUndoable()
{
    // Given the tasks table
    Loaded t(*m_executor, tasks(), 3);
    const QModelIndex title = t.cell(kBuildBotTask, TaskColumns::Title);
    const QString before = title.data().toString();

    // When the title and the status are edited
    QVERIFY(t.model.setData(title, "Ship the pipeline"));
    QVERIFY(t.model.setData(t.cell(kBuildBotTask, TaskColumns::Status), "COMPLETED"));

    // Then the model shows them as staged, and the database is untouched
    QCOMPARE(title.data().toString(), QStringLiteral("Ship the pipeline"));
    QCOMPARE(t.state(kBuildBotTask, TaskColumns::Title), CellState::Edited);
    QCOMPARE(t.cell(kBuildBotTask, TaskColumns::Status).data().toString(), QStringLiteral("Completed"));
    QCOMPARE(t.state(kBuildBotTask, TaskColumns::Priority), CellState::Clean);
    QVERIFY(t.model.hasStagedChanges());
    QCOMPARE(
        m_db->scalar(QStringLiteral("SELECT title FROM tasks WHERE id = '%1'").arg(kBuildBotTask)).toString(),
        before);

    // Undo twice: back to the database's values; redo once: the title again
    t.model.undoStack()->undo();
    QCOMPARE(t.state(kBuildBotTask, TaskColumns::Status), CellState::Clean);
    QCOMPARE(t.cell(kBuildBotTask, TaskColumns::Status).data(Qt::EditRole).toString(),
             QStringLiteral("IN_PROGRESS"));
    t.model.undoStack()->undo();
    QCOMPARE(title.data().toString(), before);
    QVERIFY(!t.model.hasStagedChanges());
    t.model.undoStack()->redo();
    QCOMPARE(title.data().toString(), QStringLiteral("Ship the pipeline"));

    // Typing the loaded value back unstages the cell
    QVERIFY(t.model.setData(title, before));
    QCOMPARE(t.state(kBuildBotTask, TaskColumns::Title), CellState::Clean);
    QVERIFY(!t.model.hasStagedChanges());
}

void TestEditing::insertAndDeleteAreStagedAndUndoable()
{
    Loaded t(*m_executor, tasks(), 3);
    t.model.setInsertDefaults({{"createdBy", kAdmin}});

    // A new row appears on top with the defaults, marked Inserted
    QVERIFY(t.model.insertRows(0, 1));
    QCOMPARE(t.model.rowCount(), 4);
    QCOMPARE(CellState(t.model.index(0, 0).data(roles::EditState).toInt()), CellState::Inserted);
    QCOMPARE(t.model.index(0, TaskColumns::Status).data(Qt::EditRole).toString(), QStringLiteral("PENDING"));
    QCOMPARE(t.model.index(0, TaskColumns::CreatedBy).data(Qt::EditRole).toString(), QString(kAdmin));
    QTRY_COMPARE(t.model.index(0, TaskColumns::CreatedBy).data().toString(),
                 QStringLiteral("admin")); // looked up
    const QString newId = t.model.index(0, 0).data(roles::RowId).toString();
    QCOMPARE(newId.size(), 25);

    // Deleting a loaded row marks it; deleting the new row removes it
    const int loadedRow = t.model.rowOf(kBuildBotTask);
    QVERIFY(t.model.removeRows(loadedRow, 1));
    QCOMPARE(t.model.rowCount(), 4);
    QCOMPARE(t.state(kBuildBotTask, 0), CellState::Deleted);
    QVERIFY(!(t.model.flags(t.cell(kBuildBotTask, 0)) & Qt::ItemIsEditable));
    QVERIFY(t.model.removeRows(0, 1));
    QCOMPARE(t.model.rowCount(), 3);

    // Undo brings the new row back (same id), then un-deletes, then removes the new row
    t.model.undoStack()->undo();
    QCOMPARE(t.model.rowCount(), 4);
    QCOMPARE(t.model.index(0, 0).data(roles::RowId).toString(), newId);
    t.model.undoStack()->undo();
    QCOMPARE(t.state(kBuildBotTask, 0), CellState::Clean);
    t.model.undoStack()->undo();
    QCOMPARE(t.model.rowCount(), 3);
    QVERIFY(!t.model.hasStagedChanges());
    QCOMPARE(m_db->scalar("SELECT count(*) FROM tasks").toInt(), 3);
}

void TestEditing::validationBlocksTheSave_data()
{
    QTest::addColumn<int>("column");
    QTest::addColumn<QVariant>("value");
    QTest::addColumn<QString>("complaint");
    QTest::newRow("title too short") << int(TaskColumns::Title) << QVariant("x") << "2 to 100";
    QTest::newRow("title too long") << int(TaskColumns::Title) << QVariant(QString(101, 'x')) << "2 to 100";
    QTest::newRow("description too short")
        << int(TaskColumns::Description) << QVariant("too short") << "10 to 1000";
    QTest::newRow("status not an enum value") << int(TaskColumns::Status) << QVariant("DONE") << "one of";
    QTest::newRow("progress over 100") << int(TaskColumns::Progress) << QVariant(101) << "between 0 and 100";
    QTest::newRow("progress not a number")
        << int(TaskColumns::Progress) << QVariant("lots") << "whole number";
    QTest::newRow("metadata not JSON") << int(TaskColumns::Metadata) << QVariant("{oops") << "not valid JSON";
    QTest::newRow("title NULL") << int(TaskColumns::Title) << QVariant() << "required";
}

void TestEditing::validationBlocksTheSave()
{
    QFETCH(int, column);
    QFETCH(QVariant, value);
    QFETCH(QString, complaint);
    Loaded t(*m_executor, tasks(), 3);
    const QStringList before =
        m_db->dumpRows("tasks", {"title", "description", "status", "progress", "metadata"});

    QVERIFY(t.model.setData(t.cell(kBuildBotTask, column), value));
    const QVariantList result = t.save();

    QCOMPARE(result.at(0).toBool(), false);
    QVERIFY2(result.at(1).toString().contains(complaint), qPrintable(result.at(1).toString()));
    QCOMPARE(result.at(2).toInt(), t.model.rowOf(kBuildBotTask));
    const QString problem = t.cell(kBuildBotTask, column).data(roles::Problem).toString();
    QVERIFY2(problem.contains(complaint), qPrintable(problem));
    QVERIFY(t.model.hasStagedChanges()); // kept, to be fixed
    QCOMPARE(m_db->dumpRows("tasks", {"title", "description", "status", "progress", "metadata"}), before);
}

void TestEditing::saveWritesEverythingInOneTransaction()
{
    Loaded t(*m_executor, tasks(), 3);
    t.model.setInsertDefaults({{"createdBy", kAdmin}});
    const QString updatedBefore =
        m_db->scalar(
                QStringLiteral("SELECT \"updatedAt\"::text FROM tasks WHERE id = '%1'").arg(kBuildBotTask))
            .toString();

    // An edit, a new row with every required value, and a deletion
    QVERIFY(t.model.setData(t.cell(kBuildBotTask, TaskColumns::Progress), 60));
    QVERIFY(t.model.setData(t.cell(kBuildBotTask, TaskColumns::Metadata), R"({"stage": "deploy"})"));
    QVERIFY(t.model.insertRows(0, 1));
    QVERIFY(t.model.setData(t.model.index(0, TaskColumns::Title), "Write the release notes"));
    QVERIFY(t.model.setData(t.model.index(0, TaskColumns::Description), "Everything that changed since 1.0"));
    const QString newId = t.model.index(0, 0).data(roles::RowId).toString();
    const QString doomed = t.model.index(t.model.rowCount() - 1, 0).data(roles::RowId).toString();
    QVERIFY(doomed != kBuildBotTask);
    QVERIFY(t.model.removeRows(t.model.rowCount() - 1, 1));

    const QVariantList result = t.save();
    QVERIFY2(result.at(0).toBool(), qPrintable(result.at(1).toString()));

    QCOMPARE(
        m_db->scalar(QStringLiteral("SELECT progress FROM tasks WHERE id = '%1'").arg(kBuildBotTask)).toInt(),
        60);
    QCOMPARE(
        m_db->scalar(
                QStringLiteral("SELECT metadata->>'stage' FROM tasks WHERE id = '%1'").arg(kBuildBotTask))
            .toString(),
        QStringLiteral("deploy"));
    QVERIFY(
        m_db->scalar(
                QStringLiteral("SELECT \"updatedAt\"::text FROM tasks WHERE id = '%1'").arg(kBuildBotTask))
            .toString() != updatedBefore);
    QCOMPARE(
        m_db->scalar(QStringLiteral(
                         "SELECT title || '|' || status || '|' || \"createdBy\" || '|' || metadata::text "
                         "FROM tasks WHERE id = '%1'")
                         .arg(newId))
            .toString(),
        QStringLiteral("Write the release notes|PENDING|%1|{}").arg(kAdmin));
    QCOMPARE(m_db->scalar(QStringLiteral("SELECT count(*) FROM tasks WHERE id = '%1'").arg(doomed)).toInt(),
             0);

    // The model is clean and shows the database: 3 rows, the new one included
    QVERIFY(!t.model.hasStagedChanges());
    QCOMPARE(t.model.undoStack()->count(), 0);
    QTRY_VERIFY(t.model.rowCount() == 3 && t.model.rowOf(newId) >= 0 && t.model.rowOf(doomed) < 0);
    QCOMPARE(t.state(kBuildBotTask, TaskColumns::Progress), CellState::Clean);
    QCOMPARE(t.cell(kBuildBotTask, TaskColumns::Progress).data(roles::RawValue).toLongLong(), 60);

    // A second edit of the same row right away saves too (its version came back with the save)
    QVERIFY(t.model.setData(t.cell(kBuildBotTask, TaskColumns::Progress), 70));
    const QVariantList again = t.save();
    QVERIFY2(again.at(0).toBool(), qPrintable(again.at(1).toString()));
}

void TestEditing::failingSaveRollsBackEveryChange()
{
    // Given two staged user edits, the second a duplicate username
    Loaded t(*m_executor, users(), 3);
    const QStringList before = m_db->dumpRows("users", {"username", "email", "role", "updatedAt"});
    const QString testuser = m_db->scalar("SELECT id FROM users WHERE username = 'testuser'").toString();
    const QString developer = m_db->scalar("SELECT id FROM users WHERE username = 'developer'").toString();
    QVERIFY(t.model.setData(t.cell(testuser, UserColumns::Email), "tester@example.org"));
    QVERIFY(t.model.setData(t.cell(developer, UserColumns::Username), "admin"));

    // When saved
    const QVariantList result = t.save();

    // Then nothing is written, the failing row and the server's constraint are named
    QCOMPARE(result.at(0).toBool(), false);
    QVERIFY2(result.at(1).toString().contains("users_username_key"), qPrintable(result.at(1).toString()));
    QCOMPARE(result.at(2).toInt(), t.model.rowOf(developer));
    QVERIFY(!t.cell(developer, UserColumns::Username).data(roles::Problem).toString().isEmpty());
    QCOMPARE(m_db->dumpRows("users", {"username", "email", "role", "updatedAt"}), before);
    // And the staged edits stay, so fixing the name and saving again works
    QCOMPARE(t.cell(testuser, UserColumns::Email).data().toString(), QStringLiteral("tester@example.org"));
    QVERIFY(t.model.setData(t.cell(developer, UserColumns::Username), "dev"));
    const QVariantList retry = t.save();
    QVERIFY2(retry.at(0).toBool(), qPrintable(retry.at(1).toString()));
    QCOMPARE(m_db->scalar(QStringLiteral("SELECT email FROM users WHERE id = '%1'").arg(testuser)).toString(),
             QStringLiteral("tester@example.org"));
}

void TestEditing::conflictIsDetectedAndNothingOverwritten()
{
    // Given the tasks loaded here, and another writer who then renames a task
    Loaded t(*m_executor, tasks(), 3);
    QSqlQuery other(m_db->connection());
    QVERIFY(other.exec(
        QStringLiteral("UPDATE tasks SET title = 'Their title', \"updatedAt\" = now() + interval '1 second' "
                       "WHERE id = '%1'")
            .arg(kBuildBotTask)));

    // When this user edits and saves the same task
    QVERIFY(t.model.setData(t.cell(kBuildBotTask, TaskColumns::Title), "My title"));
    const QVariantList result = t.save();

    // Then nothing is overwritten, and the row shows both values
    QCOMPARE(result.at(0).toBool(), false);
    QVERIFY2(result.at(1).toString().contains("changed this row"), qPrintable(result.at(1).toString()));
    QCOMPARE(
        m_db->scalar(QStringLiteral("SELECT title FROM tasks WHERE id = '%1'").arg(kBuildBotTask)).toString(),
        QStringLiteral("Their title"));
    const int row = t.model.rowOf(kBuildBotTask);
    QVERIFY(t.model.hasConflict(row));
    QCOMPARE(t.state(kBuildBotTask, TaskColumns::Title), CellState::Conflict);
    QCOMPARE(t.cell(kBuildBotTask, TaskColumns::Title).data().toString(), QStringLiteral("My title"));
    QCOMPARE(t.cell(kBuildBotTask, TaskColumns::Title).data(roles::TheirValue).toString(),
             QStringLiteral("Their title"));

    // Saving again without choosing changes nothing either
    QCOMPARE(t.save().at(0).toBool(), false);

    // Take theirs: my edit goes, their value shows
    t.model.takeTheirs(row);
    QVERIFY(!t.model.hasConflict(row));
    QVERIFY(!t.model.hasStagedChanges());
    QTRY_COMPARE(t.cell(kBuildBotTask, TaskColumns::Title).data().toString(), QStringLiteral("Their title"));
    // (an undoable step: undo puts my edit back)
    t.model.undoStack()->undo();
    QCOMPARE(t.cell(kBuildBotTask, TaskColumns::Title).data().toString(), QStringLiteral("My title"));
}

void TestEditing::keepMineOverwritesOnlyWhenAsked()
{
    Loaded t(*m_executor, tasks(), 3);
    QSqlQuery other(m_db->connection());
    QVERIFY(other.exec(
        QStringLiteral("UPDATE tasks SET priority = 'LOW', \"updatedAt\" = now() + interval '1 second' "
                       "WHERE id = '%1'")
            .arg(kBuildBotTask)));
    QVERIFY(t.model.setData(t.cell(kBuildBotTask, TaskColumns::Title), "My title"));
    QCOMPARE(t.save().at(0).toBool(), false);

    t.model.keepMine(t.model.rowOf(kBuildBotTask));
    const QVariantList result = t.save();
    QVERIFY2(result.at(0).toBool(), qPrintable(result.at(1).toString()));
    // Mine is saved; their other change (priority) is kept, not reverted
    QCOMPARE(m_db->scalar(QStringLiteral("SELECT title || '|' || priority FROM tasks WHERE id = '%1'")
                              .arg(kBuildBotTask))
                 .toString(),
             QStringLiteral("My title|LOW"));
}

void TestEditing::conflictOnADeletedRow()
{
    Loaded t(*m_executor, messages(), 3);
    const QString id = t.model.index(0, 0).data(roles::RowId).toString();
    QSqlQuery other(m_db->connection());
    QVERIFY(other.exec(QStringLiteral("DELETE FROM messages WHERE id = '%1'").arg(id)));

    QVERIFY(t.model.setData(t.cell(id, MessageColumns::Content), "Edited after it was deleted"));
    const QVariantList result = t.save();
    QCOMPARE(result.at(0).toBool(), false);
    QVERIFY2(result.at(1).toString().contains("deleted this row"), qPrintable(result.at(1).toString()));
    QCOMPARE(m_db->scalar("SELECT count(*) FROM messages").toInt(), 2);
    // Keep mine cannot resurrect it; take theirs drops the edit
    t.model.keepMine(0);
    QVERIFY(t.model.hasConflict(0));
    t.model.takeTheirs(0);
    QVERIFY(!t.model.hasStagedChanges());
}

void TestEditing::tableWithoutVersionColumnMatchesLoadedValues()
{
    // sessions has no updatedAt: an update matches the values it loaded
    Loaded t(*m_executor, sessions(), 1);
    const QString id = t.model.index(0, 0).data(roles::RowId).toString();
    QSqlQuery other(m_db->connection());
    QVERIFY(other.exec("UPDATE sessions SET \"expiresAt\" = '2030-01-01 00:00:00'"));

    const QDateTime mine = QDateTime(QDate(2027, 1, 1), QTime(12, 0), Qt::UTC);
    QVERIFY(t.model.setData(t.cell(id, SessionColumns::Expires), mine));
    QCOMPARE(t.save().at(0).toBool(), false);
    QCOMPARE(m_db->scalar("SELECT \"expiresAt\"::text FROM sessions").toString(),
             QStringLiteral("2030-01-01 00:00:00"));
    t.model.keepMine(0);
    const QVariantList result = t.save();
    QVERIFY2(result.at(0).toBool(), qPrintable(result.at(1).toString()));
    QCOMPARE(m_db->scalar("SELECT \"expiresAt\"::text FROM sessions").toString(),
             QStringLiteral("2027-01-01 12:00:00"));
}

void TestEditing::refreshKeepsStagedEdits()
{
    ChangeFeed feed;
    Loaded t(*m_executor, tasks(), 3);
    t.model.followChanges(feed);
    const QString other =
        t.model.index(t.model.rowOf(kBuildBotTask) == 0 ? 1 : 0, 0).data(roles::RowId).toString();
    QVERIFY(t.model.setData(t.cell(kBuildBotTask, TaskColumns::Title), "Staged title"));

    // Both rows change in the database and are refreshed in place
    QSqlQuery q(m_db->connection());
    QVERIFY(q.exec("UPDATE tasks SET progress = 42"));
    QSignalSpy reset(&t.model, &QAbstractItemModel::modelReset);
    feed.publish("tasks", other, ChangeFeed::Op::Update);
    feed.publish("tasks", kBuildBotTask, ChangeFeed::Op::Update);
    QTRY_COMPARE(t.cell(other, TaskColumns::Progress).data(roles::RawValue).toLongLong(), 42);
    QTRY_COMPARE(t.cell(kBuildBotTask, TaskColumns::Progress).data(roles::RawValue).toLongLong(), 42);
    QCOMPARE(reset.size(), 0);
    // The staged title survives the refresh of its own row
    QCOMPARE(t.cell(kBuildBotTask, TaskColumns::Title).data().toString(), QStringLiteral("Staged title"));
    QCOMPARE(t.state(kBuildBotTask, TaskColumns::Title), CellState::Edited);
    // ...and a re-sort (new query, model reset)
    t.model.sort(TaskColumns::Title, Qt::AscendingOrder);
    QTRY_VERIFY(t.model.rowOf(kBuildBotTask) >= 0);
    QCOMPARE(t.cell(kBuildBotTask, TaskColumns::Title).data().toString(), QStringLiteral("Staged title"));
}

void TestEditing::discardDropsEverything()
{
    Loaded t(*m_executor, agents(), 3);
    QVERIFY(t.model.insertRows(0, 2));
    QVERIFY(t.model.setData(t.model.index(3, AgentColumns::Name), "Renamed"));
    QVERIFY(t.model.removeRows(4, 1));
    QVERIFY(t.model.hasStagedChanges());
    t.model.discard();
    QCOMPARE(t.model.rowCount(), 3);
    QVERIFY(!t.model.hasStagedChanges());
    QCOMPARE(t.model.undoStack()->count(), 0);
    for (int row = 0; row < 3; ++row)
        QCOMPARE(CellState(t.model.index(row, 0).data(roles::EditState).toInt()), CellState::Clean);
}

void TestEditing::editorClosedUnchangedStagesNothing_data()
{
    QTest::addColumn<TableSpec>("spec");
    QTest::addColumn<int>("rows");
    QTest::newRow("agents") << agents() << 3;
    QTest::newRow("tasks") << tasks() << 3;
    QTest::newRow("messages") << messages() << 3;
    QTest::newRow("sessions") << sessions() << 1;
}

void TestEditing::editorClosedUnchangedStagesNothing()
{
    // Given values an editor could mangle: list elements with commas, quotes, NULL and spaces,
    // and NULL timestamps
    QFETCH(TableSpec, spec);
    QFETCH(int, rows);
    QSqlQuery q(m_db->connection());
    QVERIFY(q.exec("UPDATE agents SET capabilities = ARRAY['a,b', 'q\"uote', NULL, '', '  spaced  '] "
                   "WHERE name = 'Build Bot'"));
    QVERIFY(q.exec("UPDATE agents SET capabilities = '{}' WHERE name = 'AI Assistant'"));
    Loaded t(*m_executor, spec, rows);

    // When every editable cell gets back what its editor started from
    for (int row = 0; row < t.model.rowCount(); ++row) {
        for (int column = 0; column < t.model.columnCount(); ++column) {
            const QModelIndex index = t.model.index(row, column);
            if (t.model.flags(index) & Qt::ItemIsEditable)
                QVERIFY(t.model.setData(index, index.data(Qt::EditRole)));
            // Then nothing is staged
            QVERIFY2(!t.model.hasStagedChanges(), qPrintable(QString("row %1, %2: %3")
                                                                 .arg(row)
                                                                 .arg(spec.columns.at(column).name)
                                                                 .arg(index.data(Qt::EditRole).toString())));
        }
    }
}

void TestEditing::badArgumentsAreRefused()
{
    Loaded t(*m_executor, tasks(), 3);
    QVERIFY(!t.model.insertRows(-5, 1));
    QVERIFY(!t.model.insertRows(t.model.rowCount() + 1, 1));
    QVERIFY(!t.model.insertRows(0, 0));
    QVERIFY(!t.model.removeRows(2, INT_MAX));
    QVERIFY(!t.model.removeRows(-1, 1));
    QVERIFY(!t.model.hasConflict(-1));
    t.model.keepMine(-1);
    t.model.takeTheirs(-1);
    QCOMPARE(t.model.undoStack()->count(), 0);
    QVERIFY(!t.model.hasStagedChanges());
    // A value that is no time is kept and refused, not turned into NULL
    QVERIFY(t.model.setData(t.cell(kBuildBotTask, TaskColumns::Completed), 42));
    QVERIFY(t.model.validate().size() == 1);
}

void TestEditing::undoDuringASaveShowsTheDatabase()
{
    Loaded t(*m_executor, tasks(), 3);
    QVERIFY(t.model.setData(t.cell(kBuildBotTask, TaskColumns::Title), "Written by the save"));
    const qsizetype before = t.saved.size();
    t.model.save();
    t.model.undoStack()->undo(); // while the save runs (the GUI disables Undo meanwhile)
    QTRY_COMPARE(t.saved.size(), before + 1);
    QVERIFY(t.saved.last().at(0).toBool());
    // The table shows what the database holds, and nothing stays staged
    QTRY_COMPARE(t.cell(kBuildBotTask, TaskColumns::Title).data().toString(),
                 QStringLiteral("Written by the save"));
    QCOMPARE(
        m_db->scalar(QStringLiteral("SELECT title FROM tasks WHERE id = '%1'").arg(kBuildBotTask)).toString(),
        QStringLiteral("Written by the save"));
    QVERIFY(!t.model.hasStagedChanges());
}

QTEST_GUILESS_MAIN(TestEditing)
#include "tst_editing.moc"
