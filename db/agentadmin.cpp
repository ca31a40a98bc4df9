#include "agentadmin.h"

#include "adminsupport.h"
#include "agentrepository.h"
#include "sqlvalues.h"

#include <QJsonDocument>
#include <QJsonParseError>
#include <QSet>
#include <QSqlQuery>

namespace ccpm {

namespace {

const QString kDesk = QStringLiteral("desk");

constexpr auto kUpdate = R"sql(
UPDATE "agents"
SET "name" = :name, "type" = CAST(:type AS "AgentType"), "status" = CAST(:status AS "AgentStatus"),
    "capabilities" = %1, "metadata" = CAST(:metadata AS jsonb), "updatedAt" = now() AT TIME ZONE 'UTC'
WHERE "id" = :id AND "updatedAt" = CAST(:expected AS timestamp(3))
RETURNING "id")sql";

constexpr auto kDelete = R"sql(DELETE FROM "agents" WHERE "id" = :id)sql";

constexpr auto kCapabilities = R"sql(
SELECT DISTINCT c FROM "agents", unnest("capabilities") AS c WHERE c IS NOT NULL AND c <> '' ORDER BY c)sql";

constexpr auto kAssignedTasks = R"sql(SELECT "id" FROM "tasks" WHERE "assignedTo" = :id FOR UPDATE)sql";

Status checkName(const QString &name)
{
    if (name.trimmed().isEmpty())
        return Error{
            Error::Kind::Invalid, QStringLiteral("Enter a name for the agent."), QStringLiteral("name"), {}};
    return Done{};
}

Status requireAdmin(QSqlDatabase &db, const Actor &actor)
{
    return Access::require(db, actor, Role::Admin);
}

} // namespace

Result<QJsonObject> AgentAdmin::parseMetadata(const QString &text)
{
    if (text.trimmed().isEmpty())
        return QJsonObject();
    QJsonParseError error{};
    const QJsonDocument doc = QJsonDocument::fromJson(text.toUtf8(), &error);
    if (error.error != QJsonParseError::NoError) {
        // The offset counts UTF-8 bytes; people count lines and columns.
        const QByteArray before = text.toUtf8().left(error.offset);
        const int line = int(before.count('\n')) + 1;
        const int column = int(QString::fromUtf8(before.mid(before.lastIndexOf('\n') + 1)).size()) + 1;
        return Error{Error::Kind::Invalid,
                     QStringLiteral("Metadata is not valid JSON: %1 at line %2, column %3.")
                         .arg(error.errorString())
                         .arg(line)
                         .arg(column),
                     QStringLiteral("metadata"),
                     {}};
    }
    if (!doc.isObject())
        return Error{Error::Kind::Invalid,
                     QStringLiteral("Metadata must be a JSON object, such as {\"model\": \"x\"}."),
                     QStringLiteral("metadata"),
                     {}};
    return doc.object();
}

QStringList AgentAdmin::normalizedCapabilities(const QStringList &capabilities)
{
    QStringList out;
    QSet<QString> seen;
    for (const QString &capability : capabilities) {
        const QString trimmed = capability.trimmed();
        if (trimmed.isEmpty() || seen.contains(trimmed))
            continue;
        seen.insert(trimmed);
        out << trimmed;
    }
    return out;
}

QCoro::Task<Result<AgentRow>> AgentAdmin::create(const Actor &actor, const Draft &draft) const
{
    auto job = [actor, draft](QSqlDatabase &db) -> Result<AgentRow> {
        if (Status s = checkName(draft.name); !s)
            return s.error();
        const Result<QJsonObject> metadata = parseMetadata(draft.metadataJson);
        if (!metadata)
            return metadata.error();
        return sql::inTransaction(db, QStringLiteral("Cannot create the agent"), [&]() -> Result<AgentRow> {
            if (Status allowed = requireAdmin(db, actor); !allowed)
                return allowed.error();
            AgentRow row;
            row.name = draft.name.trimmed();
            row.type = draft.type;
            row.status = draft.status;
            row.capabilities = normalizedCapabilities(draft.capabilities);
            row.metadata = *metadata;
            return AgentRepository::insert(db, row);
        });
    };
    ChangeFeed *feed = m_feed;
    return sql::thenPublish<AgentRow>(m_executor->exec(job), [feed](const AgentRow &row) {
        feed->publish(QStringLiteral("agents"), row.id, ChangeFeed::Op::Insert, kDesk);
    });
}

