// ColumnSpec's conversions between stored text, views, editors, and validation.
#include "displayformat.h"
#include "sqlvalues.h"
#include "tablespec.h"

#include <QCoreApplication>
#include <QLocale>

namespace ccpm {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("ccpm::ColumnSpec", text);
}

using Type = ColumnSpec::Type;

std::optional<qint64> integer(const QVariant &text)
{
    bool ok = false;
    const qint64 value = text.toString().trimmed().toLongLong(&ok);
    return ok ? std::optional<qint64>(value) : std::nullopt;
}

std::optional<bool> boolean(const QString &text)
{
    const QString t = text.trimmed().toLower();
    if (t == QLatin1String("true") || t == QLatin1String("t") || t == QLatin1String("yes") ||
        t == QLatin1String("1"))
        return true;
    if (t == QLatin1String("false") || t == QLatin1String("f") || t == QLatin1String("no") ||
        t == QLatin1String("0"))
        return false;
    return std::nullopt;
}

} // namespace

QVariant ColumnSpec::display(const QVariant &text, const QVariant &refName) const
{
    if (text.isNull())
        return QString();
    const QString s = text.toString();
    switch (type) {
    case Type::Text:
        return QString(s).replace(QLatin1Char('\n'), QChar(0x23CE)); // one line per row
    case Type::Integer:
        return s;
    case Type::Boolean:
        return boolean(s).value_or(false) ? tr("Yes") : tr("No");
    case Type::Enum:
        return label ? label(s) : s;
    case Type::Timestamp: {
        const QDateTime utc = sql::timestampFromText(text);
        return utc.isValid() ? display::localTime(utc) : s;
    }
    case Type::Json: {
        const Result<QJsonValue> json = sql::jsonFromText(text);
        return json ? display::jsonPreview(*json) : s;
    }
    case Type::TextArray:
        return display::list(sql::textArrayFromJson(text));
    case Type::Reference:
        return refName.isNull() ? s : refName.toString();
    default:
        break;
    }
    return s;
}

QVariant ColumnSpec::raw(const QVariant &text) const
{
    if (text.isNull())
        return {};
    switch (type) {
    case Type::Integer:
        if (const std::optional<qint64> n = integer(text))
            return *n;
        break;
    case Type::Boolean:
        if (const std::optional<bool> b = boolean(text.toString()))
            return *b;
        break;
    case Type::Timestamp:
        if (const QDateTime utc = sql::timestampFromText(text); utc.isValid())
            return utc;
        break;
    case Type::TextArray:
        if (const std::optional<QStringList> list = sql::textArrayFromJson(text))
            return *list;
        break;
    default:
        break;
    }
    return text.toString();
}

QVariant ColumnSpec::editValue(const QVariant &text) const
{
    // Every editor value goes back through fromEdit() unchanged to the same stored value.
    switch (type) {
    case Type::Integer:
        return text.isNull() ? QVariant() : QVariant(int(integer(text).value_or(0)));
    case Type::Boolean:
        return boolean(text.toString()).value_or(false);
    case Type::Timestamp: {
        // Text, not a QDateTime: a date editor cannot show NULL, and would invent 2000-01-01.
        const QDateTime local = sql::timestampFromText(text).toLocalTime();
        if (!local.isValid())
            return text.isNull() ? QString() : text.toString();
        return local.toString(local.time().msec() ? QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz")
                                                  : QStringLiteral("yyyy-MM-dd HH:mm:ss"));
    }
    case Type::TextArray: {
        const std::optional<QStringList> list = sql::textArrayFromJson(text);
        if (!list)
            return QString();
        // "a, b" when that reads back the same; the JSON array otherwise (commas, NULLs, spaces).
        // An empty list is "[]": an emptied editor means NULL.
        const bool plain =
            !list->isEmpty() && std::all_of(list->cbegin(), list->cend(), [](const QString &e) {
                return !e.isNull() && !e.isEmpty() && !e.contains(QLatin1Char(',')) && e == e.trimmed() &&
                       !e.startsWith(QLatin1Char('['));
            });
        return plain ? list->join(QStringLiteral(", ")) : sql::textArrayJson(list).toString();
    }
    default:
        return text.isNull() ? QVariant() : QVariant(text.toString());
    }
}

bool ColumnSpec::sameValue(const QVariant &a, const QVariant &b) const
{
    if (a.isNull() || b.isNull())
        return a.isNull() == b.isNull();
    switch (type) {
    case Type::Timestamp: {
        const QDateTime x = sql::timestampFromText(a);
        const QDateTime y = sql::timestampFromText(b);
        return x.isValid() && y.isValid() ? x == y : a.toString() == b.toString();
    }
    case Type::Json: {
        const Result<QJsonValue> x = sql::jsonFromText(a);
        const Result<QJsonValue> y = sql::jsonFromText(b);
        return x && y ? *x == *y : a.toString() == b.toString();
    }
    case Type::TextArray:
        return sql::textArrayFromJson(a) == sql::textArrayFromJson(b);
    case Type::Integer:
        return integer(a) && integer(b) ? *integer(a) == *integer(b) : a.toString() == b.toString();
    case Type::Boolean:
        return boolean(a.toString()) == boolean(b.toString());
    default:
        return a.toString() == b.toString();
    }
}

