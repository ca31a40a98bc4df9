#pragma once

#include <QStyledItemDelegate>

namespace ccpm {

/// Paints the staged state of a cell (roles::EditState): edited cells tinted, new rows green,
/// deleted rows struck through, conflicts and refused values red (roles::Problem). Edits an enum
/// column with a combo box of its translated labels, and NULL shows as a grey "NULL".
/// Thread: GUI.
class CellStyleDelegate : public QStyledItemDelegate {
    Q_OBJECT
public:
    using QStyledItemDelegate::QStyledItemDelegate;

    QWidget *createEditor(QWidget *parent, const QStyleOptionViewItem &option,
                          const QModelIndex &index) const override;
    void setEditorData(QWidget *editor, const QModelIndex &index) const override;
    void setModelData(QWidget *editor, QAbstractItemModel *model, const QModelIndex &index) const override;

protected:
    void initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const override;
};

} // namespace ccpm
