#pragma once

#include <QDateTime>
#include <QString>
#include <QVariant>

#include <optional>

/// What columnspec.cpp (conversions) and columnspecproblem.cpp (validation) share: reading
/// numbers, booleans and timestamps from stored or typed text. Internal to the models library.
/// Pure functions, any thread.
namespace ccpm::columnspec::detail {

/// QCoreApplication::translate in the "ccpm::ColumnSpec" context, the one lupdate gives the tr()
/// calls in ColumnSpec's members.
QString tr(const char *text);
/// A whole number that fits a bigint; nullopt otherwise.
std::optional<qint64> integer(const QVariant &text);
/// true/t/yes/1 and false/f/no/0, any case; nullopt otherwise.
std::optional<bool> boolean(const QString &text);
/// At most `maxChars` characters, the last one an ellipsis when cut.
QString elided(const QString &text, int maxChars);

/// A timestamptz as an instant: whole seconds in UTC plus the exact fraction digits.
struct Instant {
    QDateTime utc; ///< whole seconds
    QString fraction;
};
/// Stored text (`2026-11-29 18:30:00.123+00`); text without an offset is UTC, the session's zone.
std::optional<Instant> storedInstant(const QString &text);
/// Typed text: local time unless it names an offset. Invalid for a local time that does not
/// exist (the hour skipped when clocks go forward); `gap` says so.
std::optional<Instant> typedInstant(const QString &text, bool *gap = nullptr);
/// Whether a SQL type keeps a time zone (timestamptz, timetz).
bool isZonedTime(const QString &sqlType);

} // namespace ccpm::columnspec::detail
