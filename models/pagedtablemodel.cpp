#include "pagedtablemodel.h"

#include "sqlvalues.h"

#include <QLocale>
#include <QSqlQuery>

#include <algorithm>

namespace ccpm {

namespace {

using Rows = QList<QVariantList>;

struct CountAndAnchors {
    int count = 0;
    QList<QVariantList> anchors;
};

Result<Rows> runPage(QSqlDatabase &db, const KeysetQuery::Sql &sql, int width)
{
    QSqlQuery q(db);
    q.setForwardOnly(true);
    if (Status s = sql::execPrepared(q, sql.text, sql.bindings, QStringLiteral("Cannot read rows")); !s)
        return s.error();
    Rows rows;
    while (q.next()) {
        QVariantList row;
        row.reserve(width);
        for (int i = 0; i < width; ++i)
            row << q.value(i);
        rows << row;
    }
    return rows;
}

} // namespace

PagedTableModel::PagedTableModel(DbExecutor &executor, TableSpec spec, QObject *parent)
    : QAbstractTableModel(parent)
    , m_executor(&executor)
    , m_spec(std::move(spec))
{
    connect(&m_undo, &QUndoStack::indexChanged, this, [this] { stagingChanged(); });
}

void PagedTableModel::reload()
{
    if (m_sortColumn < 0) {
        m_sortColumn = m_spec.defaultSortColumn;
        m_sortOrder = m_spec.defaultAscending ? Qt::AscendingOrder : Qt::DescendingOrder;
    }
    setQuery(m_spec.query(m_sortColumn, m_sortOrder == Qt::AscendingOrder, m_filters, m_quickSearch));
}

void PagedTableModel::sort(int column, Qt::SortOrder order)
{
    m_sortColumn = column;
    m_sortOrder = order;
    setQuery(m_spec.query(column, order == Qt::AscendingOrder, m_filters, m_quickSearch));
}

void PagedTableModel::setFilters(const QList<ColumnFilter> &filters)
{
    m_filters = filters;
    setQuery(m_spec.query(m_sortColumn, m_sortOrder == Qt::AscendingOrder, m_filters, m_quickSearch));
}

void PagedTableModel::setQuickSearch(const QString &text)
{
    m_quickSearch = text;
    setQuery(m_spec.query(m_sortColumn, m_sortOrder == Qt::AscendingOrder, m_filters, m_quickSearch));
}

void PagedTableModel::setQuery(const KeysetQuery &query)
{
    beginResetModel();
    ++m_generation;
    m_executor->cancel(m_token); // the old query's pages and counting pass, queued or running
    m_token = CancelToken();
    m_query = query;
    m_pages.clear();
    m_requested.clear();
    m_inFlight.clear();
    m_anchors.clear();
    m_anchorsReady = false;
    m_reloadPages = false;
    m_recountAgain = false;
    m_tailPages.clear();
    m_countAfterFirstPage = false;
    m_count = 0;
    m_countExact = false;
    endResetModel();

    const quint64 generation = m_generation;
    if (const std::optional<KeysetQuery::Sql> estimate = query.estimate()) {
        const KeysetQuery::Sql sql = *estimate;
        auto job = [sql](QSqlDatabase &db) -> Result<int> {
            QSqlQuery q(db);
            if (Status s =
                    sql::execPrepared(q, sql.text, sql.bindings, QStringLiteral("Cannot estimate the rows"));
                !s)
                return s.error();
            return q.next() ? int(std::min<qint64>(q.value(0).toLongLong(), INT_MAX)) : 0;
        };
        QCoro::connect(m_executor->exec(job, m_token), this, [this, generation](Result<int> estimated) {
            if (generation != m_generation || m_countExact || !estimated)
                return;
            setCount(std::max(*estimated, m_count), false);
        });
    }
    // The counting pass reads every matching row: it starts once the first page is on screen,
    // so that it never competes with it.
    m_countAfterFirstPage = true;
    fetchPage(0, KeysetQuery::Direction::Forward, std::nullopt, kPageSize, 0);
}

int PagedTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : top() + m_count;
}

int PagedTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() || !m_query ? 0 : int(m_spec.columns.size());
}

