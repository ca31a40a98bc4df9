#include "clipboardformat.h"

#include "sqlvalues.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>

namespace ccpm::clipboard {

using exportformat::ValueKind;

QString cellText(const QVariant &raw)
{
    if (!raw.isValid() || raw.isNull() || sql::isColumnDefault(raw))
        return {};
    switch (raw.typeId()) {
    case QMetaType::Bool:
        return raw.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    case QMetaType::QDateTime: {
        const QDateTime when = raw.toDateTime();
        return when.timeSpec() == Qt::UTC
                   ? when.toString(Qt::ISODateWithMs)
                   : when.toOffsetFromUtc(when.offsetFromUtc()).toString(Qt::ISODateWithMs);
    }
    case QMetaType::QDate:
        return raw.toDate().toString(Qt::ISODate);
    case QMetaType::QByteArray: // bytea's bytes: its hex form, as the editor takes it
        return QStringLiteral("\\x") + QString::fromLatin1(raw.toByteArray().toHex());
    case QMetaType::QStringList:
        return QString::fromUtf8(
            QJsonDocument(QJsonArray::fromStringList(raw.toStringList())).toJson(QJsonDocument::Compact));
    default:
        return raw.toString();
    }
}

QString toTsv(const QList<QStringList> &rows)
{
    QString out;
    for (const QStringList &row : rows) {
        for (qsizetype c = 0; c < row.size(); ++c) {
            if (c > 0)
                out += QLatin1Char('\t');
            const QString &cell = row.at(c);
            if (cell.isNull())
                continue;
            const bool quote = cell.isEmpty() || cell.contains(QLatin1Char('\t')) ||
                               cell.contains(QLatin1Char('\n')) || cell.contains(QLatin1Char('\r')) ||
                               cell.contains(QLatin1Char('"'));
            if (!quote) {
                out += cell;
                continue;
            }
            out += QLatin1Char('"');
            out += QString(cell).replace(QLatin1Char('"'), QStringLiteral("\"\""));
            out += QLatin1Char('"');
        }
        out += QStringLiteral("\r\n");
    }
    return out;
}

QList<QStringList> fromTsv(const QString &text)
{
    QList<QStringList> rows;
    QStringList row;
    const qsizetype n = text.size();
    qsizetype i = 0;
    bool rowOpen = false; // something was read since the last line break
    auto endOfLine = [&](qsizetype at) {
        if (at >= n)
            return qsizetype(0);
        if (text.at(at) == QLatin1Char('\r'))
            return at + 1 < n && text.at(at + 1) == QLatin1Char('\n') ? qsizetype(2) : qsizetype(1);
        return text.at(at) == QLatin1Char('\n') ? qsizetype(1) : qsizetype(0);
    };
    while (i < n) {
        rowOpen = true;
        QString cell;
        if (text.at(i) == QLatin1Char('"')) {
            // Quoted: up to the quote not doubled; what follows it up to the separator is kept too
            cell = QLatin1String(""); // not null: `""` is the empty string
            ++i;
            while (i < n) {
                if (text.at(i) == QLatin1Char('"')) {
                    if (i + 1 < n && text.at(i + 1) == QLatin1Char('"')) {
                        cell += QLatin1Char('"');
                        i += 2;
                        continue;
                    }
                    ++i;
                    break;
                }
                cell += text.at(i++);
            }
            while (i < n && text.at(i) != QLatin1Char('\t') && endOfLine(i) == 0)
                cell += text.at(i++);
        } else {
            const qsizetype start = i;
            while (i < n && text.at(i) != QLatin1Char('\t') && endOfLine(i) == 0)
                ++i;
            if (i > start)
                cell = text.mid(start, i - start);
        }
        row << cell;
        if (i < n && text.at(i) == QLatin1Char('\t')) {
            ++i;
            if (i == n || endOfLine(i) > 0)
                row << QString(); // a trailing tab: one more empty cell
        }
        if (const qsizetype eol = endOfLine(i); eol > 0) {
            rows << row;
            row.clear();
            rowOpen = false;
            i += eol;
        }
    }
    if (rowOpen)
        rows << row;
    return rows;
}

ValueKind valueKind(const ColumnSpec &column)
{
    using Type = ColumnSpec::Type;
    switch (column.type) {
    case Type::Integer:
    case Type::Decimal:
        return ValueKind::Number;
    case Type::Boolean:
        return ValueKind::Boolean;
    case Type::Json:
    case Type::TextArray: // held as their JSON arrays
    case Type::Array:
        return ValueKind::Json;
    default:
        return ValueKind::String;
    }
}

QList<StreamExport::Column> exportColumns(const TableSpec &spec)
{
    QList<StreamExport::Column> columns;
    for (const ColumnSpec &column : spec.columns)
        columns.append({column.name, valueKind(column)});
    return columns;
}

QByteArray rowJson(const QStringList &names, const QStringList &values, const QList<ValueKind> &kinds)
{
    QByteArray out = "{";
    for (qsizetype i = 0; i < names.size(); ++i) {
        if (i > 0)
            out += ',';
        const QByteArray name = names.at(i).toUtf8();
        exportformat::appendJsonString(out, name.constData(), name.size());
        out += ':';
        out += exportformat::jsonValue(values.value(i), kinds.value(i, ValueKind::String));
    }
    out += '}';
    return out;
}

} // namespace ccpm::clipboard
