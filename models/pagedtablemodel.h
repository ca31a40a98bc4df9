#pragma once

#include "access.h"
#include "changefeed.h"
#include "dbexecutor.h"
#include "itemroles.h"
#include "keysetquery.h"
#include "stagedchanges.h"
#include "tablespec.h"

#include <QAbstractTableModel>
#include <QHash>
#include <QSet>
#include <QUndoStack>

#include <functional>

namespace ccpm {

/// The table model of every entity view (and later the Studio browser): one table described by
/// a TableSpec, paged from the database so it stays instant on millions of rows, with edits
/// staged locally, undoable, and saved in one transaction.
///
/// Loading
/// - Rows arrive in pages from the db workers; the GUI thread never waits. The first page and
///   PostgreSQL's estimate of the size arrive at once (countIsExact() false); once the first page
///   is there, a background pass counts exactly and keeps an anchor (the sort keys) every `kAnchorEvery`
///   rows. The row count changes by inserting or removing rows at the end, never by a reset.
/// - A page is fetched with keyset pagination from a loaded neighbour page, from the nearest
///   anchor, or (near the end) backwards from the last row, even while the count is still the
///   estimate (placed again if the exact count differs); never with OFFSET. Until it arrives,
///   data() shows a placeholder ("…") and the raw role is invalid.
/// - At most maxCachedPages() pages stay in memory; the farthest are dropped and fetched again.
/// - sort(), setFilters(), setQuickSearch() and setQuery() reset the model and bump a
///   generation counter, so late results of the old query are dropped. Staged edits survive.
///
/// Display: references show the related name (edit and raw roles keep the id), enums a
/// translated label, timestamps local time (UTC in the tooltip), JSON a compact preview, text[]
/// a list. roles::RowId, roles::RawValue, roles::EditState, roles::Problem, roles::TheirValue.
/// A row decorator (setRowDecorator()) annotates one column from outside the table (an agent's
/// hub connection) without a proxy model.
///
/// Editing (QSqlTableModel's manual-submit semantics): setData() stages a value, insertRows()
/// stages new rows (shown at the top), removeRows() stages deletions (the rows stay, marked
/// Deleted, until saved; a staged new row goes at once). Every step is a command on undoStack().
/// save() validates, then writes everything in one transaction (TableWriter): on any failure
/// nothing is written, the staged edits stay, and saveFinished() names the row and the server's
/// message. An update or delete matches the version column (`updatedAt`) it loaded; when
/// another writer got there first, the row is marked Conflict with their values
/// (roles::TheirValue) until keepMine() or takeTheirs().
///
/// Thread: GUI. Errors: errorOccurred() (loading), saveFinished() (saving).
class PagedTableModel : public QAbstractTableModel {
    Q_OBJECT
public:
    static constexpr int kPageSize = 250;
    static constexpr int kAnchorEvery = 1000; ///< a multiple of kPageSize

    enum Roles { RowIdRole = roles::RowId, RawValueRole = roles::RawValue };

    PagedTableModel(DbExecutor &executor, TableSpec spec, QObject *parent = nullptr);

    const TableSpec &spec() const { return m_spec; }

    /// Who edits: with a role below the spec's writeRole nothing is editable, insertable or
    /// deletable, and every save checks the role again in its transaction (Access::require),
    /// so a user demoted after loading is refused too. Without an actor (tests, benchmarks) the
    /// model writes as the connection's database user. A spec with a readOnlyReason (no primary
    /// key, a view) is never written, whoever asks.
    void setActor(const Actor &actor, Role role);
    bool canWrite() const
    {
        return m_spec.readOnlyReason.isEmpty() &&
               (!m_actor || m_role == Role::Admin || m_spec.writeRole == Role::User);
    }

    /// Loads again with the current sort and filters (at first, the spec's default sort).
    void reload();
    void sort(int column, Qt::SortOrder order = Qt::AscendingOrder) override;
    void setFilters(const QList<ColumnFilter> &filters);
    void setQuickSearch(const QString &text);
    int sortColumn() const { return m_sortColumn; }
    Qt::SortOrder sortOrder() const { return m_sortOrder; }
    /// Any query over the spec's source (tests, benchmarks: multi-key sorts).
    void setQuery(const KeysetQuery &query);

