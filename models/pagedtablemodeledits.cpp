// PagedTableModel: what a cell shows, staging edits, saving and conflicts.
#include "cuid.h"
#include "displayformat.h"
#include "pagedtablemodel.h"
#include "sqlvalues.h"
#include "stagingcommands.h"

#include <QSqlQuery>

namespace ccpm {

QString PagedTableModel::rowName(int row) const
{
    return row >= 0 ? tr("Row %1").arg(row + 1)
                    : tr("A row that is not shown now (clear the search and filters to see it)");
}

QString PagedTableModel::idAt(int row) const
{
    if (row < 0)
        return {};
    if (row < top())
        return m_staged.inserted().at(row).id;
    const QVariantList *loaded = loadedRow(row);
    return loaded && m_query ? m_query->rowId(*loaded) : QString();
}

QVariant PagedTableModel::cellText(int row, int column, bool *staged) const
{
    if (row < top()) {
        if (staged)
            *staged = true;
        return m_staged.inserted().at(row).values.value(column);
    }
    const QVariantList *loaded = loadedRow(row);
    if (!loaded)
        return {};
    const std::optional<QVariant> edit =
        m_staged.isEmpty() ? std::nullopt : m_staged.value(m_query->rowId(*loaded), column);
    if (staged)
        *staged = edit.has_value();
    return edit ? *edit : loaded->value(column);
}

QVariant PagedTableModel::editData(int row, int column, int role) const
{
    const ColumnSpec &c = m_spec.columns.at(column);
    const QString id = idAt(row);
    bool staged = false;
    const QVariant text = cellText(row, column, &staged);
    const int nameIndex = m_spec.refNameIndex(column);
    const QVariantList *loaded = row < top() ? nullptr : loadedRow(row);
    QVariant refName;
    if (nameIndex >= 0)
        refName =
            loaded && !staged ? loaded->value(nameIndex) : m_refNames.value(c.refTable + text.toString());
    const auto conflict = m_conflicts.constFind(id);
    switch (role) {
    case Qt::DisplayRole:
        return c.display(text, refName);
    case Qt::EditRole:
        return c.editValue(text);
    case roles::RawValue:
        return c.raw(text);
    case roles::RowId:
        return id;
    case roles::StoredText:
        return text;
    case roles::EditState: {
        using roles::CellState;
        if (conflict != m_conflicts.cend())
            return int(CellState::Conflict);
        if (m_staged.isDeleted(id))
            return int(CellState::Deleted);
        if (row < top())
            return int(CellState::Inserted);
        return int(staged ? CellState::Edited : CellState::Clean);
    }
    case roles::Problem:
        return m_problems.value(id).value(column);
    case roles::TheirValue:
        if (conflict != m_conflicts.cend() && conflict->contains(c.name))
            return c.display(conflict->value(c.name));
        return {};
    case Qt::ToolTipRole: {
        QStringList tip;
        if (const QString problem = m_problems.value(id).value(column); !problem.isEmpty())
            tip << problem;
        if (conflict != m_conflicts.cend()) {
            tip << (conflict->isEmpty()
                        ? tr("Someone else deleted this row.")
                        : tr("Someone else saved: %1").arg(c.display(conflict->value(c.name)).toString()));
        }
        if (c.type == ColumnSpec::Type::Timestamp)
            tip << display::utcTooltip(sql::timestampFromText(text));
        else if (c.type == ColumnSpec::Type::Reference)
            tip << text.toString();
        else if ((c.type == ColumnSpec::Type::Text || c.type == ColumnSpec::Type::Json) &&
                 text.toString().size() > 40)
            tip << text.toString().left(2000);
        tip.removeAll(QString());
        return tip.isEmpty() ? QVariant() : QVariant(tip.join(QLatin1Char('\n')));
    }
    case Qt::TextAlignmentRole:
        return c.type == ColumnSpec::Type::Integer || c.type == ColumnSpec::Type::Decimal
                   ? QVariant(int(Qt::AlignRight | Qt::AlignVCenter))
                   : QVariant();
    default:
        return {};
    }
}

QVariant PagedTableModel::decoratedData(int row, int column, int role) const
{
    const auto decorator = m_decorators.constFind(column);
    if (decorator == m_decorators.cend())
        return editData(row, column, role);
    switch (role) {
    case Qt::ToolTipRole: {
        const QString first = (*decorator)(idAt(row), role).toString();
        const QVariant own = editData(row, column, role);
        if (first.isEmpty() || own.isNull())
            return first.isEmpty() ? own : QVariant(first);
        return QVariant(first + QLatin1Char('\n') + own.toString());
    }
    case Qt::DisplayRole:
    case Qt::EditRole:
    case Qt::TextAlignmentRole:
    case roles::RowId:
    case roles::RawValue:
    case roles::EditState:
    case roles::Problem:
    case roles::TheirValue:
        return editData(row, column, role); // the table's own: not the decorator's to change
    default:
        return (*decorator)(idAt(row), role);
    }
}

void PagedTableModel::setRowDecorator(int column, RowDecorator decorator)
{
    if (column < 0 || column >= m_spec.columns.size())
        return; // columnCount() is 0 until the first query: a decorator may come before it
    if (decorator)
        m_decorators.insert(column, std::move(decorator));
    else
        m_decorators.remove(column);
    if (rowCount() > 0 && columnCount() > 0)
        emit dataChanged(index(0, column), index(rowCount() - 1, column));
}

void PagedTableModel::rowAnnotationChanged(const QString &id)
{
    const int row = rowOf(id);
    if (row < 0)
        return;
    for (auto it = m_decorators.cbegin(); it != m_decorators.cend(); ++it)
        emit dataChanged(index(row, it.key()), index(row, it.key()));
}

Qt::ItemFlags PagedTableModel::flags(const QModelIndex &index) const
{
    Qt::ItemFlags f = QAbstractTableModel::flags(index);
    if (!index.isValid() || m_saving || !isLoaded(index.row()))
        return f;
    const QString id = idAt(index.row());
    if (canWrite() && m_spec.columns.at(index.column()).editable && !m_staged.isDeleted(id))
        f |= Qt::ItemIsEditable;
    return f;
}

bool PagedTableModel::setData(const QModelIndex &index, const QVariant &value, int role)
{
    if (role != Qt::EditRole || !checkIndex(index, CheckIndexOption::IndexIsValid) ||
        !(flags(index) & Qt::ItemIsEditable))
        return false;
    const int column = index.column();
    const ColumnSpec &spec = m_spec.columns.at(column);
    const QVariant text = spec.fromEdit(value);
    bool staged = false;
    const QVariant current = cellText(index.row(), column, &staged);
    if (staged && spec.sameValue(current, text) && current.toString() == text.toString())
        return true;
    const QString id = idAt(index.row());
    std::optional<QVariant> before;
    std::optional<QVariant> after = text;
    QVariantList loaded;
    if (index.row() < top()) {
        before = current;
    } else {
        loaded = m_staged.isTouched(id) ? m_staged.loadedRow(id) : *loadedRow(index.row());
        if (staged)
            before = current;
        if (spec.sameValue(loadedRow(index.row())->value(column), text))
            after.reset(); // the database's value (an editor closed unchanged): nothing to save
        if (!before && !after)
            return true;
    }
    m_undo.push(new SetCellCommand(this, id, column, loaded, before, after));
    return true;
}

void PagedTableModel::setActor(const Actor &actor, Role role)
{
    beginResetModel(); // every cell's flags change
    m_actor = actor;
    m_role = role;
    endResetModel();
}

bool PagedTableModel::insertRows(int row, int count, const QModelIndex &parent)
{
    if (parent.isValid() || count < 1 || row < 0 || row > rowCount() || !m_spec.canInsert || !canWrite() ||
        !m_query || m_saving)
        return false;
    m_undo.beginMacro(count == 1 ? tr("Add a row") : tr("Add %1 rows").arg(count));
    for (int i = 0; i < count; ++i) {
        // A new Studio row has no key until the database gives it one: a placeholder id.
        StagedChanges::NewRow newRow{
            m_spec.clientKeys ? newCuid() : QStringLiteral("new:%1").arg(++m_newRowSerial), {}};
        for (int c = 0; c < m_spec.columns.size(); ++c) {
            const ColumnSpec &spec = m_spec.columns.at(c);
            const QVariant initial = m_insertDefaults.value(spec.name, spec.initial);
            if (!initial.isNull())
                newRow.values.insert(c, initial);
        }
        // New rows live above the loaded ones.
        m_undo.push(new InsertRowCommand(this, qBound(0, row, top()) + i, newRow));
    }
    m_undo.endMacro();
    return true;
}

bool PagedTableModel::removeRows(int row, int count, const QModelIndex &parent)
{
    if (parent.isValid() || count < 1 || row < 0 || count > rowCount() - row || m_saving || !canWrite())
        return false;
    QList<QPair<QString, QVariantList>> rows;
    for (int r = row; r < row + count; ++r) {
        const QString id = idAt(r);
        if (id.isEmpty() || (r >= top() && !m_spec.canDelete))
            return false; // not loaded yet, or not deletable here
        rows << qMakePair(id, r < top() ? QVariantList() : *loadedRow(r));
    }
    m_undo.beginMacro(count == 1 ? tr("Delete a row") : tr("Delete %1 rows").arg(count));
    for (const auto &[id, loaded] : std::as_const(rows))
        m_undo.push(new DeleteRowCommand(this, id, m_staged.isTouched(id) ? m_staged.loadedRow(id) : loaded));
    m_undo.endMacro();
    return true;
}

void PagedTableModel::applyCell(const QString &id, int column, const std::optional<QVariant> &text,
                                const QVariantList &loaded)
{
    ++m_revision;
    if (text)
        lookUpName(column, *text);
    if (const int position = m_staged.insertedIndex(id); position >= 0)
        m_staged.setInsertedValue(position, column, text.value_or(QVariant()));
    else if (text)
        m_staged.stage(id, column, *text, loaded);
    else
        m_staged.unstage(id, column);
    if (auto it = m_problems.find(id); it != m_problems.end()) {
        it->remove(column);
        if (it->isEmpty())
            m_problems.erase(it);
    }
    emitRowChanged(id);
}

void PagedTableModel::lookUpName(int column, const QVariant &id)
{
    const ColumnSpec &c = m_spec.columns.at(column);
    if (c.type != ColumnSpec::Type::Reference || c.refTable.isEmpty() || id.isNull() ||
        m_refNames.contains(c.refTable + id.toString()))
        return;
    const QString sql = QStringLiteral("SELECT CAST(%1 AS text) FROM %2 WHERE %3 = :id")
                            .arg(sql::quoteIdentifier(c.refDisplay), sql::quoteIdentifier(c.refTable),
                                 sql::quoteIdentifier(m_spec.idColumn));
    auto job = [sql, id](QSqlDatabase &db) -> Result<QVariant> {
        QSqlQuery q(db);
        if (Status s = sql::execPrepared(q, sql, {{QStringLiteral(":id"), id}},
                                         QStringLiteral("Cannot look up a name"));
            !s)
            return s.error();
        return q.next() ? q.value(0) : QVariant();
    };
    const QString key = c.refTable + id.toString();
    QCoro::connect(m_executor->exec(job), this, [this, key](Result<QVariant> name) {
        if (!name || name->isNull())
            return; // an unknown id shows as the id; saving names the broken foreign key
        m_refNames.insert(key, name->toString());
        if (rowCount() > 0)
            emit dataChanged(index(0, 0), index(rowCount() - 1, columnCount() - 1));
    });
}

void PagedTableModel::applyInsert(int position, const StagedChanges::NewRow &row)
{
    for (auto it = row.values.cbegin(); it != row.values.cend(); ++it)
        lookUpName(it.key(), it.value());
    ++m_revision;
    position = qBound(0, position, top());
    beginInsertRows({}, position, position);
    m_staged.insert(position, row);
    endInsertRows();
}

StagedChanges::NewRow PagedTableModel::applyUninsert(const QString &id)
{
    const int position = m_staged.insertedIndex(id);
    if (position < 0)
        return {};
    ++m_revision;
    beginRemoveRows({}, position, position);
    StagedChanges::NewRow row = m_staged.takeInserted(position);
    endRemoveRows();
    m_problems.remove(id);
    return row;
}

void PagedTableModel::applyDeleted(const QString &id, bool deleted, const QVariantList &loaded)
{
    ++m_revision;
    m_staged.setDeleted(id, deleted, loaded);
    emitRowChanged(id);
}

void PagedTableModel::emitRowChanged(const QString &id)
{
    if (const int row = rowOf(id); row >= 0)
        emit dataChanged(index(row, 0), index(row, columnCount() - 1));
}

void PagedTableModel::stagingChanged()
{
    emit stagedChangesChanged(hasStagedChanges());
}

QList<StagedChanges::Problem> PagedTableModel::validate()
{
    const QList<QString> before = m_problems.keys();
    m_problems.clear();
    const QList<StagedChanges::Problem> problems = m_staged.validate(m_spec);
    for (const StagedChanges::Problem &p : problems)
        m_problems[p.id].insert(p.column, p.message);
    for (const QString &id : before)
        emitRowChanged(id);
    for (auto it = m_problems.cbegin(); it != m_problems.cend(); ++it)
        emitRowChanged(it.key());
    return problems;
}

void PagedTableModel::save()
{
    if (m_saving)
        return;
    if (m_staged.isEmpty()) {
        emit saveFinished(true, tr("Nothing to save."), -1);
        return;
    }
    if (const QList<StagedChanges::Problem> problems = validate(); !problems.isEmpty()) {
        const StagedChanges::Problem &first = problems.first();
        const int row = rowOf(first.id);
        QString message = tr("Nothing was saved. %1: %2").arg(rowName(row), first.message);
        if (problems.size() > 1)
            message += QLatin1Char(' ') + tr("(%1 values to fix in all.)").arg(problems.size());
        emit saveFinished(false, message, row);
        return;
    }
    QStringList ids;
    ChangeSet changes = m_staged.changeSet(m_spec, &ids);
    if (m_actor) {
        changes.guard = [actor = *m_actor, role = m_spec.writeRole](QSqlDatabase &db) {
            return Access::require(db, actor, role);
        };
    }
    auto job = [changes](QSqlDatabase &db) { return TableWriter::apply(db, changes); };
    m_saving = true;
    m_savedRevision = m_revision;
    QCoro::connect(m_executor->exec(job), this,
                   [this, ids](Result<SaveReport> result) { finishSave(ids, std::move(result)); });
}

void PagedTableModel::finishSave(const QStringList &ids, Result<SaveReport> result)
{
    m_saving = false;
    if (!result) {
        emit saveFinished(false, tr("Nothing was saved: %1").arg(result.error().toString()), -1);
        return;
    }
    if (const std::optional<SaveFailure> &failure = result->failure) {
        const QString id = ids.value(failure->row);
        const int row = rowOf(id);
        if (failure->conflict) {
            m_conflicts.insert(id, failure->current);
            emitRowChanged(id);
            emit saveFinished(false,
                              tr("Nothing was saved. %1: %2 Choose “Keep mine” or “Take theirs” for it.")
                                  .arg(rowName(row), failure->error.message),
                              row);
            return;
        }
        // Mark the column the server named (directly, or in the constraint's name).
        int column = m_spec.columnOf(failure->column);
        for (int c = 0; column < 0 && c < m_spec.columns.size(); ++c) {
            if (failure->constraint.contains(QLatin1Char('_') + m_spec.columns.at(c).name + QLatin1Char('_')))
                column = c;
        }
        if (column >= 0) {
            m_problems[id].insert(column, failure->error.message);
            emitRowChanged(id);
        }
        emit saveFinished(false, tr("Nothing was saved. %1: %2").arg(rowName(row), failure->error.toString()),
                          row);
        return;
    }

    // Saved: loaded rows take their new values at once (reference names follow by refresh).
    const bool rowsMoved =
        !m_staged.inserted().isEmpty() ||
        std::any_of(ids.cbegin(), ids.cend(), [this](const QString &id) { return m_staged.isDeleted(id); });
    QStringList updated;
    bool keyChanged = false;
    for (const QString &id : m_staged.touchedIds()) {
        QVariantList *cached = loadedRowById(id);
        if (!cached || m_staged.isDeleted(id))
            continue;
        const QHash<int, QVariant> edits = m_staged.edits(id);
        for (auto it = edits.cbegin(); it != edits.cend(); ++it)
            keyChanged = keyChanged || m_spec.keyColumns.contains(m_spec.columns.at(it.key()).name);
        for (auto it = edits.cbegin(); it != edits.cend(); ++it)
            (*cached)[it.key()] = it.value();
        if (const int version = m_spec.versionIndex(); version >= 0 && result->touched.contains(id))
            (*cached)[version] = result->touched.value(id);
        updated << id;
    }
    const int saved = int(ids.size());
    // Undone or redone while the save ran (the GUI prevents it; the API does not): the database
    // holds what was saved, so the table shows the database again.
    const bool changedMeanwhile = m_revision != m_savedRevision;
    announceSaved(ids);
    clearStaging();
    for (const QString &id : std::as_const(updated)) {
        emitRowChanged(id);
        refreshRow(id);
    }
    if (rowsMoved || changedMeanwhile || keyChanged)
        recount(); // a row with a new key is another row: read the pages again
    stagingChanged();
    emit saveFinished(true, saved == 1 ? tr("Saved 1 change.") : tr("Saved %1 changes.").arg(saved), -1);
}

QList<TableWriter::Statement> PagedTableModel::savePreview() const
{
    return TableWriter::statements(m_staged.changeSet(m_spec));
}

void PagedTableModel::announceSaved(const QStringList &ids) const
{
    if (!m_feed)
        return;
    for (const QString &id : ids) {
        const ChangeFeed::Op op = m_staged.insertedIndex(id) >= 0 ? ChangeFeed::Op::Insert
                                  : m_staged.isDeleted(id)        ? ChangeFeed::Op::Delete
                                                                  : ChangeFeed::Op::Update;
        m_feed->publish(m_spec.table, id, op, feedOrigin());
    }
}

bool PagedTableModel::hasConflict(int row) const
{
    return m_conflicts.contains(idAt(row));
}

void PagedTableModel::keepMine(int row)
{
    if (m_saving)
        return;
    const QString id = idAt(row);
    const auto conflict = m_conflicts.constFind(id);
    if (conflict == m_conflicts.cend() || conflict->isEmpty())
        return; // a deleted row cannot be kept: take theirs
    QVariantList baseline = m_staged.loadedRow(id);
    for (auto it = conflict->cbegin(); it != conflict->cend(); ++it) {
        if (const int c = m_spec.columnOf(it.key()); c >= 0)
            baseline[c] = it.value();
        if (it.key() == m_spec.versionColumn)
            baseline[m_spec.versionIndex()] = it.value();
    }
    m_staged.rebase(id, baseline);
    m_conflicts.remove(id);
    emitRowChanged(id);
}

void PagedTableModel::takeTheirs(int row)
{
    if (m_saving)
        return;
    const QString id = idAt(row);
    if (!m_conflicts.contains(id))
        return;
    const QVariantList loaded = m_staged.loadedRow(id);
    const QHash<int, QVariant> edits = m_staged.edits(id);
    m_undo.beginMacro(tr("Take their values"));
    for (auto it = edits.cbegin(); it != edits.cend(); ++it)
        m_undo.push(new SetCellCommand(this, id, it.key(), loaded, it.value(), std::nullopt));
    if (m_staged.isDeleted(id))
        m_undo.push(new DeleteRowCommand(this, id, loaded, false));
    m_undo.endMacro();
    m_conflicts.remove(id);
    emitRowChanged(id);
    refreshRow(id);
}

void PagedTableModel::clearStaging()
{
    if (top() > 0) {
        beginRemoveRows({}, 0, top() - 1);
        m_staged.clearInserted();
        endRemoveRows();
    }
    m_staged.clear();
    m_conflicts.clear();
    m_problems.clear();
    m_undo.clear();
}

void PagedTableModel::discard()
{
    if (m_saving)
        return;
    const QList<QString> touched = m_staged.touchedIds();
    clearStaging();
    for (const QString &id : touched)
        emitRowChanged(id);
    stagingChanged();
}

} // namespace ccpm
