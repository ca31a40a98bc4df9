#pragma once

#include "access.h"
#include "agenttokenrepository.h"
#include "changefeed.h"
#include "dbexecutor.h"
#include "rows.h"

namespace ccpm {

/// The administrator's operations on agents and their access tokens (issue #5).
///
/// Every write and the token list check Access::require(actor, ADMIN) inside the transaction
/// that acts (Error::Kind::Forbidden for a USER, nothing changed) and, once committed, announce
/// the change on the ChangeFeed with origin "desk" ("agents", "agent_tokens").
///
/// Fields: the name is not empty (Error::Kind::Invalid, detail "name"); capabilities are
/// trimmed, empty ones dropped, duplicates removed, order kept; `metadataJson` must be a JSON
/// object (empty text is `{}`), never NULL (seed-backend.md), else Error::Kind::Invalid with
/// detail "metadata" and the parser's message. update() writes only while "updatedAt" equals
/// `expectedUpdatedAt`, else Error::Kind::Conflict.
///
/// Tokens: issueToken() returns the plain token once (only its SHA-256 is stored); revokeToken()
/// sets revokedAt. The announcement ("agent_tokens", Update) makes the agent hub close the
/// connection that holds the token (4403), once the database confirms it is revoked; deleting
/// an agent closes its connection the same way.
///
/// Thread: call from a thread with an event loop; SQL runs on the executor's workers. The
/// executor and the feed must outlive the tasks; the AgentAdmin object itself need not.
class AgentAdmin {
public:
    AgentAdmin(DbExecutor &executor, ChangeFeed &feed)
        : m_executor(&executor)
        , m_feed(&feed)
    {
    }

    struct Draft {
        QString name;
        AgentType type = AgentType::Ai;
        AgentStatus status = AgentStatus::Active;
        QStringList capabilities;
        QString metadataJson; ///< JSON object text
    };

    QCoro::Task<Result<AgentRow>> create(const Actor &actor, const Draft &draft) const;
    QCoro::Task<Result<AgentRow>> update(const Actor &actor, const QString &id, const Draft &draft,
                                         const QDateTime &expectedUpdatedAt) const;
    /// Deletes the agent and its tokens (cascade); its tasks become unassigned (SET NULL).
    QCoro::Task<Status> remove(Actor actor, QString id) const;
    QCoro::Task<Result<AgentRow>> get(const QString &id) const;

    /// Every capability some agent has, distinct and sorted (for the editor's completer). Reading
    /// agents is open to every role.
    QCoro::Task<Result<QStringList>> capabilitiesInUse() const;

    QCoro::Task<Result<QList<AgentTokenRow>>> tokens(const Actor &actor, const QString &agentId) const;
    QCoro::Task<Result<AgentTokenRepository::Created>> issueToken(const Actor &actor, const QString &agentId,
                                                                  const QString &name) const;
    QCoro::Task<Status> revokeToken(const Actor &actor, const QString &tokenId) const;

    /// The metadata text as a JSON object, or Error::Kind::Invalid (detail "metadata") whose
    /// message says what is wrong and where. Pure; the dialog validates as the user types.
    static Result<QJsonObject> parseMetadata(const QString &text);
    /// Trimmed, non-empty, distinct, in the order given.
    static QStringList normalizedCapabilities(const QStringList &capabilities);

private:
    DbExecutor *m_executor;
    ChangeFeed *m_feed;
};

} // namespace ccpm