    /// Fetches the row with this id again and, when it is in a cached page, replaces it in
    /// place (dataChanged for that row; no reset; the selection and staged edits stay; a row with
    /// staged edits that someone else saved meanwhile is marked Conflict at once). A row
    /// that moved in the sort order stays where it is until the next page load. Calls are
    /// queued and read back together with one query at a time, so a flood of changes costs
    /// one round trip per batch.
    void refreshRow(const QString &id);
    /// Counts again and reads the cached pages again in place (dataChanged, rows inserted or
    /// removed at the end; no reset: the scroll position and the selection stay). For changes
    /// that no row id pins down, such as a row that now matches the filter. Passes coalesce.
    void refresh() { recount(); }
    /// refreshRow() for every update the feed announces on the spec's table; an insert, a
    /// delete or a table-changed event refresh() the view in place. Saved rows are announced on the feed in
    /// turn (origin "desk:…"), so other views and the agent hub learn of them.
    void followChanges(ChangeFeed &feed);

    /// Answers roles for one column from something that is not in the table, given the row's id:
    /// an invalid QVariant means "nothing to add".
    using RowDecorator = std::function<QVariant(const QString &rowId, int role)>;
    /// Asks `decorator` for the roles of `column` that the model does not answer itself
    /// (Qt::DecorationRole, custom roles such as roles::Connected) and for a first line of
    /// Qt::ToolTipRole; it cannot change the text, the edit or the raw value. Called from data(),
    /// so keep it cheap. An empty function removes the decorator of that column.
    void setRowDecorator(int column, RowDecorator decorator);
    /// The decorator's answer for this row changed: dataChanged for the row's decorated cells
    /// only (nothing when the row is not loaded; it asks the decorator when it is).
    void rowAnnotationChanged(const QString &id);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    bool setData(const QModelIndex &index, const QVariant &value, int role = Qt::EditRole) override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;
    bool insertRows(int row, int count, const QModelIndex &parent = {}) override;
    bool removeRows(int row, int count, const QModelIndex &parent = {}) override;

    bool countIsExact() const { return m_countExact; }
    /// "about 1.0 M rows" while estimated, "1,000,000 rows" once exact.
    QString countText() const;
    bool isLoaded(int row) const;
    int cachedPages() const { return int(m_pages.size()); }
    int maxCachedPages() const { return m_maxCachedPages; }
    void setMaxCachedPages(int pages) { m_maxCachedPages = qMax(4, pages); }
    /// The row showing this id, or -1 when it is not loaded.
    int rowOf(const QString &id) const;

    // Staged edits
    QUndoStack *undoStack() { return &m_undo; }
    bool hasStagedChanges() const { return !m_staged.isEmpty(); }
    /// How many rows (statements) the next save writes.
    int stagedRowCount() const { return m_staged.rowCount(); }
    /// Staged new rows, shown above the loaded ones (not in the row count of countText()).
    int stagedNewRows() const { return top(); }
    /// Problems of the staged values, each marked on its cell (roles::Problem); empty if none.
    QList<StagedChanges::Problem> validate();
    /// Validates and writes every staged change in one transaction; saveFinished() tells.
    void save();
    /// The statements save() would run now, in order, with their bound values (Studio's preview).
    QList<TableWriter::Statement> savePreview() const;
    bool isSaving() const { return m_saving; }
    /// Drops every staged change and the undo history.
    void discard();
    bool hasConflict(int row) const;
    /// After a conflict: save my values over theirs next time (the conflict's values become
    /// the baseline).
    void keepMine(int row);
    /// After a conflict: drop my edits of this row and show theirs (an undoable step).
    void takeTheirs(int row);
    /// Values a new row starts with besides the spec's (e.g. `createdBy` = the signed-in user).
    void setInsertDefaults(const QHash<QString, QVariant> &values) { m_insertDefaults = values; }

signals:
    void countChanged(int rows, bool exact);
    void errorOccurred(const QString &message);
    void stagedChangesChanged(bool staged);
    /// `row` is the model row that failed (-1 when none did, or the save never started).
    void saveFinished(bool ok, const QString &message, int row);

private:
    friend class SetCellCommand;
    friend class InsertRowCommand;
    friend class DeleteRowCommand;

    struct Page {
        QList<QVariantList> rows; ///< TableSpec's page row: text columns, names, version, cursor
        mutable quint64 lastUsed = 0;
    };
    using Rows = QList<QVariantList>;

