#include "stagedchanges.h"

namespace ccpm {

void StagedChanges::clear()
{
    m_rows.clear();
    m_inserted.clear();
}

std::optional<QVariant> StagedChanges::value(const QString &id, int column) const
{
    const auto row = m_rows.constFind(id);
    if (row == m_rows.cend())
        return std::nullopt;
    const auto cell = row->edits.constFind(column);
    return cell == row->edits.cend() ? std::nullopt : std::optional<QVariant>(*cell);
}

void StagedChanges::stage(const QString &id, int column, const QVariant &text, const QVariantList &loadedRow)
{
    auto it = m_rows.find(id);
    if (it == m_rows.end())
        it = m_rows.insert(id, Touched{loadedRow, {}, false});
    it->edits.insert(column, text);
}

void StagedChanges::unstage(const QString &id, int column)
{
    const auto it = m_rows.find(id);
    if (it == m_rows.end())
        return;
    it->edits.remove(column);
    forgetIfClean(id);
}

bool StagedChanges::isDeleted(const QString &id) const
{
    const auto it = m_rows.constFind(id);
    return it != m_rows.cend() && it->deleted;
}

void StagedChanges::setDeleted(const QString &id, bool deleted, const QVariantList &loadedRow)
{
    auto it = m_rows.find(id);
    if (it == m_rows.end()) {
        if (!deleted)
            return;
        it = m_rows.insert(id, Touched{loadedRow, {}, false});
    }
    it->deleted = deleted;
    forgetIfClean(id);
}

QVariantList StagedChanges::loadedRow(const QString &id) const
{
    return m_rows.value(id).loaded;
}

void StagedChanges::rebase(const QString &id, const QVariantList &current)
{
    const auto it = m_rows.find(id);
    if (it != m_rows.end())
        it->loaded = current;
}

void StagedChanges::drop(const QString &id)
{
    m_rows.remove(id);
}

QHash<int, QVariant> StagedChanges::edits(const QString &id) const
{
    return m_rows.value(id).edits;
}

void StagedChanges::forgetIfClean(const QString &id)
{
    const auto it = m_rows.constFind(id);
    if (it != m_rows.cend() && it->edits.isEmpty() && !it->deleted)
        m_rows.erase(it);
}

int StagedChanges::insertedIndex(const QString &id) const
{
    for (int i = 0; i < m_inserted.size(); ++i) {
        if (m_inserted.at(i).id == id)
            return i;
    }
    return -1;
}

void StagedChanges::insert(int position, NewRow row)
{
    m_inserted.insert(qBound(0, position, int(m_inserted.size())), std::move(row));
}

StagedChanges::NewRow StagedChanges::takeInserted(int position)
{
    return m_inserted.takeAt(position);
}

void StagedChanges::setInsertedValue(int position, int column, const QVariant &text)
{
    m_inserted[position].values.insert(column, text);
}

QList<StagedChanges::Problem> StagedChanges::validate(const TableSpec &spec) const
{
    QList<Problem> problems;
    for (const NewRow &row : m_inserted) {
        for (int c = 0; c < spec.columns.size(); ++c) {
            const ColumnSpec &column = spec.columns.at(c);
            const QVariant text = row.values.value(c);
            if (!column.editable || (text.isNull() && column.hasDefault))
                continue;
            if (const QString problem = column.problem(text); !problem.isEmpty())
                problems << Problem{row.id, c, problem};
        }
    }
    for (auto it = m_rows.cbegin(); it != m_rows.cend(); ++it) {
        if (it->deleted)
            continue;
        for (auto cell = it->edits.cbegin(); cell != it->edits.cend(); ++cell) {
            if (const QString problem = spec.columns.at(cell.key()).problem(cell.value()); !problem.isEmpty())
                problems << Problem{it.key(), cell.key(), problem};
        }
    }
    return problems;
}

ChangeSet StagedChanges::changeSet(const TableSpec &spec, QStringList *ids) const
{
    ChangeSet changes;
    changes.schema = spec.schema;
    changes.table = spec.table;
    changes.idColumn = spec.idColumn;
    changes.keyColumns = spec.keyColumns;
    changes.keyTypes = spec.keyTypes;
    changes.insertKey = spec.clientKeys;
    changes.touchColumn = spec.versionColumn;
    auto valueOf = [&spec](int column, const QVariant &text) {
        const ColumnSpec &c = spec.columns.at(column);
        return ColumnValue{c.name, c.sqlType, text};
    };
    // Without a version column, the loaded values of what is written must still hold.
    auto expected = [&](const Touched &row, bool everyColumn) {
        QList<ColumnValue> out;
        if (const int version = spec.versionIndex(); version >= 0) {
            out << ColumnValue{spec.versionColumn, QStringLiteral("timestamp(3)"), row.loaded.value(version)};
            return out;
        }
        for (int c = 0; c < spec.columns.size(); ++c) {
            if (everyColumn || row.edits.contains(c))
                out << valueOf(c, row.loaded.value(c));
        }
        return out;
    };
    auto add = [&](RowWrite write) {
        if (ids)
            ids->append(write.id);
        changes.rows << std::move(write);
    };

    for (const NewRow &row : m_inserted) {
        RowWrite write{RowWrite::Kind::Insert, row.id, {}, {}};
        for (auto it = row.values.cbegin(); it != row.values.cend(); ++it) {
            if (!it.value().isNull() || !spec.clientKeys) // Studio writes a NULL typed into a new row
                write.values << valueOf(it.key(), it.value());
        }
        add(std::move(write));
    }
    QList<QString> touched = m_rows.keys();
    std::sort(touched.begin(), touched.end()); // a stable order between runs
    for (const QString &id : std::as_const(touched)) {
        const Touched &row = *m_rows.constFind(id);
        if (row.deleted || row.edits.isEmpty())
            continue;
        RowWrite write{RowWrite::Kind::Update, id, {}, expected(row, false)};
        QList<int> columns = row.edits.keys();
        std::sort(columns.begin(), columns.end());
        for (int c : std::as_const(columns))
            write.values << valueOf(c, row.edits.value(c));
        add(std::move(write));
    }
    for (const QString &id : std::as_const(touched)) {
        const Touched &row = *m_rows.constFind(id);
        if (row.deleted)
            add(RowWrite{RowWrite::Kind::Delete, id, {}, expected(row, true)});
    }
    return changes;
}

} // namespace ccpm
