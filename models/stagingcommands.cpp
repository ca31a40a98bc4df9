#include "stagingcommands.h"

#include "pagedtablemodel.h"

#include <QCoreApplication>

namespace ccpm {

SetCellCommand::SetCellCommand(PagedTableModel *model, QString id, int column, QVariantList loaded,
                               std::optional<QVariant> before, std::optional<QVariant> after,
                               QUndoCommand *parent)
    : QUndoCommand(parent)
    , m_model(model)
    , m_id(std::move(id))
    , m_column(column)
    , m_loaded(std::move(loaded))
    , m_before(std::move(before))
    , m_after(std::move(after))
{
    setText(QCoreApplication::translate("ccpm::SetCellCommand", "Edit %1")
                .arg(model->spec().columns.at(column).header));
}

void SetCellCommand::undo()
{
    m_model->applyCell(m_id, m_column, m_before, m_loaded);
}

void SetCellCommand::redo()
{
    m_model->applyCell(m_id, m_column, m_after, m_loaded);
}

InsertRowCommand::InsertRowCommand(PagedTableModel *model, int position, StagedChanges::NewRow row,
                                   QUndoCommand *parent)
    : QUndoCommand(QCoreApplication::translate("ccpm::InsertRowCommand", "Add row"), parent)
    , m_model(model)
    , m_position(position)
    , m_row(std::move(row))
{
}

void InsertRowCommand::undo()
{
    m_row = m_model->applyUninsert(m_row.id); // with the values typed since
}

void InsertRowCommand::redo()
{
    m_model->applyInsert(m_position, m_row);
}

DeleteRowCommand::DeleteRowCommand(PagedTableModel *model, QString id, QVariantList loaded, bool deleted,
                                   QUndoCommand *parent)
    : QUndoCommand(deleted ? QCoreApplication::translate("ccpm::DeleteRowCommand", "Delete row")
                           : QCoreApplication::translate("ccpm::DeleteRowCommand", "Restore row"),
                   parent)
    , m_model(model)
    , m_id(std::move(id))
    , m_loaded(std::move(loaded))
    , m_deleted(deleted)
{
}

void DeleteRowCommand::undo()
{
    if (m_position >= 0) {
        m_model->applyInsert(m_position, m_newRow);
        m_position = -1;
        return;
    }
    m_model->applyDeleted(m_id, !m_deleted, m_loaded);
}

void DeleteRowCommand::redo()
{
    if (const int position = m_model->m_staged.insertedIndex(m_id); position >= 0) {
        m_position = position;
        m_newRow = m_model->applyUninsert(m_id);
        return;
    }
    m_model->applyDeleted(m_id, m_deleted, m_loaded);
}

} // namespace ccpm
