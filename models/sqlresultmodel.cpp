#include "sqlresultmodel.h"

#include <QColor>
#include <QTimer>

#include <algorithm>

namespace ccpm {

static_assert(SqlResultModel::kPageRows == SqlConsole::kPageRows, "the first page of a run is page 0");

namespace {

constexpr qsizetype kDisplayChars = 500; // a cell shows this much of a long value
constexpr qsizetype kToolTipChars = 4000;

bool isNumeric(quint32 oid)
{
    switch (oid) {
    case 20:   // int8
    case 21:   // int2
    case 23:   // int4
    case 26:   // oid
    case 700:  // float4
    case 701:  // float8
    case 1700: // numeric
        return true;
    default:
        return false;
    }
}

QString shortened(const QString &text, qsizetype chars)
{
    return text.size() <= chars ? text : text.left(chars) + QChar(0x2026);
}

} // namespace

SqlResultModel::SqlResultModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

void SqlResultModel::setResult(SqlConsole *console, const SqlConsole::Outcome &outcome)
{
    beginResetModel();
    ++m_generation;
    m_console = console;
    m_resultId = outcome.resultId;
    m_columns = outcome.columns;
    m_cursor = outcome.cursor;
    m_pages.clear();
    m_pending.clear();
    m_wanted.clear();
    m_allRows.clear();
    m_failed = false;
    m_fetchingMore = false;
    m_rows = outcome.rows.size();
    m_exact = !outcome.cursor || outcome.atEnd;
    if (m_cursor)
        m_pages.insert(0, CachedPage{outcome.rows, ++m_useClock});
    else
        m_allRows = outcome.rows;
    endResetModel();
}

void SqlResultModel::clear()
{
    setResult(nullptr, SqlConsole::Outcome{});
}

int SqlResultModel::cachedRowCount() const
{
    qsizetype rows = m_allRows.size();
    for (const CachedPage &page : m_pages)
        rows += page.rows.size();
    return int(rows);
}

int SqlResultModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows);
}

int SqlResultModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_columns.size());
}

const SqlConsole::Row *SqlResultModel::row(int row) const
{
    if (!m_cursor)
        return row < m_allRows.size() ? &m_allRows.at(row) : nullptr;
    const qint64 index = row / kPageRows;
    const auto page = m_pages.find(index);
    if (page == m_pages.end()) {
        requestPage(index);
        return nullptr;
    }
    page->lastUse = ++m_useClock;
    const int offset = row % kPageRows;
    return offset < page->rows.size() ? &page->rows.at(offset) : nullptr;
}

QVariant SqlResultModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || !checkIndex(index, CheckIndexOption::ParentIsInvalid))
        return {};
    if (role == Qt::TextAlignmentRole)
        return isNumeric(m_columns.at(index.column()).typeOid) ? QVariant(Qt::AlignRight | Qt::AlignVCenter)
                                                               : QVariant(Qt::AlignLeft | Qt::AlignVCenter);
    if (role == TypeNameRole)
        return m_columns.at(index.column()).typeName;
    if (role != Qt::DisplayRole && role != Qt::ToolTipRole && role != RawValueRole && role != NullRole &&
        role != Qt::ForegroundRole)
        return {};
    const SqlConsole::Row *values = row(index.row());
    if (!values) // not here yet
        return role == Qt::DisplayRole ? QVariant(QString(QChar(0x2026))) : QVariant();
    const QVariant &value = values->value(index.column());
    switch (role) {
    case Qt::DisplayRole:
        return value.isNull() ? QStringLiteral("NULL")
                              : QVariant(shortened(value.toString(), kDisplayChars)
                                             .replace(QLatin1Char('\n'), QChar(0x21B5)));
    case Qt::ToolTipRole:
        return value.isNull() ? QVariant() : QVariant(shortened(value.toString(), kToolTipChars));
    case Qt::ForegroundRole:
        return value.isNull() ? QVariant(QColor(Qt::gray)) : QVariant();
    case NullRole:
        return value.isNull();
    default:
        return value;
    }
}

QVariant SqlResultModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation == Qt::Vertical)
        return role == Qt::DisplayRole ? QVariant(section + 1) : QVariant();
    if (section < 0 || section >= m_columns.size())
        return {};
    if (role == Qt::DisplayRole)
        return m_columns.at(section).name;
    if (role == Qt::ToolTipRole || role == TypeNameRole)
        return m_columns.at(section).typeName;
    return {};
}

bool SqlResultModel::canFetchMore(const QModelIndex &parent) const
{
    return !parent.isValid() && m_cursor && !m_exact && !m_failed && m_console;
}

void SqlResultModel::fetchMore(const QModelIndex &parent)
{
    if (!canFetchMore(parent) || m_fetchingMore)
        return;
    m_fetchingMore = true;
    // From the event loop: a fetch that completes at once must not insert rows inside the caller
    // (a view's or a tester's handler of the previous insertion).
    const quint64 generation = m_generation;
    QTimer::singleShot(0, this, [this, generation] {
        if (generation == m_generation)
            fetchNextPage();
    });
}

