#pragma once

#include "changefeed.h"
#include "dbexecutor.h"
#include "itemroles.h"
#include "keysetquery.h"

#include <QAbstractTableModel>
#include <QHash>
#include <QSet>

namespace ccpm {

/// A read-only table model over any KeysetQuery that stays instant on tables of millions of rows:
/// rows arrive in pages from the db workers, the GUI thread never waits, and memory stays bounded.
///
/// - The first page and the table's estimated size arrive at once (`countIsExact()` false); a
///   background pass then counts exactly and keeps an anchor (the sort keys) every
///   `kAnchorEvery` rows. The row count changes by inserting or removing rows at the end, never
///   by a reset.
/// - A page is fetched with keyset pagination from a loaded neighbour page, from the nearest
///   anchor, or (the last page) backwards from the end; never with OFFSET. Until it arrives,
///   data() shows a placeholder ("…") and the raw role is invalid.
/// - At most `maxCachedPages()` pages stay in memory; those farthest from the last page asked for
///   are dropped and fetched again when needed.
/// - setQuery() (a new sort or filter) resets the model and bumps a generation counter, so results
///   of the old query that arrive late are dropped.
/// Thread: GUI. Errors: errorOccurred() with the database's message.
class PagedTableModel : public QAbstractTableModel {
    Q_OBJECT
public:
    static constexpr int kPageSize = 250;
    static constexpr int kAnchorEvery = 1000; ///< a multiple of kPageSize

    enum Roles { RowIdRole = roles::RowId, RawValueRole = roles::RawValue };

    PagedTableModel(DbExecutor &executor, QStringList headers, QObject *parent = nullptr);

    void setQuery(const KeysetQuery &query);

    /// Fetches the row with this id again and, when it is in a cached page, replaces it in
    /// place (dataChanged for that row; no reset, selection and other rows untouched). A row
    /// that moved in the sort order stays where it is until the next page load; a row that no
    /// longer matches keeps its old values until then too.
    void refreshRow(const QString &id);
    /// Calls refreshRow() for every change the feed announces on `table`.
    void followChanges(ChangeFeed &feed, const QString &table);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

    bool countIsExact() const { return m_countExact; }
    /// "about 1.0 M rows" while estimated, "1,000,000 rows" once exact.
    QString countText() const;
    bool isLoaded(int row) const;
    int cachedPages() const { return int(m_pages.size()); }
    int maxCachedPages() const { return m_maxCachedPages; }
    void setMaxCachedPages(int pages) { m_maxCachedPages = qMax(4, pages); }

signals:
    void countChanged(int rows, bool exact);
    void errorOccurred(const QString &message);

private:
    struct Page {
        QList<QVariantList> rows; ///< each row: the query's columns, then its cursor columns
        mutable quint64 lastUsed = 0;
    };
    using Rows = QList<QVariantList>;

    void requestPage(int page);
    void fetchPage(int page, KeysetQuery::Direction direction, std::optional<QVariantList> cursor, int limit,
                   int skip);
    void storePage(int page, Rows rows);
    void evictFarPages(int around);
    void setCount(int rows, bool exact);
    void startCounting();
    QVariantList cursorOf(const QVariantList &row) const;

    DbExecutor *m_executor;
    QStringList m_headers;
    std::optional<KeysetQuery> m_query;
    quint64 m_generation = 0;
    int m_count = 0;
    bool m_countExact = false;
    QHash<int, Page> m_pages;
    mutable QSet<int> m_requested; ///< pages asked for while nothing could fetch them yet
    QSet<int> m_inFlight;
    QList<QVariantList> m_anchors; ///< m_anchors[k] = cursor of row (k + 1) * kAnchorEvery - 1
    bool m_anchorsReady = false;
    mutable quint64 m_clock = 0;
    int m_maxCachedPages = 40;
};

} // namespace ccpm
