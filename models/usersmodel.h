#pragma once

#include "rows.h"
#include "rowtablemodel.h"

namespace ccpm {

/// Users: username, e-mail, role, created, updated. The password hash is never loaded.
class UsersModel : public RowTableModel<UserRow> {
    Q_OBJECT
public:
    UsersModel(DbExecutor &executor, ChangeFeed &feed, QObject *parent = nullptr);

protected:
    QCoro::Task<Result<QList<UserRow>>> fetchAll() const override;
    QCoro::Task<Result<UserRow>> fetchOne(const QString &id) const override;
};

} // namespace ccpm
