#pragma once

#include "enums.h"

#include <QDateTime>
#include <QJsonObject>
#include <QJsonValue>
#include <QStringList>

#include <optional>

namespace ccpm {

/// Plain row structs, one per table, as the repositories read them. Timestamps are UTC
/// QDateTimes with milliseconds; an invalid QDateTime is NULL. A null QString is a NULL id.

/// users. The password hash is deliberately absent: only AuthService reads it.
struct UserRow {
    QString id;
    QString username;
    QString email;
    Role role = Role::User;
    QDateTime createdAt;
    QDateTime updatedAt;
};

/// agents (+ lastSeenAt from migration 2)
struct AgentRow {
    QString id;
    QString name;
    AgentType type = AgentType::Ai;
    std::optional<QStringList> capabilities; ///< nullopt is NULL; {} is an empty array
    AgentStatus status = AgentStatus::Active;
    QJsonValue metadata = QJsonValue(QJsonObject());
    QDateTime createdAt;
    QDateTime updatedAt;
    QDateTime lastSeenAt;
};

/// tasks (+ progress from migration 2), with the names behind the foreign keys for display.
struct TaskRow {
    QString id;
    QString title;
    QString description;
    TaskStatus status = TaskStatus::Pending;
    Priority priority = Priority::Medium;
    QString createdBy;
    QString assignedTo;
    QDateTime createdAt;
    QDateTime updatedAt;
    QDateTime completedAt;
    QJsonValue metadata = QJsonValue(QJsonObject());
    int progress = 0;       ///< percent, 0..100
    QString createdByName;  ///< users.username, read-only
    QString assignedToName; ///< agents.name, read-only
};

/// messages
struct MessageRow {
    QString id;
    QString content;
    QString senderId;
    SenderType senderType = SenderType::User;
    QString receiverId;
    std::optional<ReceiverType> receiverType;
    QString taskId;
    QDateTime createdAt;
    QDateTime updatedAt;
    QJsonValue metadata = QJsonValue(QJsonObject());
};

/// agent_tokens (migration 2). Only the SHA-256 of a token is ever stored.
struct AgentTokenRow {
    QString id;
    QString agentId;
    QString name;
    QString tokenHash;
    QDateTime createdAt;
    QDateTime lastUsedAt;
    QDateTime revokedAt;
};

} // namespace ccpm
