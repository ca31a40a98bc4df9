#pragma once

#include "stagedchanges.h"

#include <QUndoCommand>

#include <optional>

namespace ccpm {

class PagedTableModel;

/// The undoable steps of staging edits in a PagedTableModel. Each names its row by id, never by
/// position, so paging, sorting and refreshes between do and undo cannot misdirect it; each keeps
/// the row as loaded, so it can be redone after its page was dropped.
/// Thread: the model's (GUI).

/// A cell's staged value: `after` on redo, `before` on undo (nullopt: not staged).
class SetCellCommand : public QUndoCommand {
public:
    SetCellCommand(PagedTableModel *model, QString id, int column, QVariantList loaded,
                   std::optional<QVariant> before, std::optional<QVariant> after,
                   QUndoCommand *parent = nullptr);
    void undo() override;
    void redo() override;

private:
    PagedTableModel *m_model;
    QString m_id;
    int m_column;
    QVariantList m_loaded;
    std::optional<QVariant> m_before;
    std::optional<QVariant> m_after;
};

/// A staged new row at `position` among the new rows.
class InsertRowCommand : public QUndoCommand {
public:
    InsertRowCommand(PagedTableModel *model, int position, StagedChanges::NewRow row,
                     QUndoCommand *parent = nullptr);
    void undo() override;
    void redo() override;

private:
    PagedTableModel *m_model;
    int m_position;
    StagedChanges::NewRow m_row;
};

/// Removing a staged new row (undo puts it back with its values), or marking a loaded row as
/// deleted (`deleted` true) or not deleted (false).
class DeleteRowCommand : public QUndoCommand {
public:
    DeleteRowCommand(PagedTableModel *model, QString id, QVariantList loaded, bool deleted = true,
                     QUndoCommand *parent = nullptr);
    void undo() override;
    void redo() override;

private:
    PagedTableModel *m_model;
    QString m_id;
    QVariantList m_loaded;
    bool m_deleted;
    int m_position = -1; ///< a new row's position, while it is removed
    StagedChanges::NewRow m_newRow;
};

} // namespace ccpm