QVariant ColumnSpec::fromEdit(const QVariant &value) const
{
    if (value.isNull() || !value.isValid())
        return {};
    if (sql::isColumnDefault(value))
        return value; // a staged DEFAULT stays the marker
    // An emptied editor is NULL, except for text, where '' is a value of its own.
    if (type != Type::Text && value.typeId() == QMetaType::QString && value.toString().trimmed().isEmpty())
        return {};
    switch (type) {
    case Type::Integer:
        return value.toString().trimmed();
    case Type::Boolean:
        if (value.typeId() == QMetaType::Bool)
            return sql::boolText(value.toBool());
        if (const std::optional<bool> b = boolean(value.toString()))
            return sql::boolText(*b);
        return value.toString();
    case Type::Timestamp: {
        if (value.typeId() != QMetaType::QDateTime && value.typeId() != QMetaType::QString)
            return value.toString(); // not a time: kept, so that problem() names it
        QDateTime when = value.toDateTime();
        if (value.typeId() == QMetaType::QString) {
            // Typed text is local time, as shown.
            const QString s = value.toString().trimmed();
            when = QDateTime::fromString(s, QStringLiteral("yyyy-MM-dd HH:mm:ss"));
            if (!when.isValid())
                when = QDateTime::fromString(s, Qt::ISODateWithMs);
            if (!when.isValid())
                return s;
        }
        if (!when.isValid())
            return value.toString();
        if (when.date().year() < 1 || when.date().year() > 9999)
            return when.toString(Qt::ISODate); // out of range: kept, so that problem() names it
        return sql::timestampText(when.toUTC());
    }
    case Type::TextArray: {
        QStringList list = value.toStringList();
        if (value.typeId() == QMetaType::QString && value.toString().trimmed().startsWith(QLatin1Char('['))) {
            // The JSON form editValue() gives for lists that commas cannot express.
            const std::optional<QStringList> json = sql::textArrayFromJson(value.toString().trimmed());
            return json ? sql::textArrayJson(json) : QVariant(value.toString());
        }
        if (value.typeId() == QMetaType::QString) {
            list.clear();
            for (const QString &part : value.toString().split(QLatin1Char(','), Qt::SkipEmptyParts))
                list << part.trimmed();
        }
        return sql::textArrayJson(list);
    }
    case Type::Enum: {
        const QString s = value.toString().trimmed();
        for (const QString &v : values) {
            if (s == v || (label && s == label(v)))
                return v;
        }
        return s;
    }
    case Type::Json:
        return value.toString().trimmed();
    default:
        return value.toString();
    }
}

QString ColumnSpec::problem(const QVariant &text) const
{
    if (text.isNull())
        return nullable ? QString() : tr("%1 is required.").arg(header);
    const QString s = text.toString();
    switch (type) {
    case Type::Text:
    case Type::Reference: {
        const int length = int(s.size());
        if ((minLength > 0 && length < minLength) || (maxLength > 0 && length > maxLength)) {
            if (maxLength > 0)
                return tr("%1 must be %2 to %3 characters long (it has %4).")
                    .arg(header)
                    .arg(minLength)
                    .arg(maxLength)
                    .arg(length);
            return tr("%1 must be at least %2 characters long (it has %3).")
                .arg(header)
                .arg(minLength)
                .arg(length);
        }
        if (type == Type::Reference && s.isEmpty())
            return tr("%1 is required.").arg(header);
        return {};
    }
    case Type::Integer: {
        const std::optional<qint64> n = integer(text);
        if (!n)
            return tr("%1 must be a whole number.").arg(header);
        if ((minimum && *n < *minimum) || (maximum && *n > *maximum))
            return tr("%1 must be between %2 and %3.")
                .arg(header, QLocale().toString(minimum.value_or(LLONG_MIN)),
                     QLocale().toString(maximum.value_or(LLONG_MAX)));
        return {};
    }
    case Type::Boolean:
        return boolean(s) ? QString() : tr("%1 must be true or false.").arg(header);
    case Type::Enum:
        return values.contains(s)
                   ? QString()
                   : tr("%1 must be one of: %2.").arg(header, values.join(QStringLiteral(", ")));
    case Type::Timestamp: {
        const QDateTime when = sql::timestampFromText(text);
        if (!when.isValid() || when.date().year() < 1 || when.date().year() > 9999)
            return tr("%1 must be a date and time between the years 1 and 9999, such as 2026-11-29 18:30:00.")
                .arg(header);
        return {};
    }
    case Type::Json:
        if (s.trimmed().isEmpty())
            return tr("%1 is empty; JSON needs a value such as {} or null.").arg(header);
        if (s.contains(QLatin1String("\\u0000")))
            return tr("%1 cannot hold the character \\u0000 (PostgreSQL's jsonb refuses it).").arg(header);
        if (const Result<QJsonValue> json = sql::jsonFromText(text); !json)
            return tr("%1 is not valid JSON: %2").arg(header, json.error().message);
        return {};
    case Type::TextArray:
        return sql::textArrayFromJson(text) ? QString() : tr("%1 must be a list.").arg(header);
    default:
        break;
    }
    return {};
}

} // namespace ccpm
