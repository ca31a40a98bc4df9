// ColumnSpec::problem(): why a staged value cannot be saved, before the server is asked.
#include "columnspecdetail.h"
#include "sqlvalues.h"
#include "tablespec.h"
#include "valuetext.h"

#include <QRegularExpression>

namespace ccpm {

namespace {
using Type = ColumnSpec::Type;
namespace vt = valuetext;
using namespace columnspec::detail;
} // namespace

QString ColumnSpec::problem(const QVariant &text) const
{
    if (sql::isColumnDefault(text)) {
        if (!hasDefault && !nullable)
            return tr("%1 has no default value, and cannot be NULL.").arg(header);
        return {};
    }
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
        if (!vt::isWholeNumber(s))
            return tr("%1 must be a whole number.").arg(header);
        const std::optional<qint64> n = integer(text); // nullopt: beyond bigint
        if (!n || (minimum && *n < *minimum) || (maximum && *n > *maximum))
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
        if (vt::isJson(s))
            return {}; // by the grammar: numbers Qt's parser cannot hold as doubles are still JSON
        if (const Result<QJsonValue> json = sql::jsonFromText(text); !json)
            return tr("%1 is not valid JSON: %2").arg(header, json.error().message);
        return tr("%1 is not valid JSON.").arg(header);
    case Type::TextArray:
        return sql::textArrayFromJson(text) ? QString() : tr("%1 must be a list.").arg(header);
    case Type::Decimal: {
        if (!vt::isDecimal(s))
            return tr("%1 must be a number such as 83261.85, -0.000001 or 1e-30 (NaN and Infinity are "
                      "allowed too); “%2” is not one.")
                .arg(header, elided(s, 40));
        static const QRegularExpression typmod(
            QStringLiteral(R"(^(?:numeric|decimal)\s*\(\s*(\d+)\s*(?:,\s*(-?\d+)\s*)?\)$)"));
        if (const QRegularExpressionMatch m = typmod.match(sqlType.trimmed().toLower()); m.hasMatch()) {
            const int before = m.captured(1).toInt() - m.captured(2).toInt();
            if (const std::optional<int> digits = vt::integerDigits(s); digits && *digits > before)
                return tr("%1 allows at most %2 digits before the decimal point (%3); “%4” has %5.")
                    .arg(header)
                    .arg(std::max(before, 0))
                    .arg(sqlType)
                    .arg(elided(s, 40))
                    .arg(*digits);
        }
        return {};
    }
    case Type::Uuid:
        return vt::isUuid(s) ? QString()
                             : tr("%1 must be a UUID of 32 hex digits, such as "
                                  "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11.")
                                   .arg(header);
    case Type::Bytea: {
        if (vt::byteaBytes(s))
            return {};
        if (!s.trimmed().startsWith(QLatin1String("\\x")))
            return tr("%1: a backslash must be followed by another backslash or by three octal digits "
                      "(\\000 to \\377); or write the bytes in hex, such as \\x0a1b2c.")
                .arg(header);
        const QString hex = s.trimmed().mid(2).remove(QRegularExpression(QStringLiteral(R"(\s)")));
        for (const QChar c : hex) {
            if (!QStringLiteral("0123456789abcdefABCDEF").contains(c))
                return tr("%1 must be bytes in hex after \\x: “%2” is not a hex digit.")
                    .arg(header, QString(c));
        }
        return tr("%1 has an odd number of hex digits (%2): each byte needs two.")
            .arg(header)
            .arg(hex.size());
    }
    case Type::ZonedTimestamp: {
        if (vt::isSpecialDateTime(s))
            return {};
        const QString core = s.endsWith(QLatin1String(" BC")) ? s.chopped(3) : s;
        bool gap = false;
        if (storedInstant(core) && (vt::parseDateTime(core)->offsetSeconds || typedInstant(core, &gap)))
            return {};
        if (gap)
            return tr("%1: %2 does not exist in local time (the clocks skip that hour); add an offset such "
                      "as +02:00 or pick another time.")
                .arg(header, s);
        return tr("%1 must be a date and time such as 2026-11-29 18:30:00 (local time; add an offset such "
                  "as +02:00 for another zone).")
            .arg(header);
    }
    case Type::LocalTimestamp: {
        if (vt::isSpecialDateTime(s))
            return {};
        const QString core = s.endsWith(QLatin1String(" BC")) ? s.chopped(3) : s;
        if (const std::optional<vt::DateTimeText> t = vt::parseDateTime(core)) {
            if (t->offsetSeconds)
                return tr("%1 is a timestamp without time zone: remove the offset from “%2” (PostgreSQL "
                          "would drop it).")
                    .arg(header, s);
            return {};
        }
        return tr("%1 must be a date and time such as 2026-11-29 18:30:00 (stored as typed, without a "
                  "time zone).")
            .arg(header);
    }
    case Type::Date: {
        const QString core = s.endsWith(QLatin1String(" BC")) ? s.chopped(3) : s;
        if (vt::isSpecialDateTime(s) || vt::normalDate(core))
            return {};
        return tr("%1 must be a date such as 2026-11-29.").arg(header);
    }
    case Type::Time: {
        const bool zoned = isZonedTime(sqlType);
        if (vt::normalTime(s, zoned) || s.trimmed().toLower() == QLatin1String("allballs") ||
            s.trimmed().toLower() == QLatin1String("now"))
            return {};
        if (!zoned && vt::normalTime(s, true))
            return tr("%1 is a time without time zone: remove the offset from “%2”.").arg(header, s);
        return zoned ? tr("%1 must be a time such as 18:30:00 or 18:30:00+02.").arg(header)
                     : tr("%1 must be a time such as 18:30:00 or 18:30:00.250.").arg(header);
    }
    case Type::Interval:
        return vt::isInterval(s) ? QString()
                                 : tr("%1 must be an interval such as 1 mon 2 days 03:04:05, 90 minutes or "
                                      "P1DT2H.")
                                       .arg(header);
    case Type::Inet:
        return vt::isInet(s, sqlType == QLatin1String("cidr"))
                   ? QString()
                   : tr("%1 must be an IPv4 or IPv6 address with an optional /prefix, such as 192.168.0.1, "
                        "10.0.0.0/8 or ::1/128.")
                         .arg(header);
    case Type::Array: {
        const std::optional<QStringList> elements = vt::jsonArrayElements(s);
        if (!elements)
            return tr("%1 must be a list, written as a JSON array such as [\"a\", \"b\", null].").arg(header);
        ColumnSpec element = elementSpec();
        for (qsizetype i = 0; i < elements->size(); ++i) {
            if (elements->at(i).isNull())
                continue;
            element.header =
                tr("%1, element %2 (“%3”),").arg(header).arg(i + 1).arg(elided(elements->at(i), 40));
            const QString p = element.problem(element.fromEdit(elements->at(i)));
            if (!p.isEmpty())
                return p;
        }
        return {};
    }
    case Type::Other:
        return {};
    }
    return {};
}

} // namespace ccpm