    // Loading (pagedtablemodel.cpp)
    void requestPage(int page);
    void fetchFromAnchor(int page);
    /// A page near the end while the count is an estimate: counted back from the last row.
    void fetchTail(int page);
    void fetchPage(int page, KeysetQuery::Direction direction, std::optional<QVariantList> cursor, int limit,
                   int skip);
    void storePage(int page, Rows rows);
    void evictFarPages(int around);
    void setCount(int rows, bool exact);
    void startCounting();
    /// After rows were inserted or deleted: counts again, then loads the cached pages again in
    /// place (dataChanged; no reset).
    void recount();
    void refreshQueued();
    void applyRefreshed(const QStringList &ids, const Result<Rows> &result);
    QVariantList cursorOf(const QVariantList &row) const;
    const QVariantList *loadedRow(int row) const; ///< model row → page row, or null
    QVariantList *loadedRowById(const QString &id, int *row = nullptr);
    int top() const { return int(m_staged.inserted().size()); }

    // Editing (pagedtablemodeledits.cpp)
    QString idAt(int row) const;
    QString rowName(int row) const; ///< "Row 12" for messages
    QVariant cellText(int row, int column, bool *staged = nullptr) const;
    QVariant editData(int row, int column, int role) const;
    /// editData() with the column's row decorator, if any, on top.
    QVariant decoratedData(int row, int column, int role) const;
    void applyCell(const QString &id, int column, const std::optional<QVariant> &text,
                   const QVariantList &loaded);
    void applyInsert(int position, const StagedChanges::NewRow &row);
    StagedChanges::NewRow applyUninsert(const QString &id);
    void applyDeleted(const QString &id, bool deleted, const QVariantList &loaded);
    void emitRowChanged(const QString &id);
    /// A refreshed row whose version moved while it has staged edits becomes a conflict.
    void flagConflictIfChanged(const QString &id, const QVariantList &fresh);
    /// Fetches the name a staged reference value shows (`createdBy` → "admin") into m_refNames.
    void lookUpName(int column, const QVariant &id);
    void stagingChanged();
    /// Drops staged rows and edits, conflicts, problems and the undo history (no signals but
    /// the removal of the new rows).
    void clearStaging();
    void finishSave(const QStringList &ids, Result<SaveReport> result);
    void announceSaved(const QStringList &ids) const;
    QString feedOrigin() const;

    DbExecutor *m_executor;
    TableSpec m_spec;
    std::optional<KeysetQuery> m_query;
    int m_sortColumn = -1;
    Qt::SortOrder m_sortOrder = Qt::AscendingOrder;
    QList<ColumnFilter> m_filters;
    QString m_quickSearch;
    quint64 m_generation = 0;
    CancelToken m_token; ///< carried by the current query's jobs; cancelled by the next query
    int m_count = 0;     ///< rows of the database query (staged new rows not included)
    bool m_countExact = false;
    QHash<int, Page> m_pages;
    mutable QSet<int> m_requested; ///< pages asked for while nothing could fetch them yet
    QSet<int> m_inFlight;
    QSet<int> m_tailPages;         ///< placed from the estimated end; wrong if the exact count differs
    QList<QVariantList> m_anchors; ///< m_anchors[k] = cursor of row (k + 1) * kAnchorEvery - 1
    bool m_anchorsReady = false;
    bool m_countAfterFirstPage = false;
    bool m_reloadPages = false;  ///< a recount() is running
    bool m_recountAgain = false; ///< rows moved while it ran
    mutable quint64 m_clock = 0;
    QSet<QString> m_refreshQueue;    ///< changed rows waiting to be read back
    bool m_refreshInFlight = false;  ///< one read-back query at a time
    bool m_refreshScheduled = false; ///< refreshQueued() is queued
    int m_maxCachedPages = 40;

    StagedChanges m_staged;
    QUndoStack m_undo;
    QHash<QString, QVariantMap> m_conflicts; ///< row id → their values (column name → text)
    QHash<QString, QHash<int, QString>> m_problems;
    QHash<QString, QVariant> m_insertDefaults; ///< column name → text
    QHash<QString, QString> m_refNames;        ///< referenced table + id → display name
    QHash<int, RowDecorator> m_decorators;     ///< column → setRowDecorator()
    bool m_saving = false;
    int m_newRowSerial = 0;       ///< placeholder ids of new rows whose key the database makes
    ChangeFeed *m_feed = nullptr; ///< set by followChanges()
    std::optional<Actor> m_actor; ///< set by setActor()
    Role m_role = Role::User;
    quint64 m_revision = 0;      ///< bumped by every staging step
    quint64 m_savedRevision = 0; ///< m_revision when the running save started
};

} // namespace ccpm
