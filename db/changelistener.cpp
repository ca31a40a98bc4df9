#include "changelistener.h"

#include "dbexecutor.h"

#include <QAtomicInteger>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QSqlDatabase>
#include <QSqlDriver>
#include <QSqlError>
#include <QSqlQuery>
#include <QTimer>

#include <algorithm>

Q_LOGGING_CATEGORY(lcListen, "ccpm.db.listen")

namespace ccpm {

namespace {
QAtomicInteger<int> g_listenerCount;
} // namespace

/// The listener thread's connection and timers; lives and dies in that thread.
class ChangeListenerSession {
public:
    ChangeListenerSession(const ConnectionSettings &settings, ChangeFeed &feed, ChangeListener::Tuning tuning,
                          ChangeListener &owner)
        : m_settings(settings)
        , m_feed(feed)
        , m_tuning(tuning)
        , m_owner(owner)
        , m_name(QStringLiteral("ccpm-listener-%1").arg(g_listenerCount.fetchAndAddRelaxed(1)))
        , m_retryMs(tuning.retryMinMs)
    {
        m_ping.setInterval(m_tuning.pingIntervalMs);
        QObject::connect(&m_ping, &QTimer::timeout, &m_context, [this] { ping(); });
        m_retry.setSingleShot(true);
        QObject::connect(&m_retry, &QTimer::timeout, &m_context, [this] { connectNow(); });
    }

    ~ChangeListenerSession() { close(); }

    void connectNow()
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QPSQL"), m_name);
        db.setHostName(m_settings.host);
        db.setPort(m_settings.port);
        db.setDatabaseName(m_settings.database);
        db.setUserName(m_settings.user);
        db.setPassword(m_settings.password);
        db.setConnectOptions(m_settings.connectOptions(QStringLiteral("ccpm-desk-listener")));
        if (!db.open() || !db.driver()->subscribeToNotification(QLatin1String(ChangeListener::kChannel))) {
            qCDebug(lcListen).noquote() << "cannot listen on" << m_settings.displayName() << ":"
                                        << db.lastError().text() << "- retrying in" << m_retryMs << "ms";
            db = QSqlDatabase();
            close();
            m_retry.start(m_retryMs);
            m_retryMs = std::min(m_retryMs * 2, m_tuning.retryMaxMs);
            return;
        }
        QObject::connect(db.driver(), &QSqlDriver::notification, &m_context,
                         [this](const QString &, QSqlDriver::NotificationSource, const QVariant &payload) {
                             received(payload.toString().toUtf8());
                         });
        m_retryMs = m_tuning.retryMinMs;
        m_ping.start();
        const bool reconnected = m_everListened;
        m_everListened = true;
        if (reconnected) {
            qCInfo(lcListen).noquote() << "listening again on" << m_settings.displayName();
            // Whatever was notified during the outage is lost: every follower reads again.
            for (const QString &table : ChangeListener::followedTables())
                m_feed.publish(table, {}, ChangeFeed::Op::TableChanged, QStringLiteral("pg"));
        }
        m_owner.m_listening = true;
        emit m_owner.listening(reconnected);
    }

    void close()
    {
        m_owner.m_listening = false;
        m_ping.stop();
        {
            QSqlDatabase db = QSqlDatabase::database(m_name, false);
            if (db.isValid()) {
                if (db.isOpen())
                    db.driver()->disconnect(&m_context);
                db.close();
            }
        }
        QSqlDatabase::removeDatabase(m_name);
    }

private:
    void ping()
    {
        QSqlDatabase db = QSqlDatabase::database(m_name, false);
        QSqlQuery q(db);
        if (db.isOpen() && q.exec(QStringLiteral("SELECT 1")) && !ccpm::connectionLost(db))
            return;
        q = QSqlQuery();
        db = QSqlDatabase();
        qCInfo(lcListen).noquote() << "lost the listening connection to" << m_settings.displayName()
                                   << "- reconnecting";
        close();
        emit m_owner.connectionLost();
        m_retry.start(m_retryMs);
        m_retryMs = std::min(m_retryMs * 2, m_tuning.retryMaxMs);
    }

    void received(const QByteArray &payload)
    {
        emit m_owner.payloadReceived(payload);
        const std::optional<ChangeListener::Notice> notice = ChangeListener::parse(payload);
        if (!notice) {
            qCWarning(lcListen).noquote() << "ignored a malformed notification:" << payload.left(200);
            return;
        }
        if (!m_settings.changeOrigin.isEmpty() && notice->origin == m_settings.changeOrigin)
            return; // our own write, published in-process already
        const QString origin = QStringLiteral("pg");
        if (notice->op == ChangeFeed::Op::TableChanged) {
            m_feed.publish(notice->table, {}, notice->op, origin);
            return;
        }
        m_feed.publishRows(notice->table, notice->ids, notice->op, origin);
    }

    ConnectionSettings m_settings;
    ChangeFeed &m_feed;
    ChangeListener::Tuning m_tuning;
    ChangeListener &m_owner;
    QString m_name;
    QObject m_context; ///< receiver of the timers' and the driver's signals, in this thread
    QTimer m_ping;
    QTimer m_retry;
    int m_retryMs;
    bool m_everListened = false;
};

QStringList ChangeListener::followedTables()
{
    return {QStringLiteral("users"), QStringLiteral("agents"), QStringLiteral("tasks"),
            QStringLiteral("messages"), QStringLiteral("sessions")};
}

std::optional<ChangeListener::Notice> ChangeListener::parse(const QByteArray &payload)
{
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(payload, &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject())
        return std::nullopt;
    const QJsonObject o = doc.object();
    Notice n;
    n.table = o.value(QLatin1String("t")).toString();
    n.origin = o.value(QLatin1String("o")).toString();
    const QString op = o.value(QLatin1String("op")).toString();
    if (n.table.isEmpty())
        return std::nullopt;
    if (op == QLatin1String("*"))
        return n;
    if (op == QLatin1String("I"))
        n.op = ChangeFeed::Op::Insert;
    else if (op == QLatin1String("U"))
        n.op = ChangeFeed::Op::Update;
    else if (op == QLatin1String("D"))
        n.op = ChangeFeed::Op::Delete;
    else
        return std::nullopt;
    const QJsonValue ids = o.value(QLatin1String("ids"));
    if (!ids.isArray())
        return std::nullopt;
    for (const QJsonValue &id : ids.toArray()) {
        if (!id.isString() || id.toString().isEmpty())
            return std::nullopt;
        n.ids << id.toString();
    }
    return n;
}

ChangeListener::ChangeListener(ConnectionSettings settings, ChangeFeed &feed, QObject *parent)
    : ChangeListener(std::move(settings), feed, Tuning{}, parent)
{
}

ChangeListener::ChangeListener(ConnectionSettings settings, ChangeFeed &feed, Tuning tuning, QObject *parent)
    : QThread(parent)
    , m_settings(std::move(settings))
    , m_feed(feed)
    , m_tuning(tuning)
{
    setObjectName(QStringLiteral("ccpm-listener"));
}

ChangeListener::~ChangeListener()
{
    stop();
}

void ChangeListener::stop()
{
    quit();
    wait();
}

void ChangeListener::run()
{
    ChangeListenerSession session(m_settings, m_feed, m_tuning, *this);
    session.connectNow();
    exec();
}

} // namespace ccpm
