#include "usersmodel.h"

#include "displayformat.h"
#include "userrepository.h"

namespace ccpm {

namespace {
QVariant text(const QString &value, int role)
{
    return role == Qt::DisplayRole || role == Qt::EditRole || role == EntityTableModel::RawValueRole
               ? QVariant(value)
               : QVariant();
}
} // namespace

UsersModel::UsersModel(DbExecutor &executor, ChangeFeed &feed, QObject *parent)
    : RowTableModel(executor, feed, QStringLiteral("users"), parent)
{
    setColumns({
        {tr("Username"), [](const UserRow &r, int role) { return text(r.username, role); }},
        {tr("E-mail"), [](const UserRow &r, int role) { return text(r.email, role); }},
        {tr("Role"),
         [](const UserRow &r, int role) -> QVariant {
             if (role == Qt::DisplayRole)
                 return display::label(r.role);
             return role == Qt::EditRole || role == RawValueRole ? QVariant(toDb(r.role)) : QVariant();
         }},
        {tr("Created"), [](const UserRow &r, int role) { return display::timestampRole(r.createdAt, role); }},
        {tr("Updated"), [](const UserRow &r, int role) { return display::timestampRole(r.updatedAt, role); }},
    });
}

QCoro::Task<Result<QList<UserRow>>> UsersModel::fetchAll() const
{
    return UserRepository(executor()).list();
}

QCoro::Task<Result<UserRow>> UsersModel::fetchOne(const QString &id) const
{
    return UserRepository(executor()).get(id);
}

} // namespace ccpm
