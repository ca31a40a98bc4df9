#pragma once

#include "sqlconsole.h"

#include <QAbstractTableModel>
#include <QHash>
#include <QPointer>
#include <QSet>

namespace ccpm {

/// The SQL console's result grid: a read-only table model over one SqlConsole result, lazy and
/// bounded so that scrolling through millions of rows keeps memory flat.
///
/// - setResult() shows a run()'s Outcome. A direct result (EXPLAIN, SHOW, … RETURNING) is held
///   whole. A cursor result keeps at most kMaxPages pages of kPageRows rows (least recently used
///   dropped) and asks the console for a missing page when data() needs it; until it arrives the
///   cell shows a placeholder ("…") and RawValueRole is invalid.
/// - The row count starts at the rows known (the first page) and grows through canFetchMore()/
///   fetchMore() as the view scrolls down; countRows() asks the console for the exact count
///   (rowCountExact() then true) so the view can jump to the end. Rows are inserted at the end,
///   never by a reset (setResult() and clear() reset).
/// - DisplayRole: the server's text, "NULL" for NULL (NullRole true); ToolTipRole of a header:
///   the column's type name; RawValueRole: the text or an invalid QVariant for NULL.
///
/// Errors: a failed fetch or count is reported by errorOccurred() and stops further requests
/// for this result. Thread: GUI.
class SqlResultModel : public QAbstractTableModel {
    Q_OBJECT
public:
    static constexpr int kPageRows = SqlConsole::kPageRows;
    static constexpr int kMaxPages = 20; ///< so at most 4,000 rows are held

    enum Roles { RawValueRole = Qt::UserRole + 1, NullRole, TypeNameRole };

    explicit SqlResultModel(QObject *parent = nullptr);

    /// Shows `outcome`, fetching further pages from `console` (which must outlive its use).
    void setResult(SqlConsole *console, const SqlConsole::Outcome &outcome);
    void clear();

    const QList<SqlConsole::Column> &columns() const { return m_columns; }
    /// True when rowCount() is the result's exact size (all read, or counted).
    bool rowCountExact() const { return m_exact; }
    /// Rows held in memory now (at most kPageRows * kMaxPages for a cursor result).
    int cachedRowCount() const;
    /// Asks the console for the exact count, then grows rowCount() to it (rowCountKnown()).
    void countRows();

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    bool canFetchMore(const QModelIndex &parent) const override;
    void fetchMore(const QModelIndex &parent) override;

signals:
    /// A page of rows arrived (its rows got dataChanged, or were inserted).
    void pageLoaded(qint64 firstRow, int rows);
    void rowCountKnown(qint64 rows);
    void errorOccurred(const QString &message);

private:
    struct CachedPage {
        QList<SqlConsole::Row> rows;
        quint64 lastUse = 0;
    };
    const SqlConsole::Row *row(int row) const;
    void requestPage(qint64 page) const;
    void requestWanted();
    void fetchNextPage();
    void countNow();
    void storePage(qint64 page, QList<SqlConsole::Row> rows);
    void growTo(qint64 rows);
    void fail(const Error &error);

    QPointer<SqlConsole> m_console;
    quint64 m_resultId = 0;
    quint64 m_generation = 0; ///< bumped by setResult()/clear(): late pages are dropped
    QList<SqlConsole::Column> m_columns;
    QList<SqlConsole::Row> m_allRows; ///< a direct result
    bool m_cursor = false;
    qint64 m_rows = 0;
    bool m_exact = true;
    bool m_failed = false;
    mutable QHash<qint64, CachedPage> m_pages; ///< cursor pages by index (row / kPageRows)
    mutable QSet<qint64> m_pending;            ///< asked for, not here yet
    mutable QSet<qint64> m_wanted;             ///< to ask for once the event loop runs
    mutable quint64 m_useClock = 0;
    bool m_fetchingMore = false;
};

} // namespace ccpm
