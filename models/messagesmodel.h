#pragma once

#include "rows.h"
#include "rowtablemodel.h"

namespace ccpm {

/// Messages: content, sender, receiver, task, created.
class MessagesModel : public RowTableModel<MessageRow> {
    Q_OBJECT
public:
    MessagesModel(DbExecutor &executor, ChangeFeed &feed, QObject *parent = nullptr);

protected:
    QCoro::Task<Result<QList<MessageRow>>> fetchAll() const override;
    QCoro::Task<Result<MessageRow>> fetchOne(const QString &id) const override;
};

} // namespace ccpm
