#include "appcore.h"

#include "demoseeder.h"
#include "embeddedpostgres.h"
#include "hub/hubhost.h"

#include <QLoggingCategory>
#include <QUuid>
#include <QtConcurrent/QtConcurrentRun>

Q_LOGGING_CATEGORY(lcApp, "ccpm.app")

namespace ccpm {

AppCore::AppCore(QObject *parent)
    : QObject(parent)
{
}

AppCore::~AppCore()
{
    // Order matters: agents are marked INACTIVE through the hub's own connections, then the
    // GUI's connections close, then the embedded cluster may stop.
    m_hub.reset();
    m_listener.reset();
    m_executor.reset();
    m_embedded.reset();
}

QCoro::Task<Result<AppCore::OpenReport>> AppCore::open(DatabaseChoice choice, OpenOptions options)
{
    m_source = choice.source;
    m_settings = choice.settings;
    if (choice.source == DatabaseChoice::Source::Embedded) {
        if (!m_embedded)
            m_embedded = std::make_unique<EmbeddedPostgres>();
        EmbeddedPostgres *embedded = m_embedded.get();
        // initdb and pg_ctl take seconds: never on the calling (GUI) thread.
        Result<ConnectionSettings> started =
            co_await QtConcurrent::run([embedded] { return embedded->start(); });
        if (!started)
            co_return started.error();
        m_settings = *started;
    }
    qCInfo(lcApp).noquote() << "database:" << m_settings.displayName() << "from"
                            << DatabaseChoice::sourceName(m_source);
    // Tells this core's writes from other desks' in the change notifications.
    m_settings.changeOrigin = QStringLiteral("desk-") + QUuid::createUuid().toString(QUuid::Id128).left(16);
    m_listener.reset();
    m_executor = std::make_unique<DbExecutor>(m_settings, 2);

    OpenReport report;
    if (options.migrate) {
        const QString schema = m_settings.schema;
        const auto migrate = [schema](QSqlDatabase &db) { return Migrator::migrate(db, schema); };
        Result<Migrator::Report> migrated = co_await m_executor->exec(migrate);
        if (!migrated)
            co_return migrated.error();
        report.migrations = *migrated;
    } else {
        // Still prove the server answers, so callers fail early with a clear message.
        Result<bool> reachable =
            co_await m_executor->exec([](QSqlDatabase &) -> Result<bool> { return true; });
        if (!reachable)
            co_return reachable.error();
    }

    if (options.seedDemoWhenEmpty && m_source == DatabaseChoice::Source::Embedded) {
        Result<bool> seeded = co_await m_executor->exec([](QSqlDatabase &db) -> Result<bool> {
            Result<bool> empty = DemoSeeder::isEmpty(db);
            if (!empty)
                return empty.error();
            if (!*empty)
                return false;
            Result<DemoSeeder::Report> r = DemoSeeder::seed(db);
            if (!r)
                return r.error();
            return true;
        });
        if (!seeded)
            co_return seeded.error();
        report.seededDemo = *seeded;
        if (report.seededDemo)
            qCInfo(lcApp) << "first start: wrote the demo data";
    }
    if (options.listen) {
        m_listener = std::make_unique<ChangeListener>(m_settings, m_feed, m_listenerTuning);
        m_listener->start();
    }
    co_return report;
}

QString AppCore::databaseLabel() const
{
    if (m_source == DatabaseChoice::Source::Embedded)
        return tr("embedded database (%1)").arg(m_settings.database);
    return m_settings.displayName();
}

Status AppCore::startHub(const QHostAddress &address, quint16 port, const hub::HubSettings &settings)
{
    if (!m_executor)
        return Error{
            Error::Kind::Invalid, QStringLiteral("Open the database before starting the hub."), {}, {}};
    m_hub = std::make_unique<hub::HubHost>(m_settings, m_feed);
    m_hub->setHubSettings(settings);
    Status s = m_hub->start(address, port);
    if (!s)
        m_hub.reset();
    return s;
}

void AppCore::stopHub()
{
    m_hub.reset();
}

} // namespace ccpm