QVariant PagedTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation == Qt::Horizontal && section >= 0 && section < m_spec.columns.size()) {
        if (role == Qt::DisplayRole)
            return m_spec.columns.at(section).header;
        if (role == Qt::ToolTipRole)
            return m_spec.columns.at(section).name;
    }
    return QAbstractTableModel::headerData(section, orientation, role);
}

bool PagedTableModel::isLoaded(int row) const
{
    return row < top() || loadedRow(row) != nullptr;
}

const QVariantList *PagedTableModel::loadedRow(int row) const
{
    const int serverRow = row - top();
    if (serverRow < 0)
        return nullptr;
    const auto it = m_pages.constFind(serverRow / kPageSize);
    if (it == m_pages.cend() || serverRow % kPageSize >= it->rows.size())
        return nullptr;
    it->lastUsed = ++m_clock;
    return &it->rows.at(serverRow % kPageSize);
}

QVariantList *PagedTableModel::loadedRowById(const QString &id, int *row)
{
    for (auto it = m_pages.begin(); it != m_pages.end(); ++it) {
        for (int i = 0; i < it->rows.size(); ++i) {
            if (m_query->rowId(it->rows.at(i)) == id) {
                if (row)
                    *row = top() + it.key() * kPageSize + i;
                return &it->rows[i];
            }
        }
    }
    return nullptr;
}

int PagedTableModel::rowOf(const QString &id) const
{
    if (const int inserted = m_staged.insertedIndex(id); inserted >= 0)
        return inserted;
    int row = -1;
    const_cast<PagedTableModel *>(this)->loadedRowById(id, &row);
    return row;
}

QVariant PagedTableModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    if (index.row() >= top() && !loadedRow(index.row())) {
        const int page = (index.row() - top()) / kPageSize;
        if (!m_requested.contains(page) && !m_inFlight.contains(page)) {
            m_requested.insert(page);
            // Fetch from the event loop: data() must not change the model while a view reads it.
            auto *self = const_cast<PagedTableModel *>(this);
            QMetaObject::invokeMethod(
                self, [self, page] { self->requestPage(page); }, Qt::QueuedConnection);
        }
        return role == Qt::DisplayRole ? QVariant(QStringLiteral("…")) : QVariant();
    }
    return decoratedData(index.row(), index.column(), role);
}

QString PagedTableModel::countText() const
{
    const QLocale locale;
    if (m_countExact)
        return m_count == 1 ? tr("1 row") : tr("%1 rows").arg(locale.toString(m_count));
    if (m_count < 1000) // formattedDataSize() says "250 bytes" below a kilo
        return tr("about %1 rows").arg(locale.toString(m_count));
    return tr("about %1 rows")
        .arg(locale.formattedDataSize(m_count, 1, QLocale::DataSizeSIFormat)
                 .remove(QLatin1Char('B'))
                 .trimmed());
}

QString PagedTableModel::feedOrigin() const
{
    return QStringLiteral("desk:%1").arg(quintptr(this), 0, 16);
}

void PagedTableModel::followChanges(ChangeFeed &feed)
{
    m_feed = &feed;
    connect(&feed, &ChangeFeed::rowsChanged, this,
            [this](const QString &table, const QStringList &ids, ChangeFeed::Op op, const QString &origin) {
                if (table != m_spec.table || origin == feedOrigin())
                    return; // our own saves are shown already
                if (op == ChangeFeed::Op::Update && !ids.isEmpty()) {
                    for (const QString &id : ids)
                        refreshRow(id);
                } else {
                    recount(); // rows moved, or anything did (TableChanged): read again in place
                }
            });
}

void PagedTableModel::refreshRow(const QString &id)
{
    if (!m_query)
        return;
    // Changes are queued and read back together: one query in flight at a time, whatever the
    // rate of changes (thousands of agents reporting), and no per-change scan of the cache.
    m_refreshQueue.insert(id);
    if (!m_refreshInFlight && !m_refreshScheduled) {
        m_refreshScheduled = true;
        QMetaObject::invokeMethod(this, &PagedTableModel::refreshQueued, Qt::QueuedConnection);
    }
}

