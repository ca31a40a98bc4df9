#include "result.h"

namespace ccpm {

Error Error::fromSql(const QSqlError &error, const QString &context)
{
    Error e;
    e.sqlState = error.nativeErrorCode();
    if (error.type() == QSqlError::ConnectionError || e.sqlState.startsWith(QLatin1String("08")) ||
        e.sqlState.startsWith(QLatin1String("57P")))
        e.kind = Kind::Connection;
    else if (e.sqlState.startsWith(QLatin1String("23")))
        e.kind = Kind::Constraint;
    else
        e.kind = Kind::Query;
    QString text = error.databaseText().trimmed();
    if (text.isEmpty())
        text = error.driverText().trimmed();
    e.message = context.isEmpty() ? text : context + QStringLiteral(": ") + text;
    if (!e.sqlState.isEmpty())
        e.detail = QStringLiteral("SQLSTATE %1").arg(e.sqlState);
    return e;
}

QString Error::toString() const
{
    return detail.isEmpty() ? message : QStringLiteral("%1 (%2)").arg(message, detail);
}

} // namespace ccpm
