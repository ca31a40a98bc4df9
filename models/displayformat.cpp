#include "displayformat.h"

#include "itemroles.h"
#include "sqlvalues.h"

#include <QCoreApplication>

namespace ccpm::display {

namespace {
QString tr(const char *text)
{
    return QCoreApplication::translate("ccpm::display", text);
}
} // namespace

QString label(Role value)
{
    switch (value) {
    case Role::User:
        return tr("User");
    case Role::Admin:
        return tr("Admin");
    }
    return {};
}

QString label(AgentType value)
{
    switch (value) {
    case AgentType::Ai:
        return tr("AI");
    case AgentType::Human:
        return tr("Human");
    case AgentType::Bot:
        return tr("Bot");
    }
    return {};
}

QString label(AgentStatus value)
{
    switch (value) {
    case AgentStatus::Active:
        return tr("Active");
    case AgentStatus::Inactive:
        return tr("Inactive");
    case AgentStatus::Busy:
        return tr("Busy");
    }
    return {};
}

QString label(TaskStatus value)
{
    switch (value) {
    case TaskStatus::Pending:
        return tr("Pending");
    case TaskStatus::Assigned:
        return tr("Assigned");
    case TaskStatus::InProgress:
        return tr("In progress");
    case TaskStatus::Completed:
        return tr("Completed");
    case TaskStatus::Failed:
        return tr("Failed");
    }
    return {};
}

QString label(Priority value)
{
    switch (value) {
    case Priority::Low:
        return tr("Low");
    case Priority::Medium:
        return tr("Medium");
    case Priority::High:
        return tr("High");
    }
    return {};
}

QString label(SenderType value)
{
    return value == SenderType::User ? tr("User") : tr("Agent");
}

QString label(ReceiverType value)
{
    return value == ReceiverType::User ? tr("User") : tr("Agent");
}

QString localTime(const QDateTime &utc)
{
    return utc.isValid() ? utc.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")) : QString();
}

QString utcTooltip(const QDateTime &utc)
{
    return utc.isValid() ? sql::timestampText(utc) + QStringLiteral(" UTC") : QString();
}

QString jsonPreview(const QJsonValue &value, int maxChars)
{
    const QString text = sql::jsonText(value);
    return text.size() <= maxChars ? text : text.left(maxChars - 1) + QChar(0x2026);
}

QString list(const std::optional<QStringList> &values)
{
    if (!values)
        return {};
    QStringList shown;
    for (const QString &v : *values)
        shown << (v.isNull() ? QStringLiteral("NULL") : v);
    return shown.join(QStringLiteral(", "));
}

QVariant timestampRole(const QDateTime &utc, int role)
{
    switch (role) {
    case Qt::DisplayRole:
        return localTime(utc);
    case Qt::ToolTipRole:
        return utcTooltip(utc);
    case Qt::EditRole:
    case roles::RawValue:
        return utc;
    default:
        return {};
    }
}

} // namespace ccpm::display
