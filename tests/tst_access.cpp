// Roles below the UI (issue #5): Access::require on the row as it is now, and the item model
// that refuses to stage or save what the signed-in user's role may not write, even when the
// role changes after the model was opened.
#include "access.h"
#include "entityspecs.h"
#include "loadedmodel.h"
#include "testdatabase.h"

#include <QSqlQuery>
#include <QTest>

using namespace ccpm;

namespace {

constexpr auto kAdmin = "cmx1zcg4000008e7dzffn89tr";
constexpr auto kTestUser = "cmx1zcg6600018e7dfr0y0buw";

} // namespace

class TestAccess : public QObject {
    Q_OBJECT
private slots:
    void init();
    void cleanup();
    void requireChecksTheStoredRole();
    void userCannotStageAdminTables();
    void userMayEditTasks();
    void demotionAfterLoadingRefusesTheSave();

private:
    std::unique_ptr<TestDatabase> m_db;
    std::unique_ptr<DbExecutor> m_executor;
};

void TestAccess::init()
{
    m_db = std::make_unique<TestDatabase>("access");
    QVERIFY2(m_db->error().isEmpty(), qPrintable(m_db->error()));
    const QString loaded = m_db->loadBackendFixture();
    QVERIFY2(loaded.isEmpty(), qPrintable(loaded));
    m_executor = std::make_unique<DbExecutor>(m_db->settings());
    CCPM_VERIFY_OK(TestDatabase::migrate(*m_executor));
}

void TestAccess::cleanup()
{
    m_executor.reset();
    m_db.reset();
}

void TestAccess::requireChecksTheStoredRole()
{
    auto check = [this](QString id, Role needed) {
        auto job = [id, needed](QSqlDatabase &db) { return Access::require(db, Actor{id}, needed); };
        return QCoro::waitFor(m_executor->exec(job));
    };
    QVERIFY(check(kAdmin, Role::Admin).ok());
    QVERIFY(check(kTestUser, Role::User).ok());
    const Status refused = check(kTestUser, Role::Admin);
    QVERIFY(!refused.ok());
    QCOMPARE(refused.error().kind, Error::Kind::Forbidden);
    QCOMPARE(refused.error().message, Access::refusal(Role::Admin));
    const Status gone = check(QStringLiteral("no-such-user"), Role::User);
    QVERIFY(!gone.ok());
    QCOMPARE(gone.error().kind, Error::Kind::Auth);
}

void TestAccess::userCannotStageAdminTables()
{
    for (const TableSpec &spec : {specs::users(), specs::agents(), specs::sessions()}) {
        LoadedModel t(*m_executor, spec, 1);
        t.model.setActor(Actor{kTestUser}, Role::User);
        QVERIFY(!t.model.canWrite());
        const QModelIndex first = t.model.index(0, 1);
        QVERIFY2(!(t.model.flags(first) & Qt::ItemIsEditable), qPrintable(spec.table));
        QVERIFY(!t.model.setData(first, QStringLiteral("changed")));
        QVERIFY(!t.model.insertRows(0, 1));
        QVERIFY(!t.model.removeRows(0, 1));
        QVERIFY(!t.model.hasStagedChanges());
    }
}

void TestAccess::userMayEditTasks()
{
    LoadedModel t(*m_executor, specs::tasks(), 3);
    t.model.setActor(Actor{kTestUser}, Role::User);
    QVERIFY(t.model.canWrite());
    const QModelIndex title = t.model.index(0, specs::TaskColumns::Title);
    QVERIFY(t.model.setData(title, QStringLiteral("Renamed by a manager")));
    const QVariantList saved = t.save();
    QVERIFY2(saved.value(0).toBool(), qPrintable(saved.value(1).toString()));
}

void TestAccess::demotionAfterLoadingRefusesTheSave()
{
    // Given an admin who opened the users table and staged an e-mail change
    LoadedModel t(*m_executor, specs::users(), 3);
    t.model.setActor(Actor{kAdmin}, Role::Admin);
    const int row = t.model.rowOf(QString::fromLatin1(kTestUser));
    const QModelIndex email = t.model.index(row, t.model.spec().columnOf(QStringLiteral("email")));
    QVERIFY(t.model.setData(email, QStringLiteral("changed@example.com")));

    // When another admin demotes them before they save
    QSqlQuery q(m_db->connection());
    QVERIFY(q.exec(QStringLiteral("UPDATE users SET role = 'USER' WHERE id = '%1'").arg(kAdmin)));

    // Then the save is refused, nothing is written, and the edit stays staged
    const QVariantList saved = t.save();
    QVERIFY(!saved.value(0).toBool());
    QVERIFY2(saved.value(1).toString().contains(Access::refusal(Role::Admin)),
             qPrintable(saved.value(1).toString()));
    QVERIFY(t.model.hasStagedChanges());
    QVERIFY(q.exec(QStringLiteral("SELECT email FROM users WHERE id = '%1'").arg(kTestUser)) && q.next());
    QCOMPARE(q.value(0).toString(), QStringLiteral("test@example.com"));
}

QTEST_GUILESS_MAIN(TestAccess)
#include "tst_access.moc"