void PagedTableModel::refreshQueued()
{
    m_refreshScheduled = false;
    if (m_refreshInFlight || m_refreshQueue.isEmpty() || !m_query)
        return;
    QStringList ids; // only rows that are cached need the query
    for (const Page &page : std::as_const(m_pages)) {
        for (const QVariantList &row : page.rows) {
            if (const QString id = m_query->rowId(row); m_refreshQueue.contains(id))
                ids << id;
        }
    }
    m_refreshQueue.clear();
    if (ids.isEmpty())
        return;
    m_refreshInFlight = true;
    const KeysetQuery::Sql sql = m_query->rows(ids);
    const int width = m_query->columnCount() + m_query->cursorColumnCount();
    auto job = [sql, width](QSqlDatabase &db) { return runPage(db, sql, width); };
    const quint64 generation = m_generation;
    QCoro::connect(m_executor->exec(job, m_token), this, [this, generation, ids](Result<Rows> result) {
        m_refreshInFlight = false;
        if (generation == m_generation)
            applyRefreshed(ids, result);
        if (!m_refreshQueue.isEmpty())
            refreshQueued();
    });
}

void PagedTableModel::applyRefreshed(const QStringList &ids, const Result<Rows> &result)
{
    if (!result) {
        emit errorOccurred(result.error().toString());
        return;
    }
    QHash<QString, const QVariantList *> fresh;
    for (const QVariantList &row : *result)
        fresh.insert(m_query->rowId(row), &row);
    const QSet<QString> asked(ids.cbegin(), ids.cend());
    bool gone = false;
    for (auto it = m_pages.begin(); it != m_pages.end(); ++it) {
        for (int i = 0; i < it->rows.size(); ++i) {
            const QString id = m_query->rowId(it->rows.at(i));
            if (!asked.contains(id))
                continue;
            if (const QVariantList *row = fresh.value(id)) {
                flagConflictIfChanged(id, *row);
                it->rows[i] = *row;
                const int at = top() + it.key() * kPageSize + i;
                emit dataChanged(index(at, 0), index(at, columnCount() - 1));
            } else {
                gone = true; // deleted, or no longer matching the filter
            }
        }
    }
    if (gone)
        recount();
}

void PagedTableModel::flagConflictIfChanged(const QString &id, const QVariantList &fresh)
{
    // Someone else saved a row with staged edits: flag it now, as save() would, with their values
    const int version = m_spec.versionIndex();
    const QVariantList baseline = m_staged.loadedRow(id);
    if (version < 0 || baseline.isEmpty() || m_conflicts.contains(id) ||
        baseline.value(version) == fresh.value(version))
        return;
    QVariantMap theirs;
    for (int c = 0; c < m_spec.columns.size(); ++c)
        theirs.insert(m_spec.columns.at(c).name, fresh.value(c));
    theirs.insert(m_spec.versionColumn, fresh.value(version));
    m_conflicts.insert(id, theirs);
}

QVariantList PagedTableModel::cursorOf(const QVariantList &row) const
{
    const int width = m_query->cursorColumnCount();
    return row.mid(row.size() - width, width);
}

void PagedTableModel::requestPage(int page)
{
    if (!m_query || m_pages.contains(page) || m_inFlight.contains(page))
        return;
    const int start = page * kPageSize;
    if (m_countExact && start >= m_count) {
        m_requested.remove(page);
        return;
    }
    using Direction = KeysetQuery::Direction;
    const auto previous = m_pages.constFind(page - 1);
    const auto next = m_pages.constFind(page + 1);
    if (page == 0) {
        fetchPage(page, Direction::Forward, std::nullopt, kPageSize, 0);
    } else if (previous != m_pages.cend() && previous->rows.size() == kPageSize) {
        fetchPage(page, Direction::Forward, cursorOf(previous->rows.last()), kPageSize, 0);
    } else if (next != m_pages.cend() && !next->rows.isEmpty()) {
        fetchPage(page, Direction::Backward, cursorOf(next->rows.first()), kPageSize, 0);
    } else if (m_anchorsReady) {
        fetchFromAnchor(page);
    } else if (m_countExact && start + kPageSize >= m_count) {
        fetchPage(page, Direction::Backward, std::nullopt, m_count - start, 0); // jump to the end
    } else if (!m_countExact && m_count > 0 && start + kPageSize >= m_count) {
        fetchTail(page); // the end, while the count is still the estimate
    } else {
        return; // stays requested: a neighbour or the anchors will make it reachable
    }
    m_requested.remove(page);
}

