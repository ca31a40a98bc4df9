#pragma once

#include "tablespec.h"
#include "tablewriter.h"

#include <QHash>
#include <QVariantList>

#include <optional>

namespace ccpm {

/// The edits a user has staged on one table and not yet saved, keyed by row id so that paging,
/// sorting and live refreshes never lose them:
/// - cell values of loaded rows, with the row as it was loaded when first touched (the baseline
///   for optimistic concurrency: its version column, or its original values);
/// - deletions of loaded rows (the row stays listed, marked, until saved);
/// - new rows, with an id made here (a cuid, as Prisma's `@default(cuid())` would).
/// Values are stored text, as in TableSpec. Pure data: no signals, no undo (the model's undo
/// commands call these functions). Thread: the owner's.
class StagedChanges {
public:
    struct NewRow {
        QString id;
        QHash<int, QVariant> values; ///< column → text
    };
    struct Problem {
        QString id;
        int column = -1;
        QString message;
    };

    bool isEmpty() const { return m_rows.isEmpty() && m_inserted.isEmpty(); }
    /// The rows a save writes, one statement each (a clean row is never kept touched).
    int rowCount() const { return int(m_rows.size() + m_inserted.size()); }
    void clear();
    void clearInserted() { m_inserted.clear(); }

    // Loaded rows
    std::optional<QVariant> value(const QString &id, int column) const;
    void stage(const QString &id, int column, const QVariant &text, const QVariantList &loadedRow);
    void unstage(const QString &id, int column);
    bool isDeleted(const QString &id) const;
    void setDeleted(const QString &id, bool deleted, const QVariantList &loadedRow);
    bool isTouched(const QString &id) const { return m_rows.contains(id); }
    /// The row as loaded when first edited; empty when untouched.
    QVariantList loadedRow(const QString &id) const;
    /// "Keep mine" after a conflict: `current` becomes the baseline, the edits stay.
    void rebase(const QString &id, const QVariantList &current);
    /// "Take theirs": forgets every edit and the deletion of the row.
    void drop(const QString &id);
    QList<QString> touchedIds() const { return m_rows.keys(); }
    QHash<int, QVariant> edits(const QString &id) const;

    // New rows, shown above the loaded ones in this order
    const QList<NewRow> &inserted() const { return m_inserted; }
    int insertedIndex(const QString &id) const;
    void insert(int position, NewRow row);
    NewRow takeInserted(int position);
    void setInsertedValue(int position, int column, const QVariant &text);

    /// Every value that the table's rules refuse (required, enum, JSON, length, range).
    QList<Problem> validate(const TableSpec &spec) const;
    /// The writes, inserts first, then updates, then deletes; `ids` receives each write's row id.
    ChangeSet changeSet(const TableSpec &spec, QStringList *ids = nullptr) const;

private:
    struct Touched {
        QVariantList loaded;
        QHash<int, QVariant> edits;
        bool deleted = false;
    };
    void forgetIfClean(const QString &id);

    QHash<QString, Touched> m_rows;
    QList<NewRow> m_inserted;
};

} // namespace ccpm
