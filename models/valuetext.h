#pragma once

#include <QByteArray>
#include <QDate>
#include <QStringList>
#include <QTime>

#include <optional>

namespace ccpm::valuetext {

/// Checks and normal forms of PostgreSQL's text for the types Studio meets (ColumnSpec uses
/// them). Everything stays text: a number is never turned into a double, a timestamp's fraction
/// keeps its microseconds. Syntax PostgreSQL accepts that these functions cannot judge fully
/// (interval words, abbreviated cidr) is checked loosely: the server has the last word.
/// Pure functions, any thread.

/// `[+-]digits` (surrounding spaces allowed, as PostgreSQL does).
bool isWholeNumber(const QString &text);

/// A numeric / real / double precision literal: `83261.85`, `-0.000001`, `1e-30`, `.5`,
/// `NaN`, `Infinity`, `-inf` (case-insensitive, as PostgreSQL 14+ reads them).
bool isDecimal(const QString &text);
/// A form equal for equal values (`20.85`, `20.850` and `2.085e1` give the same string); the
/// text itself when it is no decimal.
QString decimalKey(const QString &text);
/// How many digits a decimal has before its point (after leading zeros); nullopt for NaN,
/// Infinity or no decimal.
std::optional<int> integerDigits(const QString &text);

/// 32 hex digits, with hyphens between groups of four and optional braces, as uuid_in reads.
bool isUuid(const QString &text);
/// Lower-case hex digits without hyphens or braces (for comparing); the text when no uuid.
QString uuidKey(const QString &text);

/// The bytes of bytea text as byteain reads it: hex after `\x` (white space between digits
/// allowed), otherwise the escape format (`\\` a backslash, `\nnn` an octal byte, other
/// characters as UTF-8), which is what the server prints when bytea_output is `escape` (the
/// QPSQL driver sets it). nullopt for odd or non-hex digits, or a bad escape.
std::optional<QByteArray> byteaBytes(const QString &text);
/// The same bytes as `\x` + lower-case hex; nullopt as above.
std::optional<QString> normalBytea(const QString &text);

/// A date and time as PostgreSQL prints and reads them: `2026-11-29 18:30:00.123456+00`,
/// `2026-11-29T18:30`, `2026-11-29` (midnight). `fraction` holds the digits after the point
/// without trailing zeros; `offsetSeconds` is set when the text names an offset (`+02`,
/// `-05:30`, `Z`).
struct DateTimeText {
    QDate date;
    QTime time; ///< whole seconds
    QString fraction;
    std::optional<int> offsetSeconds;
    bool hasTime = false;
};
std::optional<DateTimeText> parseDateTime(const QString &text);
/// `2026-11-29 18:30:00.123456` (no offset), PostgreSQL's output for `timestamp`.
QString dateTimeText(const QDate &date, const QTime &time, const QString &fraction);
/// `+00`, `+05:30`, `-04:56:02` (PostgreSQL's form of a UTC offset).
QString offsetText(int seconds);
/// `+01:00`, `-05:00` (a display form).
QString offsetDisplay(int seconds);
/// PostgreSQL's special date and time inputs: infinity, -infinity, epoch, now, today, ….
bool isSpecialDateTime(const QString &text);

/// `2026-11-29`, normalised (zero-padded); nullopt when no valid date.
std::optional<QString> normalDate(const QString &text);
/// `18:30:00`, `18:30:00.5`, `18:30:00+02` (with `withZone`); nullopt when no valid time.
std::optional<QString> normalTime(const QString &text, bool withZone);

/// PostgreSQL interval text (`1 mon 2 days 03:04:05`, `-1 days +02:00:00`, `90 minutes`, `@ 1
/// day ago`, ISO 8601 `P1Y2M3DT4H5M6S`), checked loosely.
bool isInterval(const QString &text);

/// An IPv4 or IPv6 address with an optional `/prefix` (inet); `cidr` also takes abbreviated
/// IPv4 networks (`10/8`, `192.168/16`).
bool isInet(const QString &text, bool cidr);

/// Whether `text` is one JSON value (scalars included), by the JSON grammar, without turning
/// numbers into doubles.
bool isJson(const QString &text);
/// `text` without the white space outside strings (numbers and escapes exactly as written).
QString compactJson(const QString &text);
/// The elements of a JSON array as text: a string's value, the literal text of a number, `true`
/// or `false`, the compact text of an object or array, and a null QString for null. nullopt
/// when `text` is not a JSON array.
std::optional<QStringList> jsonArrayElements(const QString &text);
/// A JSON array of strings and nulls (null QString → null).
QString jsonStringArray(const QStringList &elements);
/// The elements of a PostgreSQL array literal (`{1,"a,b",NULL}`); nullopt when it is not one
/// (or has more than one dimension).
std::optional<QStringList> pgArrayElements(const QString &text);

} // namespace ccpm::valuetext