void PagedTableModel::fetchTail(int page)
{
    const int limit = m_count - page * kPageSize;
    m_inFlight.insert(page);
    const KeysetQuery::Sql sql = m_query->page(KeysetQuery::Direction::Backward, std::nullopt, limit);
    const int width = m_query->columnCount() + m_query->cursorColumnCount();
    auto job = [sql, width](QSqlDatabase &db) { return runPage(db, sql, width); };
    const quint64 generation = m_generation;
    QCoro::connect(
        m_executor->exec(job, m_token), this, [this, generation, page, limit](Result<Rows> result) {
            if (generation != m_generation)
                return;
            m_inFlight.remove(page);
            if (!result) {
                emit errorOccurred(result.error().toString());
                return;
            }
            Rows rows = std::move(result).value();
            if (m_countExact || rows.size() < limit || limit != m_count - page * kPageSize) {
                // Fewer rows than estimated, or the count moved meanwhile: the exact count decides.
                m_requested.insert(page);
                if (m_countExact)
                    requestPage(page); // counted already: fetch it by its position now
                return;
            }
            std::reverse(rows.begin(), rows.end());
            rows.resize(std::min<qsizetype>(rows.size(), kPageSize));
            const int start = page * kPageSize;
            const int size = int(rows.size());
            m_pages.insert(page, Page{std::move(rows), ++m_clock});
            m_tailPages.insert(page);
            emit dataChanged(index(top() + start, 0), index(top() + start + size - 1, columnCount() - 1));
            evictFarPages(page);
        });
}

void PagedTableModel::fetchFromAnchor(int page)
{
    const int start = page * kPageSize;
    const int anchor = start / kAnchorEvery; // rows before `base` are covered by anchors
    const int base = anchor * kAnchorEvery;
    if (anchor == 0 || anchor > m_anchors.size())
        fetchPage(page, KeysetQuery::Direction::Forward, std::nullopt, start + kPageSize, start);
    else
        fetchPage(page, KeysetQuery::Direction::Forward, m_anchors.at(anchor - 1), start - base + kPageSize,
                  start - base);
}

void PagedTableModel::fetchPage(int page, KeysetQuery::Direction direction,
                                std::optional<QVariantList> cursor, int limit, int skip)
{
    m_inFlight.insert(page);
    const KeysetQuery::Sql sql = m_query->page(direction, cursor, limit);
    const int width = m_query->columnCount() + m_query->cursorColumnCount();
    auto job = [sql, width](QSqlDatabase &db) { return runPage(db, sql, width); };
    const quint64 generation = m_generation;
    QCoro::connect(m_executor->exec(job, m_token), this,
                   [this, generation, page, direction, skip](Result<Rows> result) {
                       if (generation != m_generation)
                           return; // an older sort or filter
                       m_inFlight.remove(page);
                       if (!result) {
                           emit errorOccurred(result.error().toString());
                           return;
                       }
                       Rows rows = std::move(result).value();
                       if (direction == KeysetQuery::Direction::Backward)
                           std::reverse(rows.begin(), rows.end());
                       storePage(page, skip > 0 ? rows.mid(skip) : rows);
                   });
}

void PagedTableModel::storePage(int page, Rows rows)
{
    const int start = page * kPageSize;
    const int size = int(rows.size());
    m_pages.insert(page, Page{std::move(rows), ++m_clock});
    // A short page is the end of the result: its position makes the count exact.
    if (size < kPageSize)
        setCount(start + size, true);
    else if (start + size > m_count)
        setCount(start + size, m_countExact);
    if (size > 0)
        emit dataChanged(index(top() + start, 0), index(top() + start + size - 1, columnCount() - 1));
    evictFarPages(page);
    if (std::exchange(m_countAfterFirstPage, false)) {
        if (page == 0 && size < kPageSize)
            m_anchorsReady = true; // one page holds it all: nothing to count or anchor
        else
            startCounting();
    }
    const QList<int> waiting = m_requested.values();
    for (int p : waiting)
        requestPage(p);
}