QCoro::Task<Result<AgentRow>> AgentAdmin::update(const Actor &actor, const QString &id, const Draft &draft,
                                                 const QDateTime &expectedUpdatedAt) const
{
    auto job = [actor, id, draft, expectedUpdatedAt](QSqlDatabase &db) -> Result<AgentRow> {
        if (Status s = checkName(draft.name); !s)
            return s.error();
        const Result<QJsonObject> metadata = parseMetadata(draft.metadataJson);
        if (!metadata)
            return metadata.error();
        return sql::inTransaction(db, QStringLiteral("Cannot change the agent"), [&]() -> Result<AgentRow> {
            if (Status allowed = requireAdmin(db, actor); !allowed)
                return allowed.error();
            QSqlQuery q(db);
            if (Status s = sql::execPrepared(
                    q, QString::fromLatin1(kUpdate).arg(sql::textArrayExpression(QStringLiteral(":caps"))),
                    {{QStringLiteral(":id"), id},
                     {QStringLiteral(":name"), draft.name.trimmed()},
                     {QStringLiteral(":type"), toDb(draft.type)},
                     {QStringLiteral(":status"), toDb(draft.status)},
                     {QStringLiteral(":caps"),
                      sql::textArrayJson(normalizedCapabilities(draft.capabilities))},
                     {QStringLiteral(":metadata"), sql::jsonText(*metadata)},
                     {QStringLiteral(":expected"), sql::timestampText(expectedUpdatedAt)}},
                    QStringLiteral("Cannot change the agent"));
                !s)
                return s.error();
            if (!q.next()) {
                Result<AgentRow> current = AgentRepository::selectOne(db, id);
                if (!current)
                    return current.error();
                return Error{
                    Error::Kind::Conflict,
                    QStringLiteral("Someone else changed this agent after it was loaded: load it again."),
                    {},
                    {}};
            }
            return AgentRepository::selectOne(db, id);
        });
    };
    ChangeFeed *feed = m_feed;
    return sql::thenPublish<AgentRow>(m_executor->exec(job), [feed](const AgentRow &row) {
        feed->publish(QStringLiteral("agents"), row.id, ChangeFeed::Op::Update, kDesk);
    });
}

QCoro::Task<Status> AgentAdmin::remove(Actor actor, QString id) const
{
    // Returns the tasks that lose their assignee (ON DELETE SET NULL), to announce them.
    auto job = [actor, id](QSqlDatabase &db) -> Result<QStringList> {
        return sql::inTransaction(
            db, QStringLiteral("Cannot delete the agent"), [&]() -> Result<QStringList> {
                if (Status allowed = requireAdmin(db, actor); !allowed)
                    return allowed.error();
                QSqlQuery tasks(db);
                tasks.setForwardOnly(true);
                if (Status s =
                        sql::execPrepared(tasks, QLatin1String(kAssignedTasks), {{QStringLiteral(":id"), id}},
                                          QStringLiteral("Cannot delete the agent"));
                    !s)
                    return s.error();
                QStringList unassigned;
                while (tasks.next())
                    unassigned << tasks.value(0).toString();
                QSqlQuery q(db);
                if (Status s = sql::execPrepared(q, QLatin1String(kDelete), {{QStringLiteral(":id"), id}},
                                                 QStringLiteral("Cannot delete the agent"));
                    !s)
                    return s.error();
                if (q.numRowsAffected() < 1)
                    return Error{
                        Error::Kind::NotFound, QStringLiteral("No agent has the id %1.").arg(id), {}, {}};
                return unassigned;
            });
    };
    ChangeFeed *feed = m_feed;
    const Result<QStringList> unassigned = co_await m_executor->exec(job);
    if (!unassigned)
        co_return unassigned.error();
    feed->publish(QStringLiteral("agents"), id, ChangeFeed::Op::Delete, kDesk);
    feed->publish(QStringLiteral("agent_tokens"), {}, ChangeFeed::Op::Delete, kDesk);
    for (const QString &task : *unassigned)
        feed->publish(QStringLiteral("tasks"), task, ChangeFeed::Op::Update, kDesk);
    co_return Done{};
}

