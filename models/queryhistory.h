#pragma once

#include "result.h"

#include <QAbstractListModel>
#include <QDateTime>
#include <QList>
#include <QString>

namespace ccpm {

/// The SQL console's history of run statements and its saved queries, for one user on one
/// database, kept in a local JSON file (never in the database): `<directory>/<key>.json`, the
/// key a hash of user and database so neither shows in the name. The directory is created with
/// mode 0700 and the file written atomically with mode 0600. The history holds the last
/// `limit` statements, newest first; running the same text again moves it to the top.
///
/// As a list model: one row per history entry, newest first; DisplayRole is the statement on
/// one line, ToolTipRole the whole text with when it ran, StatementRole the text.
/// Errors (a directory or file that cannot be read or written) come back from load() and the
/// writing calls as Error::Kind::Environment; the list in memory stays usable.
/// Thread: GUI (the file is small and local).
class QueryHistory : public QAbstractListModel {
    Q_OBJECT
public:
    static constexpr int StatementRole = Qt::UserRole + 1;
    static constexpr int DefaultLimit = 500;

    struct Entry {
        QString sql;
        QDateTime ranAt; ///< UTC
        qint64 elapsedMs = -1;
        bool ok = true;
    };
    struct SavedQuery {
        QString name;
        QString sql;
        QDateTime savedAt; ///< UTC
    };

    /// `directory` empty: QStandardPaths::AppDataLocation/sql-console.
    QueryHistory(const QString &user, const QString &database, const QString &directory = {},
                 QObject *parent = nullptr);

    /// Reads the file (a missing file is an empty history).
    Status load();
    QString filePath() const { return m_path; }
    int limit() const { return m_limit; }
    void setLimit(int limit);

    const QList<Entry> &entries() const { return m_entries; }
    /// Adds a run statement at the top and writes the file.
    Status add(const QString &sql, qint64 elapsedMs = -1, bool ok = true);
    Status clear();

    const QList<SavedQuery> &savedQueries() const { return m_saved; }
    /// Saves `sql` under `name`, replacing a query of that name; writes the file.
    Status saveQuery(const QString &name, const QString &sql);
    Status removeQuery(const QString &name);

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;

signals:
    void savedQueriesChanged();

private:
    Status write() const;
    void trim();

    QString m_user;
    QString m_database;
    QString m_directory;
    QString m_path;
    int m_limit = DefaultLimit;
    QList<Entry> m_entries;
    QList<SavedQuery> m_saved;
};

} // namespace ccpm
