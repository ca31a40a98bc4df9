#include "result.h"

#include <QStringList>

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
    // The driver ends the server's text with "(SQLSTATE)", which detail says already; and the
    // server's "LINE 1: EXECUTE qpsqlpstmt_… ('v0', 'v1', …)" with its caret line would show the
    // driver's statement and other columns' values: the message keeps the server's sentences.
    if (!e.sqlState.isEmpty() && text.endsWith(QLatin1Char('(') + e.sqlState + QLatin1Char(')')))
        text = text.chopped(e.sqlState.size() + 2).trimmed();
    QStringList lines = text.split(QLatin1Char('\n'));
    for (qsizetype i = 0; i < lines.size(); ++i) {
        if (lines.at(i).startsWith(QLatin1String("LINE "))) {
            const bool caret = i + 1 < lines.size() && lines.at(i + 1).trimmed() == QLatin1String("^");
            lines.remove(i, caret ? 2 : 1);
            --i;
        }
    }
    text = lines.join(QLatin1Char('\n')).trimmed();
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