void SqlResultModel::fetchNextPage()
{
    if (m_failed || !m_console) {
        m_fetchingMore = false;
        return;
    }
    const quint64 generation = m_generation;
    const qint64 first = m_rows;
    QCoro::connect(m_console->fetch(m_resultId, first, kPageRows), this,
                   [this, generation, first](Result<SqlConsole::Page> page) {
                       if (generation != m_generation)
                           return;
                       m_fetchingMore = false;
                       if (!page)
                           return fail(page.error());
                       if (m_exact || first != m_rows) // counted meanwhile: the page is stored as any other
                           return storePage(first / kPageRows, std::move(page.value().rows));
                       const qsizetype n = page->rows.size();
                       // Stored first (past the last row: no dataChanged), then shown.
                       storePage(first / kPageRows, std::move(page.value().rows));
                       if (n > 0) {
                           beginInsertRows({}, int(m_rows), int(m_rows + n - 1));
                           m_rows += n;
                           endInsertRows();
                       }
                       if (n < kPageRows) {
                           m_exact = true;
                           emit rowCountKnown(m_rows);
                       }
                   });
}

void SqlResultModel::countRows()
{
    if (!m_cursor || m_exact || m_failed || !m_console)
        return;
    const quint64 generation = m_generation;
    QTimer::singleShot(0, this, [this, generation] {
        if (generation == m_generation && !m_exact && !m_failed && m_console)
            countNow();
    });
}

void SqlResultModel::countNow()
{
    const quint64 generation = m_generation;
    QCoro::connect(m_console->count(m_resultId), this, [this, generation](Result<qint64> rows) {
        if (generation != m_generation)
            return;
        if (!rows)
            return fail(rows.error());
        growTo(*rows);
        m_exact = true;
        emit rowCountKnown(m_rows);
    });
}

void SqlResultModel::growTo(qint64 rows)
{
    rows = std::min<qint64>(rows, std::numeric_limits<int>::max());
    if (rows <= m_rows)
        return;
    beginInsertRows({}, int(m_rows), int(rows - 1));
    m_rows = rows;
    endInsertRows();
}

// data() is const and may run while a view paints: the request waits for the event loop, and
// the pages wanted meanwhile go together.
void SqlResultModel::requestPage(qint64 page) const
{
    if (m_failed || !m_console || m_pending.contains(page) || m_wanted.contains(page))
        return;
    m_wanted.insert(page);
    if (m_wanted.size() == 1)
        QTimer::singleShot(0, const_cast<SqlResultModel *>(this), &SqlResultModel::requestWanted);
}

void SqlResultModel::requestWanted()
{
    const QSet<qint64> wanted = std::exchange(m_wanted, {});
    if (m_failed || !m_console)
        return;
    QSet<qint64> pages = wanted;
    // Scrolling down page after page: the next page is read ahead while this one is shown.
    for (const qint64 page : wanted) {
        const qint64 next = page + 1;
        if (m_pages.contains(page - 1) && !m_pages.contains(next) && !m_pending.contains(next) &&
            next * kPageRows < m_rows)
            pages.insert(next);
    }
    const quint64 generation = m_generation;
    for (const qint64 page : std::as_const(pages)) {
        m_pending.insert(page);
        QCoro::connect(m_console->fetch(m_resultId, page * kPageRows, kPageRows), this,
                       [this, generation, page](Result<SqlConsole::Page> result) {
                           if (generation != m_generation)
                               return;
                           m_pending.remove(page);
                           if (!result)
                               return fail(result.error());
                           storePage(page, std::move(result.value().rows));
                       });
    }
}

void SqlResultModel::storePage(qint64 page, QList<SqlConsole::Row> rows)
{
    const qint64 first = page * kPageRows;
    const int n = int(rows.size());
    m_pages.insert(page, CachedPage{std::move(rows), ++m_useClock});
    // Least recently used pages go, so memory stays bounded however far the view scrolls.
    while (m_pages.size() > kMaxPages) {
        auto oldest = m_pages.end();
        for (auto it = m_pages.begin(); it != m_pages.end(); ++it) {
            if (it.key() != page && (oldest == m_pages.end() || it->lastUse < oldest->lastUse))
                oldest = it;
        }
        m_pages.erase(oldest);
    }
    if (n > 0 && first < m_rows && !m_columns.isEmpty())
        emit dataChanged(index(int(first), 0),
                         index(int(std::min<qint64>(first + n, m_rows) - 1), int(m_columns.size()) - 1));
    emit pageLoaded(first, n);
}

void SqlResultModel::fail(const Error &error)
{
    if (m_failed)
        return;
    m_failed = true;
    emit errorOccurred(error.toString());
}

} // namespace ccpm
