#pragma once

#include <QString>
#include <QStringList>

#include <array>
#include <optional>

namespace ccpm {

/// The schema's PostgreSQL enum types (seed-backend.md). Enumerators are in the database's
/// declaration order; toDb() gives the exact upper-case label stored in the column.
enum class Role { User, Admin };
enum class AgentType { Ai, Human, Bot };
enum class AgentStatus { Active, Inactive, Busy };
enum class TaskStatus { Pending, Assigned, InProgress, Completed, Failed };
enum class Priority { Low, Medium, High };
enum class SenderType { User, Agent };
enum class ReceiverType { User, Agent };

template <typename E>
struct EnumInfo;

#define CCPM_ENUM_INFO(E, pgName, ...)                                                                       \
    template <>                                                                                              \
    struct EnumInfo<E> {                                                                                     \
        static constexpr const char *typeName = pgName;                                                      \
        static constexpr auto labels = std::to_array<const char *>({__VA_ARGS__});                           \
    };

CCPM_ENUM_INFO(Role, "Role", "USER", "ADMIN")
CCPM_ENUM_INFO(AgentType, "AgentType", "AI", "HUMAN", "BOT")
CCPM_ENUM_INFO(AgentStatus, "AgentStatus", "ACTIVE", "INACTIVE", "BUSY")
CCPM_ENUM_INFO(TaskStatus, "TaskStatus", "PENDING", "ASSIGNED", "IN_PROGRESS", "COMPLETED", "FAILED")
CCPM_ENUM_INFO(Priority, "Priority", "LOW", "MEDIUM", "HIGH")
CCPM_ENUM_INFO(SenderType, "SenderType", "USER", "AGENT")
CCPM_ENUM_INFO(ReceiverType, "ReceiverType", "USER", "AGENT")
#undef CCPM_ENUM_INFO

template <typename E>
QString toDb(E value)
{
    return QLatin1String(EnumInfo<E>::labels[static_cast<size_t>(value)]);
}

template <typename E>
std::optional<E> fromDb(QStringView label)
{
    for (size_t i = 0; i < EnumInfo<E>::labels.size(); ++i) {
        if (label == QLatin1String(EnumInfo<E>::labels[i]))
            return static_cast<E>(i);
    }
    return std::nullopt;
}

template <typename E>
QStringList enumLabels()
{
    QStringList out;
    for (const char *label : EnumInfo<E>::labels)
        out << QLatin1String(label);
    return out;
}

} // namespace ccpm
