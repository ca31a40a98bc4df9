#pragma once

#include "enums.h"

#include <QDateTime>
#include <QJsonValue>
#include <QStringList>
#include <QVariant>

#include <optional>

namespace ccpm::display {

/// How values look in the views. Pure functions, any thread; labels are translated.

QString label(Role value);
QString label(AgentType value);
QString label(AgentStatus value);
QString label(TaskStatus value);
QString label(Priority value);
QString label(SenderType value);
QString label(ReceiverType value);

/// Local time, "yyyy-MM-dd HH:mm:ss"; empty for NULL.
QString localTime(const QDateTime &utc);
/// "2026-11-29 15:14:20.850 UTC" for tooltips; empty for NULL.
QString utcTooltip(const QDateTime &utc);
/// Compact JSON, cut to `maxChars` with an ellipsis.
QString jsonPreview(const QJsonValue &value, int maxChars = 80);
/// "a, b, c"; NULL elements as NULL; an absent array as empty.
QString list(const std::optional<QStringList> &values);

/// The display / tooltip / raw role of a timestamp cell.
QVariant timestampRole(const QDateTime &utc, int role);

} // namespace ccpm::display