void PagedTableModel::evictFarPages(int around)
{
    while (m_pages.size() > m_maxCachedPages) {
        auto farthest = m_pages.begin();
        for (auto it = m_pages.begin(); it != m_pages.end(); ++it) {
            const int distance = std::abs(it.key() - around);
            const int best = std::abs(farthest.key() - around);
            if (distance > best || (distance == best && it->lastUsed < farthest->lastUsed))
                farthest = it;
        }
        m_pages.erase(farthest);
    }
}

void PagedTableModel::setCount(int rows, bool exact)
{
    rows = std::max(rows, 0);
    // Pages placed from the estimated end are off by the estimate's error: load them again.
    QList<int> misplaced;
    if (exact && !m_countExact && rows != m_count)
        misplaced = m_tailPages.values();
    if (exact)
        m_tailPages.clear();
    for (int page : std::as_const(misplaced))
        m_pages.remove(page);
    if (rows > m_count) {
        beginInsertRows({}, top() + m_count, top() + rows - 1);
        m_count = rows;
        endInsertRows();
    } else if (rows < m_count) {
        beginRemoveRows({}, top() + rows, top() + m_count - 1);
        m_count = rows;
        for (auto it = m_pages.begin(); it != m_pages.end();) {
            if (it.key() * kPageSize >= rows)
                it = m_pages.erase(it);
            else
                ++it;
        }
        endRemoveRows();
    }
    m_countExact = exact;
    for (int page : std::as_const(misplaced)) {
        const int start = page * kPageSize;
        if (start < m_count) // shown as placeholders, and asked for again
            emit dataChanged(index(top() + start, 0),
                             index(top() + std::min(start + kPageSize, m_count) - 1, columnCount() - 1));
    }
    emit countChanged(m_count, m_countExact);
}

void PagedTableModel::recount()
{
    if (!m_query)
        return;
    if (m_reloadPages) {
        m_recountAgain = true; // one pass at a time, and one more after it
        return;
    }
    m_anchorsReady = false;
    m_reloadPages = true;
    startCounting();
}

void PagedTableModel::startCounting()
{
    const KeysetQuery::Sql count = m_query->count();
    const KeysetQuery::Sql anchors = m_query->anchors(kAnchorEvery);
    const int width = m_query->cursorColumnCount();
    auto job = [count, anchors, width](QSqlDatabase &db) -> Result<CountAndAnchors> {
        CountAndAnchors out;
        QSqlQuery q(db);
        q.setForwardOnly(true);
        if (Status s =
                sql::execPrepared(q, count.text, count.bindings, QStringLiteral("Cannot count the rows"));
            !s)
            return s.error();
        out.count = q.next() ? int(std::min<qint64>(q.value(0).toLongLong(), INT_MAX)) : 0;
        if (Status s =
                sql::execPrepared(q, anchors.text, anchors.bindings, QStringLiteral("Cannot index the rows"));
            !s)
            return s.error();
        while (q.next()) {
            QVariantList cursor;
            for (int i = 0; i < width; ++i)
                cursor << q.value(1 + i);
            out.anchors << cursor;
        }
        return out;
    };
    const quint64 generation = m_generation;
    QCoro::connect(m_executor->exec(job, m_token), this, [this, generation](Result<CountAndAnchors> result) {
        if (generation != m_generation)
            return;
        const bool refresh = std::exchange(m_reloadPages, false);
        const bool again = std::exchange(m_recountAgain, false);
        if (!result) {
            emit errorOccurred(result.error().toString());
            return;
        }
        m_anchors = std::move(result->anchors);
        m_anchorsReady = true;
        setCount(result->count, true);
        if (refresh) {
            const QList<int> cached = m_pages.keys();
            for (int page : cached)
                fetchFromAnchor(page);
        }
        const QList<int> waiting = m_requested.values();
        for (int p : waiting)
            requestPage(p);
        if (again)
            recount();
    });
}

} // namespace ccpm
