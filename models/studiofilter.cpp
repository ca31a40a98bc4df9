// Studio's filter pills: which operators each column type offers, the value checks that run
// before any SQL exists, and the KeysetQuery filters they become. The typed line's syntax is in
// studiofilterline.cpp.
#include "studiofilter.h"
#include "studiofilterdetail.h"

#include "sqlvalues.h"

#include <QCoreApplication>
#include <QDate>
#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QTime>

#include <cmath>
#include <limits>

namespace ccpm::studiofilter {

namespace detail {

QString tr(const char *text, const char *disambiguation, int n)
{
    // lupdate files tr() calls made in this namespace under its name.
    return QCoreApplication::translate("ccpm::studiofilter", text, disambiguation, n);
}

bool isArray(const ColumnSpec &c)
{
    return c.type == ColumnSpec::Type::Array || c.type == ColumnSpec::Type::TextArray;
}

QString headerOf(const ColumnSpec &c)
{
    return c.header.isEmpty() ? c.name : c.header;
}

/// A typed value as an error message quotes it: one line, at most 40 characters.
QString shown(const QString &value)
{
    QString s = value;
    s.replace(QLatin1Char('\n'), QChar(0x23CE));
    if (s.size() > 40)
        s = s.left(37) + QChar(0x2026);
    return s;
}

} // namespace detail

using namespace detail;

namespace {

using Type = ColumnSpec::Type;

/// How a value of a column (or of an array's element) is checked, cast and shown.
enum class Kind {
    Text,
    Integer,
    Decimal,
    Boolean,
    Enum,
    ZonedTimestamp,
    LocalTimestamp,
    Date,
    Time,
    Interval,
    Uuid,
    Inet,
    Bytea,
    Json,
    Other, ///< compared as its text: no cast can fail
};

/// A type with its modifiers dropped (`numeric(10,2)` → `numeric`,
/// `timestamp(3) with time zone` → `timestamp with time zone`): a cast to the modified type
/// would round or truncate the typed value and match rows it does not equal.
QString withoutModifiers(const QString &sqlType)
{
    static const QRegularExpression modifier(QStringLiteral("\\s*\\([^)]*\\)"));
    return QString(sqlType).remove(modifier).trimmed();
}

/// An array's element type as the catalog prints it (`integer`, `character varying(20)`).
Kind elementKind(const ColumnSpec &c)
{
    if (!c.values.isEmpty())
        return Kind::Enum;
    const QString t = withoutModifiers(c.elementType).toLower();
    if (t == QLatin1String("smallint") || t == QLatin1String("integer") || t == QLatin1String("bigint"))
        return Kind::Integer;
    if (t == QLatin1String("numeric") || t == QLatin1String("real") || t == QLatin1String("double precision"))
        return Kind::Decimal;
    if (t == QLatin1String("boolean"))
        return Kind::Boolean;
    if (t == QLatin1String("uuid"))
        return Kind::Uuid;
    if (t == QLatin1String("date"))
        return Kind::Date;
    if (t == QLatin1String("timestamp with time zone"))
        return Kind::ZonedTimestamp;
    if (t == QLatin1String("timestamp without time zone"))
        return Kind::LocalTimestamp;
    if (t == QLatin1String("time without time zone") || t == QLatin1String("time with time zone"))
        return Kind::Time;
    if (t == QLatin1String("inet") || t == QLatin1String("cidr"))
        return Kind::Inet;
    // text, varchar, char, name, citext and every type without a check here: compared as text.
    return Kind::Other;
}

Kind kindOf(const ColumnSpec &c)
{
    switch (c.type) {
    case Type::Text:
    case Type::Reference:
        return Kind::Text;
    case Type::Integer:
        return Kind::Integer;
    case Type::Decimal:
        return Kind::Decimal;
    case Type::Boolean:
        return Kind::Boolean;
    case Type::Enum:
        return Kind::Enum;
    case Type::ZonedTimestamp:
        return Kind::ZonedTimestamp;
    case Type::Timestamp:
    case Type::LocalTimestamp:
        return Kind::LocalTimestamp;
    case Type::Date:
        return Kind::Date;
    case Type::Time:
        return Kind::Time;
    case Type::Interval:
        return Kind::Interval;
    case Type::Uuid:
        return Kind::Uuid;
    case Type::Inet:
        return Kind::Inet;
    case Type::Bytea:
        return Kind::Bytea;
    case Type::Json:
        return Kind::Json;
    case Type::TextArray:
    case Type::Array:
    case Type::Other:
        break;
    }
    return Kind::Other;
}

/// The SQL type a value of this kind is cast to (code, from the catalog: never typed).
QString castFor(Kind kind, const QString &sqlType)
{
    const QString base = withoutModifiers(sqlType);
    switch (kind) {
    case Kind::Text:
        // text, not varchar(n), char(n) or name: their casts truncate a long value, which would
        // then equal a shorter one. citext keeps its case-insensitive comparison.
        return base.compare(QLatin1String("citext"), Qt::CaseInsensitive) == 0 ? base
                                                                               : QStringLiteral("text");
    case Kind::Integer:
    case Kind::Decimal:
        return base;
    case Kind::Boolean:
        return QStringLiteral("boolean");
    case Kind::Enum:
        return sqlType; // the enum type, quoted by format_type()
    case Kind::ZonedTimestamp:
        return QStringLiteral("timestamp with time zone");
    case Kind::LocalTimestamp:
        return QStringLiteral("timestamp without time zone");
    case Kind::Date:
        return QStringLiteral("date");
    case Kind::Time:
        return base.startsWith(QLatin1String("time"), Qt::CaseInsensitive) ? base : QStringLiteral("time");
    case Kind::Interval:
        return QStringLiteral("interval");
    case Kind::Uuid:
        return QStringLiteral("uuid");
    case Kind::Inet:
        return QStringLiteral("inet"); // cidr compares as inet; a cast to cidr refuses host bits
    case Kind::Bytea:
        return QStringLiteral("bytea");
    case Kind::Json:
        return QStringLiteral("jsonb");
    case Kind::Other:
        break;
    }
    return QStringLiteral("text");
}

Error invalid(const ColumnSpec &c, const QString &sentence)
{
    return Error{Error::Kind::Invalid, headerOf(c) + QStringLiteral(": ") + sentence, {}, {}};
}

// --- value checks: each returns the value to bind (normalised) or the reason it is refused ---

struct Checked {
    QString value;
    QString problem; ///< empty when the value is good
};

Checked refuse(const QString &sentence)
{
    return Checked{{}, sentence};
}

struct IntegerRange {
    qint64 minimum;
    qint64 maximum;
};

IntegerRange integerRange(const QString &sqlType, const std::optional<qint64> &minimum,
                          const std::optional<qint64> &maximum)
{
    IntegerRange range{std::numeric_limits<qint64>::min(), std::numeric_limits<qint64>::max()};
    const QString t = sqlType.toLower();
    if (t == QLatin1String("smallint"))
        range = {-32768, 32767};
    else if (t == QLatin1String("integer"))
        range = {std::numeric_limits<qint32>::min(), std::numeric_limits<qint32>::max()};
    if (minimum)
        range.minimum = std::max(range.minimum, *minimum);
    if (maximum)
        range.maximum = std::min(range.maximum, *maximum);
    return range;
}

Checked checkInteger(const QString &text, IntegerRange range)
{
    static const QRegularExpression digits(QStringLiteral("^[+-]?[0-9]+$"));
    const QString s = text.trimmed();
    if (!digits.match(s).hasMatch())
        return refuse(tr("'%1' is not a whole number.").arg(shown(text)));
    bool ok = false;
    const qint64 n = s.toLongLong(&ok);
    if (!ok || n < range.minimum || n > range.maximum)
        return refuse(
            tr("%1 is out of range (%2 to %3).").arg(shown(s)).arg(range.minimum).arg(range.maximum));
    return Checked{QString::number(n), {}};
}

Checked checkDecimal(const QString &text, const QString &sqlType)
{
    static const QRegularExpression number(
        QStringLiteral("^[+-]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE]([+-]?[0-9]+))?$"));
    static const QRegularExpression special(QStringLiteral("^([+-]?(inf|infinity)|nan)$"),
                                            QRegularExpression::CaseInsensitiveOption);
    const QString s = text.trimmed();
    if (special.match(s).hasMatch())
        return Checked{s, {}};
    const QRegularExpressionMatch m = number.match(s);
    if (!m.hasMatch())
        return refuse(tr("'%1' is not a number.").arg(shown(text)));
    const QString t = withoutModifiers(sqlType).toLower();
    if (t == QLatin1String("real") || t == QLatin1String("double precision")) {
        // The server refuses what its floating type cannot hold, rather than rounding to 0 or ∞.
        const double v = s.toDouble();
        const bool single = t == QLatin1String("real");
        const double largest =
            single ? double(std::numeric_limits<float>::max()) : std::numeric_limits<double>::max();
        const double smallest =
            single ? double(std::numeric_limits<float>::min()) : std::numeric_limits<double>::denorm_min();
        static const QRegularExpression nonZeroDigit(QStringLiteral("[1-9]"));
        const QString mantissa = m.captured(1);
        if (!std::isfinite(v) || std::abs(v) > largest ||
            (mantissa.contains(nonZeroDigit) && std::abs(v) < smallest))
            return refuse(tr("%1 is out of range for %2.").arg(shown(s), t));
        return Checked{s, {}};
    }
    // numeric: at most 131,072 digits before the point and 16,383 after; far beyond any filter.
    if (s.size() > 1000 || m.captured(4).size() > 4)
        return refuse(tr("%1 is out of range for a number.").arg(shown(s)));
    return Checked{s, {}};
}

Checked checkBoolean(const QString &text)
{
    const QString t = text.trimmed().toLower();
    if (t == QLatin1String("true") || t == QLatin1String("t") || t == QLatin1String("yes") ||
        t == QLatin1String("1"))
        return Checked{sql::boolText(true), {}};
    if (t == QLatin1String("false") || t == QLatin1String("f") || t == QLatin1String("no") ||
        t == QLatin1String("0"))
        return Checked{sql::boolText(false), {}};
    return refuse(tr("'%1' is not true or false.").arg(shown(text)));
}

Checked checkEnum(const QString &text, const QStringList &values)
{
    if (values.contains(text))
        return Checked{text, {}};
    const QString t = text.trimmed();
    QStringList alike;
    for (const QString &v : values) {
        if (v.compare(t, Qt::CaseInsensitive) == 0)
            alike << v;
    }
    if (alike.size() == 1)
        return Checked{alike.first(), {}};
    return refuse(tr("'%1' is not one of %2.").arg(shown(text), values.join(QStringLiteral(", "))));
}

Checked checkUuid(const QString &text)
{
    static const QRegularExpression uuid(
        QStringLiteral("^(\\{[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}\\}|"
                       "[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12})$"),
        QRegularExpression::CaseInsensitiveOption);
    const QString s = text.trimmed();
    if (!uuid.match(s).hasMatch())
        return refuse(
            tr("'%1' is not a UUID such as 123e4567-e89b-12d3-a456-426614174000.").arg(shown(text)));
    return Checked{s, {}};
}

Checked checkDate(const QString &text)
{
    const QString s = text.trimmed();
    const QDate date = QDate::fromString(s, QStringLiteral("yyyy-MM-dd"));
    if (!date.isValid())
        return refuse(tr("'%1' is not a date such as 2026-11-29.").arg(shown(text)));
    return Checked{s, {}};
}

/// `HH:mm[:ss[.ffffff]]`; valid when hours, minutes and seconds are in range (24:00:00 too).
bool validTime(const QString &hours, const QString &minutes, const QString &seconds)
{
    const int h = hours.toInt();
    const int m = minutes.toInt();
    const int s = seconds.isEmpty() ? 0 : seconds.toInt();
    return (h < 24 && m < 60 && s < 60) || (h == 24 && m == 0 && s == 0);
}

Checked checkTime(const QString &text)
{
    static const QRegularExpression time(
        QStringLiteral("^([0-9]{1,2}):([0-9]{2})(?::([0-9]{2})(\\.[0-9]{1,6}"
                       ")?)?\\s*(Z|[+-](?:0?[0-9]|1[0-5])(?::?[0-5][0-9])?)?$"),
        QRegularExpression::CaseInsensitiveOption);
    const QString s = text.trimmed();
    const QRegularExpressionMatch m = time.match(s);
    if (!m.hasMatch() || !validTime(m.captured(1), m.captured(2), m.captured(3)))
        return refuse(tr("'%1' is not a time such as 18:30 or 18:30:00.").arg(shown(text)));
    return Checked{s, {}};
}

Checked checkTimestamp(const QString &text, bool zoned)
{
    static const QRegularExpression stamp(
        QStringLiteral(
            "^([0-9]{4}-[0-9]{2}-[0-9]{2})(?:[ T]([0-9]{1,2}):([0-9]{2})(?::([0-9]{2})(\\.[0-9]{1,6})?)?)?"
            "\\s*(Z|[+-](?:0[0-9]|1[0-5])(?::?[0-5][0-9])?)?$"),
        QRegularExpression::CaseInsensitiveOption);
    const QString s = text.trimmed();
    const QRegularExpressionMatch m = stamp.match(s);
    const QDate date =
        m.hasMatch() ? QDate::fromString(m.captured(1), QStringLiteral("yyyy-MM-dd")) : QDate();
    const bool hasTime = m.hasMatch() && !m.captured(2).isEmpty();
    if (!date.isValid() || (hasTime && !validTime(m.captured(2), m.captured(3), m.captured(4))))
        return refuse(tr("'%1' is not a date and time such as 2026-11-29 18:30:00.").arg(shown(text)));
    if (!zoned || !m.captured(6).isEmpty())
        return Checked{s, {}};
    // No zone on a zoned column: the local time the grid shows, sent as UTC.
    const int h = m.captured(2).toInt();
    const QTime clock = h == 24 ? QTime(0, 0) : QTime(h, m.captured(3).toInt(), m.captured(4).toInt());
    const QDateTime local(h == 24 ? date.addDays(1) : date, clock, Qt::LocalTime);
    return Checked{local.toUTC().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")) + m.captured(5) +
                       QStringLiteral("+00"),
                   {}};
}

Checked checkInterval(const QString &text)
{
    static const QRegularExpression words(
        QStringLiteral(
            "^@?\\s*(?:(?:[+-]?[0-9]{1,9}(?:\\.[0-9]{1,6})?\\s*(?:microseconds?|milliseconds?|seconds?|"
            "secs?|s|minutes?|mins?|m|hours?|hrs?|h|days?|d|weeks?|w|months?|mons?|years?|yrs?|y|"
            "decades?|centur(?:y|ies)|millenni(?:um|a|ums))|[+-]?[0-9]{1,6}:[0-9]{2}(?::[0-9]{2}(?:\\."
            "[0-9]{1,6})?)?)(?:\\s+|$))+(?:ago)?$"),
        QRegularExpression::CaseInsensitiveOption);
    static const QRegularExpression iso(
        QStringLiteral("^P(?=[0-9T])(?:[0-9]{1,9}Y)?(?:[0-9]{1,9}M)?(?:[0-9]{1,9}W)?(?:[0-9]{1,9}D)?"
                       "(?:T(?=[0-9])(?:[0-9]{1,9}H)?(?:[0-9]{1,9}M)?(?:[0-9]{1,9}(?:\\.[0-9]{1,6})?S)?)?$"),
        QRegularExpression::CaseInsensitiveOption);
    const QString s = text.trimmed();
    if (s.isEmpty() || (!words.match(s).hasMatch() && !iso.match(s).hasMatch()))
        return refuse(tr("'%1' is not an interval such as 1 day 02:00:00 or 3 hours.").arg(shown(text)));
    // An interval holds months and days in 32 bits and microseconds in 64: the server refuses
    // more ("interval out of range") instead of matching nothing, so such a value stops here.
    static const QRegularExpression part(QStringLiteral("([0-9]+(?:\\.[0-9]+)?)\\s*([a-z]*)"),
                                         QRegularExpression::CaseInsensitiveOption);
    double months = 0;
    double days = 0;
    double seconds = 0;
    for (const QRegularExpressionMatch &m : part.globalMatch(s)) {
        const double n = m.captured(1).toDouble();
        const QString unit = m.captured(2).toLower();
        if (unit.startsWith(QLatin1String("mil")) && unit != QLatin1String("milliseconds") &&
            unit != QLatin1String("millisecond"))
            months += n * 12000;
        else if (unit.startsWith(QLatin1String("cent")))
            months += n * 1200;
        else if (unit.startsWith(QLatin1String("dec")))
            months += n * 120;
        else if (unit.startsWith(QLatin1String("y")))
            months += n * 12;
        else if (unit.startsWith(QLatin1String("mon")))
            months += n;
        else if (unit.startsWith(QLatin1String("w")))
            days += n * 7;
        else if (unit.startsWith(QLatin1String("d")))
            days += n;
        else
            seconds += n * 3600; // hours, or any part of hh:mm:ss, counted generously
    }
    if (months > 2e9 || days > 2e9 || seconds > 9e12)
        return refuse(tr("%1 is out of range for an interval.").arg(shown(s)));
    return Checked{s, {}};
}

bool validIpv4(const QString &s)
{
    const QStringList parts = s.split(QLatin1Char('.'));
    if (parts.size() != 4)
        return false;
    static const QRegularExpression octet(QStringLiteral("^[0-9]{1,3}$"));
    return std::all_of(parts.cbegin(), parts.cend(),
                       [](const QString &p) { return octet.match(p).hasMatch() && p.toInt() <= 255; });
}

bool validIpv6(const QString &s)
{
    static const QRegularExpression group(QStringLiteral("^[0-9a-fA-F]{1,4}$"));
    const QStringList halves = s.split(QStringLiteral("::"));
    if (halves.size() > 2)
        return false;
    int groups = 0;
    for (int h = 0; h < halves.size(); ++h) {
        if (halves.at(h).isEmpty())
            continue;
        const QStringList parts = halves.at(h).split(QLatin1Char(':'));
        for (int i = 0; i < parts.size(); ++i) {
            const bool last = h == halves.size() - 1 && i == parts.size() - 1;
            if (last && parts.at(i).contains(QLatin1Char('.'))) {
                if (!validIpv4(parts.at(i)))
                    return false;
                groups += 2;
            } else if (group.match(parts.at(i)).hasMatch()) {
                ++groups;
            } else {
                return false;
            }
        }
    }
    return halves.size() == 2 ? groups < 8 : groups == 8;
}

Checked checkInet(const QString &text)
{
    const QString s = text.trimmed();
    const qsizetype slash = s.indexOf(QLatin1Char('/'));
    const QString address = slash < 0 ? s : s.left(slash);
    const bool v6 = address.contains(QLatin1Char(':'));
    bool ok = v6 ? validIpv6(address) : validIpv4(address);
    if (ok && slash >= 0) {
        static const QRegularExpression bits(QStringLiteral("^[0-9]{1,3}$"));
        const QString prefix = s.mid(slash + 1);
        ok = bits.match(prefix).hasMatch() && prefix.toInt() <= (v6 ? 128 : 32);
    }
    if (!ok)
        return refuse(tr("'%1' is not an IP address such as 192.168.0.1 or 10.0.0.0/8.").arg(shown(text)));
    return Checked{s, {}};
}

Checked checkBytea(const QString &text)
{
    static const QRegularExpression hex(QStringLiteral("^\\\\x([0-9a-fA-F]{2})*$"));
    const QString s = text.trimmed();
    if (!hex.match(s).hasMatch())
        return refuse(tr("'%1' is not bytes in hex such as \\x0a1b.").arg(shown(text)));
    return Checked{s, {}};
}

Checked checkJson(const QString &text)
{
    const QString s = text.trimmed();
    if (s.contains(QLatin1String("\\u0000")))
        return refuse(tr("JSON cannot hold the character \\u0000."));
    if (const Result<QJsonValue> json = sql::jsonFromText(s); s.isEmpty() || !json)
        return refuse(tr("'%1' is not JSON (a string needs double quotes: \"text\").").arg(shown(text)));
    return Checked{s, {}};
}

Checked checkValue(Kind kind, const QString &text, const QString &sqlType, const ColumnSpec &c)
{
    switch (kind) {
    case Kind::Text:
    case Kind::Other:
        return Checked{text, {}};
    case Kind::Integer:
        return checkInteger(text, integerRange(sqlType, isArray(c) ? std::nullopt : c.minimum,
                                               isArray(c) ? std::nullopt : c.maximum));
    case Kind::Decimal:
        return checkDecimal(text, sqlType);
    case Kind::Boolean:
        return checkBoolean(text);
    case Kind::Enum:
        return checkEnum(text, c.values);
    case Kind::ZonedTimestamp:
        return checkTimestamp(text, true);
    case Kind::LocalTimestamp:
        return checkTimestamp(text, false);
    case Kind::Date:
        return checkDate(text);
    case Kind::Time:
        return checkTime(text);
    case Kind::Interval:
        return checkInterval(text);
    case Kind::Uuid:
        return checkUuid(text);
    case Kind::Inet:
        return checkInet(text);
    case Kind::Bytea:
        return checkBytea(text);
    case Kind::Json:
        return checkJson(text);
    }
    return Checked{text, {}};
}

bool hasNul(const QString &text)
{
    return text.contains(QChar(0));
}

/// Whether describe() puts the value in quotes: text, and what is compared as text.
bool quoted(Kind kind, Op op)
{
    if (op == Op::Contains || op == Op::StartsWith || op == Op::JsonHasKey || op == Op::JsonPathEquals)
        return true;
    return kind == Kind::Text || kind == Kind::Other || kind == Kind::Json || kind == Kind::Bytea;
}

} // namespace

QList<Op> ops(const ColumnSpec &column)
{
    const QList<Op> comparisons{Op::Equals, Op::NotEquals, Op::Below, Op::AtMost, Op::Above, Op::AtLeast};
    QList<Op> out;
    switch (column.type) {
    case Type::Boolean:
        out << Op::Equals << Op::NotEquals;
        break;
    case Type::Json:
        out << Op::Equals << Op::NotEquals << Op::JsonHasKey << Op::JsonPathEquals << Op::Contains;
        break;
    case Type::Array:
    case Type::TextArray:
        out << Op::ArrayContains;
        break;
    case Type::Bytea:
        out << Op::Equals << Op::NotEquals << Op::Contains << Op::StartsWith;
        break;
    case Type::Other:
        out << Op::Equals << Op::NotEquals << Op::Contains << Op::StartsWith << Op::InSet;
        break;
    default:
        out << comparisons << Op::Contains << Op::StartsWith << Op::InSet;
        break;
    }
    if (column.nullable)
        out << Op::IsNull << Op::IsNotNull;
    return out;
}

QString symbol(Op op)
{
    switch (op) {
    case Op::Equals:
        return QStringLiteral("=");
    case Op::NotEquals:
        return QStringLiteral("≠");
    case Op::Below:
        return QStringLiteral("<");
    case Op::AtMost:
        return QStringLiteral("≤");
    case Op::Above:
        return QStringLiteral(">");
    case Op::AtLeast:
        return QStringLiteral("≥");
    case Op::Contains:
    case Op::ArrayContains:
        return tr("contains");
    case Op::StartsWith:
        return tr("starts with");
    case Op::InSet:
        return tr("in");
    case Op::IsNull:
        return tr("is null");
    case Op::IsNotNull:
        return tr("is not null");
    case Op::JsonHasKey:
        return tr("has key");
    case Op::JsonPathEquals:
        return QStringLiteral("=");
    }
    return {};
}

QString menuText(Op op)
{
    switch (op) {
    case Op::Equals:
        return tr("=  equals");
    case Op::NotEquals:
        return tr("≠  does not equal");
    case Op::Below:
        return tr("<  less than");
    case Op::AtMost:
        return tr("≤  at most");
    case Op::Above:
        return tr(">  greater than");
    case Op::AtLeast:
        return tr("≥  at least");
    case Op::Contains:
        return tr("contains");
    case Op::StartsWith:
        return tr("starts with");
    case Op::InSet:
        return tr("in list");
    case Op::IsNull:
        return tr("is null");
    case Op::IsNotNull:
        return tr("is not null");
    case Op::JsonHasKey:
        return tr("has key");
    case Op::JsonPathEquals:
        return tr("path equals");
    case Op::ArrayContains:
        return tr("contains element");
    }
    return {};
}

bool takesNoValue(Op op)
{
    return op == Op::IsNull || op == Op::IsNotNull;
}

Result<KeysetQuery::Filter> buildFilter(const TableSpec &spec, const StudioFilter &pill)
{
    const int index = spec.columnOf(pill.column);
    if (index < 0)
        return Error{Error::Kind::Invalid,
                     tr("There is no column '%1' in %2.").arg(shown(pill.column), spec.table),
                     {},
                     {}};
    const ColumnSpec &c = spec.columns.at(index);
    if (!ops(c).contains(pill.op))
        return invalid(c, tr("'%1' does not apply to this column.").arg(symbol(pill.op)));
    if (hasNul(pill.value) || std::any_of(pill.values.cbegin(), pill.values.cend(), hasNul) ||
        std::any_of(pill.path.cbegin(), pill.path.cend(), hasNul))
        return invalid(c, tr("a value cannot hold the character NUL."));

    const QString column = spec.expression(index);
    const bool array = isArray(c);
    const Kind kind = array ? (c.type == Type::TextArray ? Kind::Text : elementKind(c)) : kindOf(c);
    const QString sqlType =
        array ? (c.type == Type::TextArray ? QStringLiteral("text") : c.elementType) : c.sqlType;
    using Filter = KeysetQuery::Filter;

    switch (pill.op) {
    case Op::IsNull:
    case Op::IsNotNull:
        return Filter{column, pill.op};
    case Op::Contains:
    case Op::StartsWith:
        if (pill.value.isEmpty())
            return invalid(c, tr("type the text to look for."));
        return Filter{column, pill.op, pill.value}; // KeysetQuery matches the column's text
    case Op::JsonHasKey:
        if (pill.value.isEmpty())
            return invalid(c, tr("type the key to look for."));
        return Filter{column, pill.op, pill.value};
    case Op::JsonPathEquals:
        if (pill.path.isEmpty())
            return invalid(c, tr("type a path such as address.city or items.0.name."));
        return Filter{column, pill.op, pill.value, {}, pill.path};
    case Op::InSet: {
        if (pill.values.isEmpty())
            return invalid(c, tr("type at least one value for the list."));
        QStringList values;
        for (const QString &v : pill.values) {
            const Checked checked = checkValue(kind, v, sqlType, c);
            if (!checked.problem.isEmpty())
                return invalid(c, checked.problem);
            values << checked.value;
        }
        const bool asText = kind == Kind::Other;
        return Filter{asText ? QStringLiteral("CAST(%1 AS text)").arg(column) : column, pill.op, values,
                      castFor(kind, sqlType)};
    }
    case Op::ArrayContains: {
        const Checked checked = checkValue(kind, pill.value, sqlType, c);
        if (!checked.problem.isEmpty())
            return invalid(c, checked.problem);
        // Elements without a check of their own (and varchar(n), whose cast truncates) compare as text.
        if (kind == Kind::Other || (kind == Kind::Text && c.type != Type::TextArray))
            return Filter{QStringLiteral("CAST(%1 AS text[])").arg(column), pill.op, checked.value,
                          QStringLiteral("text")};
        return Filter{column, pill.op, checked.value, castFor(kind, sqlType)};
    }
    case Op::Equals:
    case Op::NotEquals:
    case Op::Below:
    case Op::AtMost:
    case Op::Above:
    case Op::AtLeast:
        break;
    }
    const Checked checked = checkValue(kind, pill.value, sqlType, c);
    if (!checked.problem.isEmpty())
        return invalid(c, checked.problem);
    QString expression = column;
    if (kind == Kind::Json) // json has no `=`; jsonb compares values, not spellings
        expression = QStringLiteral("CAST(%1 AS jsonb)").arg(column);
    else if (kind == Kind::Other)
        expression = QStringLiteral("CAST(%1 AS text)").arg(column);
    return Filter{expression, pill.op, checked.value, castFor(kind, sqlType)};
}

Result<QList<KeysetQuery::Filter>> buildFilters(const TableSpec &spec, const QList<StudioFilter> &pills)
{
    QList<KeysetQuery::Filter> out;
    out.reserve(pills.size());
    for (const StudioFilter &pill : pills) {
        Result<KeysetQuery::Filter> filter = buildFilter(spec, pill);
        if (!filter)
            return filter.error();
        out << std::move(filter).value();
    }
    return out;
}

QString describe(const TableSpec &spec, const StudioFilter &pill)
{
    const int index = spec.columnOf(pill.column);
    const ColumnSpec *c = index >= 0 ? &spec.columns.at(index) : nullptr;
    const QString name = c ? headerOf(*c) : pill.column;
    const Kind kind =
        !c ? Kind::Text
           : (isArray(*c) ? (c->type == Type::TextArray ? Kind::Text : elementKind(*c)) : kindOf(*c));
    const bool quote = quoted(kind, pill.op);
    auto value = [&](const QString &v) {
        return quote ? QLatin1Char('\'') + shown(v) + QLatin1Char('\'') : shown(v);
    };
    switch (pill.op) {
    case Op::IsNull:
    case Op::IsNotNull:
        return name + QLatin1Char(' ') + symbol(pill.op);
    case Op::InSet: {
        QStringList shownValues;
        for (const QString &v : pill.values.mid(0, 5))
            shownValues << value(v);
        if (pill.values.size() > 5)
            shownValues << tr("%n more", nullptr, int(pill.values.size() - 5));
        return QStringLiteral("%1 %2 (%3)")
            .arg(name, symbol(pill.op), shownValues.join(QStringLiteral(", ")));
    }
    case Op::JsonPathEquals:
        return QStringLiteral("%1 → %2 = %3").arg(name, pill.path.join(QLatin1Char('.')), value(pill.value));
    default:
        break;
    }
    return QStringLiteral("%1 %2 %3").arg(name, symbol(pill.op), value(pill.value));
}

QStringList quickSearchColumns(const TableSpec &spec)
{
    QStringList out;
    for (int i = 0; i < spec.columns.size(); ++i) {
        if (spec.columns.at(i).type == Type::Text)
            out << spec.expression(i);
    }
    return out;
}

} // namespace ccpm::studiofilter
