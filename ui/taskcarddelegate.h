#pragma once

#include <QStyledItemDelegate>

namespace ccpm {

/// Paints a task of a tasks PagedTableModel (any column's index; it reads the row's siblings) as
/// a board card: a priority stripe (red HIGH, amber MEDIUM, grey LOW), the title, the assignee
/// and a progress bar. A row still loading shows a placeholder card. Thread: GUI.
class TaskCardDelegate : public QStyledItemDelegate {
    Q_OBJECT
public:
    using QStyledItemDelegate::QStyledItemDelegate;

    void paint(QPainter *painter, const QStyleOptionViewItem &option,
               const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;
};

} // namespace ccpm
