#include "entityspecs.h"

#include "displayformat.h"
#include "enums.h"
#include "sqlvalues.h"

#include <QCoreApplication>

namespace ccpm::specs {

namespace {

using Type = ColumnSpec::Type;

QString tr(const char *text)
{
    return QCoreApplication::translate("ccpm::specs", text);
}

ColumnSpec text(const QString &name, const QString &header, bool nullable = false)
{
    ColumnSpec c;
    c.name = name;
    c.header = header;
    c.nullable = nullable;
    return c;
}

ColumnSpec timestamp(const QString &name, const QString &header, bool nullable, bool editable)
{
    ColumnSpec c = text(name, header, nullable);
    c.type = Type::Timestamp;
    c.sqlType = QStringLiteral("timestamp(3)");
    c.editable = editable;
    c.hasDefault = !editable; // createdAt has a default; updatedAt is set by every write
    return c;
}

ColumnSpec json(const QString &name, const QString &header)
{
    ColumnSpec c = text(name, header);
    c.type = Type::Json;
    c.sqlType = QStringLiteral("jsonb");
    c.initial = QStringLiteral("{}");
    return c;
}

template <typename E>
ColumnSpec enumeration(const QString &name, const QString &header, bool nullable, std::optional<E> initial)
{
    ColumnSpec c = text(name, header, nullable);
    c.type = Type::Enum;
    c.sqlType = sql::quoteIdentifier(QLatin1String(EnumInfo<E>::typeName));
    c.values = enumLabels<E>();
    c.label = [](const QString &value) {
        const std::optional<E> e = fromDb<E>(value);
        return e ? display::label(*e) : value;
    };
    if (initial) {
        c.initial = toDb(*initial);
        c.hasDefault = true;
    }
    return c;
}

ColumnSpec reference(const QString &name, const QString &header, bool nullable, const QString &table,
                     const QString &display)
{
    ColumnSpec c = text(name, header, nullable);
    c.type = Type::Reference;
    c.refTable = table;
    c.refDisplay = display;
    return c;
}

/// messages.senderId / receiverId: a user's or an agent's id, as the type column says.
ColumnSpec party(const QString &name, const QString &header, bool nullable, const QString &typeColumn)
{
    ColumnSpec c = text(name, header, nullable);
    c.type = Type::Reference;
    c.refTypeColumn = typeColumn;
    c.refTargets = {{toDb(SenderType::User), QStringLiteral("users"), QStringLiteral("username")},
                    {toDb(SenderType::Agent), QStringLiteral("agents"), QStringLiteral("name")}};
    return c;
}

} // namespace

TableSpec users()
{
    TableSpec spec;
    spec.table = QStringLiteral("users");
    spec.writeRole = Role::Admin;
    spec.versionColumn = QStringLiteral("updatedAt");
    spec.canInsert = false; // a user needs a password: the users dialog hashes it
    ColumnSpec username = text(QStringLiteral("username"), tr("Username"));
    username.minLength = 1;
    ColumnSpec email = text(QStringLiteral("email"), tr("Email"));
    email.minLength = 3;
    // The role and deletion go through UserAdmin (Admin menu), which keeps the last ADMIN and
    // says what a deletion takes with it; the grid edits username and e-mail only.
    spec.canDelete = false;
    ColumnSpec role = enumeration<Role>(QStringLiteral("role"), tr("Role"), false, Role::User);
    role.editable = false;
    spec.columns = {username, email, role,
                    timestamp(QStringLiteral("createdAt"), tr("Created"), false, false),
                    timestamp(QStringLiteral("updatedAt"), tr("Updated"), false, false)};
    return spec;
}

TableSpec agents()
{
    TableSpec spec;
    spec.table = QStringLiteral("agents");
    spec.writeRole = Role::Admin;
    spec.versionColumn = QStringLiteral("updatedAt");
    ColumnSpec name = text(QStringLiteral("name"), tr("Name"));
    name.minLength = 1;
    ColumnSpec capabilities = text(QStringLiteral("capabilities"), tr("Capabilities"), true);
    capabilities.type = Type::TextArray;
    capabilities.sqlType = QStringLiteral("text[]");
    capabilities.initial = QStringLiteral("[]");
    spec.columns = {
        name,
        enumeration<AgentType>(QStringLiteral("type"), tr("Type"), false, std::nullopt),
        enumeration<AgentStatus>(QStringLiteral("status"), tr("Status"), false, AgentStatus::Inactive),
        capabilities,
        json(QStringLiteral("metadata"), tr("Metadata")),
        timestamp(QStringLiteral("lastSeenAt"), tr("Last seen"), true, false),
        timestamp(QStringLiteral("createdAt"), tr("Created"), false, false),
        timestamp(QStringLiteral("updatedAt"), tr("Updated"), false, false)};
    return spec;
}

TableSpec tasks()
{
    TableSpec spec;
    spec.table = QStringLiteral("tasks");
    spec.versionColumn = QStringLiteral("updatedAt");
    spec.defaultSortColumn = TaskColumns::Created;
    spec.defaultAscending = false;
    ColumnSpec title = text(QStringLiteral("title"), tr("Title"));
    title.minLength = 2;
    title.maxLength = 100;
    ColumnSpec description = text(QStringLiteral("description"), tr("Description"));
    description.minLength = 10;
    description.maxLength = 1000;
    ColumnSpec progress = text(QStringLiteral("progress"), tr("Progress"));
    progress.type = Type::Integer;
    progress.sqlType = QStringLiteral("smallint");
    progress.minimum = 0;
    progress.maximum = 100;
    progress.initial = QStringLiteral("0");
    progress.hasDefault = true;
    spec.columns = {
        title,
        description,
        enumeration<TaskStatus>(QStringLiteral("status"), tr("Status"), false, TaskStatus::Pending),
        enumeration<Priority>(QStringLiteral("priority"), tr("Priority"), false, Priority::Medium),
        reference(QStringLiteral("assignedTo"), tr("Assignee"), true, QStringLiteral("agents"),
                  QStringLiteral("name")),
        reference(QStringLiteral("createdBy"), tr("Created by"), false, QStringLiteral("users"),
                  QStringLiteral("username")),
        progress,
        json(QStringLiteral("metadata"), tr("Metadata")),
        timestamp(QStringLiteral("createdAt"), tr("Created"), false, false),
        timestamp(QStringLiteral("updatedAt"), tr("Updated"), false, false),
        timestamp(QStringLiteral("completedAt"), tr("Completed"), true, true),
    };
    return spec;
}

TableSpec messages()
{
    TableSpec spec;
    spec.table = QStringLiteral("messages");
    spec.versionColumn = QStringLiteral("updatedAt");
    spec.defaultSortColumn = MessageColumns::Created;
    spec.defaultAscending = false;
    ColumnSpec content = text(QStringLiteral("content"), tr("Content"));
    content.minLength = 1;
    // Sender and receiver ids point at a user or an agent (by their type): no foreign key.
    spec.columns = {
        content,
        enumeration<SenderType>(QStringLiteral("senderType"), tr("Sender type"), false, std::nullopt),
        party(QStringLiteral("senderId"), tr("Sender"), false, QStringLiteral("senderType")),
        enumeration<ReceiverType>(QStringLiteral("receiverType"), tr("Receiver type"), true, std::nullopt),
        party(QStringLiteral("receiverId"), tr("Receiver"), true, QStringLiteral("receiverType")),
        reference(QStringLiteral("taskId"), tr("Task"), true, QStringLiteral("tasks"),
                  QStringLiteral("title")),
        json(QStringLiteral("metadata"), tr("Metadata")),
        timestamp(QStringLiteral("createdAt"), tr("Created"), false, false),
        timestamp(QStringLiteral("updatedAt"), tr("Updated"), false, false),
    };
    return spec;
}

TableSpec sessions()
{
    TableSpec spec;
    spec.table = QStringLiteral("sessions");
    spec.writeRole = Role::Admin;
    spec.canInsert = false; // a session's token is issued at login, never typed
    spec.defaultSortColumn = SessionColumns::Created;
    spec.defaultAscending = false;
    spec.columns = {
        reference(QStringLiteral("userId"), tr("User"), false, QStringLiteral("users"),
                  QStringLiteral("username")),
        timestamp(QStringLiteral("expiresAt"), tr("Expires"), false, true),
        timestamp(QStringLiteral("createdAt"), tr("Created"), false, false),
    };
    return spec;
}

} // namespace ccpm::specs
