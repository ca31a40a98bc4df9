#include "queryhistory.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>
#include <QStandardPaths>

namespace ccpm {

namespace {

constexpr auto kDirectoryMode = QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner;

Error fileError(const QString &message, const QString &detail)
{
    return Error{Error::Kind::Environment, message, detail, {}};
}

} // namespace

QueryHistory::QueryHistory(const QString &user, const QString &database, const QString &directory,
                           QObject *parent)
    : QAbstractListModel(parent)
    , m_user(user)
    , m_database(database)
    , m_directory(directory.isEmpty() ? QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) +
                                            QStringLiteral("/sql-console")
                                      : directory)
{
    const QByteArray key =
        QCryptographicHash::hash((user + QLatin1Char('\n') + database).toUtf8(), QCryptographicHash::Sha256)
            .toHex()
            .left(24);
    m_path = m_directory + QLatin1Char('/') + QString::fromLatin1(key) + QStringLiteral(".json");
}

Status QueryHistory::load()
{
    QFile file(m_path);
    if (!file.exists())
        return Done{};
    if (!file.open(QIODevice::ReadOnly))
        return fileError(tr("The query history cannot be read."), file.errorString());
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(file.readAll(), &parseError);
    if (!document.isObject())
        return fileError(tr("The query history file is damaged; it will be written anew."),
                         parseError.errorString());
    const QJsonObject root = document.object();
    QList<Entry> entries;
    for (const QJsonValue &value : root.value(QStringLiteral("history")).toArray()) {
        const QJsonObject object = value.toObject();
        Entry entry;
        entry.sql = object.value(QStringLiteral("sql")).toString();
        entry.ranAt = QDateTime::fromString(object.value(QStringLiteral("at")).toString(), Qt::ISODateWithMs);
        entry.elapsedMs = object.value(QStringLiteral("ms")).toInteger(-1);
        entry.ok = object.value(QStringLiteral("ok")).toBool(true);
        if (!entry.sql.isEmpty())
            entries << entry;
    }
    QList<SavedQuery> saved;
    for (const QJsonValue &value : root.value(QStringLiteral("saved")).toArray()) {
        const QJsonObject object = value.toObject();
        SavedQuery query{
            object.value(QStringLiteral("name")).toString(), object.value(QStringLiteral("sql")).toString(),
            QDateTime::fromString(object.value(QStringLiteral("at")).toString(), Qt::ISODateWithMs)};
        if (!query.name.isEmpty())
            saved << query;
    }
    beginResetModel();
    m_entries = entries;
    trim();
    endResetModel();
    m_saved = saved;
    emit savedQueriesChanged();
    return Done{};
}

void QueryHistory::setLimit(int limit)
{
    m_limit = qMax(1, limit);
    if (m_entries.size() > m_limit) {
        beginRemoveRows({}, m_limit, int(m_entries.size()) - 1);
        trim();
        endRemoveRows();
    }
}

void QueryHistory::trim()
{
    if (m_entries.size() > m_limit)
        m_entries.resize(m_limit);
}

Status QueryHistory::add(const QString &sql, qint64 elapsedMs, bool ok)
{
    const QString text = sql.trimmed();
    if (text.isEmpty())
        return Done{};
    for (int i = 0; i < m_entries.size(); ++i) {
        if (m_entries.at(i).sql == text) {
            beginRemoveRows({}, i, i);
            m_entries.removeAt(i);
            endRemoveRows();
            break;
        }
    }
    beginInsertRows({}, 0, 0);
    m_entries.prepend(Entry{text, QDateTime::currentDateTimeUtc(), elapsedMs, ok});
    endInsertRows();
    if (m_entries.size() > m_limit) {
        beginRemoveRows({}, m_limit, int(m_entries.size()) - 1);
        trim();
        endRemoveRows();
    }
    return write();
}

Status QueryHistory::clear()
{
    beginResetModel();
    m_entries.clear();
    endResetModel();
    return write();
}

Status QueryHistory::saveQuery(const QString &name, const QString &sql)
{
    const QString trimmed = name.trimmed();
    if (trimmed.isEmpty())
        return Error{Error::Kind::Invalid, tr("A saved query needs a name."), {}, {}};
    SavedQuery query{trimmed, sql.trimmed(), QDateTime::currentDateTimeUtc()};
    auto it = std::find_if(m_saved.begin(), m_saved.end(),
                           [&trimmed](const SavedQuery &q) { return q.name == trimmed; });
    if (it != m_saved.end())
        *it = query;
    else
        m_saved << query;
    emit savedQueriesChanged();
    return write();
}

Status QueryHistory::removeQuery(const QString &name)
{
    const auto removed = m_saved.removeIf([&name](const SavedQuery &q) { return q.name == name; });
    if (removed == 0)
        return Done{};
    emit savedQueriesChanged();
    return write();
}

Status QueryHistory::write() const
{
    QDir directory;
    if (!directory.mkpath(m_directory))
        return fileError(tr("The query history cannot be saved: its folder cannot be made."), m_directory);
    QFile::setPermissions(m_directory, kDirectoryMode);
    QJsonArray history;
    for (const Entry &entry : m_entries)
        history.append(QJsonObject{{QStringLiteral("sql"), entry.sql},
                                   {QStringLiteral("at"), entry.ranAt.toString(Qt::ISODateWithMs)},
                                   {QStringLiteral("ms"), entry.elapsedMs},
                                   {QStringLiteral("ok"), entry.ok}});
    QJsonArray saved;
    for (const SavedQuery &query : m_saved)
        saved.append(QJsonObject{{QStringLiteral("name"), query.name},
                                 {QStringLiteral("sql"), query.sql},
                                 {QStringLiteral("at"), query.savedAt.toString(Qt::ISODateWithMs)}});
    const QJsonObject root{{QStringLiteral("user"), m_user},
                           {QStringLiteral("database"), m_database},
                           {QStringLiteral("history"), history},
                           {QStringLiteral("saved"), saved}};
    QSaveFile file(m_path);
    if (!file.open(QIODevice::WriteOnly))
        return fileError(tr("The query history cannot be saved."), file.errorString());
    file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    file.write(QJsonDocument(root).toJson(QJsonDocument::Compact));
    if (!file.commit())
        return fileError(tr("The query history cannot be saved."), file.errorString());
    return Done{};
}

int QueryHistory::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_entries.size());
}

QVariant QueryHistory::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Entry &entry = m_entries.at(index.row());
    switch (role) {
    case Qt::DisplayRole: {
        QString line = entry.sql.simplified();
        if (line.size() > 200)
            line = line.left(199) + QChar(0x2026);
        return line;
    }
    case Qt::ToolTipRole:
        return tr("%1\n\nRan %2%3")
            .arg(entry.sql, QLocale().toString(entry.ranAt.toLocalTime(), QLocale::ShortFormat),
                 entry.ok ? QString() : tr(" (failed)"));
    case StatementRole:
        return entry.sql;
    default:
        return {};
    }
}

} // namespace ccpm