QCoro::Task<Result<AgentRow>> AgentAdmin::get(const QString &id) const
{
    auto job = [id](QSqlDatabase &db) { return AgentRepository::selectOne(db, id); };
    return m_executor->exec(job);
}

QCoro::Task<Result<QStringList>> AgentAdmin::capabilitiesInUse() const
{
    auto job = [](QSqlDatabase &db) -> Result<QStringList> {
        QSqlQuery q(db);
        q.setForwardOnly(true);
        if (Status s = sql::execPrepared(q, QLatin1String(kCapabilities), {},
                                         QStringLiteral("Cannot read capabilities"));
            !s)
            return s.error();
        QStringList out;
        while (q.next())
            out << q.value(0).toString();
        return out;
    };
    return m_executor->exec(job);
}

QCoro::Task<Result<QList<AgentTokenRow>>> AgentAdmin::tokens(const Actor &actor, const QString &agentId) const
{
    auto job = [actor, agentId](QSqlDatabase &db) -> Result<QList<AgentTokenRow>> {
        return sql::inTransaction(db, QStringLiteral("Cannot read the agent's tokens"),
                                  [&]() -> Result<QList<AgentTokenRow>> {
                                      if (Status allowed = requireAdmin(db, actor); !allowed)
                                          return allowed.error();
                                      return AgentTokenRepository::listFor(db, agentId);
                                  });
    };
    return m_executor->exec(job);
}

QCoro::Task<Result<AgentTokenRepository::Created>>
AgentAdmin::issueToken(const Actor &actor, const QString &agentId, const QString &name) const
{
    using Created = AgentTokenRepository::Created;
    auto job = [actor, agentId, name](QSqlDatabase &db) -> Result<Created> {
        if (name.trimmed().isEmpty())
            return Error{Error::Kind::Invalid,
                         QStringLiteral("Name the token (where it will be used)."),
                         QStringLiteral("name"),
                         {}};
        return sql::inTransaction(db, QStringLiteral("Cannot issue the token"), [&]() -> Result<Created> {
            if (Status allowed = requireAdmin(db, actor); !allowed)
                return allowed.error();
            Result<AgentRow> agent = AgentRepository::selectOne(db, agentId);
            if (!agent)
                return agent.error();
            return AgentTokenRepository::insert(db, agentId, name.trimmed());
        });
    };
    ChangeFeed *feed = m_feed;
    return sql::thenPublish<Created>(m_executor->exec(job), [feed](const Created &created) {
        feed->publish(QStringLiteral("agent_tokens"), created.row.id, ChangeFeed::Op::Insert, kDesk);
    });
}

QCoro::Task<Status> AgentAdmin::revokeToken(const Actor &actor, const QString &tokenId) const
{
    auto job = [actor, tokenId](QSqlDatabase &db) -> Status {
        return sql::inTransaction(db, QStringLiteral("Cannot revoke the token"), [&]() -> Status {
            if (Status allowed = requireAdmin(db, actor); !allowed)
                return allowed.error();
            return AgentTokenRepository::revokeRow(db, tokenId);
        });
    };
    ChangeFeed *feed = m_feed;
    return sql::thenPublish<Done>(m_executor->exec(job), [feed, tokenId](const Done &) {
        feed->publish(QStringLiteral("agent_tokens"), tokenId, ChangeFeed::Op::Update, kDesk);
    });
}

} // namespace ccpm
