#pragma once

#include "cuid.h"
#include "result.h"
#include "sqlvalues.h"

#include <QDateTime>
#include <QJsonObject>
#include <QSqlQuery>

namespace ccpm::sql {

/// What every repository does the same way: run a select and map its rows, take the one row
/// a lookup by id expects, and stamp a new row as Prisma Client would (cuid id, createdAt and
/// updatedAt now in UTC, metadata `{}` when empty; seed-backend.md).
/// Synchronous, inside a DbExecutor job.

/// Runs `select` + " WHERE " + `where` (when not empty) + " ORDER BY " + `orderBy`.
template <typename Row, typename FromQuery>
Result<QList<Row>> selectRows(QSqlDatabase &db, const QString &select, const QString &where,
                              QLatin1String orderBy, const QVariantMap &bindings, const QString &what,
                              FromQuery fromQuery)
{
    const QString sqlText = select + (where.isEmpty() ? QString() : QStringLiteral(" WHERE ") + where) +
                            QStringLiteral(" ORDER BY ") + orderBy;
    QSqlQuery q(db);
    q.setForwardOnly(true);
    if (Status s = execPrepared(q, sqlText, bindings, what); !s)
        return s.error();
    QList<Row> rows;
    while (q.next())
        rows.append(fromQuery(q));
    return rows;
}

/// The first row, or Error::Kind::NotFound "No <entity> has the id <id>."
template <typename Row>
Result<Row> onlyRow(Result<QList<Row>> rows, const QString &entity, const QString &id)
{
    if (!rows)
        return rows.error();
    if (rows->isEmpty())
        return Error{Error::Kind::NotFound, QStringLiteral("No %1 has the id %2.").arg(entity, id), {}, {}};
    return rows->first();
}

template <typename Row>
void stampNewRow(Row &row)
{
    if (row.id.isEmpty())
        row.id = newCuid();
    const QDateTime now = QDateTime::currentDateTimeUtc();
    if (!row.createdAt.isValid())
        row.createdAt = now;
    row.updatedAt = now;
    if constexpr (requires { row.metadata; }) {
        if (row.metadata.isUndefined() || row.metadata.isNull())
            row.metadata = QJsonObject();
    }
}

} // namespace ccpm::sql
