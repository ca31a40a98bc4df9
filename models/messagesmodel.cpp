#include "messagesmodel.h"

#include "displayformat.h"
#include "messagerepository.h"

#include <QCoreApplication>

namespace ccpm {

namespace {
QVariant party(const QString &id, const QString &type, int role)
{
    if (id.isNull())
        return role == Qt::DisplayRole
                   ? QVariant(QCoreApplication::translate("ccpm::MessagesModel", "(everyone)"))
                   : QVariant();
    switch (role) {
    case Qt::DisplayRole:
        return QStringLiteral("%1 %2").arg(type, id);
    case Qt::EditRole:
    case EntityTableModel::RawValueRole:
        return id;
    default:
        return {};
    }
}
} // namespace

MessagesModel::MessagesModel(DbExecutor &executor, ChangeFeed &feed, QObject *parent)
    : RowTableModel(executor, feed, QStringLiteral("messages"), parent)
{
    setColumns({
        {tr("Content"),
         [](const MessageRow &r, int role) -> QVariant {
             return role == Qt::DisplayRole || role == Qt::ToolTipRole || role == Qt::EditRole ||
                            role == RawValueRole
                        ? QVariant(r.content)
                        : QVariant();
         }},
        {tr("Sender"),
         [](const MessageRow &r, int role) { return party(r.senderId, display::label(r.senderType), role); }},
        {tr("Receiver"),
         [](const MessageRow &r, int role) {
             return party(r.receiverId, r.receiverType ? display::label(*r.receiverType) : QString(), role);
         }},
        {tr("Task"),
         [](const MessageRow &r, int role) -> QVariant {
             return role == Qt::DisplayRole || role == Qt::EditRole || role == RawValueRole
                        ? QVariant(r.taskId)
                        : QVariant();
         }},
        {tr("Metadata"),
         [](const MessageRow &r, int role) -> QVariant {
             if (role == Qt::DisplayRole)
                 return display::jsonPreview(r.metadata);
             return role == Qt::EditRole || role == RawValueRole ? QVariant(r.metadata.toVariant())
                                                                 : QVariant();
         }},
        {tr("Created"),
         [](const MessageRow &r, int role) { return display::timestampRole(r.createdAt, role); }},
    });
}

QCoro::Task<Result<QList<MessageRow>>> MessagesModel::fetchAll() const
{
    return MessageRepository(executor()).list();
}

QCoro::Task<Result<MessageRow>> MessagesModel::fetchOne(const QString &id) const
{
    return MessageRepository(executor()).get(id);
}

} // namespace ccpm
